import {
  CreateRepositoryCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  GetAuthorizationTokenCommand,
  PutLifecyclePolicyCommand,
} from '@aws-sdk/client-ecr';
import { expect } from 'chai';
import { preparedImagePorts, prepareImages } from '../../src/aws/build-images.js';
import type { DeployEventBody } from '../../src/aws/events.js';
import { imageBuilds, type ImageBuild } from '../../src/convert/image-builds.js';
import { UserError } from '../../src/errors.js';
import { loadYaml } from '../convert/helpers.js';
import { awsError, mockedClients } from './helpers.js';
import { D1, D2, FakeEngine } from './fake-engine.js';

const HOST = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
const TOKEN = Buffer.from('AWS:very-secret-password').toString('base64');

function setup(yaml: string) {
  const m = mockedClients();
  m.ecr.on(GetAuthorizationTokenCommand).resolves({ authorizationData: [{ authorizationToken: TOKEN, proxyEndpoint: `https://${HOST}` }] });
  const engine = new FakeEngine();
  const events: DeployEventBody[] = [];
  const ctx = { clients: m.clients, signal: new AbortController().signal, emit: (e: DeployEventBody) => events.push(e) };
  const builds = imageBuilds(loadYaml(yaml, { projectName: 'shop' }));
  return { ...m, engine, events, ctx, builds };
}

const repoMissing = () => awsError('RepositoryNotFoundException', "The repository with name 'shop/web' does not exist in the registry with id '123456789012'");

