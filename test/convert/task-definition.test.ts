import { expect } from 'chai';
import { container, convertYaml, props, refusal } from './helpers.js';
import { UserError } from '../../src/errors.js';

describe('convert: task definition', () => {
  it('maps image, command, entrypoint, user, working_dir, init and the SYS_PTRACE / cap_drop capabilities', () => {
    const { template } = convertYaml(`
services:
  web:
    image: nginx:1.27
    command: ["nginx", "-g", "daemon off;"]
    entrypoint: /docker-entrypoint.sh
    user: "101"
    working_dir: /srv
    init: true
    cap_add: [SYS_PTRACE]
    cap_drop: [SYSLOG, NET_RAW]
`);
    const c = container(template, 'web');
    expect(c).to.deep.include({
      Name: 'web',
      Image: 'nginx:1.27',
      Essential: true,
      Command: ['nginx', '-g', 'daemon off;'],
      EntryPoint: ['/docker-entrypoint.sh'],
      User: '101',
      WorkingDirectory: '/srv',
    });
    expect(c.LinuxParameters).to.deep.equal({ InitProcessEnabled: true, Capabilities: { Add: ['SYS_PTRACE'], Drop: ['NET_RAW', 'SYSLOG'] } });
  });

  it('is a Fargate awsvpc task of family <project>-<service> run by its execution role', () => {
    const p = props(convertYaml('services: { web: { image: nginx } }').template, 'WebTaskDefinition');
    expect(p).to.deep.include({ Family: 'app-web', NetworkMode: 'awsvpc', RequiresCompatibilities: ['FARGATE'], Cpu: '256', Memory: '512' });
    expect(p.ExecutionRoleArn).to.deep.equal({ 'Fn::GetAtt': ['WebTaskExecutionRole', 'Arn'] });
    // a service without x-aws-role, x-aws-policies or volumes runs with the project's ECS Exec role
    expect(p.TaskRoleArn).to.deep.equal({ 'Fn::GetAtt': ['ExecTaskRole', 'Arn'] });
  });

  it('merges env_file under environment, sorts by name, and leaves out variables without a value', () => {
    const { template } = convertYaml(
      `
services:
  web:
    image: nginx
    env_file: [web.env]
    environment:
      ZED: last
      FOO: from-environment
      UNSET:
`,
      { files: { 'web.env': 'FOO=from-file\nALPHA=1\n' } },
    );
    expect(container(template, 'web').Environment).to.deep.equal([
      { Name: 'ALPHA', Value: '1' },
      { Name: 'FOO', Value: 'from-environment' },
      { Name: 'ZED', Value: 'last' },
    ]);
  });

  it('maps the healthcheck with durations in whole seconds, and drops a disabled one', () => {
    const { template } = convertYaml(`
services:
  web:
    image: nginx
    healthcheck: { test: ["CMD", "curl", "-f", "http://localhost"], interval: 1m30s, timeout: 10s, retries: 3, start_period: 40s }
  quiet:
    image: nginx
    healthcheck: { disable: true }
`);
    expect(container(template, 'web').HealthCheck).to.deep.equal({ Command: ['CMD', 'curl', '-f', 'http://localhost'], Interval: 90, Timeout: 10, Retries: 3, StartPeriod: 40 });
    expect(container(template, 'quiet')).not.to.have.property('HealthCheck');
  });

  it('warns that healthcheck.start_interval has no ECS equivalent', () => {
    const { diagnostics } = convertYaml('services: { web: { image: nginx, healthcheck: { test: "true", start_period: 30s, start_interval: 1s } } }');
    expect(diagnostics.map((d) => d.key)).to.deep.equal(['healthcheck.start_interval']);
  });

  it('clamps healthcheck values ECS would reject, with a warning', () => {
    const { template, diagnostics } = convertYaml(`
services:
  web: { image: nginx, healthcheck: { test: "curl -f localhost", interval: 1s } }
`);
    expect(container(template, 'web').HealthCheck).to.deep.equal({ Command: ['CMD-SHELL', 'curl -f localhost'], Interval: 5 });
    expect(diagnostics.map((d) => d.message)).to.deep.equal(['Service web: healthcheck interval 1s is outside what ECS accepts (5-300); using 5.']);
  });

  it('clamps every healthcheck value to ECS ranges (timeout 2-60 s), never passing one through', () => {
    const { template, diagnostics } = convertYaml(`
services:
  web: { image: nginx, healthcheck: { test: "true", interval: 10m, timeout: 90s, retries: 20, start_period: 10m } }
`);
    expect(container(template, 'web').HealthCheck).to.deep.equal({ Command: ['CMD-SHELL', 'true'], Interval: 300, Timeout: 60, Retries: 10, StartPeriod: 300 });
    expect(diagnostics.map((d) => d.message)).to.deep.equal([
      'Service web: healthcheck interval 600s is outside what ECS accepts (5-300); using 300.',
      'Service web: healthcheck timeout 90s is outside what ECS accepts (2-60); using 60.',
      'Service web: healthcheck startperiod 600s is outside what ECS accepts (0-300); using 300.',
      'Service web: healthcheck retries 20 is outside what ECS accepts (1-10); using 10.',
    ]);
  });

  it('refuses a memory reservation above the memory limit, naming the service and key', () => {
    expect(refusal('services: { c: { image: a, deploy: { resources: { limits: { memory: 256M }, reservations: { memory: 1G } } } } }').message).to.equal(
      'Service c: deploy.resources.reservations.memory is 1G, above the memory limit 256M; ECS refuses a reservation larger than the limit.',
    );
    expect(refusal('services: { c: { image: a, mem_limit: 256m, mem_reservation: 512m } }').message).to.match(/^Service c: mem_reservation is 512M, above the memory limit 256M/);
    expect(refusal('services: { c: { image: a, mem_reservation: 512m, deploy: { resources: { limits: { memory: 256M } } } } }').message).to.match(/^Service c: mem_reservation is 512M/);
    expect(container(convertYaml('services: { c: { image: a, deploy: { resources: { limits: { memory: 1G }, reservations: { memory: 256M } } } } }').template, 'c').MemoryReservation).to.equal(256);
  });

  it('refuses sysctls ECS cannot set in a container, and maps the namespaced ones', () => {
    expect(refusal('services: { es: { image: a, sysctls: { vm.max_map_count: "262144", net.core.somaxconn: "1024" } } }').message).to.match(
      /^Service es: sysctls sets vm\.max_map_count, which ECS cannot set per container/,
    );
    const ok = convertYaml('services: { q: { image: a, sysctls: { kernel.shmmax: "1", fs.mqueue.msg_max: "20", net.ipv4.tcp_keepalive_time: "60" } } }').template;
    expect(container(ok, 'q').SystemControls.map((c: { Namespace: string }) => c.Namespace)).to.deep.equal(['fs.mqueue.msg_max', 'kernel.shmmax', 'net.ipv4.tcp_keepalive_time']);
  });

  it('sends logs to the project log group through awslogs, with awslogs-* options on top', () => {
    const { template, diagnostics } = convertYaml(`
services:
  web:
    image: nginx
    logging: { driver: awslogs, options: { awslogs-datetime-format: "%Y", max-size: 10m } }
`);
    expect(container(template, 'web').LogConfiguration).to.deep.equal({
      LogDriver: 'awslogs',
      Options: {
        'awslogs-datetime-format': '%Y',
        'awslogs-group': { Ref: 'LogGroup' },
        'awslogs-region': { Ref: 'AWS::Region' },
        'awslogs-stream-prefix': 'app',
      },
    });
    expect(diagnostics.map((d) => d.key)).to.deep.equal(['logging.options']);
  });

  it('maps labels, nofile ulimits, read_only, tty, sysctls and stop_grace_period (capped at 120 s)', () => {
    const { template, diagnostics } = convertYaml(`
services:
  web:
    image: nginx
    labels: { tier: front }
    ulimits: { nofile: { soft: 1024, hard: 4096 }, nproc: 100 }
    read_only: true
    tty: true
    sysctls: { net.core.somaxconn: "1024" }
    stop_grace_period: 5m
`);
    const c = container(template, 'web');
    expect(c).to.deep.include({ DockerLabels: { tier: 'front' }, ReadonlyRootFilesystem: true, PseudoTerminal: true, StopTimeout: 120 });
    expect(c.Ulimits).to.deep.equal([{ Name: 'nofile', SoftLimit: 1024, HardLimit: 4096 }]);
    expect(c.SystemControls).to.deep.equal([{ Namespace: 'net.core.somaxconn', Value: '1024' }]);
    expect(diagnostics.map((d) => d.key).sort()).to.deep.equal(['stop_grace_period', 'ulimits']);
  });

  it('runs platform linux/arm64 on Graviton and refuses platforms Fargate lacks', () => {
    expect(props(convertYaml('services: { web: { image: nginx, platform: linux/arm64 } }').template, 'WebTaskDefinition').RuntimePlatform).to.deep.equal({
      CpuArchitecture: 'ARM64',
      OperatingSystemFamily: 'LINUX',
    });
    expect(() => convertYaml('services: { web: { image: nginx, platform: linux/386 } }')).to.throw(UserError, /Service web: platform is linux\/386/);
  });

  it('declares every port of ports and expose, named for Service Connect, without host ports', () => {
    const { template } = convertYaml('services: { db: { image: postgres, expose: ["5432"], ports: ["9187:9187", "53/udp"] } }');
    expect(container(template, 'db').PortMappings).to.deep.equal([
      { ContainerPort: 53, Protocol: 'udp', Name: 'db-53-udp' },
      { ContainerPort: 5432, Protocol: 'tcp', Name: 'db-5432-tcp' },
      { ContainerPort: 9187, Protocol: 'tcp', Name: 'db-9187-tcp' },
    ]);
  });

  it('sets the container memory reservation from deploy.resources.reservations.memory', () => {
    const { template } = convertYaml('services: { web: { image: nginx, deploy: { resources: { reservations: { memory: 300M } } } } }');
    expect(container(template, 'web').MemoryReservation).to.equal(300);
  });
});
