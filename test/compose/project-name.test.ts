import { expect } from 'chai';
import { normalizeProjectName } from '../../src/compose/project-name.js';
import { loadError, loadProject } from './helpers.js';

const compose = (top = '') => ({ 'compose.yaml': `${top}services:\n  web:\n    image: nginx\n` });

describe('project name', () => {
  it('comes from -p first', () => {
    expect(loadProject(compose('name: top\n'), { projectName: 'flag', env: { COMPOSE_PROJECT_NAME: 'env' } }).name).to.equal('flag');
  });

  it('then from COMPOSE_PROJECT_NAME (also when set in .env)', () => {
    expect(loadProject(compose('name: top\n'), { env: { COMPOSE_PROJECT_NAME: 'env' } }).name).to.equal('env');
    expect(loadProject({ ...compose('name: top\n'), '.env': 'COMPOSE_PROJECT_NAME=dotenv\n' }).name).to.equal('dotenv');
  });

  it('then from the top-level name, interpolated', () => {
    expect(loadProject(compose('name: shop-${STAGE}\n'), { env: { STAGE: 'dev' } }).name).to.equal('shop-dev');
  });

  it('else from the project directory base name, normalised', () => {
    expect(loadProject({ 'My.App_1/compose.yaml': compose()['compose.yaml'] }, { cwd: '/project/My.App_1' }).name).to.equal('myapp_1');
    expect(normalizeProjectName('_-Foo Bar!')).to.equal('foobar');
  });

  it('refuses a -p or COMPOSE_PROJECT_NAME that is not valid, suggesting the normalised one', () => {
    expect(loadError(() => loadProject(compose(), { projectName: 'My App' }))).to.equal(
      'invalid project name "My App" (from -p): it must contain only lowercase letters, digits, dashes and underscores, and start with a letter or digit. Use "myapp" instead.',
    );
    expect(loadError(() => loadProject(compose(), { env: { COMPOSE_PROJECT_NAME: '-x' } }))).to.match(/^invalid project name "-x" \(from COMPOSE_PROJECT_NAME\)/);
  });

  it('normalises a top-level name as compose-go does, with a warning', () => {
    const p = loadProject(compose('name: My App\n'));
    expect(p.name).to.equal('myapp');
    expect(p.warnings).to.deep.equal([{ message: 'the project name "My App" is used as "myapp" (lowercase letters, digits, - and _ only).', file: 'compose.yaml', line: 1, path: 'name' }]);
  });

  it('takes the name of the last file that sets one', () => {
    const p = loadProject({ 'a.yaml': 'name: first\nservices:\n  web:\n    image: a\n', 'b.yaml': 'name: second\n' }, { files: ['a.yaml', 'b.yaml'] });
    expect(p.name).to.equal('second');
  });

  it('is COMPOSE_PROJECT_NAME while the files are interpolated', () => {
    const p = loadProject({ 'compose.yaml': 'name: shop\nservices:\n  web:\n    image: a\n    hostname: ${COMPOSE_PROJECT_NAME}-web\n' });
    expect(p.services.web!.hostname).to.equal('shop-web');
  });

  it('names networks and volumes after the project unless they have a name or are external', () => {
    const p = loadProject({ 'compose.yaml': 'name: shop\nservices:\n  web:\n    image: x\n    volumes: [data:/d]\nvolumes:\n  data: {}\n  ext:\n    external: true\n  named:\n    name: fixed\n' });
    expect([p.volumes.data!.name, p.volumes.ext!.name, p.volumes.named!.name]).to.deep.equal(['shop_data', 'ext', 'fixed']);
    expect(p.networks.default!.name).to.equal('shop_default');
  });
});
