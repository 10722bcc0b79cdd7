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

  it('refuses an explicit name that is not valid, suggesting the normalised one', () => {
    expect(loadError(() => loadProject(compose('name: My App\n')))).to.equal(
      'compose.yaml:1: invalid project name "My App" (from the top-level name): it must contain only lowercase letters, digits, dashes and underscores, and start with a letter or digit. Use "myapp" instead.',
    );
    expect(loadError(() => loadProject(compose(), { projectName: '-x' }))).to.match(/^invalid project name "-x" \(from -p\)/);
  });

  it('names networks and volumes after the project unless they have a name or are external', () => {
    const p = loadProject({ 'compose.yaml': 'name: shop\nservices:\n  web:\n    image: x\n    volumes: [data:/d]\nvolumes:\n  data: {}\n  ext:\n    external: true\n  named:\n    name: fixed\n' });
    expect([p.volumes.data!.name, p.volumes.ext!.name, p.volumes.named!.name]).to.deep.equal(['shop_data', 'ext', 'fixed']);
    expect(p.networks.default!.name).to.equal('shop_default');
  });
});
