/**
 * Start-up is the product (docker starts us for every command), and most of what a start costs
 * beyond Node itself was Node modules outside its start-up snapshot: node:crypto alone (some
 * twenty internal modules) was about 4 ms of every `convert`, node:child_process (with net and
 * dgram) a few more, through oclif's WSL check. The timings live in `npm run bench`; this test
 * keeps the modules from coming back, by reading which of Node's modules the built CLI loaded.
 */
import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanEnv, repoRoot, run } from '../support/docker.js';

const built = existsSync(join(repoRoot, 'dist', 'cli', 'main.cjs'));

describe('the modules a start loads', () => {
  let dir: string;
  before(function () {
    if (!built) {
      console.log('    (skipped: dist/cli/main.cjs is not built; run node scripts/build.mjs)');
      this.skip();
    }
    dir = mkdtempSync(join(tmpdir(), 'docker-ecs-modules-'));
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Node's own modules the built CLI loaded for `args` (process.moduleLoadList, at exit). */
  function nodeModulesLoaded(args: string[]): string[] {
    const list = join(dir, 'modules.json');
    const preload = join(dir, 'record.cjs');
    writeFileSync(preload, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(list)}, JSON.stringify(process.moduleLoadList)));\n`);
    const r = run(process.execPath, ['-r', preload, '--', join(repoRoot, 'dist', 'cli', 'main.cjs'), ...args], { cwd: repoRoot, env: cleanEnv() });
    expect(r.code, r.stderr).to.equal(0);
    return (JSON.parse(readFileSync(list, 'utf8')) as string[]).filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice('NativeModule '.length));
  }

  for (const [what, args] of [
    ['compose convert', ['compose', '-f', join('examples', 'shop', 'compose.yaml'), 'convert']],
    ['--help', ['--help']],
  ] as const) {
    it(`\`${what}\` loads neither node:crypto nor node:child_process`, () => {
      const loaded = nodeModulesLoaded([...args]);
      expect(loaded).to.include('vm'); // it did record: the code-cache loader uses node:vm
      expect(loaded.filter((m) => m === 'crypto' || m === 'child_process' || m === 'dgram')).to.deep.equal([]);
    });
  }
});
