import { expect } from 'chai';
import { loadCompose, loadError } from './helpers.js';

const TOP = 'secrets:\n  db_password:\n    file: ./db/password.txt\n  api_key:\n    environment: API_KEY\n    x-aws-keys: ["*"]\n  ext:\n    external: true\nconfigs:\n  nginx:\n    file: ./nginx.conf\n  inline:\n    content: "hello ${WHO}"\n';

describe('secrets and configs', () => {
  it('reads the short form as a source and the long form with target, uid, gid and an octal mode', () => {
    const p = loadCompose(`services:\n  web:\n    image: a\n    secrets:\n      - db_password\n      - source: api_key\n        target: /run/key\n        uid: "103"\n        mode: 0440\n    configs:\n      - nginx\n      - source: inline\n        target: /etc/inline\n${TOP}`, { env: { WHO: 'world' } });
    expect(p.services.web!.secrets).to.deep.equal([{ source: 'db_password' }, { source: 'api_key', target: '/run/key', uid: '103', mode: 0o440 }]);
    expect(p.services.web!.configs).to.deep.equal([{ source: 'nginx' }, { source: 'inline', target: '/etc/inline' }]);
  });

  it('resolves top-level file paths, keeps environment names and external flags, and names them after the project', () => {
    const p = loadCompose(`services:\n  web:\n    image: a\n${TOP}`, { env: { WHO: 'world' } });
    expect(p.secrets.db_password).to.deep.include({ name: 'project_db_password', file: '/project/db/password.txt' });
    expect(p.secrets.api_key).to.deep.include({ environment: 'API_KEY', extensions: { 'x-aws-keys': ['*'] } });
    expect(p.secrets.ext).to.deep.include({ name: 'ext', external: true });
    expect(p.configs.inline!.content).to.equal('hello world');
  });

  it('refuses a reference to an undeclared secret with a suggestion', () => {
    expect(loadError(() => loadCompose(`services:\n  web:\n    image: a\n    secrets: [db_pasword]\n${TOP}`, { env: { WHO: 'x' } }))).to.equal(
      'compose.yaml:4: services.web.secrets[0] refers to secret "db_pasword", which is not defined; did you mean "db_password"?',
    );
  });

  it('refuses a secret with neither file, environment nor external', () => {
    expect(loadError(() => loadCompose('services:\n  web:\n    image: a\nsecrets:\n  s:\n    labels: {a: b}\n'))).to.equal('compose.yaml:5: secrets.s needs one of file, environment or external: true.');
  });
});
