/**
 * The built CLI starts from V8's code cache (src/cli/start.cjs). A cache that is missing, from
 * another build, or damaged must never change what a command prints or how it exits: the
 * bundle is compiled from source and a fresh cache is written for the next start.
 */
import { expect } from 'chai';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanEnv, repoRoot, run } from '../support/docker.js';

const built = existsSync(join(repoRoot, 'dist', 'cli', 'main.cjs'));
const cacheFiles = (dir: string): string[] => readdirSync(join(dir, 'dist', 'cli')).filter((f) => f.endsWith('.v8cache'));

describe('the start-up code cache', () => {
  let copy: string;
  let userCache: string;
  beforeEach(function () {
    if (!built) {
      console.log('    (skipped: dist/cli/main.cjs is not built; run node scripts/build.mjs)');
      this.skip();
    }
    // a copy of the built plugin, so that its cache can be damaged without touching dist/
    copy = mkdtempSync(join(tmpdir(), 'docker-ecs-cache-'));
    userCache = mkdtempSync(join(tmpdir(), 'docker-ecs-user-cache-'));
    for (const f of ['package.json', 'oclif.manifest.json', 'dist', 'examples']) cpSync(join(repoRoot, f), join(copy, f), { recursive: true });
    symlinkSync(join(repoRoot, 'node_modules'), join(copy, 'node_modules'));
  });
  afterEach(() => {
    if (copy) rmSync(copy, { recursive: true, force: true });
    if (userCache) rmSync(userCache, { recursive: true, force: true });
  });

  const cli = (root: string, args: string[]) =>
    run(process.execPath, ['--', join(root, 'dist', 'cli', 'main.cjs'), ...args], { cwd: root, env: cleanEnv({ XDG_CACHE_HOME: userCache }) });
  const convertArgs = ['compose', '-f', join('examples', 'shop', 'compose.yaml'), 'convert'];

  it('ships the caches of `--help` and `compose convert` with the build', () => {
    const shipped = cacheFiles(repoRoot);
    expect(shipped.some((f) => f.endsWith('-help-root.v8cache'))).to.equal(true);
    expect(shipped.some((f) => f.endsWith('-run-compose-convert.v8cache'))).to.equal(true);
  });

  it('prints the same help and template from a damaged cache, and replaces the cache', () => {
    const help = cli(repoRoot, ['--help']);
    const template = cli(repoRoot, convertArgs);
    expect(help.code).to.equal(0);
    expect(template.code).to.equal(0);
    const name = cacheFiles(copy).find((f) => f.endsWith('-help-root.v8cache'))!;
    const garbage = Buffer.alloc(4096, 7);
    writeFileSync(join(copy, 'dist', 'cli', name), garbage);
    const damaged = cli(copy, ['--help']);
    expect(damaged).to.deep.equal(help);
    expect(readFileSync(join(copy, 'dist', 'cli', name)).equals(garbage)).to.equal(false);
    expect(cli(copy, convertArgs)).to.deep.equal(template);
  });

  it('runs without a cache and writes one for the next start', () => {
    const template = cli(repoRoot, convertArgs);
    for (const f of cacheFiles(copy)) rmSync(join(copy, 'dist', 'cli', f));
    expect(cli(copy, convertArgs)).to.deep.equal(template);
    expect(cacheFiles(copy)).to.have.length(1);
    expect(cacheFiles(copy)[0]).to.match(/-run-compose-convert\.v8cache$/);
    expect(cli(copy, convertArgs)).to.deep.equal(template);
  });

  it('ignores the cache of another build of the bundle', () => {
    const [name] = cacheFiles(copy);
    // another bundle of the same length: V8 itself would take the old cache for it, so the
    // cache is named after the bundle's content hash
    const core = join(copy, 'dist', 'cli', 'core.cjs');
    writeFileSync(core, readFileSync(core, 'latin1').replace('Unknown command "', 'Unknown kommand "'), 'latin1');
    const main = join(copy, 'dist', 'cli', 'main.cjs');
    writeFileSync(main, readFileSync(main, 'utf8').replace(/const BUNDLE_HASH = '[0-9a-f]+'/, "const BUNDLE_HASH = 'another0build000'"));
    const r = cli(copy, ['deploy']);
    expect(r.code).to.equal(1);
    expect(r.stderr.trim()).to.equal('Unknown kommand "deploy"; run `docker ecs --help` to see the commands.');
    const after = cacheFiles(copy);
    expect(after).to.include(name);
    expect(after.filter((f) => f.includes('another0build000'))).to.have.length(1);
  });

  it('writes a cache of its own for a command that had none', () => {
    const before = cacheFiles(copy);
    const r = cli(copy, ['compose', 'version', '--short']);
    expect(r.code).to.equal(0);
    const added = cacheFiles(copy).filter((f) => !before.includes(f));
    expect(added).to.have.length(1);
    expect(added[0]).to.match(/-run-compose-version\.v8cache$/);
    expect(cli(copy, ['compose', 'version', '--short'])).to.deep.equal(r);
  });
});
