// A project whose secret file holds a known value, through every command (convert yaml/json/-o,
// up and down with --progress plain and json, ps, logs, ls as table and json): the value shows
// nowhere but in the one request that stores it (a NoEcho parameter of CreateStack /
// CreateChangeSet). Files we write hold no value and no key, with safe permissions.
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { contextMetaDir } from '../../src/docker/context-store.js';
import { repoRoot } from '../support/docker.js';
import { ACCESS_KEY_ID, CRASH, SECRET_ACCESS_KEY, startRig, type Rig } from './harness.js';

/** Every form a leak could take: as written, base64, JSON-escaped, URL-encoded. */
function forms(value: string): string[] {
  return [value, Buffer.from(value).toString('base64'), JSON.stringify(value).slice(1, -1), encodeURIComponent(value)];
}

function filesUnder(dir: string, skip: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (p === skip) continue;
    if (entry.isDirectory()) out.push(p, ...filesUnder(p, skip));
    else out.push(p);
  }
  return out;
}

/** What one command printed and how it exited, under the command's words. */
interface Output {
  what: string;
  stdout: string;
  stderr: string;
  code: number;
}

/** Runs each `docker ecs ARGS` in turn in `cwd`, so that every output can be searched for the value. */
async function runEach(rig: Rig, cwd: string, commands: string[][], env?: Record<string, string | undefined>): Promise<Output[]> {
  const outputs: Output[] = [];
  for (const args of commands) {
    const r = await rig.docker(['ecs', ...args], { cwd, env });
    outputs.push({ what: args.join(' '), ...r });
  }
  return outputs;
}

describe('secrets: the value of a secret file appears only where it is stored', function () {
  this.timeout(90_000);
  // random per run, so a value left over from another test can never make this pass
  const SECRET = `Rel-${randomBytes(9).toString('base64url')}-pw`;
  let rig: Rig;
  let project: string;
  const outputs: Output[] = [];

  before(async () => {
    rig = await startRig();
    project = join(rig.box.dir, 'shop');
    cpSync(join(repoRoot, 'examples', 'shop'), project, { recursive: true });
    writeFileSync(join(project, 'db', 'password.txt'), SECRET);
    const commands: string[][] = [
      ['compose', 'convert'],
      ['compose', 'convert', '--format', 'json'],
      ['compose', 'convert', '--format', 'yaml', '-o', 'template.yaml'],
      ['compose', 'up', '--progress', 'plain'],
      ['compose', 'up', '--progress', 'json'], // no changes: a change set carries the value again
      ['compose', 'up', '--dry-run', '--progress', 'plain'],
      ['compose', 'ps'],
      ['compose', 'ps', '--format', 'json'],
      ['compose', 'logs', '--tail', '5'],
      ['compose', 'logs', '-t', '--no-color'],
      ['compose', 'ls'],
      ['compose', 'ls', '--format', 'json'],
      ['context', 'ls'],
      ['compose-shim', 'install'],
      ['compose', 'down', '--progress', 'json'],
      ['compose', 'up', '--progress', 'json', '-d'],
      ['compose', 'down', '--progress', 'plain'],
    ];
    outputs.push(...(await runEach(rig, project, commands)));
  });
  after(async () => {
    await rig?.stop();
  });

  it('every command ran without a crash', () => {
    for (const o of outputs) {
      expect(o.code, `${o.what}: ${o.stderr}`).to.equal(0);
      expect(o.stderr, o.what).to.not.match(CRASH);
    }
    expect(outputs.find((o) => o.what === 'compose ps')!.stdout).to.match(/db/);
    expect(outputs.find((o) => o.what === 'compose logs --tail 5')!.stdout).to.match(/\|/);
  });

  it('the value is in no stdout or stderr of any command, nor the fake secret key', () => {
    for (const o of outputs) {
      for (const f of [...forms(SECRET), SECRET_ACCESS_KEY]) {
        expect(o.stdout.includes(f), `${o.what} stdout`).to.equal(false);
        expect(o.stderr.includes(f), `${o.what} stderr`).to.equal(false);
      }
    }
  });

  it('the template (stdout and -o file) declares the secret as a NoEcho parameter and holds no value', () => {
    const template = readFileSync(join(project, 'template.yaml'), 'utf8');
    expect(template).to.match(/NoEcho: true/);
    for (const f of forms(SECRET)) expect(template.includes(f)).to.equal(false);
  });

  it('AWS received the value only as a parameter of CreateStack / CreateChangeSet', async () => {
    const calls = await rig.sim.calls();
    const carrying = calls.filter((c) => forms(SECRET).some((f) => JSON.stringify(c.params).includes(f)));
    expect(carrying.length, 'the value was sent').to.be.greaterThan(0);
    expect([...new Set(carrying.map((c) => c.operation))].sort()).to.deep.include.members(['CreateStack']);
    for (const c of carrying) {
      expect(c.operation).to.be.oneOf(['CreateStack', 'CreateChangeSet']);
      const { Parameters, ...rest } = c.params;
      for (const f of forms(SECRET)) expect(JSON.stringify(rest).includes(f), `${c.operation} outside Parameters`).to.equal(false);
      expect(JSON.stringify(Parameters)).to.include(SECRET);
    }
  });

  it('no file we write holds the value or a key; contexts hold no credentials; permissions are safe', () => {
    // everything in the sandbox except the user's project (which holds the secret file)
    const files = filesUnder(rig.box.dir, project);
    expect(files.length).to.be.greaterThan(3);
    for (const file of files) {
      const st = statSync(file);
      expect(st.mode & 0o002, `${file} is world-writable`).to.equal(0);
      if (!st.isFile()) continue;
      const text = readFileSync(file, 'latin1');
      for (const f of [...forms(SECRET), SECRET_ACCESS_KEY, ACCESS_KEY_ID]) expect(text.includes(f), `${file} holds ${f === SECRET ? 'the secret' : 'a key'}`).to.equal(false);
    }
    const meta = JSON.parse(readFileSync(join(contextMetaDir(rig.box.configDir, 'rel'), 'meta.json'), 'utf8')) as { Endpoints: Record<string, unknown> };
    expect(meta.Endpoints).to.deep.equal({ ecs: { CredentialsFromEnv: true, Region: 'us-east-1' } });
    const config = statSync(join(rig.box.configDir, 'config.json'));
    expect(config.mode & 0o777, 'config.json as docker writes it').to.equal(0o600);
  });
});

