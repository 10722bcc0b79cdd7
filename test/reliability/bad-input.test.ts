// Broken compose projects through the real docker CLI and the installed plugin: `convert` and
// `up` each stop with one sentence per problem (file:line where there is one), exit 1, no stack trace, and
// not one request reaches AWS (the simulator's call record stays empty).
//
// The projects that are plain text live in fixtures/bad-input/<case>/. The weird ones are made
// here in a temporary folder: a 50 MB file, a binary file, symbolic link loops, invalid UTF-8,
// named pipes. "Unreadable" is a named pipe (FIFO) where a file is expected: the tests run as
// root, for whom permission bits do not stop a read, but opening a FIFO with no writer blocks
// root too, so reading it would hang `up` forever. A directory where the secret file should be
// is the second unreadable case (EISDIR, for root as well).
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { closeSync, cpSync, mkdirSync, openSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../support/docker.js';
import { inParallel, startRig, type Rig } from './harness.js';

interface Case {
  name: string;
  /** folder under fixtures/bad-input, or made by `make` */
  dir: string;
  args?: string[];
  /** the whole stderr line must match */
  error: RegExp;
  /** a project with several problems: the lines after the first, each matching in order */
  more?: RegExp[];
  /** `convert` never reads secret values, so a broken secret file only stops `up` */
  convertSucceeds?: boolean;
}

const fixture = (name: string, error: RegExp, extra: Partial<Case> = {}): Case => ({ name, dir: name, error, ...extra });

const CASES: Case[] = [
  fixture('malformed-yaml', /^compose\.yaml:5: invalid YAML: flow sequence .*end with a \]\. Fix the YAML syntax at that line\.$/),
  fixture('tabs', /^compose\.yaml:5: invalid YAML: tabs are not allowed as indentation\./),
  fixture('duplicate-keys', /^compose\.yaml:6: invalid YAML: map keys must be unique\./),
  fixture('non-mapping-root', /^compose\.yaml:1: the top level must be a mapping of compose keys .*, not a list\./),
  fixture('empty-file', /^compose\.yaml:1: the compose file is empty\./),
  fixture('wrong-types', /^compose\.yaml:5: services\.web\.deploy\.replicas must be an integer, not the string "lots"\.$/),
  fixture('unknown-keys', /^compose\.yaml:4: services\.web\.portz is not a valid compose key; did you mean "ports"\?$/),
  fixture('unsupported-feature', /^compose\.yaml:\d: Service web: network_mode is not supported: Fargate tasks always use awsvpc networking\./),
  fixture('many-problems', /^3 problems stop the conversion; fix them, then run again:$/, {
    more: [
      /^compose\.yaml:9: Service vpn: cap_add adds NET_ADMIN; Fargate only allows adding SYS_PTRACE\.$/,
      /^compose\.yaml:4: Service web: privileged is true; Fargate does not run privileged containers\.$/,
      /^compose\.yaml:6: Service web: volumes bind-mounts \/srv\/html at \/usr\/share\/nginx\/html, a host path outside the project folder; /,
    ],
  }),
  fixture('build-pinned-image', /^compose\.yaml:\d: Service web: build is set with image registry\.example\.com\/web@sha256:\w+, which is pinned by digest/),
  fixture('undefined-variable', /^compose\.yaml:3: required variable TAG is missing a value for services\.web\.image: TAG must be set\./),
  fixture('depends-on-cycle', /^compose\.yaml:2: services\.a depends on itself through a cycle: a -> b -> c -> a\./),
  fixture('extends-cycle', /^compose\.yaml:\d: services\.\w+ extends itself through a cycle: (\w+ -> ){3}\w+\./),
  fixture('include-cycle', /^other\/compose\.yaml:2: include cycle: compose\.yaml -> other\/compose\.yaml -> compose\.yaml\./),
  fixture('missing-include', /^compose\.yaml:2: include\[0\] refers to shared\/db\.yaml, which does not exist\./),
  fixture('missing-env-file', /^compose\.yaml:5: services\.web\.env_file names web\.env, which does not exist\./),
  fixture('missing-extends-file', /^compose\.yaml:5: services\.web extends a service from base\.yaml, which does not exist\./),
  fixture('missing-extends-service', /^compose\.yaml:6: services\.web extends service "basee", which is not defined in base\.yaml\./),
  fixture('missing-secret-file', /^Secret "db_password": cannot read its file \/\S+\/db_password\.txt \(ENOENT\)\./, { convertSucceeds: true }),
  { name: 'missing -f file', dir: 'wrong-types', args: ['-f', 'nope.yaml'], error: /^compose file nope\.yaml not found\./ },
  { name: 'missing --env-file', dir: 'wrong-types', args: ['--env-file', 'nope.env'], error: /^env file nope\.env not found\./ },
  { name: '50 MB compose file', dir: 'gen/big-file', error: /^compose\.yaml is 50 MiB, more than the 10 MiB limit for compose, env and label files\./ },
  { name: 'binary compose file', dir: 'gen/binary', error: /^compose\.yaml:1: this is not a text file \(it contains NUL bytes\)\./ },
  { name: 'compose.yaml is a symlink to itself', dir: 'gen/symlink-self', error: /^compose\.yaml cannot be read: it is a symbolic link loop\./ },
  { name: 'two symlinks pointing at each other (-f)', dir: 'gen/symlink-pair', args: ['-f', 'a.yaml'], error: /^a\.yaml cannot be read: it is a symbolic link loop\./ },
  { name: 'invalid UTF-8 in the compose file', dir: 'gen/invalid-utf8', error: /^compose\.yaml:5: the file is not valid UTF-8 text\. Save it as UTF-8\.$/ },
  { name: 'invalid UTF-8 in an env file', dir: 'gen/invalid-utf8-env', error: /^web\.env:2: the file is not valid UTF-8 text\./ },
  { name: 'compose file is a named pipe (unreadable)', dir: 'gen/fifo', error: /^compose\.yaml is a named pipe, not a regular file; it is not read\./ },
  { name: 'env_file is a named pipe (unreadable)', dir: 'gen/fifo-env', error: /^compose\.yaml:4: services\.web\.env_file names web\.env, which is a named pipe, not a regular file\./ },
  { name: 'secret file is a named pipe (unreadable)', dir: 'gen/fifo-secret', error: /^Secret "s": cannot read its file \/\S+\/s\.txt \(a named pipe, not a regular file\)\./, convertSucceeds: true },
  { name: 'secret file is a directory (unreadable)', dir: 'gen/dir-secret', error: /^Secret "s": cannot read its file \/\S+\/s\.txt \(EISDIR\)\./, convertSucceeds: true },
];

