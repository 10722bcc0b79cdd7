// `npm test`: build (the end-to-end tests run the built plugin through the real docker CLI),
// then every mocha test. Extra args are passed to mocha, e.g. `npm test -- test/compose`.
import { spawnSync } from 'node:child_process';

const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
run(process.execPath, ['scripts/build.mjs']);
const extra = process.argv.slice(2);
// with no paths given, every test under test/
run(process.execPath, ['node_modules/mocha/bin/mocha.js', ...(extra.some((a) => !a.startsWith('-')) ? extra : ['test/**/*.test.ts', 'test/**/*.test.tsx', ...extra])]);
