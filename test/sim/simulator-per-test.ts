/**
 * A fresh simulator for every test of the enclosing `describe`, on a manual clock, so that no
 * test sees another's stacks, calls or time.
 */
import { ManualClock, startSimulator, type Simulator, type SimulatorOptions } from './server.js';
import { clients } from './support.js';

export interface SimulatorFixture {
  /** The current test's simulator (the one `restart` started, after a restart). */
  readonly sim: Simulator;
  /** The manual clock the fixture made for this test; simulated time moves only when a test moves it. */
  readonly clock: ManualClock;
  /** Real SDK clients pointed at `sim`, made on first use. */
  readonly aws: ReturnType<typeof clients>;
  /** Moves simulated time on by `ms` in steps of `stepMs`; reading the state at each step runs what is due then. */
  run(ms: number, stepMs?: number): void;
  /**
   * Stops this test's simulator and starts another with `options` (default: on the fixture's clock);
   * the hook after the test stops the new one.
   */
  restart(options?: SimulatorOptions): Promise<void>;
}

/** Registers the hooks that start a simulator before each test and stop it after; call it inside a `describe`. */
export function simulatorPerTest(clientOptions: { maxAttempts?: number } = {}): SimulatorFixture {
  let sim: Simulator | undefined;
  let clock: ManualClock | undefined;
  let aws: ReturnType<typeof clients> | undefined;
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the simulator runs only inside a test (simulatorPerTest)');
    return value;
  };
  const fixture: SimulatorFixture = {
    get sim() {
      return started(sim);
    },
    get clock() {
      return started(clock);
    },
    get aws() {
      aws ??= clients(started(sim).url, clientOptions);
      return aws;
    },
    run(ms, stepMs = 1000) {
      for (let t = 0; t < ms; t += stepMs) {
        fixture.clock.advance(stepMs);
        void fixture.sim.state;
      }
    },
    async restart(options = { clock: fixture.clock }) {
      const previous = fixture.sim;
      sim = aws = undefined;
      await previous.stop();
      sim = await startSimulator(options);
    },
  };

  beforeEach(async () => {
    clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
    sim = await startSimulator({ clock });
  });
  afterEach(async () => {
    // whichever simulator is current: a test may have restarted it
    const current = sim;
    sim = clock = aws = undefined;
    await current?.stop();
  });
  return fixture;
}
