/**
 * Writing log text to stdout: waits for 'drain' when the pipe is full (so a slow reader slows
 * the reading instead of growing memory), and ends quietly when the reader goes away
 * (`logs -f | head`), by aborting the returned signal as Ctrl-C does.
 */
export interface LogWriter {
  /** aborted by `stop` or when stdout closes */
  signal: AbortSignal;
  write(text: string): void | Promise<void>;
}

export function stdoutWriter(stop: AbortSignal, stream: NodeJS.WritableStream & { writableNeedDrain?: boolean } = process.stdout): LogWriter {
  const controller = new AbortController();
  if (stop.aborted) controller.abort();
  stop.addEventListener('abort', () => controller.abort(), { once: true });
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') controller.abort();
  });
  return {
    signal: controller.signal,
    write(text: string) {
      if (text === '' || controller.signal.aborted) return;
      if (stream.write(text)) return;
      return new Promise<void>((resolve) => {
        const done = (): void => {
          stream.off('drain', done);
          controller.signal.removeEventListener('abort', done);
          resolve();
        };
        stream.on('drain', done);
        controller.signal.addEventListener('abort', done, { once: true });
      });
    },
  };
}
