// `npm run bench`: every measurement side by side in one run, printed as ratios (timings on
// these shared machines are noisy; ratios measured together are not). Rows from the other
// areas live in scripts/bench/*.ts and are run after the start-up rows.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
process.chdir(root);
const only = process.argv[2];

function run(cmd, args, env) {
  const r = spawnSync(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
}

/** Interleaved runs of each command, median wall time in ms. */
function medians(cases, rounds) {
  const times = cases.map(() => []);
  for (let i = 0; i < rounds; i++) {
    cases.forEach((c, j) => {
      const t0 = process.hrtime.bigint();
      run(c.cmd, c.args, c.env);
      times[j].push(Number(process.hrtime.bigint() - t0) / 1e6);
    });
  }
  return times.map((t) => t.sort((a, b) => a - b)[Math.floor(t.length / 2)]);
}

function row(label, ratio, target, detail) {
  const ok = ratio <= target ? 'ok' : 'OVER TARGET';
  console.log(`${label.padEnd(52)} ${ratio.toFixed(2).padStart(6)}x   (target <= ${target}x, ${ok})   ${detail}`);
}

function startupRows() {
  const withPlugin = mkdtempSync(join(tmpdir(), 'bench-docker-'));
  const without = mkdtempSync(join(tmpdir(), 'bench-docker-'));
  // the least any plugin can cost docker: a two-line sh script that prints the metadata
  const minimal = mkdtempSync(join(tmpdir(), 'bench-docker-'));
  mkdirSync(join(minimal, 'cli-plugins'));
  writeFileSync(join(minimal, 'cli-plugins', 'docker-ecs'), `#!/bin/sh\nprintf '%s\\n' '{"SchemaVersion":"0.1.0","Vendor":"docker-ecs"}'\n`);
  chmodSync(join(minimal, 'cli-plugins', 'docker-ecs'), 0o755);
  // NODE_EXTRA_CA_CERTS unset on both sides: these machines set it, a user's machine does not,
  // and it adds ~80 ms of certificate parsing to every Node start, which hides how slow our
  // start is (a ratio of 3.1x measured with it was 6.5x without it).
  const base = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  delete base.NODE_EXTRA_CA_CERTS;
  const example = join(root, 'examples', 'shop');
  try {
    run(process.execPath, ['scripts/install-plugin.mjs', 'install'], { ...base, DOCKER_CONFIG: withPlugin });
    const [helpWith, helpWithout, helpMinimal] = medians(
      [
        { cmd: 'docker', args: ['help'], env: { ...base, DOCKER_CONFIG: withPlugin } },
        { cmd: 'docker', args: ['help'], env: { ...base, DOCKER_CONFIG: without } },
        { cmd: 'docker', args: ['help'], env: { ...base, DOCKER_CONFIG: minimal } },
      ],
      // docker help is short (~20 ms) and its ratio is within a few % of 1: many rounds
      150,
    );
    row('docker help: plugin installed vs not', helpWith / helpWithout, 1.1, `${helpWith.toFixed(1)} ms vs ${helpWithout.toFixed(1)} ms`);
    // what docker itself spends on any plugin (exec, wait, parse): our launcher against the floor
    row('docker help: plugin vs a minimal sh plugin', helpWith / helpMinimal, 1.1, `${helpWith.toFixed(1)} ms vs ${helpMinimal.toFixed(1)} ms`);
    const [ecsHelp, convert, bareNode] = medians(
      [
        { cmd: 'docker', args: ['ecs', '--help'], env: { ...base, DOCKER_CONFIG: withPlugin } },
        { cmd: 'docker', args: ['ecs', 'compose', '-f', join(example, 'compose.yaml'), 'convert'], env: { ...base, DOCKER_CONFIG: withPlugin } },
        { cmd: process.execPath, args: ['-e', '0'], env: base },
      ],
      15,
    );
    row('docker ecs --help vs node -e 0', ecsHelp / bareNode, 3, `${ecsHelp.toFixed(0)} ms vs ${bareNode.toFixed(0)} ms`);
    row('docker ecs compose convert (examples/shop) vs node -e 0', convert / bareNode, 4, `${convert.toFixed(0)} ms vs ${bareNode.toFixed(0)} ms`);
  } finally {
    rmSync(withPlugin, { recursive: true, force: true });
    rmSync(without, { recursive: true, force: true });
    rmSync(minimal, { recursive: true, force: true });
  }
}

run(process.execPath, ['scripts/build.mjs'], process.env);
console.log('docker-ecs benchmarks (medians of interleaved runs; ratios are what to compare)\n');
if (!only || only === 'startup') startupRows();
const dir = join(root, 'scripts', 'bench');
const rows = readdirSync(dir, { withFileTypes: true })
  .filter((e) => e.isFile() && /\.(ts|mjs)$/.test(e.name))
  .map((e) => e.name)
  .sort();
for (const file of rows) {
  if (only && !file.startsWith(only)) continue;
  const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  delete env.NODE_EXTRA_CA_CERTS; // as above: a user's machine does not set it
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(dir, file)], { stdio: 'inherit', env });
  if (r.status !== 0) console.log(`${file}: failed with exit code ${r.status}`);
}
