import { expect } from 'chai';
import { loadCompose, loadError } from './helpers.js';

const TOP = 'volumes:\n  db: {}\n';
const volumes = (list: string, env: Record<string, string> = {}) => loadCompose(`services:\n  web:\n    image: a\n    volumes:\n${list}${TOP}`, { env }).services.web!.volumes;

describe('service volumes', () => {
  it('reads a bare path as an anonymous volume (with an empty volume section, as compose-go)', () => {
    expect(volumes('      - /data\n')).to.deep.equal([{ type: 'volume', target: '/data', volume: {} }]);
  });

  it('cleans mount targets as Go\'s path.Clean, short and long syntax', () => {
    expect(volumes('      - db:/var/www/html/\n      - type: volume\n        source: db\n        target: /a//b/../c/\n')!.map((v) => v.target)).to.deep.equal(['/var/www/html', '/a/c']);
  });

  it('keeps an absolute bind source as written, trailing slash included', () => {
    expect(volumes('      - /etc/pihole/:/etc/pihole/\n')![0]).to.include({ type: 'bind', source: '/etc/pihole/', target: '/etc/pihole' });
  });

  it('reads NAME:PATH as a named volume and ./PATH:PATH as a bind mount resolved against the project directory', () => {
    expect(volumes('      - db:/var/lib/db\n      - ./src:/app\n')).to.deep.equal([
      { type: 'volume', source: 'db', target: '/var/lib/db', volume: {} },
      { type: 'bind', source: '/project/src', target: '/app', bind: { create_host_path: true } },
    ]);
  });

  it('reads access modes and options after the second colon', () => {
    expect(volumes('      - ./a:/a:ro,z\n      - db:/b:nocopy\n      - /c:/c:rw,rshared\n')).to.deep.equal([
      { type: 'bind', source: '/project/a', target: '/a', read_only: true, bind: { create_host_path: true, selinux: 'z' } },
      { type: 'volume', source: 'db', target: '/b', volume: { nocopy: true } },
      { type: 'bind', source: '/c', target: '/c', read_only: false, bind: { create_host_path: true, propagation: 'rshared' } },
    ]);
  });

  it('expands ~ to HOME from the environment', () => {
    expect(volumes('      - ~/.aws:/root/.aws:ro\n', { HOME: '/home/me' })![0]!.source).to.equal('/home/me/.aws');
  });

  it('reads the long form: volume, bind and tmpfs with a size in bytes', () => {
    expect(volumes('      - type: tmpfs\n        target: /tmp\n        tmpfs:\n          size: 64m\n          mode: "1777"\n      - type: bind\n        source: ./x\n        target: /x\n        read_only: true\n')).to.deep.equal([
      { type: 'tmpfs', target: '/tmp', tmpfs: { size: 64 * 1024 * 1024, mode: 0o1777 } },
      { type: 'bind', source: '/project/x', target: '/x', read_only: true },
    ]);
  });

  it('refuses an unknown option and a named volume that is not declared', () => {
    expect(loadError(() => volumes('      - db:/a:rox\n'))).to.equal('compose.yaml:5: services.web.volumes[0] has an unknown volume option "rox" in "db:/a:rox"; use ro, rw, z, Z, nocopy or a propagation mode.');
    expect(loadError(() => volumes('      - dbs:/a\n'))).to.equal('compose.yaml:5: services.web.volumes[0] refers to volume "dbs", which is not defined; did you mean "db"?');
  });

  it('reads top-level volumes with driver options and labels in list form', () => {
    const p = loadCompose('services:\n  web:\n    image: a\nvolumes:\n  data:\n    driver: local\n    driver_opts: {type: nfs}\n    labels: [a=b]\n    x-aws-performance: maxIO\n');
    expect(p.volumes.data).to.deep.include({ name: 'project_data', driver: 'local', driver_opts: { type: 'nfs' }, labels: { a: 'b' }, extensions: { 'x-aws-performance': 'maxIO' } });
  });
});
