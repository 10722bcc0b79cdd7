/**
 * The one throttling back-off of every poller: a throttled call is not an error, it makes the
 * next wait longer (the jittered interval doubled per consecutive throttle, capped, timing.ts
 * `nextDelay`); a call that succeeds resets it. Pollers that block wait `retryInMs`; pollers that
 * run inside another loop skip their rounds while `resting`.
 */
import { isThrottling } from './clients.js';
import { DEFAULT_POLL_INTERVAL, nextDelay, type PollInterval, type Timing } from './timing.js';

export type Attempt<T> = { ok: true; value: T } | { ok: false; retryInMs: number };

export class Backoff {
  private throttles = 0;
  private resumeAt = 0;

  constructor(
    private readonly timing: Timing,
    private readonly interval: PollInterval = DEFAULT_POLL_INTERVAL,
  ) {}

  /** True while a poller that skips rounds should skip this one. */
  get resting(): boolean {
    return this.timing.now().getTime() < this.resumeAt;
  }

  /** Runs one call: its value, or how long to wait when AWS throttled it. Other errors are thrown. */
  async attempt<T>(call: () => Promise<T>): Promise<Attempt<T>> {
    try {
      const value = await call();
      this.throttles = 0;
      return { ok: true, value };
    } catch (e) {
      if (!isThrottling(e)) throw e;
      this.throttles++;
      const retryInMs = nextDelay(this.interval, this.throttles, this.timing.random);
      this.resumeAt = this.timing.now().getTime() + retryInMs;
      return { ok: false, retryInMs };
    }
  }

  /** The wait before the next regular poll: the jittered interval. */
  pause(): number {
    return nextDelay(this.interval, 0, this.timing.random);
  }
}
