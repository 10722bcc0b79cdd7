/**
 * Ctrl-C and SIGTERM while watching: abort the signal handed to `up`/`down`, which stop
 * watching and throw `Interrupted` (exit 130). Nothing is cancelled in AWS. A second Ctrl-C
 * exits at once, for a user who does not want to wait for the last message.
 */
export interface InterruptWatch {
  signal: AbortSignal;
  dispose(): void;
}

export function watchInterrupts(proc: Pick<NodeJS.Process, 'on' | 'off' | 'exit'> = process): InterruptWatch {
  const controller = new AbortController();
  const onSignal = (): void => {
    if (controller.signal.aborted) proc.exit(130);
    controller.abort();
  };
  proc.on('SIGINT', onSignal);
  proc.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      proc.off('SIGINT', onSignal);
      proc.off('SIGTERM', onSignal);
    },
  };
}
