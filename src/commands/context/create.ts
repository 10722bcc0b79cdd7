import { Args, Command, Flags } from '@oclif/core';
import { currentConfigDir } from '../../cli/docker-env.js';
import { createEcsContext } from '../../docker/create-ecs-context.js';

export default class ContextCreate extends Command {
  static override summary = 'Create a Docker context for Amazon ECS.';
  static override description =
    'The context records an AWS profile (or "credentials from the environment") and a region, never a key. Select it with `docker context use NAME`.';
  static override examples = [
    'docker ecs context create prod --profile prod --region eu-west-1',
    'docker ecs context create ci --from-env',
  ];
  static override args = { name: Args.string({ description: 'context name', required: true }) };
  static override flags = {
    profile: Flags.string({ description: 'AWS profile from ~/.aws/config or ~/.aws/credentials' }),
    'from-env': Flags.boolean({ description: 'take credentials from AWS_* environment variables at each call', default: false }),
    region: Flags.string({ description: 'AWS region (default: the profile\'s region, then AWS_REGION / AWS_DEFAULT_REGION)' }),
    description: Flags.string({ description: 'description shown by `docker context ls`' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(ContextCreate);
    const meta = await createEcsContext(currentConfigDir(), process.env, {
      name: args.name,
      profile: flags.profile,
      fromEnv: flags['from-env'],
      region: flags.region,
      description: flags.description,
    });
    process.stdout.write(`${meta.Name}\n`);
    process.stderr.write(`Successfully created ECS context "${meta.Name}"; select it with \`docker context use ${meta.Name}\`.\n`);
  }
}
