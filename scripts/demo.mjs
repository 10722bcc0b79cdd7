// `npm run demo`: the whole flow on the example shop with no AWS account. It starts the local
// AWS simulator (test/sim), creates a throwaway docker config with the plugin and an ECS
// context that takes credentials from the environment, then runs what a user would type:
// up (with the live progress view on a terminal), ps, logs, down. Nothing outside a temporary
// folder is touched.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const example = join(root, 'examples', 'shop');
const dir = mkdtempSync(join(tmpdir(), 'docker-ecs-demo-'));

const sim = spawn(process.execPath, ['--import', 'tsx', join(root, 'test', 'sim', 'main.ts'), '--port', '0'], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'inherit'],
});
const endpoint = await new Promise((resolve, reject) => {
  const lines = createInterface({ input: sim.stdout });
  lines.once('line', (line) => resolve(line.replace(/^AWS_ENDPOINT_URL=/, '')));
  sim.once('exit', (code) => reject(new Error(`the simulator exited with code ${code}`)));
});

const env = {
  ...process.env,
  DOCKER_CONFIG: join(dir, 'docker'),
  AWS_ENDPOINT_URL: endpoint,
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'AKIDDEMO',
  AWS_SECRET_ACCESS_KEY: 'demo-not-a-secret',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};
for (const k of ['DOCKER_CONTEXT', 'DOCKER_HOST', 'AWS_PROFILE', 'AWS_SESSION_TOKEN', 'COMPOSE_FILE', 'COMPOSE_PROJECT_NAME']) delete env[k];

function step(title, args) {
  console.log(`\n$ docker ${args.join(' ')}    # ${title}`);
  const r = spawnSync('docker', args, { cwd: example, env, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`docker ${args.join(' ')} exited with ${r.status}`);
}

let failed = false;
try {
  console.log(`Local AWS simulator at ${endpoint}; docker config in ${env.DOCKER_CONFIG}`);
  const install = spawnSync(process.execPath, [join(root, 'scripts', 'install-plugin.mjs'), 'install'], { env, stdio: 'inherit' });
  if (install.status !== 0) throw new Error('installing the plugin failed');
  step('an ECS context whose credentials come from the environment', ['ecs', 'context', 'create', 'demo', '--from-env']);
  step('select it', ['context', 'use', 'demo']);
  step('deploy the example shop', ['ecs', 'compose', 'up']);
  step('its tasks', ['ecs', 'compose', 'ps']);
  step('a few log lines of each service', ['ecs', 'compose', 'logs', '--tail', '3']);
  step('the deployed projects', ['ecs', 'compose', 'ls']);
  step('tear it down (the database volume is kept)', ['ecs', 'compose', 'down']);
} catch (e) {
  failed = true;
  console.error(`\nThe demo stopped: ${e.message}`);
} finally {
  sim.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
