import { Args, Command, Flags } from '@oclif/core';
import { composeFlags } from '../../cli/compose-flags.js';
import { dockerGlobals } from '../../cli/globals-state.js';
import { projectNameFrom } from '../../cli/project-name.js';
import { createAwsClients } from '../../aws/clients.js';
import { publishedPort } from '../../aws/port.js';
import { listProjectTasks } from '../../aws/ps.js';
import { UserError } from '../../errors.js';
import { resolveEcsTarget } from '../../docker/ecs-context.js';

export default class ComposePort extends Command {
  static override summary = 'Print where a service\'s container port is published: the load balancer\'s DNS name and port.';
  static override examples = ['docker ecs compose port web 80', 'docker ecs compose port dns 53 --protocol udp'];
  static override args = {
    service: Args.string({ description: 'compose service', required: true }),
    port: Args.string({ description: 'container port', required: true }),
  };
  static override flags = {
    ...composeFlags,
    protocol: Flags.string({ description: 'tcp or udp', options: ['tcp', 'udp'], default: 'tcp' }),
    index: Flags.integer({ description: 'which task of the service, from 1, when it runs several', min: 1 }),
  };

  async run(): Promise<void> {
    const { flags, args } = await this.parse(ComposePort);
    if (!/^\d+$/.test(args.port) || Number(args.port) < 1 || Number(args.port) > 65535) {
      throw new UserError(`"${args.port}" is not a port number; give the container port, 1 to 65535 (e.g. \`port web 80\`).`);
    }
    const project = await projectNameFrom(flags);
    const target = await resolveEcsTarget(dockerGlobals(), process.env);
    const result = await listProjectTasks(createAwsClients(target), { project, all: false });
    if (!result.found) throw new UserError(`No stack named ${project} in ${target.region}: nothing is deployed for this project there.`);
    process.stdout.write(`${publishedPort(result.rows, { service: args.service, port: Number(args.port), protocol: flags.protocol, index: flags.index })}\n`);
  }
}
