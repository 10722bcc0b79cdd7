import { expect } from 'chai';
import { UserError } from '../src/errors.js';

describe('UserError', () => {
  it('puts file:line before the message and the hint after it', () => {
    const e = new UserError('services.web.ports must be a list.', {
      where: { file: 'compose.yaml', line: 4 },
      hint: 'Use "ports: [\\"80:80\\"]".',
    });
    expect(e.display()).to.equal('compose.yaml:4: services.web.ports must be a list. Use "ports: [\\"80:80\\"]".');
  });
});
