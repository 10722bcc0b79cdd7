/**
 * Time and randomness, injected so that pollers run in tests with a fake clock and zero waits.
 */
export interface Timing {
  now(): Date;
  /** Resolves after `ms`, or at once when `signal` aborts (never rejects). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** in [0, 1) */
  random(): number;
}

export const realTiming: Timing = {
  now: () => new Date(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted || ms <= 0) return resolve();
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
    }),
  random: () => Math.random(),
};

/** Polling interval with jitter: a value in [minMs, maxMs]. */
export interface PollInterval {
  minMs: number;
  maxMs: number;
}

export const DEFAULT_POLL_INTERVAL: PollInterval = { minMs: 1000, maxMs: 2000 };
/** Throttled pollers double their wait per consecutive throttle, up to this. */
export const MAX_BACKOFF_MS = 32_000;

/** The wait before the next poll: jittered interval, doubled per consecutive throttle, capped. */
export function nextDelay(interval: PollInterval, throttles: number, random: () => number): number {
  const base = interval.minMs + random() * (interval.maxMs - interval.minMs);
  if (throttles === 0) return base;
  const backoff = Math.min(MAX_BACKOFF_MS, Math.max(interval.maxMs, 1000) * 2 ** throttles);
  return backoff / 2 + random() * (backoff / 2);
}
