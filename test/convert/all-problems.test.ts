import { expect } from 'chai';
import { refusal } from './helpers.js';

describe('convert: every problem of the project at once', () => {
  it('reports every refused key of every service, each with its own line, service and key, in one error', () => {
    const e = refusal(`services:
  web:
    image: nginx
    volumes:
      - /srv/a:/a
      - /srv/b:/b
  vpn:
    image: wg
    cap_add: [NET_ADMIN]
    network_mode: host
`);
    expect(e.message.split('\n')).to.deep.equal([
      '4 problems stop the conversion; fix them, then run again:',
      'compose.yaml:9: Service vpn: cap_add adds NET_ADMIN; Fargate only allows adding SYS_PTRACE.',
      'compose.yaml:10: Service vpn: network_mode is not supported: Fargate tasks always use awsvpc networking. Remove network_mode and use networks.',
      'compose.yaml:5: Service web: volumes bind-mounts /srv/a at /a, a host path outside the project folder; no AWS machine has it. Move the files into the project folder (they are then delivered into the task), or set x-aws-mounts: { "/a": data } to use an empty EFS volume instead.',
      'compose.yaml:6: Service web: volumes bind-mounts /srv/b at /b, a host path outside the project folder; no AWS machine has it. Move the files into the project folder (they are then delivered into the task), or set x-aws-mounts: { "/b": data } to use an empty EFS volume instead.',
    ]);
  });

  it('keeps a single refusal as it was: one sentence with its own file, line, key path and hint', () => {
    const e = refusal('services:\n  web:\n    image: nginx\n    environment: { A: "1" }\n    network_mode: host\n');
    expect(e.message).to.equal('Service web: network_mode is not supported: Fargate tasks always use awsvpc networking.');
    expect(e.options.hint).to.equal('Remove network_mode and use networks.');
    expect(e.where).to.include({ file: 'compose.yaml', line: 5, path: 'services.web.network_mode' });
  });

  it('names the line of the refused list entry, not of the service', () => {
    const e = refusal('services:\n  web:\n    image: nginx\n    volumes:\n      - data:/data\n      - type: bind\n        source: /srv/cache\n        target: /cache\nvolumes: { data: {} }\n');
    expect(e.where).to.include({ line: 6, path: 'services.web.volumes[1]' });
  });

  it('reports a bad value in each of several services once the keys are accepted', () => {
    const e = refusal(`services:
  a:
    image: nginx
    deploy: { update_config: { parallelism: 2 } }
  b:
    image: nginx
    deploy: { replicas: 1, update_config: { parallelism: 3 } }
`);
    const lines = e.message.split('\n');
    expect(lines[0]).to.equal('2 problems stop the conversion; fix them, then run again:');
    expect(lines[1]).to.match(/^Service a sets deploy\.update_config\.parallelism without deploy\.replicas/);
    expect(lines[2]).to.match(/^Service b: deploy\.replicas \(1\) must be at least deploy\.update_config\.parallelism \(3\)\./);
  });

  it('reports a declaration read by several steps once', () => {
    const e = refusal('services: { web: { image: nginx, secrets: [db] } }\nsecrets: { db: { external: true, name: prod/db } }');
    expect(e.message).to.match(/^External secret db must be named by the ARN/);
    expect(e.message).to.not.match(/problems stop/);
  });
});
