// `node scripts/bench-instructions.mjs`: the start-up rows of `npm run bench` counted in CPU
// instructions (valgrind's callgrind, every thread of the process) instead of milliseconds, so
// that the ratios do not move with the load of a shared machine. It counts Node only, not the
// docker client in front of it (Go under valgrind is not reliable), with NODE_EXTRA_CA_CERTS
// unset as in the timed rows. Slow: each run takes 10-40 s under valgrind.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
if (spawnSync('valgrind', ['--version']).status !== 0) {
  console.log('bench-instructions: valgrind is not installed; nothing measured');
  process.exit(0);
}
const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
delete env.NODE_EXTRA_CA_CERTS;
delete env.NODE_OPTIONS;
const main = join(root, 'dist', 'cli', 'main.cjs');

function instructions(args) {
  const r = spawnSync('valgrind', ['--tool=callgrind', '--callgrind-out-file=/dev/null', process.execPath, ...args], { cwd: root, env, encoding: 'utf8', maxBuffer: 64 << 20 });
  const m = /Collected : (\d+)/.exec(r.stderr);
  if (!m) throw new Error(`valgrind ${args.join(' ')}: no count (exit ${r.status}): ${r.stderr.slice(-500)}`);
  return Number(m[1]);
}

const bare = instructions(['-e', '0']);
const rows = [
  ['docker-ecs --help vs node -e 0', ['--', main, '--help'], 3],
  ['docker-ecs compose convert (examples/shop) vs node -e 0', ['--', main, 'compose', '-f', 'examples/shop/compose.yaml', 'convert'], 4],
];
console.log(`node -e 0: ${(bare / 1e6).toFixed(0)} M instructions`);
for (const [label, args, target] of rows) {
  const n = instructions(args);
  console.log(`${label.padEnd(56)} ${(n / bare).toFixed(2).padStart(5)}x   (${(n / 1e6).toFixed(0)} M; the timed row's target is ${target}x with docker in front)`);
}