const SECRET_PROJECT = 'services:\n  web:\n    image: nginx\n    secrets: [s]\nsecrets:\n  s:\n    file: ./s.txt\n';

/** The cases that cannot be committed: made fresh under `root/gen`. */
function makeGenerated(root: string): void {
  const dir = (name: string, files: Record<string, string | Buffer> = {}): string => {
    const d = join(root, 'gen', name);
    mkdirSync(d, { recursive: true });
    for (const [f, t] of Object.entries(files)) writeFileSync(join(d, f), t);
    return d;
  };
  // 50 MiB of valid YAML: the loader must refuse it by size before reading it
  const fd = openSync(join(dir('big-file'), 'compose.yaml'), 'w');
  writeSync(fd, 'services:\n  web:\n    image: nginx\n    environment:\n');
  const line = `      K: "${'x'.repeat(1024 - 12)}"\n`; // 1 KiB per line
  const chunk = Buffer.from(line.repeat(1024)); // 1 MiB
  for (let i = 0; i < 50; i++) writeSync(fd, chunk);
  closeSync(fd);
  dir('binary', { 'compose.yaml': Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)) });
  symlinkSync('compose.yaml', join(dir('symlink-self'), 'compose.yaml'));
  const pair = dir('symlink-pair');
  symlinkSync('b.yaml', join(pair, 'a.yaml'));
  symlinkSync('a.yaml', join(pair, 'b.yaml'));
  const latin1 = Buffer.from([0x63, 0x61, 0x66, 0xe9]); // "café" in Latin-1
  dir('invalid-utf8', { 'compose.yaml': Buffer.concat([Buffer.from('services:\n  web:\n    image: nginx\n    environment:\n      GREETING: "'), latin1, Buffer.from('"\n')]) });
  dir('invalid-utf8-env', {
    'compose.yaml': 'services:\n  web:\n    image: nginx\n    env_file: web.env\n',
    'web.env': Buffer.concat([Buffer.from('A=1\nGREETING='), latin1, Buffer.from('\n')]),
  });
  execFileSync('mkfifo', [join(dir('fifo'), 'compose.yaml')]);
  execFileSync('mkfifo', [join(dir('fifo-env', { 'compose.yaml': 'services:\n  web:\n    image: nginx\n    env_file: web.env\n' }), 'web.env')]);
  execFileSync('mkfifo', [join(dir('fifo-secret', { 'compose.yaml': SECRET_PROJECT }), 's.txt')]);
  mkdirSync(join(dir('dir-secret', { 'compose.yaml': SECRET_PROJECT }), 's.txt'));
}

