// `node scripts/bench-profile.mjs [ARGS...]`: where the start-up time of `docker ecs ARGS` goes.
// Runs the built CLI under `node --cpu-prof` (NODE_EXTRA_CA_CERTS unset, as on a user's machine)
// and prints the top entries by self time, grouped by function and by package/file.
// Default ARGS: --help. Example: node scripts/bench-profile.mjs compose -f examples/shop/compose.yaml convert
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2).length ? process.argv.slice(2) : ['--help'];
const dir = mkdtempSync(join(tmpdir(), 'docker-ecs-prof-'));
const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
delete env.NODE_EXTRA_CA_CERTS;
const r = spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', '100', '--', join(root, 'dist/cli/main.cjs'), ...args], { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
if (r.status !== 0) console.log(`(exit ${r.status})`);
const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
const profile = JSON.parse(readFileSync(join(dir, file), 'utf8'));
rmSync(dir, { recursive: true, force: true });

// self time per node: samples x interval
const counts = new Map();
for (const id of profile.samples) counts.set(id, (counts.get(id) ?? 0) + 1);
const totalUs = profile.endTime - profile.startTime;
const perSample = totalUs / profile.samples.length;
const byFunction = new Map();
const byModule = new Map();
const moduleOf = (url) => {
  if (!url) return '(native / V8)';
  const rel = url.replace(`file://${root}`, '');
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(rel);
  if (m) return m[1];
  if (rel.startsWith('node:')) return rel;
  return rel;
};
for (const n of profile.nodes) {
  const us = (counts.get(n.id) ?? 0) * perSample;
  if (!us) continue;
  const f = n.callFrame;
  const fn = `${f.functionName || '(anonymous)'} ${moduleOf(f.url)}${f.url ? `:${f.lineNumber + 1}` : ''}`;
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
  const mod = moduleOf(f.url);
  byModule.set(mod, (byModule.get(mod) ?? 0) + us);
}
// inclusive time per function: self time of the node and everything it called (a function on
// the stack twice is counted once)
const children = new Map(profile.nodes.map((n) => [n.id, n.children ?? []]));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const inclusive = new Map();
const label = (n) => `${n.callFrame.functionName || '(anonymous)'} ${moduleOf(n.callFrame.url)}${n.callFrame.url ? `:${n.callFrame.lineNumber + 1}` : ''}`;
function walk(id, onStack) {
  const n = byId.get(id);
  const l = label(n);
  let total = (counts.get(id) ?? 0) * perSample;
  const fresh = !onStack.has(l);
  if (fresh) onStack.add(l);
  for (const c of children.get(id)) total += walk(c, onStack);
  if (fresh) {
    onStack.delete(l);
    inclusive.set(l, (inclusive.get(l) ?? 0) + total);
  }
  return total;
}
walk(profile.nodes[0].id, new Set());
const top = (m, n) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, n);
console.log(`docker ecs ${args.join(' ')}: ${(totalUs / 1000).toFixed(0)} ms profiled`);
console.log('\ntop by file or package (self time):');
for (const [k, us] of top(byModule, 12)) console.log(`  ${(us / 1000).toFixed(1).padStart(7)} ms  ${k}`);
console.log('\ntop functions (self time):');
for (const [k, us] of top(byFunction, 15)) console.log(`  ${(us / 1000).toFixed(1).padStart(7)} ms  ${k}`);
if (process.env.PROFILE_INCLUSIVE) {
  console.log('\ntop functions (inclusive time):');
  for (const [k, us] of top(inclusive, Number(process.env.PROFILE_INCLUSIVE) || 30)) console.log(`  ${(us / 1000).toFixed(1).padStart(7)} ms  ${k}`);
}
