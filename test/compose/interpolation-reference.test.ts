// The `$` rules checked against compose-go itself (../shared/tools/compose-go-ref): for each
// command string, both loaders keep the same words or both refuse it. Skips where the reference
// binary is absent (a clone without ../shared).
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { UserError } from '../../src/errors.js';
import { loadCompose, repoRoot } from './helpers.js';

const REFERENCE = path.resolve(repoRoot, '..', 'shared', 'tools', 'compose-go-ref', 'compose-go-ref');

const CASES = ['cost: 5$', 'echo $(date) $1 $@ $- $', '$ {NAME}', '${MISSING:-$(hostname)}', '$$NAME', 'a ${NAME', '${1ABC}', '${NAME!x}', '${}', '${NAME:-${}'];

type Outcome = { words: string[] } | { refused: true };

function composeFor(command: string): string {
  return `services:\n  web:\n    image: nginx\n    command: ${JSON.stringify([command])}\n`;
}

function reference(dir: string, command: string): Outcome {
  writeFileSync(path.join(dir, 'compose.yaml'), composeFor(command));
  const r = spawnSync(REFERENCE, ['--json'], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
  if (r.status !== 0) return { refused: true };
  return { words: (JSON.parse(r.stdout) as { services: { web: { command: string[] } } }).services.web.command };
}

function ours(command: string): Outcome {
  try {
    return { words: loadCompose(composeFor(command)).services.web!.command as string[] };
  } catch (e) {
    if (e instanceof UserError) return { refused: true };
    throw e;
  }
}

describe('interpolation: the same as compose-go for every kind of $', function () {
  this.timeout(30_000);
  let dir: string;
  before(function () {
    if (!existsSync(REFERENCE)) {
      console.log(`    (skipped: no reference loader at ${REFERENCE})`);
      this.skip();
    }
    dir = mkdtempSync(path.join(tmpdir(), 'interp-ref-'));
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const command of CASES) {
    it(`${JSON.stringify(command)}`, () => {
      expect(ours(command)).to.deep.equal(reference(dir, command));
    });
  }
});
