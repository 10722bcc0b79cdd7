import { expect } from 'chai';
import { loadCompose, loadError } from './helpers.js';

describe('networks', () => {
  it('reads a service network list as a mapping without options', () => {
    const p = loadCompose('services:\n  web:\n    image: a\n    networks: [front, back]\nnetworks:\n  front:\n  back:\n');
    expect(p.services.web!.networks).to.deep.equal({ front: null, back: null });
  });

  it('reads the mapping form with aliases and addresses', () => {
    const p = loadCompose('services:\n  web:\n    image: a\n    networks:\n      front:\n        aliases: [www]\n        ipv4_address: 10.0.0.2\nnetworks:\n  front:\n    x-aws-cluster: true\n');
    expect(p.services.web!.networks).to.deep.equal({ front: { aliases: ['www'], ipv4_address: '10.0.0.2' } });
    expect(p.networks.front).to.deep.include({ name: 'project_front', extensions: { 'x-aws-cluster': true } });
  });

  it('puts a service without networks or network_mode on the implicit default network', () => {
    const p = loadCompose('services:\n  web:\n    image: a\n  host:\n    image: b\n    network_mode: host\n');
    expect(p.services.web!.networks).to.deep.equal({ default: null });
    expect(p.services.host!.networks).to.equal(undefined);
    expect(p.networks).to.deep.equal({ default: { name: 'project_default', extensions: {} } });
  });

  it('declares the default network only when an enabled service uses it', () => {
    const p = loadCompose('services:\n  web:\n    image: a\n    networks: [front]\n  tool:\n    image: t\n    profiles: [tools]\nnetworks:\n  front: {}\n');
    expect(Object.keys(p.networks)).to.deep.equal(['front']);
  });

  it('reads an external network by its own name, including the legacy external.name form', () => {
    const p = loadCompose('services:\n  web:\n    image: a\n    networks: [shared, old]\nnetworks:\n  shared:\n    external: true\n  old:\n    external:\n      name: legacy-net\n');
    expect([p.networks.shared!.name, p.networks.old!.name, p.networks.old!.external]).to.deep.equal(['shared', 'legacy-net', true]);
  });

  it('refuses a network that is not declared', () => {
    expect(loadError(() => loadCompose('services:\n  web:\n    image: a\n    networks: [frontend]\nnetworks:\n  front: {}\n'))).to.equal(
      'compose.yaml:4: services.web.networks.frontend refers to network "frontend", which is not defined. Declare it under the top-level networks key.',
    );
  });
});
