import { expect } from 'chai';
import { load } from '../../src/compose/load.js';
import { loadError, loadProject, memoryReader } from './helpers.js';

const svc = (image: string) => `services:\n  web:\n    image: ${image}\n`;

describe('compose files', () => {
  it('reads compose.yaml and its override from the working directory', () => {
    const p = loadProject({ 'compose.yaml': svc('base'), 'compose.override.yaml': svc('override') });
    expect(p.services.web!.image).to.equal('override');
    expect(p.composeFiles).to.deep.equal(['/project/compose.yaml', '/project/compose.override.yaml']);
  });

  it('prefers compose.yaml over docker-compose.yml and warns that several exist', () => {
    const p = loadProject({ 'docker-compose.yml': svc('old'), 'compose.yaml': svc('new') });
    expect(p.services.web!.image).to.equal('new');
    expect(p.warnings[0]!.message).to.match(/^Found multiple config files with supported names: .*Using compose\.yaml\.$/);
  });

  it('accepts docker-compose.yml with docker-compose.override.yml', () => {
    const p = loadProject({ 'docker-compose.yml': svc('a'), 'docker-compose.override.yml': svc('b') });
    expect(p.services.web!.image).to.equal('b');
  });

  it('looks in parent directories when the working directory has no compose file', () => {
    const p = loadProject({ 'compose.yaml': svc('up') }, { cwd: '/project/src/deep' });
    expect(p.services.web!.image).to.equal('up');
    expect(p.workingDir).to.equal('/project');
    expect(p.name).to.equal('project');
  });

  it('looks for the compose file and .env in --project-directory, not the working directory', () => {
    const p = loadProject(
      { 'compose.yaml': svc('here'), 'app/compose.yaml': svc('${TAG}'), 'app/.env': 'TAG=there\n' },
      { projectDirectory: 'app' },
    );
    expect(p.services.web!.image).to.equal('there');
    expect(p.composeFiles).to.deep.equal(['/project/app/compose.yaml']);
    expect(p.workingDir).to.equal('/project/app');
  });

  it('uses -f files in order, relative to the working directory, ignoring default names', () => {
    const p = loadProject({ 'compose.yaml': svc('default'), 'a.yml': svc('a'), 'b.yml': svc('b') }, { files: ['a.yml', 'b.yml'] });
    expect(p.services.web!.image).to.equal('b');
    expect(p.composeFiles).to.deep.equal(['/project/a.yml', '/project/b.yml']);
  });

  it('reads `-` from stdin', () => {
    const p = loadProject({}, { files: ['-'], stdin: svc('stdin') });
    expect(p.services.web!.image).to.equal('stdin');
    expect(p.workingDir).to.equal('/project');
  });

  it('splits COMPOSE_FILE on the path separator, or on COMPOSE_PATH_SEPARATOR', () => {
    const files = { 'x.yml': svc('x'), 'y.yml': svc('y') };
    expect(loadProject(files, { env: { COMPOSE_FILE: 'x.yml:y.yml' } }).services.web!.image).to.equal('y');
    expect(loadProject(files, { env: { COMPOSE_FILE: 'y.yml;x.yml', COMPOSE_PATH_SEPARATOR: ';' } }).services.web!.image).to.equal('x');
  });

  it('lets -f win over COMPOSE_FILE', () => {
    const p = loadProject({ 'x.yml': svc('x'), 'y.yml': svc('y') }, { files: ['x.yml'], env: { COMPOSE_FILE: 'y.yml' } });
    expect(p.services.web!.image).to.equal('x');
  });

  it('reads COMPOSE_FILE from .env', () => {
    const p = loadProject({ '.env': 'COMPOSE_FILE=other.yml\n', 'other.yml': svc('other') });
    expect(p.services.web!.image).to.equal('other');
  });

  it('takes the project directory from the first file, or from --project-directory', () => {
    const files = { 'sub/compose.yaml': 'services:\n  web:\n    build: ./app\n' };
    expect(loadProject(files, { files: ['sub/compose.yaml'] }).services.web!.build!.context).to.equal('/project/sub/app');
    const p = loadProject(files, { files: ['sub/compose.yaml'], projectDirectory: '/elsewhere' });
    expect(p.services.web!.build!.context).to.equal('/elsewhere/app');
    expect(p.workingDir).to.equal('/elsewhere');
  });

  it('reads files only through the injected reader', () => {
    const reader = memoryReader({ 'compose.yaml': svc('a') });
    load({ cwd: '/project', env: {}, reader });
    expect(reader.reads).to.deep.equal(['/project/compose.yaml']);
  });

  it('warns that a top-level version is obsolete, with its line', () => {
    const p = loadProject({ 'compose.yaml': `# comment\nversion: "3.8"\n${svc('a')}` });
    expect(p.warnings).to.deep.equal([{ message: 'the attribute `version` is obsolete, it will be ignored; remove it to avoid confusion.', file: 'compose.yaml', line: 2, path: 'version' }]);
  });

  it('explains when no compose file exists', () => {
    expect(loadError(() => loadProject({}))).to.equal(
      'no compose file found in /project or any parent directory (looked for compose.yaml, compose.yml, docker-compose.yaml, docker-compose.yml). Create compose.yaml, or pass -f FILE.',
    );
  });

  it('names a missing -f file', () => {
    expect(loadError(() => loadProject({}, { files: ['nope.yaml'] }))).to.equal('compose file nope.yaml not found. Check the -f / COMPOSE_FILE path.');
  });
});