describe('secrets: the value of an environment: secret appears only where it is stored', function () {
  this.timeout(90_000);
  const SECRET = `Env-${randomBytes(9).toString('base64url')}-key`;
  let rig: Rig;
  let project: string;
  const outputs: Output[] = [];

  before(async () => {
    rig = await startRig();
    project = join(rig.box.dir, 'envsecret');
    mkdirSync(project);
    writeFileSync(join(project, 'compose.yaml'), 'services:\n  web:\n    image: nginx\n    secrets: [api_key]\nsecrets:\n  api_key:\n    environment: API_KEY\n');
    const commands: string[][] = [
      ['compose', 'convert', '--format', 'yaml', '-o', 'template.yaml'],
      ['compose', 'convert', '--format', 'json'],
      ['compose', 'up', '--progress', 'plain'],
      ['compose', 'up', '--progress', 'json'],
      ['compose', 'up', '--dry-run', '--progress', 'plain'],
      ['compose', 'ps', '--format', 'json'],
      ['compose', 'down', '--progress', 'json'],
    ];
    outputs.push(...(await runEach(rig, project, commands, { API_KEY: SECRET })));
    const unset = await rig.docker(['ecs', 'compose', 'up', '--progress', 'plain'], { cwd: project, env: { API_KEY: undefined } });
    outputs.push({ what: 'up without API_KEY', ...unset });
  });
  after(async () => {
    await rig?.stop();
  });

  it('every command ran; up without the variable stops with one sentence naming it', () => {
    for (const o of outputs.slice(0, -1)) {
      expect(o.code, `${o.what}: ${o.stderr}`).to.equal(0);
      expect(o.stderr, o.what).to.not.match(CRASH);
    }
    const unset = outputs[outputs.length - 1]!;
    expect(unset.code).to.equal(1);
    expect(unset.stderr.trim()).to.equal('Secret "api_key" takes its value from the environment variable API_KEY, which is not set. Set API_KEY in the shell or in the .env file, then run again.');
  });

  it('the value is in no output, no template and no file we write', () => {
    for (const o of outputs) {
      for (const f of forms(SECRET)) {
        expect(o.stdout.includes(f), `${o.what} stdout`).to.equal(false);
        expect(o.stderr.includes(f), `${o.what} stderr`).to.equal(false);
      }
    }
    expect(readFileSync(join(project, 'template.yaml'), 'utf8')).to.match(/NoEcho: true/);
    for (const file of filesUnder(rig.box.dir, '')) {
      if (!statSync(file).isFile()) continue;
      const text = readFileSync(file, 'latin1');
      for (const f of forms(SECRET)) expect(text.includes(f), `${file} holds the secret`).to.equal(false);
    }
  });

  it('AWS received the value only as a parameter of CreateStack / CreateChangeSet', async () => {
    const calls = await rig.sim.calls();
    const carrying = calls.filter((c) => forms(SECRET).some((f) => JSON.stringify(c.params).includes(f)));
    expect(carrying.map((c) => c.operation)).to.include('CreateStack');
    for (const c of carrying) {
      expect(c.operation).to.be.oneOf(['CreateStack', 'CreateChangeSet']);
      const { Parameters, ...rest } = c.params;
      for (const f of forms(SECRET)) expect(JSON.stringify(rest).includes(f), `${c.operation} outside Parameters`).to.equal(false);
      expect(JSON.stringify(Parameters)).to.include(SECRET);
    }
  });
});
