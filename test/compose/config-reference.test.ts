// Differential test: `config --format json` against the reference loader (compose-go v2.9.1,
// ../shared/tools/compose-go-ref) for every corpus project and the config fixtures.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { configDocument } from '../../src/compose/config-document.js';
import { configStruct, toGoJson, type ConfigMap, type ConfigNode } from '../../src/compose/config-tree.js';
import { load } from '../../src/compose/load.js';
import { nodeFileReader } from '../../src/compose/node-reader.js';
import { repoRoot } from './helpers.js';

const shared = resolve(repoRoot, '..', 'shared');
const reference = join(shared, 'tools', 'compose-go-ref', 'compose-go-ref');
const corpus = join(shared, 'corpus', 'awesome-compose');
const fixtures = join(repoRoot, 'test', 'fixtures', 'config');
const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/home/user' };

function projectDirs(): string[] {
  const dirs = (root: string) => (existsSync(root) ? readdirSync(root).sort().map((d) => join(root, d)).filter((d) => statSync(d).isDirectory()) : []);
  return [...dirs(corpus), ...dirs(fixtures)].map((d) => realpathSync(d));
}

function referenceJson(dir: string): string {
  return execFileSync(reference, ['--json'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'ignore'] }).toString();
}

function ourDocument(dir: string): ConfigMap {
  return configDocument(load({ cwd: dir, env, reader: nodeFileReader }), 'json');
}

/** The reference prints compose-go's Project struct (field order, models, no top-level x-*); docker compose prints a sorted map. */
function inReferenceOrder(doc: ConfigMap): ConfigMap {
  const get = (k: string): ConfigNode | undefined => doc.entries.find(([key]) => key === k)?.[1];
  return configStruct(['name', 'services', 'networks', 'volumes', 'secrets', 'configs'].map((k) => [k, get(k)]));
}

describe('config against the reference loader (compose-go v2.9.1)', function () {
  before(function () {
    if (!existsSync(reference)) {
      console.log(`    skipped: the reference loader ${reference} is absent (no ../shared beside the repository)`);
      this.skip();
    }
  });

  for (const dir of projectDirs()) {
    it(`prints the same JSON as compose-go for ${dir.slice(dir.lastIndexOf('/', dir.length - 1) + 1)}`, () => {
      const ref = referenceJson(dir);
      const parsed = JSON.parse(ref) as Record<string, unknown>;
      const ours = ourDocument(dir);
      // env_file is folded into environment by docker compose config, but kept by the reference's LoadProject
      const hasEnvFile = Object.values(parsed.services as Record<string, Record<string, unknown>>).some((s) => 'env_file' in s);
      if (!hasEnvFile && !('models' in parsed)) {
        expect(`${toGoJson(inReferenceOrder(ours))}\n`).to.equal(ref);
      } else {
        for (const s of Object.values(parsed.services as Record<string, Record<string, unknown>>)) delete s.env_file;
        delete parsed.models;
        const mine = JSON.parse(toGoJson(ours)) as Record<string, unknown>;
        for (const k of Object.keys(mine)) if (k.startsWith('x-')) delete mine[k];
        expect(mine).to.deep.equal(parsed);
      }
    });
  }
});
