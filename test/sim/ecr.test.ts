import {
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
  PutLifecyclePolicyCommand,
  TagResourceCommand,
} from '@aws-sdk/client-ecr';
import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import { lifecyclePolicy } from '../../src/aws/ecr.js';
import { startSimulator, type Simulator } from './server.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const MANIFEST = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.docker.distribution.manifest.v2+json' });

/** A registry that holds shop/web:latest (the docker distribution API, read-only). */
function tinyRegistry(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    if (req.url === '/v2/shop/web/tags/list') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ name: 'shop/web', tags: ['latest'] }));
    if (req.url === '/v2/shop/web/manifests/latest' || req.url === `/v2/shop/web/manifests/${DIGEST}`) {
      res.writeHead(200, { 'content-type': 'application/vnd.docker.distribution.manifest.v2+json', 'docker-content-digest': DIGEST });
      return void res.end(req.method === 'HEAD' ? undefined : MANIFEST);
    }
    res.writeHead(404).end();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` })));
}

describe('simulator: ECR', () => {
  let sim: Simulator;
  let ecr: ECRClient;
  let registry: { server: Server; url: string };

  before(async () => {
    registry = await tinyRegistry();
  });
  after(() => new Promise<void>((r) => registry.server.close(() => r())));
  beforeEach(async () => {
    sim = await startSimulator();
    ecr = new ECRClient({ endpoint: sim.url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDSIM', secretAccessKey: 'sim' }, maxAttempts: 1 });
  });
  afterEach(() => sim.stop());

  const error = (p: Promise<unknown>) => p.then(() => undefined, (e: { name: string; message: string }) => `${e.name}: ${e.message}`);

  it('creates, describes, tags and sets the lifecycle policy of a repository, and refuses a second one of that name', async () => {
    const created = await ecr.send(new CreateRepositoryCommand({ repositoryName: 'shop/web', tags: [{ Key: 'com.docker.compose.project', Value: 'shop' }], imageScanningConfiguration: { scanOnPush: true } }));
    expect(created.repository?.repositoryUri).to.equal('123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/web');
    expect(await error(ecr.send(new CreateRepositoryCommand({ repositoryName: 'shop/web' })))).to.equal(
      "RepositoryAlreadyExistsException: The repository with name 'shop/web' already exists in the registry with id '123456789012'",
    );
    await ecr.send(new PutLifecyclePolicyCommand({ repositoryName: 'shop/web', lifecyclePolicyText: lifecyclePolicy() }));
    await ecr.send(new TagResourceCommand({ resourceArn: created.repository!.repositoryArn!, tags: [{ Key: 'team', Value: 'a' }] }));
    expect(sim.state.repositories.get('shop/web')?.tags).to.deep.equal([
      { Key: 'com.docker.compose.project', Value: 'shop' },
      { Key: 'team', Value: 'a' },
    ]);
    const described = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['shop/web'] }));
    expect(described.repositories?.[0]?.imageScanningConfiguration?.scanOnPush).to.equal(true);
    expect(await error(ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['shop/api'] })))).to.match(/^RepositoryNotFoundException: The repository with name 'shop\/api' does not exist/);
  });

  it('refuses what ECR refuses: repository names, lifecycle rules, image ids', async () => {
    for (const name of ['Shop/web', 'shop//web', 'a', 'shop/web-', '-shop']) {
      expect(await error(ecr.send(new CreateRepositoryCommand({ repositoryName: name }))), name).to.match(/^InvalidParameterException: Invalid parameter at 'repositoryName'/);
    }
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'shop/web' }));
    const bad = JSON.stringify({ rules: [{ rulePriority: 1, description: 'x'.repeat(80), selection: { tagStatus: 'tagged', countType: 'imageCountMoreThan', countNumber: 5 }, action: { type: 'expire' } }] });
    expect(await error(ecr.send(new PutLifecyclePolicyCommand({ repositoryName: 'shop/web', lifecyclePolicyText: bad })))).to.match(/tagPrefixList or tagPatternList is required/);
    expect(await error(ecr.send(new DescribeImagesCommand({ repositoryName: 'shop/web', imageIds: [{ imageDigest: 'sha256:abc' }] })))).to.match(/^InvalidParameterException: .*imageDigest/);
  });

  it('points the authorization token and the repository URIs at the scenario\'s registry, and reads its images', async () => {
    sim.setScenario({ registryUrl: registry.url });
    const token = await ecr.send(new GetAuthorizationTokenCommand({}));
    expect(token.authorizationData?.[0]?.proxyEndpoint).to.equal(registry.url);
    expect(Buffer.from(token.authorizationData![0]!.authorizationToken!, 'base64').toString()).to.match(/^AWS:\w{64}$/);
    const created = await ecr.send(new CreateRepositoryCommand({ repositoryName: 'shop/web' }));
    expect(created.repository?.repositoryUri).to.equal(`${new URL(registry.url).host}/shop/web`);

    const byDigest = await ecr.send(new DescribeImagesCommand({ repositoryName: 'shop/web', imageIds: [{ imageDigest: DIGEST }] }));
    expect(byDigest.imageDetails?.map((d) => [d.imageDigest, d.imageTags])).to.deep.equal([[DIGEST, ['latest']]]);
    expect(await error(ecr.send(new DescribeImagesCommand({ repositoryName: 'shop/web', imageIds: [{ imageTag: 'v2' }] })))).to.match(/^ImageNotFoundException: The image with imageId \{imageDigest:'null', imageTag:'v2'\} does not exist/);
    const got = await ecr.send(new BatchGetImageCommand({ repositoryName: 'shop/web', imageIds: [{ imageTag: 'latest' }, { imageTag: 'v2' }] }));
    expect(got.images?.map((i) => [i.imageId?.imageDigest, i.imageManifest])).to.deep.equal([[DIGEST, MANIFEST]]);
    expect(got.failures?.map((f) => f.imageId?.imageTag)).to.deep.equal(['v2']);
  });
});
