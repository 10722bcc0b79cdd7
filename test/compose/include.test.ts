import { expect } from 'chai';
import { loadError, loadProject } from './helpers.js';

describe('include', () => {
  it('adds the services, networks and volumes of an included file', () => {
    const p = loadProject({
      'compose.yaml': 'include:\n  - db/compose.yaml\nservices:\n  web:\n    image: web\n    depends_on: [db]\n',
      'db/compose.yaml': 'services:\n  db:\n    image: postgres\n    volumes: [data:/var/lib/postgresql/data]\nvolumes:\n  data: {}\n',
    });
    expect(Object.keys(p.services)).to.deep.equal(['db', 'web']);
    expect(p.volumes.data!.name).to.equal('project_data');
  });

  it('resolves relative paths of an included project against its own directory', () => {
    const p = loadProject({
      'compose.yaml': 'include:\n  - path: sub/compose.yaml\n',
      'sub/compose.yaml': 'services:\n  api:\n    build: .\n    volumes: ["./cfg:/cfg"]\n',
    });
    expect(p.services.api!.build!.context).to.equal('/project/sub');
    expect(p.services.api!.volumes![0]!.source).to.equal('/project/sub/cfg');
  });

  it("reads the included project's own .env, the including project's variables winning", () => {
    const p = loadProject({
      'compose.yaml': 'include:\n  - sub/compose.yaml\n',
      'sub/compose.yaml': 'services:\n  api:\n    image: api:${TAG}\n    hostname: ${HOST}\n',
      'sub/.env': 'TAG=sub\nHOST=sub-host\n',
    }, { env: { TAG: 'shell' } });
    expect(p.services.api).to.deep.include({ image: 'api:shell', hostname: 'sub-host' });
  });

  it('uses the env_file and project_directory of the long form', () => {
    const p = loadProject({
      'compose.yaml': 'include:\n  - path: [sub/a.yaml, sub/b.yaml]\n    env_file: vars.env\n    project_directory: other\n',
      'sub/a.yaml': 'services:\n  api:\n    image: api:${TAG}\n    build: ./ctx\n',
      'sub/b.yaml': 'services:\n  api:\n    hostname: b\n',
      'vars.env': 'TAG=from-vars\n',
    });
    expect(p.services.api).to.deep.include({ image: 'api:from-vars', hostname: 'b' });
    expect(p.services.api!.build!.context).to.equal('/project/other/ctx');
  });

  it('reads include paths relative to the project directory, and nested includes relative to the included project', () => {
    const p = loadProject({
      'compose.yaml': 'services:\n  web:\n    image: a\n',
      'overrides/extra.yaml': 'include:\n  - parts/db.yaml\n',
      'parts/db.yaml': 'include:\n  - cache.yaml\nservices:\n  db:\n    image: pg\n',
      'parts/cache.yaml': 'services:\n  cache:\n    image: redis\n',
    }, { files: ['compose.yaml', 'overrides/extra.yaml'] });
    expect(Object.keys(p.services)).to.deep.equal(['cache', 'db', 'web']);
  });

  it('refuses a service defined both locally and in an included file', () => {
    expect(loadError(() => loadProject({
      'compose.yaml': 'include:\n  - sub.yaml\nservices:\n  api:\n    image: mine\n',
      'sub.yaml': 'services:\n  api:\n    image: theirs\n',
    }))).to.equal('compose.yaml:4: services.api conflicts with the service of the same name imported from sub.yaml. Rename one of them.');
  });

  it('refuses an include cycle and prints the chain', () => {
    expect(loadError(() => loadProject({
      'compose.yaml': 'include:\n  - a.yaml\nservices: {}\n',
      'a.yaml': 'include:\n  - b.yaml\n',
      'b.yaml': 'include:\n  - compose.yaml\n',
    }))).to.equal('b.yaml:2: include cycle: compose.yaml -> a.yaml -> b.yaml -> compose.yaml. Remove one of these includes.');
  });

  it('names a missing included file', () => {
    expect(loadError(() => loadProject({ 'compose.yaml': 'include:\n  - missing.yaml\n' }))).to.equal(
      'compose.yaml:2: include[0] refers to missing.yaml, which does not exist. Fix the include path.',
    );
  });
});
