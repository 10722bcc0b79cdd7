import { expect } from 'chai';
import { convertYaml, refusal } from './helpers.js';
import { SERVICE_VERDICTS } from '../../src/convert/compatibility.js';


describe('convert: compatibility table', () => {
  it('refuses a bind mount of a host path outside the project, naming the service, the key and the path', () => {
    expect(refusal('services: { prom: { image: prom/prometheus, volumes: ["/srv/prometheus:/etc/prometheus"] } }').message).to.equal(
      'Service prom: volumes bind-mounts /srv/prometheus at /etc/prometheus, a host path outside the project folder; no AWS machine has it.',
    );
  });

  it('refuses capabilities other than SYS_PTRACE, privileged, network_mode and host devices', () => {
    expect(refusal('services: { vpn: { image: wg, cap_add: [NET_ADMIN, SYS_PTRACE] } }').message).to.equal('Service vpn: cap_add adds NET_ADMIN; Fargate only allows adding SYS_PTRACE.');
    expect(refusal('services: { x: { image: a, privileged: true } }').message).to.match(/Service x: privileged is true/);
    expect(refusal('services: { plex: { image: plex, network_mode: host } }').message).to.match(/Service plex: network_mode is not supported/);
    expect(refusal('services: { x: { image: a, devices: ["/dev/ttyUSB0:/dev/ttyUSB0"] } }').message).to.match(/Service x: devices is not supported/);
  });

  it('refuses devices other than GPUs, naming the service', () => {
    expect(refusal('services: { x: { image: a, deploy: { resources: { reservations: { devices: [{ capabilities: [tpu], count: 1 }] } } } } }').message).to.equal(
      'Service x: deploy.resources.reservations reserves devices with capabilities tpu; ECS only reserves GPUs.',
    );
  });

  it('warns once per service and key about ignored keys, and stays quiet about keys without effect', () => {
    const { diagnostics } = convertYaml(`
services:
  web:
    image: nginx
    container_name: my-web
    restart: on-failure
    hostname: web1
    dns: [1.1.1.1, 8.8.8.8]
    stop_signal: SIGQUIT
  db:
    image: postgres
    restart: always
    hostname: db1
`);
    expect(diagnostics.map((d) => `${d.service} ${d.key}`)).to.deep.equal(['db hostname', 'web dns', 'web hostname', 'web restart', 'web stop_signal']);
    expect(diagnostics.find((d) => d.key === 'restart')!.message).to.equal('Service web: restart on-failure is ignored: ECS replaces every stopped task of a service.');
  });

  it('maps named volumes and secrets without a warning', () => {
    const { diagnostics } = convertYaml(
      'services: { db: { image: postgres, volumes: ["db_data:/var/lib/postgresql/data"], secrets: [pw] } }\nvolumes: { db_data: {} }\nsecrets: { pw: { file: ./pw.txt } }',
      { files: { 'pw.txt': 'x' } },
    );
    expect(diagnostics).to.deep.equal([]);
  });

  it('warns about an unknown x-aws key on a service (a typo would otherwise be silent)', () => {
    const { diagnostics } = convertYaml('services: { web: { image: nginx, x-aws-polices: [] } }');
    expect(diagnostics.map((d) => d.key)).to.deep.equal(['x-aws-polices']);
  });

  it('warns about an unknown x-aws key under deploy, deploy.update_config and a port, as at the service level', () => {
    const { diagnostics, template } = convertYaml(`
services:
  web:
    image: nginx
    ports:
      - target: 80
        published: 80
        x-aws-protocl: http
    deploy:
      x-aws-autoscalng: { min: 1, max: 3, cpu: 50 }
      update_config:
        x-aws-min_percnt: 50
`);
    expect(diagnostics.map((d) => d.message)).to.deep.equal([
      'Service web: deploy.x-aws-autoscalng is not an x-aws key this tool knows, and is ignored (known under deploy: x-aws-autoscaling).',
      'Service web: deploy.update_config.x-aws-min_percnt is not an x-aws key this tool knows, and is ignored (known under deploy.update_config: x-aws-min_percent, x-aws-max_percent).',
      'Service web: ports[0].x-aws-protocl is not an x-aws key this tool knows, and is ignored (known under ports[0]: x-aws-protocol).',
    ]);
    expect(Object.values(template.Resources).some((r) => r.Type === 'AWS::ApplicationAutoScaling::ScalableTarget')).to.equal(false);
  });

  it('has a verdict for every key of the service model', () => {
    // the `satisfies Record<keyof ServiceConfig, Verdict>` makes a missing key a compile error;
    // this checks no verdict is malformed at run time
    for (const [key, verdict] of Object.entries(SERVICE_VERDICTS)) {
      const kinds = ['mapped', 'accepted', 'warn', 'refuse', 'check'].filter((k) => k in verdict);
      expect(kinds, key).to.have.length(1);
    }
  });
});
