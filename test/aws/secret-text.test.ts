/**
 * Issue #20: a binary secret file reached AWS with each invalid UTF-8 byte turned into U+FFFD.
 * A parameter carries text, so the value is sent byte for byte or refused with a sentence.
 */
import { expect } from 'chai';
import { readSecretValues } from '../../src/aws/secret-values.js';
import { UserError } from '../../src/errors.js';

describe('secret values: text byte for byte, binary refused', () => {
  const files: Record<string, Buffer> = {
    '/p/utf8': Buffer.from('\ufeffp\u00e4ss w\u00f6rd \u{1f511}\r\n', 'utf8'),
    '/p/latin1': Buffer.from([0x70, 0xe4, 0x73, 0x73]),
    '/p/nul': Buffer.from([0x61, 0x00, 0x62]),
  };
  const read = async (f: string): Promise<Buffer> => files[f]!;

  it('sends UTF-8 text (a BOM, CRLF and emoji included) byte for byte', async () => {
    const values = await readSecretValues([{ parameter: 'P', secret: 's', file: '/p/utf8' }], read);
    expect(Buffer.from(values.P!, 'utf8').equals(files['/p/utf8']!)).to.equal(true);
  });

  for (const [file, why] of [['/p/latin1', 'not valid UTF-8'], ['/p/nul', 'it contains NUL bytes']] as const) {
    it(`refuses a file that is ${why}, naming the secret and not the content`, async () => {
      const e = await readSecretValues([{ parameter: 'P', secret: 'key', file }], read).catch((x) => x);
      expect(e).to.be.instanceOf(UserError);
      expect((e as UserError).message).to.equal(`Secret "key": its file ${file} is binary (${why}), and a CloudFormation parameter carries only text, so the value would not arrive byte for byte.`);
    });
  }
});
