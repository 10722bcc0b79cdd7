// `npm test`: build (the end-to-end tests run the built plugin through the real docker CLI),
// then every mocha test, with the type check (scripts/typecheck.mjs: tsconfig.json and
// tsconfig.test.json) running beside mocha rather than before it. The summary reporter waits
// for the type check, prints its errors and counts it, so `N passed, N failed` stays the last line.
// Extra args are passed to mocha, e.g. `npm test -- test/compose`.
//
// `npm run test:unit` (`--unit`): the loader, converter and CloudFormation units only, no build
// and no type check: seconds, for the edit-test loop.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

process.chdir(fileURLToPath(new URL('..', import.meta.url)));
const run = (cmd, args, env = process.env) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
const mocha = 'node_modules/mocha/bin/mocha.js';
const args = process.argv.slice(2);

if (args[0] === '--unit') {
  // the loader needs the precompiled compose-spec validator (gitignored, written by the build)
  if (!existsSync('src/compose/generated/validate-compose.cjs')) run(process.execPath, ['scripts/gen-compose-validator.mjs']);
  const extra = args.slice(1);
  run(process.execPath, [mocha, ...(extra.some((a) => !a.startsWith('-')) ? extra : ['test/compose', 'test/convert', 'test/cloudformation', ...extra])]);
  process.exit(0);
}

run(process.execPath, ['scripts/build.mjs']);
const tmp = mkdtempSync(join(tmpdir(), 'docker-ecs-typecheck-'));
const resultFile = join(tmp, 'result.json');
const typecheck = spawn(process.execPath, ['scripts/typecheck.mjs', '--result', resultFile], { stdio: 'ignore' });
// with no paths given, every test under test/
const specs = args.some((a) => !a.startsWith('-')) ? args : ['test/**/*.test.ts', 'test/**/*.test.tsx', ...args];
const child = spawn(process.execPath, [mocha, ...specs], { stdio: 'inherit', env: { ...process.env, DOCKER_ECS_TYPECHECK_RESULT: resultFile } });
const code = await new Promise((resolve) => child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))));
if (typecheck.exitCode === null) typecheck.kill();
let typecheckFailed = true;
try {
  typecheckFailed = JSON.parse(readFileSync(resultFile, 'utf8')).errors > 0;
} catch {
  // no result: mocha stopped before the reporter waited for it; counted as failed
}
rmSync(tmp, { recursive: true, force: true });
process.exit(code !== 0 ? code : typecheckFailed ? 1 : 0);
