import { expect } from 'chai';
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { contextMetaDir } from '../../src/docker/context-store.js';
import { DockerSandbox, isOneCleanLine } from '../support/docker.js';

interface DockerContextRow {
  Name: string;
  Current: boolean;
}

describe('ECS contexts through the real docker CLI', () => {
  let box: DockerSandbox;
  beforeEach(() => {
    box = new DockerSandbox({ AWS_REGION: 'eu-west-3' });
    box.installPlugin();
  });
  afterEach(() => box.cleanup());

  const dockerContexts = () =>
    box
      .docker(['context', 'ls', '--format', 'json'])
      .stdout.trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as DockerContextRow);

  it('creates a context that docker context ls/inspect/use/rm work on', () => {
    const created = box.docker(['ecs', 'context', 'create', 'prod', '--from-env', '--description', 'my prod']);
    expect(created.code, created.stderr).to.equal(0);
    expect(dockerContexts().map((c) => c.Name)).to.deep.equal(['default', 'prod']);

    const inspect = JSON.parse(box.docker(['context', 'inspect', 'prod']).stdout) as [
      { Metadata: Record<string, string>; Endpoints: Record<string, unknown> },
    ];
    expect(inspect[0].Metadata).to.deep.equal({ Description: 'my prod', Type: 'ecs' });
    expect(inspect[0].Endpoints).to.deep.equal({ ecs: { CredentialsFromEnv: true, Region: 'eu-west-3' } });

    expect(box.docker(['context', 'use', 'prod']).code).to.equal(0);
    expect(dockerContexts().find((c) => c.Current)?.Name).to.equal('prod');
    const ours = box.docker(['ecs', 'context', 'ls', '--format', 'json']).stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(ours).to.deep.equal([{ Name: 'prod', Current: true, Description: 'my prod', Region: 'eu-west-3', Credentials: 'environment' }]);

    expect(box.docker(['context', 'use', 'default']).code).to.equal(0);
    expect(box.docker(['context', 'rm', 'prod']).code).to.equal(0);
    expect(dockerContexts().map((c) => c.Name)).to.deep.equal(['default']);
  });

  it('takes the region from the profile, and never writes a key', () => {
    const aws = join(box.home, '.aws');
    mkdirSync(aws, { recursive: true });
    writeFileSync(join(aws, 'config'), '[profile dev]\nregion = ap-south-1\n');
    writeFileSync(join(aws, 'credentials'), '[dev]\naws_access_key_id = AKIAEXAMPLEKEY\naws_secret_access_key = s3cr3tValue\n');
    const r = box.docker(['ecs', 'context', 'create', 'dev', '--profile', 'dev'], { env: { AWS_REGION: undefined } });
    expect(r.code, r.stderr).to.equal(0);
    const meta = readFileSync(join(contextMetaDir(box.configDir, 'dev'), 'meta.json'), 'utf8');
    expect(JSON.parse(meta).Endpoints).to.deep.equal({ ecs: { Profile: 'dev', Region: 'ap-south-1' } });
    expect(meta).to.not.contain('AKIAEXAMPLEKEY');
    expect(meta).to.not.contain('s3cr3tValue');
  });

  it('lists ECS contexts only, marking the current one as table', () => {
    box.docker(['ecs', 'context', 'create', 'aa', '--from-env']);
    box.docker(['context', 'create', 'plain', '--docker', 'host=unix:///tmp/none.sock']);
    const r = box.docker(['--context', 'aa', 'ecs', 'context', 'ls']);
    expect(r.stdout.split('\n')[0]).to.match(/^NAME\s+REGION\s+CREDENTIALS\s+DESCRIPTION$/);
    expect(r.stdout).to.match(/^aa \*\s+eu-west-3\s+environment/m);
    expect(r.stdout).to.not.contain('plain');
  });

  it('resolves the current context as docker does: --context, -H, DOCKER_HOST, DOCKER_CONTEXT, config.json', () => {
    for (const n of ['one', 'two', 'three']) box.docker(['ecs', 'context', 'create', n, '--from-env']);
    box.docker(['context', 'use', 'one']);
    const current = (args: string[], env: Record<string, string | undefined> = {}) =>
      box
        .docker([...args, 'ecs', 'context', 'ls', '--format', 'json'], { env })
        .stdout.trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as DockerContextRow)
        .find((c) => c.Current)?.Name;
    expect(current([])).to.equal('one');
    expect(current([], { DOCKER_CONTEXT: 'two' })).to.equal('two');
    expect(current(['--context', 'three'], { DOCKER_CONTEXT: 'two' })).to.equal('three');
    expect(current(['-c', 'three'])).to.equal('three');
    expect(current([], { DOCKER_CONTEXT: 'two', DOCKER_HOST: 'unix:///tmp/x.sock' })).to.equal(undefined);
    expect(current(['-H', 'unix:///tmp/x.sock'])).to.equal(undefined);
    // --config moves the whole store: nothing is current there
    const other = new DockerSandbox();
    try {
      other.installPlugin();
      expect(current(['--config', other.configDir])).to.equal(undefined);
    } finally {
      other.cleanup();
    }
  });

  it('refuses an existing name, a bad name and a missing region, writing nothing', () => {
    box.docker(['ecs', 'context', 'create', 'taken', '--from-env']);
    const before = readdirSync(join(box.configDir, 'contexts', 'meta')).length;
    const taken = box.docker(['ecs', 'context', 'create', 'taken', '--from-env']);
    expect(taken.code).to.equal(1);
    expect(taken.stderr.trim()).to.equal('Context "taken" already exists; pick another name or remove it with `docker context rm taken`.');
    const bad = box.docker(['ecs', 'context', 'create', 'x', '--from-env']);
    expect(bad.code).to.equal(1);
    expect(isOneCleanLine(bad.stderr)).to.equal(true);
    const reserved = box.docker(['ecs', 'context', 'create', 'default', '--from-env']);
    expect(reserved.stderr).to.contain('reserved');
    const noRegion = box.docker(['ecs', 'context', 'create', 'noregion', '--from-env'], { env: { AWS_REGION: undefined } });
    expect(noRegion.code).to.equal(1);
    expect(noRegion.stderr).to.contain('--region');
    const both = box.docker(['ecs', 'context', 'create', 'both', '--from-env', '--profile', 'p']);
    expect(both.code).to.equal(1);
    expect(isOneCleanLine(both.stderr)).to.equal(true);
    expect(readdirSync(join(box.configDir, 'contexts', 'meta')).length).to.equal(before);
  });

  it('reports a corrupt meta.json in the store as one sentence naming the file', () => {
    box.docker(['ecs', 'context', 'create', 'good', '--from-env']);
    const dir = contextMetaDir(box.configDir, 'broken');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'meta.json'), '{"Name": "broken", ');
    const r = box.docker(['ecs', 'context', 'ls']);
    expect(r.code).to.equal(1);
    expect(isOneCleanLine(r.stderr)).to.equal(true);
    expect(r.stderr).to.contain(join(dir, 'meta.json'));
  });

  it('fails cleanly when the config dir cannot be written, leaving nothing behind', () => {
    // a file where the contexts folder should be: unwritable even for root
    mkdirSync(box.configDir, { recursive: true });
    writeFileSync(join(box.configDir, 'contexts'), 'not a folder');
    const r = box.docker(['ecs', 'context', 'create', 'nowrite', '--from-env']);
    expect(r.code).to.equal(1);
    expect(isOneCleanLine(r.stderr)).to.equal(true);
    expect(r.stderr).to.contain('writable');
    expect(readFileSync(join(box.configDir, 'contexts'), 'utf8')).to.equal('not a folder');
    chmodSync(box.configDir, 0o755);
  });

  it('refuses a compose command on a missing or non-ECS context with one sentence, calling no AWS', () => {
    // an endpoint nothing listens on: if anything tried AWS, the error would say so instead
    const env = { AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y' };
    const onDefault = box.docker(['ecs', 'compose', 'ls'], { env });
    expect(onDefault.code).to.equal(1);
    expect(isOneCleanLine(onDefault.stderr)).to.equal(true);
    expect(onDefault.stderr).to.match(/^The current docker context is "default", not an Amazon ECS context/);
    const missing = box.docker(['--context', 'nope', 'ecs', 'compose', 'ps', '-p', 'demo'], { env });
    expect(missing.code).to.equal(1);
    expect(missing.stderr.trim()).to.match(/^Docker context "nope" \(from --context\) does not exist/);
    box.docker(['context', 'create', 'plain', '--docker', 'host=unix:///tmp/none.sock']);
    const plain = box.docker(['ecs', 'compose', 'ls'], { env: { ...env, DOCKER_CONTEXT: 'plain' } });
    expect(plain.code).to.equal(1);
    expect(plain.stderr.trim()).to.match(/^Docker context "plain" is not an Amazon ECS context/);
  });
});
