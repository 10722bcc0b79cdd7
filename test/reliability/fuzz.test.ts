/**
 * Seeded fuzz test of the promise: for any compose input, `convert` gives a template that passes
 * our validations (resource specification, AWS limits), or one clean sentence (a UserError whose
 * message is one line); never the top-level "Unexpected error" (any other exception), and in
 * bounded time. Cases are structural and textual mutations of the shipped example, the corpus
 * beside the repository (when present) and a few hostile seeds; the seed is fixed, so a failure
 * names a case that replays the same way.
 *
 *   FUZZ_SEED=7 FUZZ_CASES=2000 npx mocha test/reliability/fuzz.test.ts
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect } from 'chai';
import { parse, stringify } from 'yaml';
import { UserError } from '../../src/errors.js';
import { load } from '../../src/compose/load.js';
import { convertProject } from '../../src/convert/index.js';
import { DEFAULT_FILES } from '../../src/compose/files.js';
import { memoryReader, repoRoot } from '../compose/helpers.js';
import { validateTemplate } from '../support/cfn-spec.js';
import { recordForLint } from '../support/cfn-lint.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20);
const CASES = Number(process.env.FUZZ_CASES ?? 300);
/** per case; a case is a few KB, so anything slower is a blow-up */
const CASE_BUDGET_MS = 10_000;

/** mulberry32: small, seeded, the same on every machine */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOSTILE_SEEDS = [
  'services:\n  web:\n    image: nginx\n    ports: ["80:80", "443:443"]\n    deploy: {replicas: 2, resources: {limits: {cpus: "0.5", memory: 512M}}}\n    x-aws-autoscaling: {min: 1, max: 3, cpu: 70}\n',
  'x-base: &base\n  image: nginx\n  environment: {A: "${A:-x}"}\nservices:\n  a: *base\n  b:\n    <<: *base\n    gpus: [{count: 1}]\n',
  'services:\n  db:\n    image: postgres\n    secrets: [pw]\n    volumes: [data:/var/lib/postgresql/data]\n    healthcheck: {test: ["CMD", "pg_isready"], interval: 10s}\n  api:\n    image: api\n    depends_on: {db: {condition: service_healthy}}\n    expose: ["8080"]\nsecrets:\n  pw:\n    file: ./pw.txt\nvolumes:\n  data: {}\n',
];

const VALUES: unknown[] = [
  null, '', 0, -1, 65536, 1e999, '0:0', '1-65535:1-65535', '80-90:80-90', '-1s', '1h', '${A:-${B:-x}}', '${X:?boom\nline}', '$', '$$',
  '__proto__', 'constructor', 'toString', '\u001b]2;pwned\u0007\u001b[2J', '\u202eevil', 'a\u0000b', 'x'.repeat(300), [], {}, [{}], [{ count: 1 }],
  [{ target: 'x' }], { __proto__: null }, true, 'all', '/dev/zero', '.', '..', 'nginx', ['CMD', 'true'], { a: { b: { c: 1 } } }, 'service:web',
];
const KEYS = ['__proto__', 'constructor', 'x-aws-role', 'ports', 'gpus', 'secrets', 'configs', 'env_file', 'extends', 'include', 'stop_grace_period', 'deploy', 'networks', 'volumes', 'image', 'expose', 'profiles', 'depends_on'];
const SNIPPETS = ['${', '}', '*a', '&a ', ': ', '- ', '"', "'", '\n', '\t', '#', '!!timestamp ', '!reset ', '<<: ', '---\n', '{', '[', '\u001b[31m', '\u0000', '\\'];

function pick<T>(r: () => number, items: readonly T[]): T {
  return items[Math.floor(r() * items.length)]!;
}

/** Every container (mapping or list) of a parsed tree, with a way to set one of its entries. */
function containers(node: unknown, out: (Record<string, unknown> | unknown[])[] = []): (Record<string, unknown> | unknown[])[] {
  if (node !== null && typeof node === 'object') {
    out.push(node as Record<string, unknown>);
    for (const v of Object.values(node as object)) containers(v, out);
  }
  return out;
}

function structural(r: () => number, text: string): string {
  let tree: unknown;
  try {
    tree = parse(text, { merge: true, maxAliasCount: -1, logLevel: 'error' });
  } catch {
    return text;
  }
  const all = containers(tree);
  if (all.length === 0) return text;
  for (let n = 1 + Math.floor(r() * 3); n > 0; n--) {
    const c = pick(r, all);
    const keys = Object.keys(c);
    const action = r();
    if (Array.isArray(c)) {
      if (action < 0.4 && c.length > 0) c.splice(Math.floor(r() * c.length), 1);
      else c.push(pick(r, VALUES));
    } else if (action < 0.3 && keys.length > 0) {
      delete c[pick(r, keys)];
    } else if (action < 0.6 && keys.length > 0) {
      c[pick(r, keys)] = pick(r, VALUES);
    } else if (action < 0.8) {
      Object.defineProperty(c, pick(r, KEYS), { value: pick(r, VALUES), enumerable: true, writable: true, configurable: true });
    } else if (keys.length > 0) {
      // a second copy of an entry under a hostile or longer name
      const k = pick(r, keys);
      Object.defineProperty(c, r() < 0.5 ? pick(r, KEYS) : `${k}${'x'.repeat(Math.floor(r() * 240))}`, { value: c[k], enumerable: true, writable: true, configurable: true });
    }
  }
  try {
    return stringify(tree, { aliasDuplicateObjects: false });
  } catch {
    return text;
  }
}

