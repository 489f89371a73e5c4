// Child processes of the benchmark: start one that prints a JSON line when ready, read a process's peak RSS, stop it by pid.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

export interface Child {
  process: ChildProcess;
  ready: Record<string, unknown>;
  /** The last 4 KB the child wrote to stderr. */
  stderr(): string;
  stop(): Promise<void>;
}

/** Spawns `command` and waits for its first stdout line that parses as JSON (or one matching `readyPattern`). */
export function startChild(command: string, args: string[], options: { cwd: string; timeoutMs: number; readyPattern?: RegExp; env?: NodeJS.ProcessEnv }): Promise<Child> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'], env: options.env ?? process.env });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} not ready after ${options.timeoutMs} ms: ${stderr}`));
    }, options.timeoutMs);
    const stop = () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      });
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      let ready: Record<string, unknown> | undefined;
      if (options.readyPattern?.test(line)) ready = { line };
      else {
        try {
          const parsed = JSON.parse(line) as unknown;
          if (!options.readyPattern && parsed && typeof parsed === 'object') ready = parsed as Record<string, unknown>;
        } catch {
          // not the ready line
        }
      }
      if (ready) {
        clearTimeout(timer);
        lines.removeAllListeners('line');
        child.stdout?.resume();
        resolve({ process: child, ready, stop, stderr: () => stderr });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited with ${code} before it was ready: ${stderr}`));
    });
  });
}

/** VmHWM (peak resident set) and VmRSS of a process in MB, from /proc (Linux). */
export function readMemory(pid: number): { peakMb: number; rssMb: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
    return { peakMb: kb('VmHWM') / 1024, rssMb: kb('VmRSS') / 1024 };
  } catch {
    return undefined;
  }
}
