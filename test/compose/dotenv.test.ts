import { expect } from 'chai';
import { parseDotEnv } from '../../src/compose/dotenv.js';
import { loadError, loadProject } from './helpers.js';

const parse = (text: string, env: Record<string, string> = {}) => parseDotEnv(text, '.env', (n) => env[n]);

describe('.env files', () => {
  it('reads KEY=VALUE lines, skipping blanks and comments, with an optional export', () => {
    expect(parse('# c\n\nA=1\nexport B=two\n  C = three  \n')).to.deep.equal({ A: '1', B: 'two', C: 'three' });
  });

  it('drops a trailing comment from an unquoted value but keeps a # inside a word', () => {
    expect(parse('A=value # comment\nB=a#b\n')).to.deep.equal({ A: 'value', B: 'a#b' });
  });

  it('keeps single-quoted values literally and expands escapes and variables in double quotes', () => {
    expect(parse(`A='$HOME \\n'\nB="x\\ny $C"\nC=c\n`, { C: 'shell' })).to.deep.equal({ A: '$HOME \\n', B: 'x\ny shell', C: 'c' });
  });

  it('reads a double-quoted value spanning several lines', () => {
    expect(parse('KEY="line1\nline2"\nNEXT=1\n')).to.deep.equal({ KEY: 'line1\nline2', NEXT: '1' });
  });

  it('interpolates from the environment first, then from keys defined earlier in the file', () => {
    expect(parse('A=file\nB=${A}-${X:-d}\n', {})).to.deep.equal({ A: 'file', B: 'file-d' });
    expect(parse('A=file\nB=${A}\n', { A: 'env' })).to.deep.equal({ A: 'file', B: 'env' });
  });

  it('takes a bare KEY from the environment', () => {
    expect(parse('KEY\nOTHER\n', { KEY: 'v' })).to.deep.equal({ KEY: 'v' });
  });

  it('reports an unclosed quote with the file and line', () => {
    expect(loadError(() => parse('A=1\nB="open\n'))).to.equal('.env:2: the value of B has no closing ". Fix that line of the env file.');
  });

  it('replaces .env with --env-file, later files winning', () => {
    const files = {
      'compose.yaml': 'services:\n  web:\n    image: ${IMAGE}:${TAG}\n',
      '.env': 'IMAGE=dotenv\nTAG=dotenv\n',
      'a.env': 'IMAGE=a\nTAG=a\n',
      'b.env': 'TAG=b\n',
    };
    expect(loadProject(files).services.web!.image).to.equal('dotenv:dotenv');
    expect(loadProject(files, { envFiles: ['a.env', 'b.env'] }).services.web!.image).to.equal('a:b');
  });

  it('fails on a missing --env-file', () => {
    expect(loadError(() => loadProject({ 'compose.yaml': 'services: {}\n' }, { envFiles: ['missing.env'] }))).to.equal('env file missing.env not found. Check the --env-file path.');
  });

  it('exposes the merged variables on the project, process environment winning', () => {
    const p = loadProject({ 'compose.yaml': 'services: {}\n', '.env': 'A=file\nB=file\n' }, { env: { B: 'shell' } });
    expect(p.environment).to.deep.equal({ A: 'file', B: 'shell', COMPOSE_PROJECT_NAME: 'project' });
  });
});
