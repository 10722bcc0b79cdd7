import { Command, Flags } from '@oclif/core';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { composeFlags } from '../../cli/compose-flags.js';
import { loadComposeProject } from '../../cli/compose-project.js';
import { printWarnings } from '../../cli/diagnostics.js';
import { UserError } from '../../errors.js';
import { renderTemplate } from '../../cloudformation/serialize.js';
import { convertProject } from '../../convert/index.js';
import { readProjectFiles } from '../../cli/read-project-files.js';

export default class ComposeConvert extends Command {
  static override summary = 'Print the CloudFormation template of the compose project.';
  static override description =
    'Works offline: no AWS call, no credentials, no registry lookup. The same files give the same bytes. The VPC and subnets are template parameters that `up` fills in.';
  static override examples = ['docker ecs compose convert', 'docker ecs compose -f compose.yaml convert --format json -o template.json'];
  static override flags = {
    ...composeFlags,
    format: Flags.option({ description: 'template format', options: ['yaml', 'json'] as const, default: 'yaml' })(),
    output: Flags.string({ char: 'o', description: 'write the template to this file instead of stdout' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(ComposeConvert);
    const project = loadComposeProject(flags);
    const { template, diagnostics } = convertProject(project, { files: readProjectFiles(project) });
    printWarnings(project, diagnostics);
    const text = renderTemplate(template, flags.format);
    if (flags.output) {
      const file = resolve(flags.output);
      try {
        writeFileSync(file, text);
      } catch (e) {
        throw new UserError(`Cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`);
      }
    } else {
      process.stdout.write(text);
    }
  }
}
