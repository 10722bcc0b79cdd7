/**
 * A CloudWatch Logs Live Tail session (StartLiveTail): a pushed stream of new log events, about
 * one update per second, at most 500 events per update (sampled above that), ending after three
 * hours with a SessionTimeoutException. The stream is read into a queue as soon as the session
 * starts, so events that arrive while history is still being printed are kept rather than left
 * in the server's small buffer (10 updates), which drops the oldest.
 */
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';

export interface LiveTailEvent {
  logStreamName: string;
  timestamp: number;
  ingestionTime?: number;
  message: string;
}

export type LiveItem =
  | { kind: 'events'; events: LiveTailEvent[]; sampled: boolean }
  | { kind: 'end'; reason: 'timeout' | 'aborted' }
  | { kind: 'end'; reason: 'error'; error: unknown };

export interface LiveSession {
  /** when the session started, by the injected clock */
  startedAt: number;
  next(): Promise<LiveItem>;
  close(): void;
}

export interface LiveTailRequest {
  logGroupArn: string;
  /** stream-name prefixes (`<project>/` or `<project>/<service>/`); at most 100 */
  prefixes: string[];
}

/** Why Live Tail could not start (denied, quota, unsupported endpoint...): the caller polls instead. */
export class LiveTailUnavailable extends Error {
  override readonly name = 'LiveTailUnavailable';
}

function describe(e: unknown): string {
  const err = e as { name?: string; message?: string };
  return [err?.name, err?.message].filter((s) => s && s !== 'Error').join(': ') || String(e);
}

export async function openLiveTail(logs: CloudWatchLogsClient, request: LiveTailRequest, signal: AbortSignal, now: () => number): Promise<LiveSession> {
  const { StartLiveTailCommand } = await import('@aws-sdk/client-cloudwatch-logs');
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  signal.addEventListener('abort', abort, { once: true });
  const close = (): void => {
    signal.removeEventListener('abort', abort);
    controller.abort();
  };
  let iterator: AsyncIterator<Record<string, unknown>>;
  try {
    const res = await logs.send(
      new StartLiveTailCommand({ logGroupIdentifiers: [request.logGroupArn], logStreamNamePrefixes: request.prefixes }),
      { abortSignal: controller.signal },
    );
    if (!res.responseStream) throw new LiveTailUnavailable('the response carried no event stream');
    iterator = (res.responseStream as AsyncIterable<Record<string, unknown>>)[Symbol.asyncIterator]();
    const first = await iterator.next();
    if (first.done || !first.value.sessionStart) {
      throw new LiveTailUnavailable(first.done ? 'the session ended before it started' : `the session began with ${Object.keys(first.value).join(', ')}`);
    }
  } catch (e) {
    close();
    if (e instanceof LiveTailUnavailable) throw e;
    throw new LiveTailUnavailable(describe(e));
  }
  const startedAt = now();

  const queue: LiveItem[] = [];
  let waiter: ((item: LiveItem) => void) | undefined;
  let ended = false;
  const push = (item: LiveItem): void => {
    if (ended) return;
    if (item.kind === 'end') ended = true;
    if (waiter) {
      const w = waiter;
      waiter = undefined;
      w(item);
    } else queue.push(item);
  };
  void (async () => {
    try {
      for (;;) {
        const r = await iterator.next();
        if (r.done) return push({ kind: 'end', reason: 'error', error: new Error('the Live Tail stream closed') });
        const v = r.value as {
          sessionUpdate?: { sessionResults?: { logStreamName?: string; timestamp?: number; ingestionTime?: number; message?: string }[]; sessionMetadata?: { sampled?: boolean } };
          SessionTimeoutException?: unknown;
          SessionStreamingException?: { message?: string };
        };
        if (v.sessionUpdate) {
          const events = (v.sessionUpdate.sessionResults ?? []).map((e) => ({
            logStreamName: e.logStreamName ?? '',
            timestamp: e.timestamp ?? 0,
            ...(e.ingestionTime !== undefined ? { ingestionTime: e.ingestionTime } : {}),
            message: e.message ?? '',
          }));
          if (events.length > 0) push({ kind: 'events', events, sampled: v.sessionUpdate.sessionMetadata?.sampled === true });
        } else if (v.SessionTimeoutException) {
          return push({ kind: 'end', reason: 'timeout' });
        } else if (v.SessionStreamingException) {
          return push({ kind: 'end', reason: 'error', error: new Error(`SessionStreamingException: ${v.SessionStreamingException.message ?? 'unknown error'}`) });
        }
      }
    } catch (e) {
      push(signal.aborted ? { kind: 'end', reason: 'aborted' } : { kind: 'end', reason: 'error', error: e });
    }
  })();

  return {
    startedAt,
    close,
    next: () => {
      if (queue.length > 0) return Promise.resolve(queue.shift()!);
      if (signal.aborted || ended) return Promise.resolve({ kind: 'end', reason: 'aborted' } as LiveItem);
      return new Promise<LiveItem>((resolve) => {
        const onAbort = (): void => {
          waiter = undefined;
          resolve({ kind: 'end', reason: 'aborted' });
        };
        signal.addEventListener('abort', onAbort, { once: true });
        waiter = (item) => {
          signal.removeEventListener('abort', onAbort);
          resolve(item);
        };
      });
    },
  };
}
