import { expect } from 'chai';
import { splitImage } from '../../src/aws/images.js';
import { renderImages } from '../../src/ui/images.js';

describe('images', () => {
  it('splits image references as docker does', () => {
    expect(splitImage('public.ecr.aws/nginx/nginx:1.27')).to.deep.equal({ repository: 'public.ecr.aws/nginx/nginx', tag: '1.27', digest: '' });
    expect(splitImage('localhost:5000/app')).to.deep.equal({ repository: 'localhost:5000/app', tag: 'latest', digest: '' });
    expect(splitImage('busybox@sha256:abc')).to.deep.equal({ repository: 'busybox', tag: '', digest: 'sha256:abc' });
  });

  it('prints CONTAINER REPOSITORY TAG IMAGE ID', () => {
    const out = renderImages([{ Container: 'abc', Service: 'web', Repository: 'nginx', Tag: '1.27', ImageID: '' }], 'table', false);
    expect(out).to.equal('CONTAINER   REPOSITORY   TAG    IMAGE ID\nabc         nginx        1.27   -\n');
  });
});
