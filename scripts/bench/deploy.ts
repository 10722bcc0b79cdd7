// Deploy watching against the local AWS simulator, with the real SDK over HTTP and the default
// 1-2 s polling: how late an event is shown after CloudFormation wrote it, how many API calls a
// minute the watch costs, and how long after the stack's final state the command returns.
// The simulator runs 4x faster than wall time; every figure below is in wall time.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSimulator } from '../../test/sim/server.js';
import { createAwsClients } from '../../src/aws/clients.js';
import { up, down } from '../../src/aws/deploy.js';
import type { DeployEvent } from '../../src/aws/events.js';
import { load } from '../../src/compose/load.js';
import { nodeFileReader } from '../../src/compose/node-reader.js';
import { convertProject, secretParameterInputs } from '../../src/convert/index.js';
import { renderTemplate } from '../../src/cloudformation/serialize.js';

const SPEED = 4;
const root = fileURLToPath(new URL('../..', import.meta.url));
const sim = await startSimulator({ speed: SPEED });
process.env.AWS_ENDPOINT_URL = sim.url;
const clients = createAwsClients({ region: 'us-east-1' }, { ...process.env, AWS_ACCESS_KEY_ID: 'AKIDBENCH', AWS_SECRET_ACCESS_KEY: 'bench' });
process.env.AWS_ACCESS_KEY_ID = 'AKIDBENCH';
process.env.AWS_SECRET_ACCESS_KEY = 'bench';

const project = load({ cwd: join(root, 'examples', 'shop'), env: {}, reader: nodeFileReader });
const secretValues = Object.fromEntries(secretParameterInputs(project).map((i) => [i.parameter, readFileSync(i.file, 'utf8')]));
const latencies: number[] = [];
let lastEventSimTime = 0;
const emit = (e: DeployEvent) => {
  if ((e.kind === 'resource' || e.kind === 'stack') && e.timestamp) {
    const written = Date.parse(e.timestamp);
    latencies.push((sim.now() - written) / SPEED / 1000);
    if (e.kind === 'stack') lastEventSimTime = written;
  }
};
const started = Date.now();
await up(
  { project: project.name, secretValues },
  {
    clients,
    convert: (env) => {
      const { template } = convertProject(project, { environment: { vpcId: env.vpcId, subnetIds: env.subnetIds, subnetsByZone: env.subnetsByZone, existingFileSystems: env.retainedFileSystems } });
      return { body: renderTemplate(template, 'json'), parameters: {}, template };
    },
  },
  emit,
);
const returnedSim = sim.now();
const minutes = (Date.now() - started) / 60_000;
const calls = sim.calls.length;
const resources = Object.keys(convertProject(project).template.Resources).length;
latencies.sort((a, b) => a - b);
const median = latencies[Math.floor(latencies.length / 2)]!;
const p90 = latencies[Math.floor(latencies.length * 0.9)]!;
const exitDelay = (returnedSim - lastEventSimTime) / SPEED / 1000;
console.log(`up: event written -> shown, median (${resources} resources)      ${median.toFixed(2)} s   p90 ${p90.toFixed(2)} s   (target median < 2 s)`);
console.log(`up: API calls per minute while watching          ${(calls / minutes).toFixed(0)} calls/min   (${calls} calls in ${(minutes * 60).toFixed(1)} s)`);
console.log(`up: final stack state -> command returns         ${exitDelay.toFixed(2)} s   (target <= one poll interval, 2 s; includes the ECS steady-state check)`);
await down({ project: project.name }, { clients }, () => undefined);
await sim.stop();
