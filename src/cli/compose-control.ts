/**
 * The shell around `aws/service-control.ts` for stop, start, restart and scale: project name,
 * context, clients, Ctrl-C (stops waiting; the change goes on in AWS, exit 130).
 */
import type { ControlAction } from '../aws/service-control.js';
import { Interrupted } from '../errors.js';
import type { ComposeFlagValues } from './compose-flags.js';
import { dockerGlobals } from './globals-state.js';

export async function composeControl(flags: ComposeFlagValues, services: readonly string[], action: ControlAction): Promise<void> {
  const { projectNameFrom } = await import('./project-name.js');
  const project = await projectNameFrom(flags);
  const { resolveEcsTarget } = await import('../docker/ecs-context.js');
  const target = await resolveEcsTarget(dockerGlobals(), process.env);
  const { createAwsClients } = await import('../aws/clients.js');
  const { controlServices } = await import('../aws/service-control.js');
  const { watchInterrupts } = await import('../aws/interrupt.js');
  const { realTiming } = await import('../aws/timing.js');
  const interrupts = watchInterrupts();
  try {
    await controlServices(createAwsClients(target), {
      project,
      services,
      action,
      wait: true,
      timing: realTiming,
      signal: interrupts.signal,
      say: (line) => process.stderr.write(` ${line}\n`),
    });
    if (interrupts.signal.aborted) {
      throw new Interrupted(`Stopped waiting; the change goes on in AWS. Follow it with \`docker ecs compose -p ${project} ps\`.`);
    }
  } finally {
    interrupts.dispose();
  }
}
