import { expect } from 'chai';
import { PassThrough } from 'node:stream';
import { printWarnings } from '../../src/cli/diagnostics.js';
import { convertYaml } from '../convert/helpers.js';

describe('warnings of convert and up', () => {
  it('name the service once: "Service web: ...", not a second prefix before it', () => {
    const { project, diagnostics } = convertYaml('services:\n  web:\n    image: nginx\n    hostname: foo\n');
    const out = new PassThrough();
    let text = '';
    out.on('data', (d: Buffer) => (text += d.toString()));
    printWarnings(project, diagnostics, out);
    expect(text).to.equal('WARNING: Service web: hostname is ignored: awsvpc tasks take their host name from ECS.\n');
  });
});
