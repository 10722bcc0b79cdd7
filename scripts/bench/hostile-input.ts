/**
 * Benchmark rows: the worst 10 MiB inputs we know (issue #20), each loaded and converted in a
 * fresh process (so its peak RSS is its own), as a ratio to a bare `yaml` parse of the same text
 * in the same run. Every row must end in bounded time: a template or one sentence.
 *
 *   node --import tsx scripts/bench/hostile-input.ts
 *
 * Worst cases: one mapping of ~620,000 keys (duplicate detection was quadratic in the yaml
 * library); ~1,000,000 aliases of a 4,000-character anchor (bounded at 20 MiB of text);
 * `${A:-` nested ~1,700,000 deep (recursion overflowed at a few thousand); a port range of every
 * port (refused before expansion).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';

const LIMIT = 10 * 1024 * 1024 - 4096;
const self = fileURLToPath(import.meta.url);

function cases(): Record<string, string> {
  const out: Record<string, string> = {};
  let keys = 'services:\n  a:\n    image: nginx\n    x-keys:\n';
  const lines: string[] = [];
  for (let i = 0, size = keys.length; size < LIMIT; i++) {
    const l = `      k${i}: v\n`;
    lines.push(l);
    size += l.length;
  }
  keys += lines.join('');
  out['one mapping of 10 MiB of keys'] = keys;
  const head = `x-a: &a "${'x'.repeat(4000)}"\nservices:\n  a:\n    image: nginx\n    x-list:\n`;
  out['10 MiB of aliases to a 4,000-char anchor'] = head + '      - *a\n'.repeat(Math.floor((LIMIT - head.length) / 11));
  const depth = Math.floor((LIMIT - 100) / 6);
  out['${A:- nested 10 MiB deep'] = `services:\n  a:\n    image: "${'${A:-'.repeat(depth)}x${'}'.repeat(depth)}"\n`;
  out['ports 1-65535:1-65535'] = 'services:\n  a:\n    image: nginx\n    ports: ["1-65535:1-65535"]\n';
  return out;
}

/** Child: load and convert one file, print {ms, rssMB, outcome}. */
async function child(file: string): Promise<void> {
  const { load } = await import('../../src/compose/load.js');
  const { nodeFileReader } = await import('../../src/compose/node-reader.js');
  const { convertProject } = await import('../../src/convert/index.js');
  const { UserError } = await import('../../src/errors.js');
  const t = performance.now();
  let outcome: string;
  try {
    const { template } = convertProject(load({ cwd: join(file, '..'), env: {}, files: [file], projectName: 'bench', reader: nodeFileReader }));
    outcome = `template of ${Object.keys(template.Resources).length} resources`;
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    outcome = `refused: ${e.message.slice(0, 60)}...`;
  }
  const ms = performance.now() - t;
  process.stdout.write(JSON.stringify({ ms, rssMB: Math.round(process.resourceUsage().maxRSS / 1024), outcome }));
}

function parent(): void {
  const dir = mkdtempSync(join(tmpdir(), 'hostile-bench-'));
  try {
    for (const [name, text] of Object.entries(cases())) {
      const file = join(dir, 'compose.yaml');
      writeFileSync(file, text);
      const t = performance.now();
      parseDocument(readFileSync(file, 'utf8'), { uniqueKeys: false });
      const parseMs = performance.now() - t;
      const r = spawnSync(process.execPath, ['--import', 'tsx', self, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
      if (r.status !== 0) throw new Error(`${name}: ${r.stderr}`);
      const m = JSON.parse(r.stdout) as { ms: number; rssMB: number; outcome: string };
      const mb = (Buffer.byteLength(text) / 1024 / 1024).toFixed(1);
      console.log(
        `hostile ${name.padEnd(42)} ${(m.ms / parseMs).toFixed(1).padStart(6)}x yaml parse   (${m.ms.toFixed(0)} ms vs ${parseMs.toFixed(0)} ms, ${mb} MiB)   peak RSS ${m.rssMB} MB   ${m.outcome}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2]) await child(process.argv[2]);
else parent();
