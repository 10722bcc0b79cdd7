/**
 * Benchmark row: `convertProject()` on generated 10, 100 and 1000-service projects, as a ratio to
 * `load()` of the same compose text, measured side by side in the same run (interleaved, median
 * of several runs), with the time per service (linear growth keeps it flat) and the process's
 * peak RSS. Target: convert adds under 2x the load time.
 *
 *   node --import tsx scripts/bench/convert.ts
 */
import { performance } from 'node:perf_hooks';
import { load } from '../../src/compose/load.js';
import type { FileReader } from '../../src/compose/model.js';
import { convertProject } from '../../src/convert/index.js';

const SIZES = [10, 100, 1000];
const RUNS = 7;
const DIR = '/bench';

/**
 * A project every converter module has work in: ports (one listener each), expose, networks,
 * depends_on, health checks, sizes, roles, a secret on every service, and on every tenth an EFS
 * volume and autoscaling.
 */
function composeText(services: number): string {
  const lines = ['name: bench', 'x-aws-logs_retention: 14', 'services:'];
  for (let i = 0; i < services; i++) {
    lines.push(
      `  svc${i}:`,
      `    image: registry.example.com/team/svc${i}:\${TAG:-latest}`,
      '    command: ["node", "server.js"]',
      '    environment:',
      `      - SERVICE_NAME=svc${i}`,
      '      - LOG_LEVEL=${LOG_LEVEL:-info}',
      '    ports:',
      `      - "${10000 + i}:${10000 + i}"`,
      '    expose: ["9090"]',
      '    healthcheck:',
      '      test: curl -f http://localhost/health',
      '      interval: 30s',
      '      retries: 3',
      '    deploy:',
      '      replicas: 2',
      '      resources:',
      '        limits: { cpus: "0.5", memory: 1G }',
      '    labels:',
      `      com.example.service: svc${i}`,
      `    networks: [${i % 2 === 0 ? 'front, back' : 'back'}]`,
      '    x-aws-policies: ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"]',
      '    secrets: [api_key]',
    );
    if (i > 0) lines.push(`    depends_on: [svc${i - 1}]`);
    if (i % 10 === 0) {
      lines.push(`    volumes: ["data${i}:/data"]`);
      // deploy is the last key written for the service above, so its x-aws key goes in under it
      const deploy = lines.lastIndexOf('    deploy:');
      lines.splice(deploy + 1, 0, '      x-aws-autoscaling: { max: 6, cpu: 70 }');
    }
  }
  lines.push('networks:', '  front: {}', '  back: {}', 'secrets:', '  api_key:', '    file: ./api_key.txt', 'volumes:');
  for (let i = 0; i < services; i += 10) lines.push(`  data${i}: {}`);
  lines.push('');
  return lines.join('\n');
}

function reader(text: string): FileReader {
  const file = `${DIR}/compose.yaml`;
  return { readFile: () => text, exists: (p) => p === file, realpath: (p) => p };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const loadProject = (text: string) => load({ cwd: DIR, env: { TAG: '1.0' }, reader: reader(text) });

// warm up the schema validator and the JIT outside the measurements
convertProject(loadProject(composeText(10)));

let perServiceAt10: number | undefined;
for (const size of SIZES) {
  const text = composeText(size);
  const loadTimes: number[] = [];
  const convertTimes: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    let t = performance.now();
    const project = loadProject(text);
    loadTimes.push(performance.now() - t);
    t = performance.now();
    const { template } = convertProject(project);
    convertTimes.push(performance.now() - t);
    if (!template.Resources[`Svc${size - 1}Service`]) throw new Error(`expected ${size} services in the template`);
  }
  const loadMs = median(loadTimes);
  const convertMs = median(convertTimes);
  const perService = (convertMs / size) * 1000;
  perServiceAt10 ??= perService;
  const rss = process.resourceUsage().maxRSS / 1024;
  const ok = convertMs / loadMs < 2 ? 'ok' : 'OVER TARGET';
  console.log(
    `compose convert ${String(size).padStart(5)} services ${(convertMs / loadMs).toFixed(2).padStart(6)}x load   (target < 2x, ${ok})   ` +
      `${convertMs.toFixed(1)} ms vs ${loadMs.toFixed(1)} ms; ${perService.toFixed(0)} us/service (${(perService / perServiceAt10).toFixed(2)}x the 10-service rate)   peak RSS ${Math.round(rss)} MB`,
  );
}
