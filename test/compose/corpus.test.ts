import { expect } from 'chai';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { load } from '../../src/compose/load.js';
import { nodeFileReader } from '../../src/compose/node-reader.js';
import { DEFAULT_FILES } from '../../src/compose/files.js';
import { repoRoot } from './helpers.js';
import { CORPUS_DIR as corpus, CORPUS_PRESENT, corpusSkipped } from '../golden/corpus.js';

/** Every directory under the corpus that holds a compose file by one of the default names. */
function projects(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const p = join(dir, entry);
    if (!statSync(p).isDirectory()) continue;
    if (DEFAULT_FILES.some((f) => existsSync(join(p, f)))) out.push(p);
    out.push(...projects(p));
  }
  return out;
}

describe('real compose files (../shared/corpus)', () => {
  if (!CORPUS_PRESENT) {
    corpusSkipped('loading every compose file of ../shared/corpus');
    return;
  }
  const found = projects(corpus);

  it('finds the corpus beside the repository', () => {
    expect(found.length, `no compose projects under ${corpus}`).to.be.greaterThan(30);
  });

  for (const dir of found) {
    it(`loads ${dir.slice(corpus.length + 1)}`, () => {
      const p = load({ cwd: dir, env: { HOME: '/home/user' }, reader: nodeFileReader });
      expect(Object.keys(p.services).length + Object.keys(p.disabledServices).length).to.be.greaterThan(0);
      for (const svc of Object.values(p.services)) {
        expect(svc.image !== undefined || svc.build !== undefined, `${svc.name} has image or build`).to.equal(true);
      }
    });
  }
});

describe('a fixture project on disk (node reader)', () => {
  const dir = resolve(repoRoot, 'test', 'fixtures', 'compose', 'app');

  it('combines .env, the override file, extends from another file and include', () => {
    const p = load({ cwd: dir, env: {}, reader: nodeFileReader });
    expect(p.name).to.equal('fixture');
    expect(Object.keys(p.services)).to.deep.equal(['db', 'web']);
    const web = p.services.web!;
    expect(web.image).to.equal('web:1.0');
    expect(web.build!.context).to.equal(join(dir, 'shared', 'src'));
    expect(web.environment).to.deep.equal({ DEBUG: '1', MODE: 'base' });
    expect(web.depends_on!.db!.condition).to.equal('service_healthy');
    expect(p.services.db!.healthcheck).to.deep.equal({ test: ['CMD-SHELL', 'pg_isready'], interval: 5000 });
    expect(p.secrets.db_password!.file).to.equal(join(dir, 'shared', 'password.txt'));
    expect(p.composeFiles).to.deep.equal([join(dir, 'compose.yaml'), join(dir, 'compose.override.yaml')]);
  });
});
