// A single-instance lock beside the database file: a second daemon on the same database is refused with a clear message.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { CommandError } from './shared.ts';

export interface Lock {
  path: string;
  release(): void;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes `${database}.lock`; a lock left by a dead process (after a crash or SIGKILL) is taken over. */
export function acquireDaemonLock(database: string): Lock | undefined {
  if (database === ':memory:') return undefined;
  const path = `${database}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return {
        path,
        release: () => {
          try {
            if (readFileSync(path, 'utf8').trim() === String(process.pid)) unlinkSync(path);
          } catch {
            // already gone
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
      if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) {
        throw new CommandError(`another wiredesk daemon (pid ${pid}) is running on ${database}; stop it first (lock: ${path})`, 3);
      }
      unlinkSync(path); // stale: its process is gone
    }
  }
  throw new CommandError(`could not take the lock ${path}`, 3);
}

/** True when a live daemon holds the database (for commands refused beside it, such as migrate). */
export function isDaemonRunning(database: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(`${database}.lock`, 'utf8'), 10);
    return Number.isInteger(pid) && isAlive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}