describe('bad input through docker ecs compose: one clear line per problem, exit 1, no AWS call', function () {
  this.timeout(120_000);
  let rig: Rig;
  let root: string;
  const results = new Map<string, Awaited<ReturnType<Rig['docker']>>>();

  before(async () => {
    rig = await startRig();
    root = join(rig.box.dir, 'cases');
    cpSync(join(repoRoot, 'test', 'reliability', 'fixtures', 'bad-input'), root, { recursive: true });
    makeGenerated(root);
    const jobs = CASES.flatMap((c) =>
      (['convert', 'up'] as const).map((cmd) => async () => {
        // a hang (a FIFO read, a 50 MB parse) shows as a timeout, not as a stuck suite
        results.set(`${c.name} ${cmd}`, await rig.docker(['ecs', 'compose', ...(c.args ?? []), cmd], { cwd: join(root, c.dir), timeoutMs: 20_000 }));
      }),
    );
    await inParallel(jobs, 3);
  });
  after(async () => {
    await rig?.stop();
  });

  for (const c of CASES) {
    for (const cmd of ['convert', 'up'] as const) {
      it(`${c.name}: ${cmd}`, () => {
        const r = results.get(`${c.name} ${cmd}`)!;
        expect(r.timedOut, `${cmd} hung`).to.equal(false);
        if (cmd === 'convert' && c.convertSucceeds) {
          expect(r.code, r.stderr).to.equal(0);
          expect(r.stdout).to.match(/^AWSTemplateFormatVersion/m);
          return;
        }
        expect(r.code, r.stderr).to.equal(1);
        const lines = r.stderr.trim().split('\n');
        expect(lines, r.stderr).to.have.length(1 + (c.more?.length ?? 0));
        expect(lines[0]).to.match(c.error);
        (c.more ?? []).forEach((re, i) => expect(lines[i + 1]).to.match(re));
        for (const line of lines) expect(line.length, 'each line stays readable').to.be.below(400);
        expect(r.stderr).to.not.match(/\n\s+at |Error:|Unexpected error/);
        expect(r.stdout).to.equal('');
      });
    }
  }

  it('made no AWS call at all', async () => {
    expect(results.size).to.equal(CASES.length * 2);
    const calls = await rig.sim.calls();
    expect(calls.map((c) => `${c.service}:${c.operation}`)).to.deep.equal([]);
  });
});
