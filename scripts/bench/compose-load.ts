/**
 * Benchmark row: `load()` on generated 10, 100 and 1000-service compose files, as a ratio to a
 * bare `yaml` parse of the same text, measured in the same run (interleaved, median of several
 * runs), with the process's peak RSS. Target: under 10x at 1000 services, growing linearly.
 *
 *   node --import tsx scripts/bench/compose-load.ts
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parse } from 'yaml';
import { load } from '../../src/compose/load.js';
import { nodeFileReader } from '../../src/compose/node-reader.js';

const SIZES = [10, 100, 1000];
const RUNS = 9;

function composeText(services: number): string {
  // No YAML aliases: yaml's own alias resolution rescans the document, which would make the
  // baseline quadratic and flatter the ratio. (Aliases are covered by the loader's tests.)
  const lines = ['name: bench', 'services:'];
  for (let i = 0; i < services; i++) {
    const dep = i > 0 ? `    depends_on:\n      svc${i - 1}:\n        condition: service_started\n` : '';
    lines.push(
      `  svc${i}:`,
      '    restart: unless-stopped',
      '    logging:',
      '      driver: awslogs',
      `    image: registry.example.com/team/svc${i}:\${TAG:-latest}`,
      '    command: ["node", "server.js", "--port", "8080"]',
      '    environment:',
      `      - SERVICE_NAME=svc${i}`,
      '      - LOG_LEVEL=${LOG_LEVEL:-info}',
      '      - DEBUG',
      '    ports:',
      `      - "${10000 + i}:8080"`,
      '    volumes:',
      '      - data:/data',
      '      - ./config:/etc/app:ro',
      '    healthcheck:',
      '      test: curl -f http://localhost:8080/health',
      '      interval: 30s',
      '      timeout: 5s',
      '      retries: 3',
      '    deploy:',
      '      replicas: 2',
      '      resources:',
      '        limits:',
      '          cpus: "0.5"',
      '          memory: 512M',
      '    labels:',
      `      com.example.service: svc${i}`,
      '    networks: [back]',
      '    x-aws-role:',
      '      Version: "2012-10-17"',
    );
    if (dep) lines.push(dep.trimEnd());
  }
  lines.push('networks:', '  back: {}', 'volumes:', '  data: {}', '');
  return lines.join('\n');
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const dir = mkdtempSync(join(tmpdir(), 'compose-bench-'));
try {
  // warm up the validator and the JIT once, outside the measurements
  writeFileSync(join(dir, 'compose.yaml'), composeText(10));
  load({ cwd: dir, env: {}, reader: nodeFileReader });

  for (const size of SIZES) {
    const text = composeText(size);
    writeFileSync(join(dir, 'compose.yaml'), text);
    const loadTimes: number[] = [];
    const parseTimes: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      let t = performance.now();
      parse(text);
      parseTimes.push(performance.now() - t);
      t = performance.now();
      const project = load({ cwd: dir, env: { TAG: '1.0' }, reader: nodeFileReader });
      loadTimes.push(performance.now() - t);
      if (Object.keys(project.services).length !== size) throw new Error(`expected ${size} services`);
    }
    const ratio = median(loadTimes) / median(parseTimes);
    const rss = process.resourceUsage().maxRSS / 1024;
    console.log(
      `compose load ${String(size).padStart(6)} services ${ratio.toFixed(1).padStart(6)}x yaml parse   ` +
        `(${median(loadTimes).toFixed(1)} ms vs ${median(parseTimes).toFixed(1)} ms)   peak RSS ${Math.round(rss)} MB`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
