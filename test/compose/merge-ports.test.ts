import { expect } from 'chai';
import { loadProject } from './helpers.js';

function ports(base: string, override: string) {
  const p = loadProject({ 'a.yaml': `services:\n  web:\n    image: a\n    ports: ${base}\n`, 'b.yaml': `services:\n  web:\n    ports: ${override}\n` }, { files: ['a.yaml', 'b.yaml'] });
  return p.services.web!.ports!.map((x) => `${x.host_ip ? `${x.host_ip}:` : ''}${x.published ?? ''}:${x.target}/${x.protocol}`);
}

describe('merging ports', () => {
  it('appends ports from the override file', () => {
    expect(ports('["80:80"]', '["443:443"]')).to.deep.equal([':80:80/tcp'.slice(1), '443:443/tcp']);
  });

  it('keeps one entry for a port written in both files', () => {
    expect(ports('["8080:80", "9000:9000"]', '["8080:80"]')).to.deep.equal(['8080:80/tcp', '9000:9000/tcp']);
  });

  it('treats the short and long form of the same port as one', () => {
    expect(ports('["8080:80"]', '[{target: 80, published: "8080"}]')).to.deep.equal(['8080:80/tcp']);
    expect(ports('["0.0.0.0:8080:80"]', '[{target: 80, published: 8080, protocol: tcp}]')).to.deep.equal(['8080:80/tcp']);
  });

  it('keeps different protocols and host addresses apart', () => {
    expect(ports('["53:53"]', '["53:53/udp", "127.0.0.1:53:53"]')).to.deep.equal(['53:53/tcp', '53:53/udp', '127.0.0.1:53:53/tcp']);
  });
});
