import { expect } from 'chai';
import { readSecretValues } from '../../src/aws/secret-values.js';
import { UserError } from '../../src/errors.js';

describe('secret values for NoEcho parameters', () => {
  const files: Record<string, Buffer> = { '/p/db.txt': Buffer.from('hunter2\n'), '/p/big': Buffer.alloc(5000, 'x') };
  const read = async (f: string): Promise<Buffer> => {
    const b = files[f];
    if (!b) throw Object.assign(new Error('nope'), { code: 'ENOENT' });
    return b;
  };

  it('reads each file as the value of its parameter, as is', async () => {
    expect(await readSecretValues([{ parameter: 'DbPasswordSecretValue', secret: 'db_password', file: '/p/db.txt' }], read)).to.deep.equal({
      DbPasswordSecretValue: 'hunter2\n',
    });
  });

  it('names the secret when its file is missing or too large for a parameter, without showing content', async () => {
    const missing = await readSecretValues([{ parameter: 'X', secret: 'api_key', file: '/p/none' }], read).catch((e) => e);
    expect(missing).to.be.instanceOf(UserError);
    expect((missing as Error).message).to.equal('Secret "api_key": cannot read its file /p/none (ENOENT).');
    const big = await readSecretValues([{ parameter: 'Y', secret: 'cert', file: '/p/big' }], read).catch((e) => e);
    expect((big as Error).message).to.equal('Secret "cert": its file is 5000 bytes, more than the 4,096 a CloudFormation parameter can carry.');
  });
});
