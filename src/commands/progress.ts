// Progress of long CLI work on stderr: a bar redrawn in place on a terminal, plain lines (every 10%) otherwise.

export interface Progress {
  tick(done: number): void;
  finish(message?: string): void;
}

/** Reports progress of `total` units of `what`; `stream` defaults to stderr. */
export function createProgress(what: string, total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  const started = Date.now();
  const isTty = Boolean(stream.isTTY);
  let lastLine = -1;
  let lastDraw = 0;
  const rate = (done: number) => Math.round(done / Math.max(0.001, (Date.now() - started) / 1000));
  return {
    tick(done) {
      const share = total > 0 ? Math.min(1, done / total) : 1;
      if (isTty) {
        if (Date.now() - lastDraw < 100 && done < total) return;
        lastDraw = Date.now();
        const width = 30;
        const filled = Math.round(share * width);
        stream.write(`\r${what} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} (${rate(done)}/s)`);
        return;
      }
      const step = Math.floor(share * 10);
      if (step > lastLine) {
        lastLine = step;
        stream.write(`${what}: ${done}/${total} (${Math.round(share * 100)}%, ${rate(done)}/s)\n`);
      }
    },
    finish(message) {
      if (isTty) stream.write('\n');
      if (message) stream.write(`${message}\n`);
    },
  };
}
