import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkBuildSources } from '../../src/cli/compose-images.js';
import { load } from '../../src/compose/load.js';
import { nodeFileReader } from '../../src/compose/node-reader.js';
import { imageBuilds } from '../../src/convert/image-builds.js';
import { UserError } from '../../src/errors.js';

describe('cli: the sources of built services are there before anything reaches AWS', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'build-sources-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const check = (yaml: string): UserError | undefined => {
    writeFileSync(join(dir, 'compose.yaml'), yaml);
    const project = load({ cwd: dir, env: {}, files: ['compose.yaml'], reader: nodeFileReader });
    try {
      checkBuildSources(project, imageBuilds(project));
      return undefined;
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      return e;
    }
  };

  it('accepts a context folder with its Dockerfile, an inline Dockerfile and a remote context', () => {
    mkdirSync(join(dir, 'web'));
    writeFileSync(join(dir, 'web', 'Dockerfile'), 'FROM scratch\n');
    expect(check('services:\n  web: { build: ./web }\n  inline: { build: { context: ., dockerfile_inline: "FROM scratch" } }\n  remote: { build: "https://github.com/docker/welcome.git" }\n')).to.equal(undefined);
  });

  it('names every missing context and Dockerfile at once, with its file and line', () => {
    mkdirSync(join(dir, 'api'));
    const e = check('services:\n  web:\n    build: ./web\n  api:\n    build:\n      context: ./api\n      dockerfile: Prod.Dockerfile\n')!;
    expect(e.message.split('\n')).to.deep.equal([
      '2 problems stop the conversion; fix them, then run again:',
      `compose.yaml:5: Service api: the Dockerfile ${join(dir, 'api', 'Prod.Dockerfile')} does not exist, so its image cannot be built. Fix build.dockerfile (it is relative to build.context).`,
      `compose.yaml:3: Service web: the build context ${join(dir, 'web')} is not a folder, so its image cannot be built. Fix build.context, or build and push the image yourself and set image: without build.`,
    ]);
  });
});
