// Bench row: what the opt-in `docker` wrapper (docker ecs integration) adds to every docker call.
// `docker version --format x` through the wrapper (its folder first on PATH) vs the real docker
// found on PATH directly; interleaved runs, medians. No engine is needed: both print "x" and
// fail the same way to reach a daemon, and both exit statuses must agree.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installIntegration } from '../../src/docker/integration.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const ROUNDS = 40;
const configDir = mkdtempSync(join(tmpdir(), 'bench-wrapper-'));
try {
  const paths = installIntegration(configDir, {
    wrapperSource: join(root, 'plugin-metadata', 'docker'),
    shimSource: join(root, 'plugin-metadata', 'docker-compose'),
    ecsPlugin: join(root, 'plugin-metadata', 'docker-ecs'),
  });
  const base = { ...process.env, DOCKER_CONFIG: configDir, DOCKER_HOST: 'unix:///nonexistent/docker.sock' };
  const cases = [
    { env: { ...base, PATH: `${paths.binDir}:${process.env.PATH}` } },
    { env: base },
  ];
  const times: number[][] = cases.map(() => []);
  const codes = new Set<string>();
  for (let i = 0; i < ROUNDS + 3; i++) {
    cases.forEach((c, j) => {
      const t0 = process.hrtime.bigint();
      const r = spawnSync('docker', ['version', '--format', 'x'], { env: c.env, encoding: 'utf8' });
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      codes.add(`${j}:${r.status}:${r.stdout.trim()}`);
      if (i >= 3) times[j]!.push(ms); // the first rounds warm the page cache
    });
  }
  const median = (t: number[]): number => t.sort((a, b) => a - b)[Math.floor(t.length / 2)]!;
  const [wrapped, direct] = times.map(median) as [number, number];
  const same = new Set([...codes].map((c) => c.slice(2))).size === 1;
  const ratio = wrapped / direct;
  const ok = ratio <= 1.1 && same ? 'ok' : same ? 'OVER TARGET' : 'EXIT STATUS OR OUTPUT DIFFERS';
  console.log(
    `${'docker version via the integration wrapper vs direct'.padEnd(52)} ${ratio.toFixed(2).padStart(6)}x   (target <= 1.1x, ${ok})   ${wrapped.toFixed(1)} ms vs ${direct.toFixed(1)} ms, +${(wrapped - direct).toFixed(1)} ms, median of ${ROUNDS}`,
  );
} finally {
  rmSync(configDir, { recursive: true, force: true });
}