describe('aws: build and push the images of services with build', () => {
  it('creates the missing repository with the project tag, scanning and a keep-last-10 lifecycle rule, builds, pushes, and answers the image by digest', async () => {
    const s = setup('services: { web: { build: ./web } }');
    s.ecr.on(DescribeRepositoriesCommand).rejects(repoMissing());
    s.ecr.on(CreateRepositoryCommand).resolves({ repository: { repositoryName: 'shop/web', repositoryUri: `${HOST}/shop/web` } });
    s.ecr.on(PutLifecyclePolicyCommand).resolves({});
    const images = await prepareImages(s.ctx, { project: 'shop', builds: s.builds, engine: s.engine });
    expect(images).to.deep.equal([{ service: 'web', parameter: 'WebImage', image: `${HOST}/shop/web@${D2}`, pushed: true, ports: { ports: [] } }]);
    expect(s.engine.calls).to.deep.equal([`login ${HOST}`, `build web linux/amd64 ${HOST}/shop/web:latest`, `push ${HOST}/shop/web:latest`]);
    expect(s.ecr.commandCalls(CreateRepositoryCommand)[0]!.args[0].input).to.deep.equal({
      repositoryName: 'shop/web',
      tags: [{ Key: 'com.docker.compose.project', Value: 'shop' }],
      imageScanningConfiguration: { scanOnPush: true },
      imageTagMutability: 'MUTABLE',
    });
    const policy = JSON.parse(s.ecr.commandCalls(PutLifecyclePolicyCommand)[0]!.args[0].input.lifecyclePolicyText!);
    expect(policy.rules[0].selection).to.deep.equal({ tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 10 });
    expect(JSON.stringify(s.events)).not.to.contain(TOKEN);
    expect(JSON.stringify(s.events)).not.to.contain('very-secret-password');
  });

  it('pushes nothing when the build gives an image the repository already holds under its tag', async () => {
    const s = setup('services: { web: { build: ./web } }');
    s.ecr.on(DescribeRepositoriesCommand).resolves({ repositories: [{ repositoryName: 'shop/web', repositoryUri: `${HOST}/shop/web` }] });
    s.ecr.on(DescribeImagesCommand, { repositoryName: 'shop/web', imageIds: [{ imageDigest: D1 }] }).resolves({ imageDetails: [{ imageDigest: D1, imageTags: ['latest'] }] });
    s.engine.local[`${HOST}/shop/web:latest`] = [`${HOST}/shop/web@${D1}`, `elsewhere.example.com/web@${D2}`];
    const images = await prepareImages(s.ctx, { project: 'shop', builds: s.builds, engine: s.engine });
    expect(images).to.deep.equal([{ service: 'web', parameter: 'WebImage', image: `${HOST}/shop/web@${D1}`, pushed: false, ports: { ports: [] } }]);
    expect(s.engine.calls.filter((c) => c.startsWith('push'))).to.deep.equal([]);
    expect(s.ecr.commandCalls(CreateRepositoryCommand)).to.have.length(0);
    expect(s.events.map((e) => (e.kind === 'notice' ? e.message : ''))).to.include(`Service web: unchanged, ${HOST}/shop/web@${D1} is already pushed.`);
  });

  it('pushes again with --build, and when the digest is there under another tag only', async () => {
    for (const [policy, tags] of [['always', ['latest']], ['changed', ['v0']]] as const) {
      const s = setup('services: { web: { build: ./web } }');
      s.ecr.on(DescribeRepositoriesCommand).resolves({ repositories: [{ repositoryName: 'shop/web', repositoryUri: `${HOST}/shop/web` }] });
      s.ecr.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: D1, imageTags: [...tags] }] });
      s.engine.local[`${HOST}/shop/web:latest`] = [`${HOST}/shop/web@${D1}`];
      const images = await prepareImages(s.ctx, { project: 'shop', builds: s.builds, engine: s.engine, policy });
      expect(images[0]!.pushed, policy).to.equal(true);
    }
  });

  it('with --no-build deploys what the tag points at, and refuses with a sentence when nothing is pushed', async () => {
    const s = setup('services: { web: { build: ./web } }');
    s.ecr.on(DescribeRepositoriesCommand).resolves({ repositories: [{ repositoryName: 'shop/web', repositoryUri: `${HOST}/shop/web` }] });
    s.ecr.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: D1, imageTags: ['latest'] }] });
    const images = await prepareImages(s.ctx, { project: 'shop', builds: s.builds, engine: s.engine, policy: 'never' });
    expect(images[0]!.image).to.equal(`${HOST}/shop/web@${D1}`);
    expect(s.engine.calls.filter((c) => !c.startsWith('login'))).to.deep.equal([]);

    const t = setup('services: { web: { build: ./web } }');
    t.ecr.on(DescribeRepositoriesCommand).rejects(repoMissing());
    t.ecr.on(DescribeImagesCommand).rejects(repoMissing());
    const e = await prepareImages(t.ctx, { project: 'shop', builds: t.builds, engine: t.engine, policy: 'never' }).catch((x: unknown) => x);
    expect(e).to.be.instanceOf(UserError);
    expect((e as Error).message).to.equal(`Service web: --no-build deploys the pushed image, but ${HOST}/shop/web:latest has not been pushed.`);
    expect(t.ecr.commandCalls(CreateRepositoryCommand)).to.have.length(0);
  });

  it('reads the ports each built image declares (EXPOSE) from the engine, for up only', async () => {
    const s = setup('services: { web: { build: ./web } }');
    s.ecr.on(DescribeRepositoriesCommand).resolves({ repositories: [{ repositoryName: 'shop/web', repositoryUri: `${HOST}/shop/web` }] });
    s.ecr.on(DescribeImagesCommand).rejects(awsError('ImageNotFoundException', 'not found'));
    s.engine.declares.web = ['9090/udp', '8080/tcp', '7000-7001/tcp'];
    const images = await prepareImages(s.ctx, { project: 'shop', builds: s.builds, engine: s.engine });
    expect(images[0]!.ports).to.deep.equal({ ports: [{ port: 8080, protocol: 'tcp' }, { port: 9090, protocol: 'udp' }] });
    expect(preparedImagePorts(images)).to.deep.equal({ WebImage: images[0]!.ports });
    // `compose build` deploys nothing: no ports read
    const built = await prepareImages(s.ctx, { project: 'shop', builds: s.builds, engine: s.engine, steps: { build: true, push: false } });
    expect(built[0]).not.to.have.property('ports');
  });

  it('with --no-build reads the ports of the pushed image by digest when the engine has it, else says why not', async () => {
    const s = setup('services: { web: { build: ./web } }');
    s.ecr.on(DescribeRepositoriesCommand).resolves({ repositories: [{ repositoryName: 'shop/web', repositoryUri: `${HOST}/shop/web` }] });
    s.ecr.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: D1, imageTags: ['latest'] }] });
    s.engine.images[`${HOST}/shop/web@${D1}`] = ['8080/tcp'];
    s.engine.images[`${HOST}/shop/web:latest`] = ['1234/tcp']; // a newer local build, not what is deployed
    const [image] = await prepareImages(s.ctx, { project: 'shop', builds: s.builds, engine: s.engine, policy: 'never' });
    expect(image!.ports).to.deep.equal({ ports: [{ port: 8080, protocol: 'tcp' }] });

    s.engine.images = {};
    const [unknown] = await prepareImages(s.ctx, { project: 'shop', builds: s.builds, engine: s.engine, policy: 'never' });
    expect(unknown!.ports).to.deep.equal({ error: `--no-build, and the engine of docker context "default" does not have ${HOST}/shop/web@${D1}` });
  });

  it('pushes an image on another registry with the user\'s own credentials, without ECR repositories', async () => {
    const s = setup('services: { api: { build: ., image: ghcr.io/team/api:2 } }');
    const images = await prepareImages(s.ctx, { project: 'shop', builds: s.builds, engine: s.engine });
    expect(images[0]!.image).to.equal(`ghcr.io/team/api@${D2}`);
    expect(s.engine.calls).to.deep.equal(['build api linux/amd64 ghcr.io/team/api:2', 'push ghcr.io/team/api:2 (own credentials)']);
    expect(s.ecr.calls()).to.have.length(0);
  });

  it('refuses an image on the ECR registry of another account or region, naming the service', async () => {
    const s = setup('services: { api: { build: ., image: 999999999999.dkr.ecr.us-west-2.amazonaws.com/api:1 } }');
    const e = (await prepareImages(s.ctx, { project: 'shop', builds: s.builds, engine: s.engine }).catch((x: unknown) => x)) as UserError;
    expect(e.message).to.equal(`Service api: image names the ECR registry 999999999999.dkr.ecr.us-west-2.amazonaws.com, but the context's account and region push to ${HOST}.`);
    expect(s.engine.calls.filter((c) => c.startsWith('build'))).to.deep.equal([]);
  });

  it('shows the builder\'s own lines as the service\'s log lines, and not the push output of a reference', async () => {
    const s = setup('services: { web: { build: ./web } }');
    s.ecr.on(DescribeRepositoriesCommand).resolves({ repositories: [{ repositoryName: 'shop/web', repositoryUri: `${HOST}/shop/web` }] });
    s.ecr.on(DescribeImagesCommand).rejects(awsError('ImageNotFoundException', 'not found'));
    let onLine: ((service: string, line: string) => void) | undefined;
    const engine = Object.assign(s.engine, {
      follow: (f: (service: string, line: string) => void) => void (onLine = f),
      build: async (b: ImageBuild) => {
        onLine?.(b.service, 'Step 1/2 : FROM scratch');
        onLine?.(b.service, 'Successfully built 0123456789ab');
      },
      push: async (reference: string) => {
        onLine?.(reference, 'latest: digest: sha256:... size: 1');
        return D2;
      },
    });
    await prepareImages(s.ctx, { project: 'shop', builds: s.builds, engine });
    const logs = s.events.filter((e) => e.kind === 'log');
    expect(logs.map((e) => e.kind === 'log' && [e.service, e.taskId, e.message])).to.deep.equal([
      ['web', 'build', 'Step 1/2 : FROM scratch'],
      ['web', 'build', 'Successfully built 0123456789ab'],
    ]);
  });

  it('in a dry run says what would be built and pushed, and builds, creates and pushes nothing', async () => {
    const s = setup('services: { web: { build: ./web, platform: linux/arm64 } }');
    s.ecr.on(DescribeRepositoriesCommand).rejects(repoMissing());
    const images = await prepareImages(s.ctx, { project: 'shop', builds: s.builds, engine: s.engine }, true);
    expect(images[0]!.image).to.equal(`${HOST}/shop/web:latest`);
    expect(s.engine.calls).to.deep.equal([`login ${HOST}`]);
    expect(s.ecr.commandCalls(CreateRepositoryCommand)).to.have.length(0);
    expect(s.events).to.deep.equal([
      { kind: 'notice', level: 'info', message: `Service web: up would build /project/web for linux/arm64 with the engine of docker context "default" and push it to ECR repository shop/web (${HOST}/shop/web:latest), unless that image is already there.` },
    ]);
  });

  it('only builds for `compose build`, tagged where up pushes it, without creating the repository', async () => {
    const s = setup('services: { web: { build: ./web } }');
    s.ecr.on(DescribeRepositoriesCommand).rejects(repoMissing());
    const images = await prepareImages(s.ctx, { project: 'shop', builds: s.builds, engine: s.engine, steps: { build: true, push: false } });
    expect(images[0]!.image).to.equal(`${HOST}/shop/web:latest`);
    expect(s.engine.calls).to.deep.equal([`login ${HOST}`, `build web linux/amd64 ${HOST}/shop/web:latest`]);
    expect(s.ecr.commandCalls(CreateRepositoryCommand)).to.have.length(0);
  });
});
