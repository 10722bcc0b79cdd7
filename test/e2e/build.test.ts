// Build and push end to end: the real docker client and plugin, a real Docker engine and a real
// registry (Debian packages, test/support/engine.ts), and the AWS simulator playing ECR in front
// of that registry. Skipped, with one line saying why, where the engine cannot run (not root, or
// scripts/engine-packages.sh has not run).
import { ECSClient, DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { engineUnavailable, manifestPuts, registryDigest, startRealEngine, type RealEngine } from '../support/engine.js';
import { jsonLines, startE2E, type E2E } from './helpers.js';

const PROJECT = {
  'compose.yaml': `name: shelf
services:
  web:
    build: ./web
  worker:
    build:
      context: ./worker
      dockerfile: worker.Dockerfile
      args: { GREETING: hello }
    image: shelf-worker:v1
    command: ["/worker"]
`,
  'web/Dockerfile': 'FROM scratch\nCOPY index.html /srv/index.html\nCMD ["/web"]\n',
  'web/index.html': '<h1>shelf</h1>\n',
  'worker/worker.Dockerfile': 'FROM scratch\nARG GREETING\nLABEL greeting=$GREETING\nCOPY job.txt /job.txt\n',
  'worker/job.txt': 'work\n',
};

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

type Stacks = Array<{ name: string; resources: Array<{ logicalId: string; physicalId?: string }> }>;

async function deployedImages(e: E2E): Promise<Record<string, string>> {
  const stacks = (await e.sim.stacks()) as Stacks;
  const ecs = new ECSClient({ endpoint: e.sim.url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDE2E', secretAccessKey: 'e2e' } });
  const out: Record<string, string> = {};
  for (const r of stacks.find((s) => s.name === 'shelf')!.resources.filter((x) => x.logicalId.endsWith('TaskDefinition'))) {
    const def = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: r.physicalId! }));
    const main = def.taskDefinition!.containerDefinitions!.find((c) => !c.name!.includes('_'))!;
    out[main.name!] = main.image!;
  }
  return out;
}

