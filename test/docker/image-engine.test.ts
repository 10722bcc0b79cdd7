import { expect } from 'chai';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseBuildEngine, DockerImageEngine, type BuildRequest } from '../../src/docker/image-engine.js';
import { UserError } from '../../src/errors.js';

const req = (build: BuildRequest['build'], platform = 'linux/amd64'): BuildRequest => ({ service: 'web', platform, build });

describe('docker: the engine that builds and pushes images', () => {
  let dir: string;
  let configDir: string;
  /** a stand-in `docker` that logs its argv and DOCKER_CONFIG, prints what it is told, and exits as told */
  let fakeDocker: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'image-engine-'));
    configDir = join(dir, 'user-docker');
    mkdirSync(join(configDir, 'contexts'), { recursive: true });
    writeFileSync(join(configDir, 'config.json'), JSON.stringify({ auths: { 'ghcr.io': { auth: 'dXNlcjpwYXNz' } }, cliPluginsExtraDirs: ['/opt/plugins'] }));
    fakeDocker = join(dir, 'docker');
    writeFileSync(
      fakeDocker,
      `#!/bin/sh\necho "$DOCKER_CONFIG $*" >> "${join(dir, 'argv.log')}"\n[ "$1 $2" = "buildx version" ] && exit 1\nprintf '%s\\n' "$FAKE_OUTPUT"\nexit "\${FAKE_EXIT:-0}"\n`,
    );
    chmodSync(fakeDocker, 0o755);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const argvLog = () => readFileSync(join(dir, 'argv.log'), 'utf8').trim().split('\n');

  it('builds with the context DOCKER_ECS_BUILD_CONTEXT names, else DOCKER_HOST, else the default context', () => {
    expect(chooseBuildEngine({ DOCKER_ECS_BUILD_CONTEXT: 'desktop-linux', DOCKER_HOST: 'tcp://x:2375' }).args).to.deep.equal(['--context', 'desktop-linux']);
    expect(chooseBuildEngine({ DOCKER_HOST: 'unix:///run/user/1000/docker.sock' })).to.deep.equal({
      args: [],
      host: 'unix:///run/user/1000/docker.sock',
      description: 'the engine at DOCKER_HOST (unix:///run/user/1000/docker.sock)',
    });
    expect(chooseBuildEngine({}).args).to.deep.equal(['--context', 'default']);
  });

  it('passes the compose build settings to the classic builder and to buildx', () => {
    const engine = new DockerImageEngine({ configDir, env: {} });
    const b = req({ context: '/p/web', dockerfile: 'docker/Prod.Dockerfile', args: { B: '2', A: null }, target: 'prod', labels: { team: 'a' }, no_cache: true, cache_to: ['type=inline'] }, 'linux/arm64');
    expect(engine.buildArgs(b, 'r/web:latest', false).args).to.deep.equal([
      'build', '--platform', 'linux/arm64', '--tag', 'r/web:latest', '--file', '/p/web/docker/Prod.Dockerfile',
      '--build-arg', 'A', '--build-arg', 'B=2', '--target', 'prod', '--label', 'team=a', '--no-cache', '/p/web',
    ]);
    expect(engine.buildArgs(b, 'r/web:latest', true).args).to.deep.equal([
      'buildx', 'build', '--load', '--platform', 'linux/arm64', '--tag', 'r/web:latest', '--file', '/p/web/docker/Prod.Dockerfile',
      '--build-arg', 'A', '--build-arg', 'B=2', '--target', 'prod', '--label', 'team=a', '--no-cache', '--cache-to', 'type=inline', '--provenance=false', '/p/web',
    ]);
    expect(engine.buildArgs(req({ context: '/p', dockerfile_inline: 'FROM scratch\n' }), 'r:1', false)).to.deep.equal({
      args: ['build', '--platform', 'linux/amd64', '--tag', 'r:1', '--file', '-', '/p'],
      input: 'FROM scratch\n',
    });
  });

  it('keeps the ECR login in a temporary docker config of its own, never in the user\'s, and removes it', async () => {
    const engine = new DockerImageEngine({ configDir, env: {}, docker: fakeDocker });
    await engine.login({ host: '1.dkr.ecr.eu-west-1.amazonaws.com', auth: 'QVdTOnRva2Vu' });
    await engine.push('1.dkr.ecr.eu-west-1.amazonaws.com/shop/web:latest', true, new AbortController().signal).catch(() => undefined);
    const used = argvLog()[0]!.split(' ')[0]!;
    expect(used).not.to.equal(configDir);
    expect(statSync(used).mode & 0o777).to.equal(0o700);
    expect(JSON.parse(readFileSync(join(used, 'config.json'), 'utf8'))).to.deep.equal({
      auths: { '1.dkr.ecr.eu-west-1.amazonaws.com': { auth: 'QVdTOnRva2Vu' } },
      cliPluginsExtraDirs: ['/opt/plugins'],
    });
    expect(statSync(join(used, 'config.json')).mode & 0o777).to.equal(0o600);
    expect(lstatSync(join(used, 'contexts')).isSymbolicLink() && readlinkSync(join(used, 'contexts'))).to.equal(join(configDir, 'contexts'));
    expect(readFileSync(join(configDir, 'config.json'), 'utf8')).not.to.contain('QVdTOnRva2Vu');
    await engine.dispose();
    expect(existsSync(used)).to.equal(false);
  });

  it('builds and pushes to other registries with the user\'s own config, through the chosen engine', async () => {
    const engine = new DockerImageEngine({ configDir, env: { DOCKER_ECS_BUILD_CONTEXT: 'laptop', DOCKER_CONTEXT: 'ecs', FAKE_OUTPUT: `v1: digest: sha256:${'b'.repeat(64)} size: 524` }, docker: fakeDocker });
    const digest = await engine.push('ghcr.io/team/api:1', false, new AbortController().signal);
    expect(digest).to.equal(`sha256:${'b'.repeat(64)}`);
    expect(argvLog()).to.deep.equal([`${configDir} --context laptop push ghcr.io/team/api:1`]);
  });

  it('fails a build with one sentence naming the service and the builder\'s last lines', async () => {
    const engine = new DockerImageEngine({ configDir, env: { FAKE_EXIT: '1', FAKE_OUTPUT: 'Step 2/2 : COPY missing.txt /\nCOPY failed: file not found in build context: stat missing.txt: file does not exist' }, docker: fakeDocker });
    const e = (await engine.build(req({ context: '/p/web' }), 'r/web:latest', new AbortController().signal).catch((x: unknown) => x)) as UserError;
    expect(e).to.be.instanceOf(UserError);
    expect(e.message).to.equal(
      'The build of service web failed (docker build exited 1); nothing was deployed. Last lines of the builder:\n  Step 2/2 : COPY missing.txt /\n  COPY failed: file not found in build context: stat missing.txt: file does not exist',
    );
  });

  it('reads the ports a local image declares from docker image inspect, and nothing for an image the engine does not have', async () => {
    const has = new DockerImageEngine({ configDir, env: { DOCKER_ECS_BUILD_CONTEXT: 'laptop', FAKE_OUTPUT: '{"53/udp":{},"8080/tcp":{}}' }, docker: fakeDocker });
    expect(await has.exposedPorts('shop/web:latest')).to.deep.equal(['53/udp', '8080/tcp']);
    expect(argvLog().at(-1)).to.equal(`${configDir} --context laptop image inspect --format {{json .Config.ExposedPorts}} shop/web:latest`);
    const none = new DockerImageEngine({ configDir, env: { FAKE_OUTPUT: 'null' }, docker: fakeDocker });
    expect(await none.exposedPorts('shop/web:latest')).to.deep.equal([]);
    const missing = new DockerImageEngine({ configDir, env: { FAKE_EXIT: '1', FAKE_OUTPUT: 'Error response from daemon: No such image: shop/web:latest' }, docker: fakeDocker });
    expect(await missing.exposedPorts('shop/web:latest')).to.equal(undefined);
  });

  it('says that build keys the classic builder cannot do need buildx', async () => {
    const engine = new DockerImageEngine({ configDir, env: {}, docker: fakeDocker });
    const e = (await engine.build(req({ context: '/p', ssh: ['default'] }), 'r:1', new AbortController().signal).catch((x: unknown) => x)) as UserError;
    expect(e.message).to.equal('Service web: build.ssh needs docker buildx, which this docker client does not have.');
  });
});
