import { expect } from 'chai';
import { parseImageReference, readImagePorts } from '../../src/aws/image-ports.js';
import { startFakeRegistry, type FakeRegistry } from '../support/fake-registry.js';

describe('image ports from the registry (EXPOSE), read at up', () => {
  let registry: FakeRegistry;
  before(async () => {
    registry = await startFakeRegistry(
      [
        { name: 'shop/postgres:16', platforms: { 'linux/amd64': ['5432/tcp'], 'linux/arm64': ['5432/tcp', '9187/tcp'] } },
        { name: 'tools/dns:1', platforms: { 'linux/amd64': ['53/udp', '53/tcp'] } },
        { name: 'secret/app:1', platforms: { 'linux/amd64': ['80/tcp'] } },
      ],
      { private: ['secret/app'] },
    );
  });
  after(() => registry.stop());

  it('parses references as docker does', () => {
    expect(parseImageReference('postgres')).to.deep.equal({ registry: 'registry-1.docker.io', repository: 'library/postgres', reference: 'latest' });
    expect(parseImageReference('bitnami/redis:7.2')).to.deep.equal({ registry: 'registry-1.docker.io', repository: 'bitnami/redis', reference: '7.2' });
    expect(parseImageReference('public.ecr.aws/docker/library/postgres:16')).to.deep.equal({ registry: 'public.ecr.aws', repository: 'docker/library/postgres', reference: '16' });
    expect(parseImageReference('localhost:5000/x@sha256:abc')).to.deep.equal({ registry: 'localhost:5000', repository: 'x', reference: 'sha256:abc' });
  });

  it('reads the exposed ports of the platform Fargate runs, through an anonymous token, and says why when it cannot', async () => {
    const h = registry.host;
    const ports = await readImagePorts([
      { image: `${h}/shop/postgres:16` },
      { image: `${h}/tools/dns:1` },
      { image: `${h}/secret/app:1` },
      { image: `${h}/missing/app:1` },
    ]);
    expect(ports).to.deep.equal({
      [`${h}/missing/app:1`]: { error: `${h}: the registry does not have it` },
      [`${h}/secret/app:1`]: { error: `${h}: the image is private (the registry needs credentials)` },
      [`${h}/shop/postgres:16`]: { ports: [{ port: 5432, protocol: 'tcp' }] },
      [`${h}/tools/dns:1`]: { ports: [{ port: 53, protocol: 'tcp' }, { port: 53, protocol: 'udp' }] },
    });
    const arm = await readImagePorts([{ image: `${h}/shop/postgres:16`, platform: 'linux/arm64' }]);
    expect(arm[`${h}/shop/postgres:16`]).to.deep.equal({ ports: [{ port: 5432, protocol: 'tcp' }, { port: 9187, protocol: 'tcp' }] });
  });

  it('gives a reason, not an exception, when the registry cannot be reached', async () => {
    const ports = await readImagePorts([{ image: '127.0.0.1:1/x:1' }], { timeoutMs: 3000 });
    expect(ports['127.0.0.1:1/x:1']).to.have.property('error').that.matches(/^127\.0\.0\.1:1 could not be reached/);
  });
});
