// Real SDK clients and a watcher clock for tests of aws/ against the in-process simulator.
import type { ManualClock } from '../sim/server.js';
import type { SimulatorFixture } from '../sim/simulator-per-test.js';
import type { AwsClients } from '../../src/aws/clients.js';
import type { Timing } from '../../src/aws/timing.js';
import type { ConvertedTemplate, UpDeps } from '../../src/aws/deploy.js';
import type { Template } from '../../src/cloudformation/template.js';
import { awsClientsOf, sdkClients } from './sdk-clients.js';

export function simClients(url: string): AwsClients {
  // one attempt: retries and their backoff are the watcher's business in these tests
  const cfg = { endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDSIM', secretAccessKey: 'sim' }, maxAttempts: 1 };
  return awsClientsOf('us-east-1', sdkClients(cfg, { s3: { forcePathStyle: true }, logs: { disableHostPrefix: true } }));
}

/** The watcher's clock is the simulator's: every sleep moves simulated time on. */
export function simTiming(clock: ManualClock): Timing {
  return {
    now: () => new Date(clock.now()),
    sleep: async (ms) => {
      clock.advance(Math.max(ms, 1));
    },
    random: () => 0.5,
  };
}

/**
 * `up`'s dependencies against the test's simulator: its clients, and the watcher sleeping on its
 * clock, polling events and rollouts every 1-2 s and a busy stack every 5 s of simulated time.
 */
export function simUpDeps(fixture: SimulatorFixture, convert: UpDeps['convert']): UpDeps {
  return {
    clients: simClients(fixture.sim.url),
    convert,
    timing: simTiming(fixture.clock),
    interval: { minMs: 1000, maxMs: 2000 },
    busyInterval: { minMs: 5000, maxMs: 5000 },
  };
}

/**
 * The simulator's app template as the converter would hand it to `up`: the `Web*` resources marked
 * as made for compose service `web` (resource Metadata, as convert/fragment.ts `ownedBy` writes it).
 */
export function ownedByWeb(body: string): ConvertedTemplate {
  const template = JSON.parse(body) as Template;
  for (const [id, r] of Object.entries(template.Resources)) {
    if (id.startsWith('Web')) r.Metadata = { ...r.Metadata, 'com.docker.compose.service': 'web' };
  }
  return { body: JSON.stringify(template), parameters: {}, template };
}
