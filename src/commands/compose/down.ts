import { Command, Flags } from '@oclif/core';
import { createInterface } from 'node:readline/promises';
import { composeFlags, progressModeOf } from '../../cli/compose-flags.js';
import { composeDown } from '../../cli/compose-deploy.js';
import { dockerGlobals } from '../../cli/globals-state.js';
import { projectNameFrom } from '../../cli/project-name.js';
import { UserError } from '../../errors.js';

export default class ComposeDown extends Command {
  static override summary = 'Delete the project\'s stack; EFS file systems (your data) are kept and reported, unless -v.';
  static override description =
    'With -v (--volumes) the EFS file systems kept for the project are deleted too, after the stack, once they are listed and you confirm (--yes confirms for scripts; without a terminal --yes is required). Their data is gone for good.';
  static override examples = ['docker ecs compose down', 'docker ecs compose down -p shop', 'docker ecs compose down -v --yes'];
  static override flags = {
    ...composeFlags,
    volumes: Flags.boolean({ char: 'v', description: 'also delete the project\'s EFS file systems (its data), after saying which', default: false }),
    yes: Flags.boolean({ char: 'y', description: 'do not ask before deleting volumes (for scripts)', default: false }),
    'remove-orphans': Flags.boolean({ description: 'accepted: the stack holds every service of the project, orphans included, and all of it is deleted', default: false }),
    rmi: Flags.string({ description: 'not supported: images live in your registry', hidden: true }),
    timeout: Flags.integer({ char: 't', description: 'accepted for docker compose compatibility: ECS waits each task\'s stop_grace_period' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(ComposeDown);
    if (flags['dry-run']) {
      throw new UserError('down --dry-run is not supported: `docker ecs compose ps` shows what runs in the stack, and `down` without --dry-run deletes it.');
    }
    if (flags.rmi !== undefined) throw new UserError('down --rmi is not supported: images live in your registry; delete them there (for ECR: `aws ecr batch-delete-image`).');
    // refuse before deleting anything when the volumes cannot be confirmed
    if (flags.volumes && !flags.yes && !process.stdin.isTTY) {
      throw new UserError('down -v deletes the project\'s EFS file systems and their data; add --yes to confirm when there is no terminal to ask on.');
    }
    await composeDown(flags, progressModeOf(flags));
    if (!flags.volumes) return;
    const project = await projectNameFrom(flags);
    const { resolveEcsTarget } = await import('../../docker/ecs-context.js');
    const { createAwsClients } = await import('../../aws/clients.js');
    const { deleteFileSystems, projectFileSystems } = await import('../../aws/volumes-delete.js');
    const clients = createAwsClients(await resolveEcsTarget(dockerGlobals(), process.env));
    const systems = await projectFileSystems(clients, project);
    if (systems.length === 0) {
      process.stderr.write(`No EFS file system is kept for project ${project}; no volume to delete.\n`);
      return;
    }
    process.stderr.write(`These EFS file systems of project ${project} will be deleted with their data: ${systems.map((s) => `${s.id} (volume ${s.volume})`).join(', ')}.\n`);
    if (!flags.yes) {
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      const answer = await rl.question('Delete them? [y/N] ');
      rl.close();
      if (!/^y(es)?$/i.test(answer.trim())) {
        process.stderr.write('Kept; the next `up` of this project attaches them again.\n');
        return;
      }
    }
    await deleteFileSystems(clients, systems, (line) => process.stderr.write(` ${line}\n`));
  }
}
