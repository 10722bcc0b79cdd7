/**
 * Spaces calls to an API with an account-wide quota. CloudWatch Logs allows 5 FilterLogEvents
 * requests per second per account and Region, shared by every user and tool; we take at most
 * `perSecond` (4 by default) so a colleague's console keeps some room.
 */
import type { Timing } from './timing.js';

export class RequestPacer {
  private next = Number.NEGATIVE_INFINITY;
  private readonly spacingMs: number;

  constructor(private readonly timing: Timing, perSecond = 4) {
    this.spacingMs = 1000 / perSecond;
  }

  /** Resolves when the next request may go; early when `signal` aborts. */
  async take(signal?: AbortSignal): Promise<void> {
    const now = this.timing.now().getTime();
    const at = Math.max(now, this.next);
    this.next = at + this.spacingMs;
    if (at > now) await this.timing.sleep(at - now, signal);
  }
}
