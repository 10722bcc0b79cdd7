/**
 * Picks the progress renderer and drives it. On a terminal (and not in CI) the Ink view, loaded
 * only then; redraws are throttled to one per `redrawMs`, plus a tick every second so elapsed
 * times move. Otherwise plain lines (`CI=true`, no TTY, TERM=dumb, `--progress plain`), JSON
 * lines, or quiet. Progress always goes to the given stream (stderr); results are the command's.
 */
import type { DeployEvent, DeploySink } from '../aws/events.js';
import { renderJson } from './json.js';
import { terminalSafeDeep } from './terminal-text.js';
import { plainRenderer } from './plain.js';
import { renderQuiet } from './quiet.js';
import { initialState, reduce, type ProgressState } from './state.js';

export type ProgressMode = 'auto' | 'tty' | 'plain' | 'json' | 'quiet';
export type RendererKind = 'tty' | 'plain' | 'json' | 'quiet';
export const PROGRESS_MODES: readonly ProgressMode[] = ['auto', 'tty', 'plain', 'json', 'quiet'];

export interface ProgressSink {
  emit: DeploySink;
  /** draws the final state and releases the terminal; calling it again does nothing */
  close(): Promise<void>;
}

function truthy(v: string | undefined): boolean {
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

export function chooseRenderer(mode: ProgressMode, o: { isTTY: boolean; env: NodeJS.ProcessEnv }): RendererKind {
  if (mode !== 'auto') return mode;
  if (!o.isTTY || truthy(o.env.CI) || o.env.TERM === 'dumb') return 'plain';
  return 'tty';
}

/** A renderer that turns each event into at most one chunk of text. */
export function lineSink(render: (e: DeployEvent) => string | undefined, write: (s: string) => void): ProgressSink {
  return {
    emit: (e) => {
      const line = render(e);
      if (line !== undefined) write(`${line}\n`);
    },
    close: async () => undefined,
  };
}

export interface SinkOptions {
  mode: ProgressMode;
  stream?: NodeJS.WriteStream;
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
  /** minimum time between two redraws of the Ink view */
  redrawMs?: number;
  /** how often elapsed times are refreshed without an event */
  tickMs?: number;
}

/** Events with user text (messages, reasons, names) made terminal-safe, for every renderer but JSON. */
function safeEvents(sink: ProgressSink): ProgressSink {
  return { ...sink, emit: (e) => sink.emit(terminalSafeDeep(e)) };
}

export async function createProgressSink(o: SinkOptions): Promise<ProgressSink> {
  const stream = o.stream ?? process.stderr;
  const kind = chooseRenderer(o.mode, { isTTY: stream.isTTY === true, env: o.env ?? process.env });
  const write = (s: string): void => {
    stream.write(s);
  };
  switch (kind) {
    case 'plain':
      return safeEvents(lineSink(plainRenderer(), write));
    case 'json':
      return lineSink(renderJson, write);
    case 'quiet':
      return safeEvents(lineSink(renderQuiet, write));
    case 'tty':
      return safeEvents(await ttySink(stream, o));
  }
}

async function ttySink(stream: NodeJS.WriteStream, o: SinkOptions): Promise<ProgressSink> {
  // NO_COLOR (no-color.org): Ink colours through chalk, which reads FORCE_COLOR when first loaded
  const env = o.env ?? process.env;
  if (env.NO_COLOR && process.env.FORCE_COLOR === undefined) process.env.FORCE_COLOR = '0';
  const { startLiveView } = await import('./tty/live-view.js');
  const now = o.now ?? (() => new Date());
  const redrawMs = o.redrawMs ?? 100;
  let state: ProgressState = initialState;
  const view = startLiveView(stream, state, now());
  let pending: NodeJS.Timeout | undefined;
  let last = 0;
  let closed = false;
  const draw = (): void => {
    pending = undefined;
    last = now().getTime();
    view.update(state, now());
  };
  const tick = setInterval(draw, o.tickMs ?? 1000);
  tick.unref();
  return {
    emit: (e) => {
      state = reduce(state, e);
      if (pending || closed) return;
      const wait = Math.max(0, last + redrawMs - now().getTime());
      pending = setTimeout(draw, wait);
    },
    close: async () => {
      if (closed) return;
      closed = true;
      clearInterval(tick);
      if (pending) clearTimeout(pending);
      draw();
      view.stop();
    },
  };
}
