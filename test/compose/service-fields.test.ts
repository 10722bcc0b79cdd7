import { expect } from 'chai';
import { loadCompose, loadError } from './helpers.js';

const web = (body: string, env: Record<string, string> = {}) => loadCompose(`services:\n  web:\n    image: a\n${body}`, { env }).services.web!;

describe('other service keys', () => {
  it('splits a string command or entrypoint as a shell would', () => {
    const s = web(`    command: sh -c 'echo "hi there"' "a b" c\\ d\n    entrypoint: /bin/run --flag\n`);
    expect(s.command).to.deep.equal(['sh', '-c', 'echo "hi there"', 'a b', 'c d']);
    expect(s.entrypoint).to.deep.equal(['/bin/run', '--flag']);
  });

  it('keeps a list command as written and reads an empty command as null', () => {
    expect(web('    command: ["npm", "start"]\n').command).to.deep.equal(['npm', 'start']);
    expect(web('    command: []\n    entrypoint: ""\n')).to.deep.include({ command: null, entrypoint: null });
  });

  it('refuses a command with an unclosed quote', () => {
    expect(loadError(() => web(`    command: echo 'oops\n`))).to.equal(`compose.yaml:4: services.web.command has an unclosed single quote: "echo 'oops".`);
  });

  it('reads labels as a list or a mapping, values as strings', () => {
    expect(web('    labels: [a=1, "b=x=y", c]\n').labels).to.deep.equal({ a: '1', b: 'x=y', c: '' });
    expect(web('    labels:\n      n: 2\n      t: true\n').labels).to.deep.equal({ n: '2', t: 'true' });
  });

  it('reads ulimits as one number or soft and hard', () => {
    expect(web('    ulimits:\n      nproc: 65535\n      nofile:\n        soft: 20000\n        hard: "40000"\n').ulimits).to.deep.equal({ nproc: { soft: 65535, hard: 65535 }, nofile: { soft: 20000, hard: 40000 } });
  });

  it('reads extra_hosts as HOST:IP, HOST=IP or a mapping', () => {
    expect(web('    extra_hosts: ["db:10.0.0.1", "v6=::1", "db:10.0.0.2"]\n').extra_hosts).to.deep.equal({ db: ['10.0.0.1', '10.0.0.2'], v6: ['::1'] });
    expect(web('    extra_hosts:\n      db: 10.0.0.1\n').extra_hosts).to.deep.equal({ db: ['10.0.0.1'] });
  });

  it('reads build as a context string or a mapping, resolving the context', () => {
    const p = loadCompose('services:\n  a:\n    build: ./app\n  b:\n    build:\n      context: backend\n      dockerfile: Dockerfile.prod\n      args: [VERSION=1, DEBUG]\n  c:\n    build: https://github.com/x/y.git#main\n');
    expect(p.services.a!.build).to.deep.equal({ context: '/project/app' });
    expect(p.services.b!.build).to.deep.equal({ context: '/project/backend', dockerfile: 'Dockerfile.prod', args: { VERSION: '1', DEBUG: null } });
    expect(p.services.c!.build!.context).to.equal('https://github.com/x/y.git#main');
  });

  it('reads dns, tmpfs and expose from a string or a list', () => {
    expect(web('    dns: 8.8.8.8\n    tmpfs: /run\n    expose: [3000, "8000-8001"]\n')).to.deep.include({ dns: ['8.8.8.8'], tmpfs: ['/run'], expose: ['3000', '8000-8001'] });
  });

  it('reads devices in short form and gpus: all', () => {
    expect(web('    devices: ["/dev/fuse", "/dev/a:/dev/b:r"]\n    gpus: all\n')).to.deep.include({
      devices: [{ source: '/dev/fuse', target: '/dev/fuse', permissions: 'rwm' }, { source: '/dev/a', target: '/dev/b', permissions: 'r' }],
      gpus: [{ capabilities: ['gpu'], count: -1 }],
    });
  });

  it('reads list-or-mapping options deeper down: device options, volume labels, hook environment', () => {
    const s = web('    gpus:\n      - capabilities: [gpu]\n        options: [a=1]\n    volumes:\n      - type: volume\n        target: /d\n        volume:\n          labels: [l=v]\n    post_start:\n      - command: ./init.sh\n        environment: [MODE=init, TOKEN]\n');
    expect(s.gpus).to.deep.equal([{ capabilities: ['gpu'], options: { a: '1' } }]);
    expect(s.volumes).to.deep.equal([{ type: 'volume', target: '/d', volume: { labels: { l: 'v' } } }]);
    expect(s.post_start).to.deep.equal([{ command: ['./init.sh'], environment: { MODE: 'init', TOKEN: null } }]);
  });

  it('reads booleans written as strings after interpolation', () => {
    expect(web('    read_only: ${RO}\n    init: true\n', { RO: 'true' })).to.deep.include({ read_only: true, init: true });
    expect(loadError(() => web('    read_only: ${RO}\n', { RO: 'yes please' }))).to.equal('compose.yaml:4: services.web.read_only must be true or false, not the string "yes please".');
  });

  it('keeps x- keys of services, the top level and other objects under extensions', () => {
    const p = loadCompose('x-aws-vpc: vpc-1\nservices:\n  web:\n    image: a\n    x-aws-role:\n      Version: "2012-10-17"\n    x-aws-pull_credentials: arn:x\n    logging:\n      driver: awslogs\n      x-note: kept\n');
    expect(p.extensions).to.deep.equal({ 'x-aws-vpc': 'vpc-1' });
    expect(p.services.web!.extensions).to.deep.equal({ 'x-aws-role': { Version: '2012-10-17' }, 'x-aws-pull_credentials': 'arn:x' });
    expect(p.services.web!.logging).to.deep.equal({ driver: 'awslogs', extensions: { 'x-note': 'kept' } });
  });

  it('refuses a service with neither image nor build', () => {
    expect(loadError(() => loadCompose('services:\n  web:\n    restart: always\n'))).to.equal('compose.yaml:2: services.web has neither an image nor a build context. Add image: (or build:) to the service.');
  });

  it('applies YAML anchors, aliases and << merge keys', () => {
    const p = loadCompose('x-common: &common\n  restart: always\n  labels: {team: a}\nservices:\n  web:\n    <<: *common\n    image: a\n    labels: {team: b}\n');
    expect(p.services.web).to.deep.include({ restart: 'always', labels: { team: 'b' } });
  });
});