function textual(r: () => number, text: string): string {
  const lines = text.split('\n');
  for (let n = 1 + Math.floor(r() * 3); n > 0; n--) {
    const i = Math.floor(r() * lines.length);
    const action = r();
    if (action < 0.25) lines.splice(i, 1);
    else if (action < 0.5) lines.splice(i, 0, lines[Math.floor(r() * lines.length)] ?? '');
    else {
      const line = lines[i] ?? '';
      const at = Math.floor(r() * (line.length + 1));
      lines[i] = line.slice(0, at) + pick(r, SNIPPETS) + line.slice(at);
    }
  }
  return lines.join('\n');
}

function seeds(): { name: string; text: string }[] {
  const out = [{ name: 'examples/shop', text: readFileSync(join(repoRoot, 'examples', 'shop', 'compose.yaml'), 'utf8') }];
  HOSTILE_SEEDS.forEach((text, i) => out.push({ name: `hostile-${i}`, text }));
  const corpus = resolve(repoRoot, '..', 'shared', 'corpus');
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir).sort()) {
      const p = join(dir, entry);
      if (!statSync(p).isDirectory()) continue;
      const f = DEFAULT_FILES.find((d) => existsSync(join(p, d)));
      if (f) out.push({ name: p.slice(corpus.length + 1), text: readFileSync(join(p, f), 'utf8') });
      walk(p);
    }
  };
  walk(corpus);
  return out;
}

interface Outcome {
  kind: 'template' | 'refused';
  detail: string;
}

/** The promise for one input: a valid template, or one clean sentence. Throws on a broken promise. */
function convertOnce(text: string): Outcome {
  const reader = memoryReader({ 'compose.yaml': text, 'pw.txt': 'secret\n' });
  try {
    const project = load({ cwd: '/project', env: { HOME: '/home/user' }, projectName: 'fuzz', reader });
    const { template } = convertProject(project);
    const problems = validateTemplate(template);
    if (problems.length > 0) throw new Error(`template does not match the resource specification: ${problems.slice(0, 3).join('; ')}`);
    recordForLint(template);
    return { kind: 'template', detail: `${Object.keys(template.Resources).length} resources` };
  } catch (e) {
    if (!(e instanceof UserError)) throw new Error(`not a clean sentence (the CLI would print "Unexpected error"): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    const line = e.display();
    if (line.trim() === '') throw new Error('an empty message');
    if (line.includes('test reader: no file')) return { kind: 'refused', detail: line };
    return { kind: 'refused', detail: line };
  }
}

describe('fuzz: the promise holds for mutated compose files', function () {
  this.timeout(120_000);
  // the resource specification loads once (about a second); not part of any case's time
  before(() => convertOnce(HOSTILE_SEEDS[0]!));

  it(`holds for ${CASES} seeded mutations (seed ${SEED}) of the example, the corpus and hostile seeds`, () => {
    const r = rng(SEED);
    const pool = seeds();
    const started = Date.now();
    const counts = { template: 0, refused: 0 };
    for (let i = 0; i < CASES; i++) {
      const seed = pick(r, pool);
      let text = seed.text;
      for (let rounds = 1 + Math.floor(r() * 2); rounds > 0; rounds--) text = r() < 0.6 ? structural(r, text) : textual(r, text);
      const caseStart = Date.now();
      let outcome: Outcome;
      try {
        outcome = convertOnce(text);
      } catch (e) {
        throw new Error(`case ${i} (seed ${SEED}, from ${seed.name}) broke the promise: ${(e as Error).message}\n--- input ---\n${text}`);
      }
      const ms = Date.now() - caseStart;
      expect(ms, `case ${i} (from ${seed.name}) took ${ms} ms:\n${text}`).to.be.below(CASE_BUDGET_MS);
      counts[outcome.kind]++;
    }
    // both sides of the promise are exercised, or the mutations are too weak or too strong
    expect(counts.template, JSON.stringify(counts)).to.be.greaterThan(CASES / 40);
    expect(counts.refused, JSON.stringify(counts)).to.be.greaterThan(CASES / 20);
    expect(Date.now() - started).to.be.below(60_000 * Math.max(1, CASES / 300));
  });
});
