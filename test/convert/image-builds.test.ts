import { expect } from 'chai';
import { container, convertYaml, loadYaml, refusal } from './helpers.js';
import { imageBuilds, parseImageReference, projectRepository } from '../../src/convert/image-builds.js';

describe('convert: services with build', () => {
  it('takes the image of a built service from the <Svc>Image parameter, with no default, and no warning', () => {
    const { template, diagnostics } = convertYaml('services: { api: { build: ./api } }');
    expect(template.Parameters?.ApiImage).to.deep.equal({
      Type: 'String',
      Description: 'Image of service api, built from its build context and pushed by up to ECR repository app/api (repository@sha256:digest)',
    });
    expect(container(template, 'api').Image).to.deep.equal({ Ref: 'ApiImage' });
    expect(diagnostics.filter((d) => d.key === 'build')).to.deep.equal([]);
  });

  it('keeps the image of a service without build as written', () => {
    const { template } = convertYaml('services: { db: { image: postgres:16 } }');
    expect(container(template, 'db').Image).to.equal('postgres:16');
    expect(Object.keys(template.Parameters ?? {}).filter((p) => p.endsWith('Image'))).to.deep.equal([]);
  });

  it('pushes to the repository image names when both are set, as compose does', () => {
    const project = loadYaml(
      [
        'services:',
        '  a: { build: ., image: "mealie:dev" }',
        '  b: { build: ., image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/b:1" }',
        '  c: { build: ., image: "ghcr.io/team/c" }',
        '  d: { build: ., platform: linux/arm64 }',
      ].join('\n'),
    );
    expect(imageBuilds(project).map((b) => [b.service, b.parameter, b.platform, b.destination])).to.deep.equal([
      ['a', 'AImage', 'linux/amd64', { kind: 'ecr', repository: 'mealie', tag: 'dev' }],
      ['b', 'BImage', 'linux/amd64', { kind: 'ecr', repository: 'team/b', tag: '1', host: '123456789012.dkr.ecr.eu-west-1.amazonaws.com' }],
      ['c', 'CImage', 'linux/amd64', { kind: 'registry', reference: 'ghcr.io/team/c:latest' }],
      ['d', 'DImage', 'linux/arm64', { kind: 'ecr', repository: 'app/d', tag: 'latest' }],
    ]);
  });

  it('names the project repository within what ECR accepts', () => {
    expect(projectRepository('my__app', 'Web.1')).to.equal('my-app/web-1');
    expect(projectRepository('shop', 'api')).to.equal('shop/api');
  });

  it('splits image references as docker does', () => {
    expect(parseImageReference('localhost:5000/a/b:2')).to.deep.equal({ host: 'localhost:5000', path: 'a/b', tag: '2' });
    expect(parseImageReference('team/api')).to.deep.equal({ path: 'team/api' });
    expect(parseImageReference('x@sha256:ab')).to.deep.equal({ path: 'x', digest: 'sha256:ab' });
  });

  it('refuses build with an image pinned by digest: nothing could be pushed there', () => {
    const e = refusal('services: { api: { build: ., image: "r.example.com/api@sha256:0000" } }');
    expect(e.message).to.equal('Service api: build is set with image r.example.com/api@sha256:0000, which is pinned by digest, so up cannot push the build there.');
    expect(e.where?.path).to.equal('services.api.build');
  });
});
