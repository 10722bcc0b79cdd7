import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../../src/errors.js';
import { contextMetaDir } from '../../src/docker/context-store.js';
import { resolveEcsTarget } from '../../src/docker/ecs-context.js';
import { emptyGlobals } from '../../src/docker/globals.js';

describe('resolving the ECS context a compose command runs against', () => {
  let dir: string;
  const store = (name: string, meta: object) => {
    mkdirSync(contextMetaDir(dir, name), { recursive: true });
    writeFileSync(join(contextMetaDir(dir, name), 'meta.json'), JSON.stringify({ Name: name, ...meta }));
  };
  const env = (extra: Record<string, string> = {}) => ({ DOCKER_CONFIG: dir, HOME: dir, AWS_CONFIG_FILE: join(dir, 'none'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none'), ...extra });
  const failure = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (e) {
      expect(e).to.be.instanceOf(UserError);
      return (e as UserError).display();
    }
    throw new Error('expected a UserError');
  };

  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ecs-ctx-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads our contexts: profile, region, and nothing secret', async () => {
    store('prod', { Metadata: { Type: 'ecs' }, Endpoints: { ecs: { Profile: 'p1', Region: 'eu-north-1' } } });
    const t = await resolveEcsTarget({ ...emptyGlobals(), context: 'prod' }, env());
    expect(t).to.deep.equal({ contextName: 'prod', region: 'eu-north-1', profile: 'p1', credentialsFromEnv: false });
  });

  it('reads contexts written by the retired compose-cli, taking the region from AWS_REGION', async () => {
    // compose-cli copied the ECS data into both endpoints and stored no region
    store('legacy', { Metadata: { Description: '(us-east-1)', Type: 'ecs' }, Endpoints: { docker: { CredentialsFromEnv: true }, ecs: { CredentialsFromEnv: true } } });
    const t = await resolveEcsTarget(emptyGlobals(), env({ DOCKER_CONTEXT: 'legacy', AWS_DEFAULT_REGION: 'us-west-2' }));
    expect(t).to.deep.equal({ contextName: 'legacy', region: 'us-west-2', profile: undefined, credentialsFromEnv: true });
  });

  it('takes a legacy profile context\'s region from the AWS config file', async () => {
    writeFileSync(join(dir, 'config'), '[profile old]\nregion = sa-east-1\n');
    store('legacy', { Metadata: { Type: 'ecs' }, Endpoints: { docker: { Profile: 'old' }, ecs: { Profile: 'old' } } });
    const t = await resolveEcsTarget({ ...emptyGlobals(), context: 'legacy' }, env({ AWS_CONFIG_FILE: join(dir, 'config') }));
    expect(t.region).to.equal('sa-east-1');
  });

  it('refuses the default context and says how to get an ECS one', async () => {
    const msg = await failure(resolveEcsTarget(emptyGlobals(), env()));
    expect(msg).to.match(/^The current docker context is "default", not an Amazon ECS context; create one with `docker ecs context create NAME/);
  });

  it('explains that DOCKER_HOST overrides the selected ECS context', async () => {
    store('prod', { Metadata: { Type: 'ecs' }, Endpoints: { ecs: { Region: 'eu-west-1' } } });
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ currentContext: 'prod' }));
    const msg = await failure(resolveEcsTarget(emptyGlobals(), env({ DOCKER_HOST: 'unix:///x.sock' })));
    expect(msg).to.contain('DOCKER_HOST is set');
  });

  it('refuses a missing context and a non-ECS context by name', async () => {
    expect(await failure(resolveEcsTarget({ ...emptyGlobals(), context: 'nope' }, env()))).to.match(/^Docker context "nope" \(from --context\) does not exist/);
    store('plain', { Metadata: {}, Endpoints: { docker: { Host: 'unix:///var/run/docker.sock' } } });
    expect(await failure(resolveEcsTarget({ ...emptyGlobals(), context: 'plain' }, env()))).to.match(/^Docker context "plain" is not an Amazon ECS context/);
  });

  it('refuses a context with no region anywhere', async () => {
    store('noreg', { Metadata: { Type: 'ecs' }, Endpoints: { ecs: { CredentialsFromEnv: true } } });
    expect(await failure(resolveEcsTarget({ ...emptyGlobals(), context: 'noreg' }, env()))).to.contain('names no AWS region');
  });
});
