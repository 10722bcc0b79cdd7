import { expect } from 'chai';
import type { Template } from '../../src/cloudformation/template.js';
import { reachability } from '../../src/convert/reachability.js';
import { spawnFakeRegistry, type ChildRegistry } from '../support/fake-registry.js';
import { startE2E, type E2E } from './helpers.js';

async function deployedTemplate(e: E2E): Promise<Template> {
  const create = (await e.sim.calls()).filter((c) => c.operation === 'CreateStack' || c.operation === 'CreateChangeSet').at(-1);
  expect(create, 'a CreateStack call').not.to.equal(undefined);
  return JSON.parse(create!.params.TemplateBody as string) as Template;
}

describe('who reaches whom, through docker and the AWS simulator', function () {
  this.timeout(120_000);
  let e: E2E | undefined;
  let registry: ChildRegistry | undefined;
  afterEach(async () => {
    await e?.stop();
    e = undefined;
  });
  // the templates sent to the simulator are linted by the suite-wide cfn-lint hook
  after(async () => registry?.stop());

  it('deploys the example shop with api reaching db:5432 by its short name, and nothing warned about it', async () => {
    e = await startE2E();
    const up = e.compose(['up']);
    expect(up.code, up.stderr).to.equal(0);
    expect(up.stderr).not.to.match(/connects to|no short name/);
    const template = await deployedTemplate(e);
    expect(reachability(template, [{ from: 'api', to: 'db', port: 5432, protocol: 'tcp' }])[0]).to.include({ reach: 'short-name', address: 'db:5432' });
  });

  it('gives the ports the image declares a short name at up, after convert said it could not read the image', async () => {
    registry = await spawnFakeRegistry([{ name: 'shop/postgres:16', platforms: { 'linux/amd64': ['5432/tcp'] } }]);
    e = await startE2E({
      project: {
        'compose.yaml': `name: reach
services:
  db:
    image: ${registry.host}/shop/postgres:16
  api:
    image: public.ecr.aws/docker/library/node:20-alpine
    environment:
      DATABASE_URL: postgres://shop@db:5432/shop
      METRICS: http://db:9187/metrics
`,
      },
    });
    const convert = e.compose(['convert']);
    expect(convert.code, convert.stderr).to.equal(0);
    expect(convert.stderr).to.contain(
      `Service api connects to db:5432 (environment DATABASE_URL), but db declares no port 5432 (ports or expose) and convert does not read images, so unless db's image declares it (EXPOSE, read at up) only db.reach.local:5432 reaches it`,
    );
    const up = e.compose(['up']);
    expect(up.code, up.stderr).to.equal(0);
    expect(up.stderr, up.stderr).not.to.contain('connects to db:5432');
    // 9187 is neither in the file nor in the image: said at up, naming both services and the port
    expect(up.stderr).to.contain(`Service api connects to db:9187 (environment METRICS), but neither db's ports and expose nor its image declare port 9187, so only db.reach.local:9187 reaches it`);
    expect((await registry.requests()).some((p) => p.startsWith('/v2/shop/postgres/blobs/'))).to.equal(true);
    const template = await deployedTemplate(e);
    const [db5432, db9187] = reachability(template, [
      { from: 'api', to: 'db', port: 5432, protocol: 'tcp' },
      { from: 'api', to: 'db', port: 9187, protocol: 'tcp' },
    ]);
    expect(db5432).to.include({ reach: 'short-name', address: 'db:5432' });
    expect(db9187).to.include({ reach: 'fqdn', address: 'db.reach.local:9187' });
  });
});
