/**
 * Simulated time. Everything the simulator reports (event timestamps, task times, log lines) is in
 * simulated milliseconds since the epoch. Work is scheduled at simulated times and run lazily: before
 * each request the scheduler runs every due action in (time, sequence) order, so a timeline depends
 * only on the scenario and on when requests arrive, never on timer jitter.
 */
export interface Clock {
  /** Simulated now, epoch milliseconds. */
  now(): number;
}

/** Wall clock scaled by `speed`: one wall second is `speed` simulated seconds. */
export class ScaledClock implements Clock {
  private readonly wallStart = Date.now();
  constructor(
    private readonly speed = 10,
    private readonly simStart = Date.now(),
  ) {}
  now(): number {
    return Math.floor(this.simStart + (Date.now() - this.wallStart) * this.speed);
  }
}

/** A clock that tests move by hand. */
export class ManualClock implements Clock {
  constructor(private t = Date.UTC(2026, 0, 1)) {}
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
  set(t: number): void {
    this.t = t;
  }
}

interface Job {
  at: number;
  seq: number;
  run: () => void;
}

export class Scheduler {
  /** Sorted by (at, seq). */
  private jobs: Job[] = [];
  private seq = 0;
  private running = false;
  private current: number | undefined;
  constructor(readonly clock: Clock) {}

  /** Simulated now: the due time of the job being run, else the clock. */
  now(): number {
    return this.current ?? this.clock.now();
  }

  at(time: number, run: () => void): void {
    const job = { at: time, seq: this.seq++, run };
    let lo = 0;
    let hi = this.jobs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.jobs[mid]!.at <= time) lo = mid + 1;
      else hi = mid;
    }
    this.jobs.splice(lo, 0, job);
  }

  after(delayMs: number, run: () => void): void {
    this.at(this.now() + Math.max(0, delayMs), run);
  }

  /** Run every job due by simulated now, in (time, sequence) order; new due jobs run too. */
  advance(): void {
    if (this.running) return;
    this.running = true;
    try {
      const now = this.clock.now();
      for (let guard = 0; guard < 1_000_000 && this.jobs.length > 0 && this.jobs[0]!.at <= now; guard++) {
        const job = this.jobs.shift()!;
        this.current = job.at;
        try {
          job.run();
        } finally {
          this.current = undefined;
        }
      }
    } finally {
      this.running = false;
    }
  }

  get pending(): number {
    return this.jobs.length;
  }

  clear(): void {
    this.jobs = [];
  }
}
