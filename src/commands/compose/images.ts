import { Command, Flags } from '@oclif/core';
import { composeFlags } from '../../cli/compose-flags.js';
import { dockerGlobals } from '../../cli/globals-state.js';
import { projectNameFrom } from '../../cli/project-name.js';
import { createAwsClients } from '../../aws/clients.js';
import { listProjectImages } from '../../aws/images.js';
import { renderImages } from '../../ui/images.js';
import { resolveEcsTarget } from '../../docker/ecs-context.js';

export default class ComposeImages extends Command {
  static override summary = 'List the images the project\'s running tasks use.';
  static override description = 'One row per task and container, from the task definitions ECS runs. Sizes are not known to ECS.';
  static override usage = 'compose images [SERVICE...] [--format table|json] [-q]';
  static override examples = ['docker ecs compose images', 'docker ecs compose images web --format json'];
  static override strict = false;
  static override flags = {
    ...composeFlags,
    format: Flags.string({ description: 'output format', options: ['table', 'json'], default: 'table' }),
    quiet: Flags.boolean({ char: 'q', description: 'only image digests (or names when ECS reports no digest)', default: false }),
  };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(ComposeImages);
    const project = await projectNameFrom(flags);
    const target = await resolveEcsTarget(dockerGlobals(), process.env);
    const result = await listProjectImages(createAwsClients(target), project, argv as string[]);
    if (!result.found) process.stderr.write(`No stack named ${project} in ${target.region}: nothing is deployed for this project there.\n`);
    process.stdout.write(renderImages(result.rows, flags.format as 'table' | 'json', flags.quiet));
  }
}
