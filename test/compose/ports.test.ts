import { expect } from 'chai';
import { loadCompose, loadError } from './helpers.js';

const ports = (list: string) => loadCompose(`services:\n  web:\n    image: a\n    ports:\n${list}`).services.web!.ports;

describe('ports', () => {
  it('reads a bare container port, as a number or a string', () => {
    expect(ports('      - 80\n      - "3000"\n')).to.deep.equal([
      { target: 80, mode: 'ingress', protocol: 'tcp' },
      { target: 3000, mode: 'ingress', protocol: 'tcp' },
    ]);
  });

  it('reads HOST:CONTAINER and a protocol', () => {
    expect(ports('      - "8080:80"\n      - "53:53/udp"\n')).to.deep.equal([
      { target: 80, published: '8080', protocol: 'tcp', mode: 'ingress' },
      { target: 53, published: '53', protocol: 'udp', mode: 'ingress' },
    ]);
  });

  it('reads a host address, with or without a host port, IPv4 or bracketed IPv6', () => {
    expect(ports('      - "127.0.0.1:80:80/udp"\n      - "127.0.0.1::81"\n      - "[::1]:82:82"\n')).to.deep.equal([
      { host_ip: '127.0.0.1', target: 80, published: '80', protocol: 'udp', mode: 'ingress' },
      { host_ip: '127.0.0.1', target: 81, protocol: 'tcp', mode: 'ingress' },
      { host_ip: '::1', target: 82, published: '82', protocol: 'tcp', mode: 'ingress' },
    ]);
  });

  it('expands matching ranges into one entry per port', () => {
    expect(ports('      - "9090-9091:8080-8081"\n      - "7000-7001"\n')!.map((p) => `${p.published ?? '-'}>${p.target}`)).to.deep.equal(['9090>8080', '9091>8081', '->7000', '->7001']);
  });

  it('keeps a host range for a single container port', () => {
    expect(ports('      - "8000-8010:80"\n')).to.deep.equal([{ target: 80, published: '8000-8010', protocol: 'tcp', mode: 'ingress' }]);
  });

  it('reads the long form with its x- keys, a string target and a numeric published port', () => {
    expect(ports('      - target: "80"\n        published: 8080\n        app_protocol: http\n        name: web\n        x-aws-protocol: http\n')).to.deep.equal([
      { target: 80, published: '8080', protocol: 'tcp', app_protocol: 'http', name: 'web', extensions: { 'x-aws-protocol': 'http' } },
    ]);
  });

  it('refuses ranges of different sizes, bad numbers and unknown protocols, with file and line', () => {
    expect(loadError(() => ports('      - "80-82:80-81"\n'))).to.equal('compose.yaml:5: services.web.ports[0] has host range 80-82 and container range 80-81 of different sizes in "80-82:80-81".');
    expect(loadError(() => ports('      - "80"\n      - "70000"\n'))).to.equal('compose.yaml:6: services.web.ports[1] has an invalid port "70000"; ports are whole numbers from 0 to 65535.');
    expect(loadError(() => ports('      - "80/sctx"\n'))).to.equal('compose.yaml:5: services.web.ports[0].protocol must be tcp or udp, not "sctx".');
  });
});
