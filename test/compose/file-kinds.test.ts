/**
 * Issue #20: a directory, a device, a named pipe or a symbolic link loop named in a compose file
 * is reported as what it is, at the compose file, line and key that named it (it was "not found",
 * or only its path; an optional env_file directory was skipped silently).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { load } from '../../src/compose/load.js';
import { nodeFileReader } from '../../src/compose/node-reader.js';
import { loadError } from './helpers.js';

describe('loader: paths that are not regular files', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'file-kinds-'));
    mkdirSync(join(dir, 'dir'));
    spawnSync('mkfifo', [join(dir, 'fifo')]);
    symlinkSync('loop2', join(dir, 'loop1'));
    symlinkSync('loop1', join(dir, 'loop2'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const run = (compose: string, o: { files?: string[]; envFiles?: string[] } = {}) => {
    writeFileSync(join(dir, 'compose.yaml'), compose);
    return loadError(() => load({ cwd: dir, env: {}, reader: nodeFileReader, projectName: 'p', ...o }));
  };
  const svc = 'services:\n  a:\n    image: nginx\n';

  it('names a directory given as env_file, optional or not, at its line', () => {
    expect(run(`${svc}    env_file: dir\n`)).to.equal('compose.yaml:4: services.a.env_file names dir, which is a directory, not a file. Point it at the env file.');
    expect(run(`${svc}    env_file: [{path: dir, required: false}]\n`)).to.equal('compose.yaml:4: services.a.env_file names dir, which is a directory, not a file. Point it at the env file.');
  });

  it('names a directory given as include, extends.file, label_file, -f or --env-file', () => {
    expect(run(`include: [dir]\n${svc}`)).to.equal('compose.yaml:1: include[0] refers to dir, which is a directory, not a file. Point the include at the compose file.');
    expect(run('services:\n  a:\n    extends: {file: dir, service: x}\n')).to.equal('compose.yaml:3: services.a extends a service from dir, which is a directory, not a file. Point extends.file at the compose file.');
    expect(run(`${svc}    label_file: dir\n`)).to.equal('compose.yaml:4: services.a.label_file names dir, which is a directory, not a file. Point it at the label file.');
    expect(run(svc, { files: ['dir'] })).to.equal('the compose file dir is a directory, not a file. Check the -f / COMPOSE_FILE path.');
    expect(run(svc, { envFiles: ['dir'] })).to.equal('env file dir is a directory, not a file. Check the --env-file path.');
  });

  it('names a device, a named pipe and a symbolic link loop at the key that named them', () => {
    expect(run(`${svc}    env_file: /dev/zero\n`)).to.equal('compose.yaml:4: services.a.env_file names /dev/zero, which is a device, not a regular file. Point it at the env file.');
    expect(run(`${svc}    env_file: fifo\n`)).to.equal('compose.yaml:4: services.a.env_file names fifo, which is a named pipe, not a regular file. Point it at the env file.');
    expect(run(`${svc}    env_file: loop1\n`)).to.equal('compose.yaml:4: services.a.env_file names loop1, which is a symbolic link loop. Point it at the env file.');
  });

  it('says what an input/output error on -f means', () => {
    expect(run(svc, { files: ['/proc/self/mem'] })).to.equal('/proc/self/mem cannot be read: an input/output error (a special file such as /proc/self/mem is not a compose file). Point the path at a regular text file.');
  });

  it('gives a multi-document file a sentence of ours', () => {
    expect(run(`${svc}---\nservices: {}\n`)).to.equal('compose.yaml:4: the file holds more than one YAML document (a line of --- starts this one); a compose file is a single document. Remove the ---, or split the documents into files and pass each with -f.');
  });
});
