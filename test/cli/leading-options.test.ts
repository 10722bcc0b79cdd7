import { expect } from 'chai';
import { splitLeadingOptions, type FlagShape } from '../../src/cli/leading-options.js';
import { runEnvironment } from '../../src/cli/run-environment.js';
import { UserError } from '../../src/errors.js';

const FLAGS: Record<string, FlagShape> = {
  detach: { type: 'boolean', char: 'd' },
  env: { type: 'option', char: 'e' },
  interactive: { type: 'boolean', char: 'i' },
  tty: { type: 'boolean', char: 't' },
  user: { type: 'option', char: 'u' },
  index: { type: 'option' },
  'project-name': { type: 'option' },
};

describe('run and exec read their options only before SERVICE, as docker compose does', () => {
  it('stops at the first word that is not an option or an option\'s value', () => {
    expect(splitLeadingOptions(['-e', 'A=1', '--user', 'root', 'web', 'sh', '-c', 'echo -e x'], FLAGS)).to.deep.equal({
      options: ['-e', 'A=1', '--user', 'root'],
      positional: ['web', 'sh', '-c', 'echo -e x'],
    });
  });
  it('takes --flag=value and -eKEY=VALUE as one option each', () => {
    expect(splitLeadingOptions(['--index=2', '-eA=1', 'web'], FLAGS)).to.deep.equal({ options: ['--index=2', '-e', 'A=1'], positional: ['web'] });
  });
  it('spells out combined short booleans (-it, -dit)', () => {
    expect(splitLeadingOptions(['-it', 'web', 'sh'], FLAGS).options).to.deep.equal(['-i', '-t']);
    expect(splitLeadingOptions(['-dit', 'web'], FLAGS).options).to.deep.equal(['-d', '-i', '-t']);
  });
  it('hands `--` and what follows to the positional part, and unknown flags to oclif', () => {
    expect(splitLeadingOptions(['--', '-web'], FLAGS)).to.deep.equal({ options: [], positional: ['-web'] });
    expect(splitLeadingOptions(['--nope', 'web'], FLAGS)).to.deep.equal({ options: ['--nope'], positional: ['web'] });
    expect(splitLeadingOptions(['-xz', 'web'], FLAGS)).to.deep.equal({ options: ['-xz'], positional: ['web'] });
  });
  it('keeps the compose flags the argv normaliser moved behind the subcommand', () => {
    expect(splitLeadingOptions(['--project-name', 'shop', '-d', 'api'], FLAGS)).to.deep.equal({ options: ['--project-name', 'shop', '-d'], positional: ['api'] });
  });
});

describe('run -e and --env-from-file', () => {
  it('takes KEY=VALUE, KEY from the shell (left out when unset), files first, later ones winning', () => {
    const env = runEnvironment({ 'env-from-file': ['a.env'], env: ['B=2', 'HOME_DIR', 'UNSET', 'A=override'] }, { HOME_DIR: '/home/me' }, () => '# c\nA=1\nC=3\n');
    expect(env).to.deep.equal([
      { name: 'A', value: 'override' },
      { name: 'C', value: '3' },
      { name: 'B', value: '2' },
      { name: 'HOME_DIR', value: '/home/me' },
    ]);
  });
  it('refuses an empty name and an unreadable file in one sentence each', () => {
    expect(() => runEnvironment({ env: ['=x'] }, {})).to.throw(UserError, /^-e "" is not a variable name; write -e KEY=VALUE/);
    expect(() => runEnvironment({ 'env-from-file': ['/nope/x.env'] }, {})).to.throw(UserError, /^--env-from-file \/nope\/x\.env cannot be read \(ENOENT\)/);
  });
});