describe('build and push through docker, a real engine and registry, and the simulated ECR', function () {
  this.timeout(300_000);
  const why = engineUnavailable();
  let engine: RealEngine | undefined;
  let e: E2E | undefined;

  before(async function () {
    if (why) {
      console.log(`    build tests skipped: ${why}`);
      this.skip();
    }
    engine = await startRealEngine();
  });
  after(async () => {
    await engine?.stop();
  });
  afterEach(async () => {
    await e?.stop();
    e = undefined;
  });

  async function start(files: Record<string, string> = PROJECT): Promise<E2E> {
    e = await startE2E({ project: files, scenario: { registryUrl: engine!.registryUrl } });
    const made = e.box.docker(['context', 'create', 'engine', '--docker', `host=${engine!.host}`]);
    if (made.code !== 0) throw new Error(made.stderr);
    return e;
  }
  const engineEnv = { DOCKER_ECS_BUILD_CONTEXT: 'engine' };

  it('builds two services, pushes them, deploys them by digest, and a second up with no change pushes nothing', async () => {
    const e = await start();
    const host = new URL(engine!.registryUrl).host;
    const putsBefore = manifestPuts(engine!.registryLog());

    const up = e.compose(['up', '--progress', 'json'], engineEnv);
    expect(up.code, up.stderr).to.equal(0);
    const webDigest = await registryDigest(engine!.registryUrl, 'shelf/web', 'latest');
    const workerDigest = await registryDigest(engine!.registryUrl, 'shelf-worker', 'v1');
    expect(webDigest).to.match(/^sha256:[a-f0-9]{64}$/);
    expect(workerDigest).to.match(/^sha256:[a-f0-9]{64}$/);
    expect(await deployedImages(e)).to.deep.equal({ web: `${host}/shelf/web@${webDigest}`, worker: `${host}/shelf-worker@${workerDigest}` });
    expect(manifestPuts(engine!.registryLog()) - putsBefore).to.equal(2);

    const calls = await e.sim.calls();
    const created = calls.filter((c) => c.operation === 'CreateRepository');
    expect(created.map((c) => c.params.repositoryName).sort()).to.deep.equal(['shelf-worker', 'shelf/web']);
    expect(created.every((c) => JSON.stringify(c.params.tags) === JSON.stringify([{ Key: 'com.docker.compose.project', Value: 'shelf' }]))).to.equal(true);
    expect(calls.filter((c) => c.operation === 'PutLifecyclePolicy')).to.have.length(2);
    // the ECR login never reaches the user's docker config
    const { readFileSync, existsSync } = await import('node:fs');
    const userConfig = join(e.box.configDir, 'config.json');
    expect(existsSync(userConfig) ? readFileSync(userConfig, 'utf8') : '').not.to.contain(host);
    expect(up.stderr).not.to.match(/QVdTO[A-Za-z0-9+/=]{20,}/); // base64 of "AWS:..."

    const started = Date.now();
    const again = e.compose(['up', '--progress', 'json'], engineEnv);
    const againMs = Date.now() - started;
    expect(again.code, again.stderr).to.equal(0);
    expect(again.stderr).to.match(/up to date/);
    const notices = jsonLines(again.stderr).filter((x) => x.kind === 'notice').map((x) => String(x.message));
    expect(notices.filter((m) => / unchanged, /.test(m))).to.have.length(2);
    expect(notices.filter((m) => / pushed sha|: pushed /.test(m))).to.deep.equal([]);
    expect(manifestPuts(engine!.registryLog()) - putsBefore).to.equal(2);
    expect(await deployedImages(e)).to.deep.equal({ web: `${host}/shelf/web@${webDigest}`, worker: `${host}/shelf-worker@${workerDigest}` });
    const buildEvents = jsonLines(again.stderr).filter((x) => x.kind === 'notice' && /^Service \w+: (building|unchanged)/.test(String(x.message)));
    const buildMs = Date.parse(String(buildEvents.at(-1)!.at)) - Date.parse(String(buildEvents[0]!.at));
    console.log(`    unchanged builds: second up took ${againMs} ms, of which about ${buildMs} ms between the first build and the last digest check`);

    // a change in one context pushes that image only, and deploys its new digest
    writeFileSync(join(e.projectDir, 'web', 'index.html'), '<h1>shelf 2</h1>\n');
    const changed = e.compose(['up', '--progress', 'plain'], engineEnv);
    expect(changed.code, changed.stderr).to.equal(0);
    const newWeb = await registryDigest(engine!.registryUrl, 'shelf/web', 'latest');
    expect(newWeb).not.to.equal(webDigest);
    expect(manifestPuts(engine!.registryLog()) - putsBefore).to.equal(3);
    expect((await deployedImages(e)).web).to.equal(`${host}/shelf/web@${newWeb}`);
  });

  it('gives the port a built image declares (EXPOSE) its short name, with and without --no-build, so a reference to it is no warning', async () => {
    const e = await start({
      'compose.yaml': `name: shelf
services:
  api:
    build: ./api
  web:
    build: ./web
    environment: { API_URL: "http://api:8080/v1" }
`,
      'api/Dockerfile': 'FROM scratch\nEXPOSE 8080\nCOPY index.html /srv/index.html\nCMD ["/api"]\n',
      'api/index.html': '<h1>api</h1>\n',
      'web/Dockerfile': PROJECT['web/Dockerfile']!,
      'web/index.html': PROJECT['web/index.html']!,
    });
    const sentTemplates = async () =>
      (await e.sim.calls())
        .filter((c) => c.operation === 'CreateStack' || c.operation === 'CreateChangeSet')
        .map((c) => JSON.parse(String(c.params.TemplateBody)) as { Resources: Record<string, { Properties: Record<string, { Services?: unknown }> }> });
    const aliases = (t: Awaited<ReturnType<typeof sentTemplates>>[number]) => t.Resources.ApiService!.Properties.ServiceConnectConfiguration?.Services;
    const expected = [{ PortName: 'api-8080-tcp', DiscoveryName: 'api-8080-tcp', ClientAliases: [{ DnsName: 'api', Port: 8080 }] }];

    const up = e.compose(['up', '--progress', 'plain'], engineEnv);
    expect(up.code, up.stderr).to.equal(0);
    expect(up.stderr).not.to.contain('connects to api:8080');
    const [created] = await sentTemplates();
    expect(aliases(created!)).to.deep.equal(expected);

    // --no-build: the pushed image by digest, which the engine has since it pushed it
    const again = e.compose(['up', '--no-build', '--progress', 'plain'], engineEnv);
    expect(again.code, again.stderr).to.equal(0);
    expect(again.stderr).not.to.contain('connects to api:8080');
    const sent = await sentTemplates();
    expect(sent).to.have.length(2);
    expect(aliases(sent[1]!)).to.deep.equal(expected);
  });

  it('stops before any stack change when a build fails, with the builder\'s last lines', async () => {
    const e = await start({ ...PROJECT, 'web/Dockerfile': 'FROM scratch\nCOPY missing.txt /missing.txt\n' });
    const up = e.compose(['up', '--progress', 'plain'], engineEnv);
    expect(up.code).to.equal(1);
    expect(up.stderr).to.contain('The build of service web failed');
    expect(up.stderr).to.match(/missing\.txt/);
    expect(up.stderr).not.to.match(/\n\s+at /);
    const ops = new Set((await e.sim.calls()).map((c) => c.operation));
    expect(ops.has('CreateStack') || ops.has('CreateChangeSet')).to.equal(false);
  });

  it('says what would be built and pushed with --dry-run, and builds or pushes nothing', async () => {
    const e = await start();
    const puts = manifestPuts(engine!.registryLog());
    const dry = e.compose(['up', '--dry-run', '--progress', 'plain'], engineEnv);
    expect(dry.code, dry.stderr).to.equal(0);
    expect(dry.stderr).to.match(/Service web: up would build \S+web for linux\/amd64 with the engine of docker context "engine"/);
    expect(manifestPuts(engine!.registryLog())).to.equal(puts);
    expect((await e.sim.calls()).filter((c) => c.operation === 'CreateRepository')).to.deep.equal([]);
  });

  it('refuses --no-build while nothing is pushed, then build and push work on their own and --no-build deploys what was pushed', async () => {
    const e = await start();
    const none = e.compose(['up', '--no-build'], engineEnv);
    expect(none.code).to.equal(1);
    expect(none.stderr).to.contain('--no-build deploys the pushed image');

    const built = e.compose(['build'], engineEnv);
    expect(built.code, built.stderr).to.equal(0);
    const host = new URL(engine!.registryUrl).host;
    expect(built.stdout).to.contain(`web ${host}/shelf/web:latest`);
    const pushed = e.compose(['push'], engineEnv);
    expect(pushed.code, pushed.stderr).to.equal(0);
    const webDigest = await registryDigest(engine!.registryUrl, 'shelf/web', 'latest');
    expect(pushed.stdout).to.contain(`web ${host}/shelf/web@${webDigest}`);

    const up = e.compose(['up', '--no-build'], engineEnv);
    expect(up.code, up.stderr).to.equal(0);
    expect((await deployedImages(e)).web).to.equal(`${host}/shelf/web@${webDigest}`);
  });
});
