/**
 * Draws the progress view with Ink on a terminal stream. Loaded only through a dynamic import
 * from `ui/sink.ts`, when a terminal will actually draw: ink and react cost ~800 ms to import.
 */
import React from 'react';
import { render } from 'ink';
import { ProgressView } from './progress-view.js';
import type { ProgressState } from '../state.js';

export interface LiveView {
  update(state: ProgressState, now: Date): void;
  /** draws nothing more; the last frame stays on the terminal */
  stop(): void;
}

function optional(rows: number | undefined): { rows?: number } {
  return rows === undefined ? {} : { rows };
}

export function startLiveView(stream: NodeJS.WriteStream, state: ProgressState, now: Date): LiveView {
  const rows = (): number | undefined => (stream.isTTY && stream.rows > 0 ? stream.rows : undefined);
  const instance = render(<ProgressView state={state} now={now} {...optional(rows())} />, {
    stdout: stream,
    stderr: stream,
    // Ctrl-C must reach the command's SIGINT handler, which stops watching and exits 130
    exitOnCtrlC: false,
    patchConsole: false,
  });
  return {
    update: (next, at) => instance.rerender(<ProgressView state={next} now={at} {...optional(rows())} />),
    stop: () => {
      instance.unmount();
    },
  };
}
