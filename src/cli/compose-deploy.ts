/**
 * The shell around `aws/deploy.ts` for the `up` and `down` commands: load and convert (the
 * pure core), resolve the context and clients, pick a renderer, and let Ctrl-C stop watching.
 * AWS and Ink are loaded here, lazily, so `convert` and `--help` never pay for them.
 */
import type { ProgressMode } from '../ui/sink.js';
import type { ComposeFlagValues } from './compose-flags.js';
import { dockerGlobals } from './globals-state.js';
import { UserError } from '../errors.js';

export interface UpOptions {
  detach: boolean;
  dryRun: boolean;
  progress: ProgressMode;
  /** `up SERVICE...`: these and what they depend on (empty: all) */
  services?: readonly string[];
  /** `up --scale SERVICE=N` */
  scale?: ReadonlyArray<[string, number]>;
  /** services with build: `changed` pushes what the registry lacks, `always` (--build), `never` (--no-build) */
  build?: 'changed' | 'always' | 'never';
}

export async function composeUp(flags: ComposeFlagValues, options: UpOptions): Promise<void> {
  const { loadComposeProject } = await import('./compose-project.js');
  const { convertProject, secretEnvironmentInputs, secretParameterInputs } = await import('../convert/index.js');
  // bad input stops here, before any AWS call: convert once offline to surface refusals
  const { withScale, withServices } = await import('./up-selection.js');
  const project = withScale(withServices(loadComposeProject(flags), options.services ?? []), options.scale ?? []);
  const { readProjectFiles } = await import('./read-project-files.js');
  const files = readProjectFiles(project);
  convertProject(project, { files });
  // what is built and pushed: a missing build context also stops here, before any AWS call
  const { imagesRequest } = await import('./compose-images.js');
  const images = await imagesRequest(project, options.build);
  const { resolveEcsTarget } = await import('../docker/ecs-context.js');
  const target = await resolveEcsTarget(dockerGlobals(), process.env);
  if (options.services && options.services.length > 0) {
    // one stack holds the whole project: deploying a subset would delete the services left out
    const { createAwsClients: clientsFor } = await import('../aws/clients.js');
    const { composeServicesOf, listStackResources } = await import('../aws/project-stack.js');
    const { stackName } = await import('../convert/naming.js');
    const resources = await listStackResources(await clientsFor(target).cloudFormation(), stackName(project.name));
    const dropped = resources ? composeServicesOf(resources, project.name, Object.keys(project.services)).filter((s) => !project.services[s]) : [];
    if (dropped.length > 0) {
      throw new UserError(
        `up ${options.services.join(' ')} would remove ${dropped.join(', ')} from the deployed stack, which holds the whole project; run \`up\` without service names, or \`docker ecs compose stop ${dropped.join(' ')}\` to stop them instead.`,
      );
    }
  }
  const { readSecretValues, readSecretVariables } = await import('../aws/secret-values.js');
  const secretValues = {
    ...(await readSecretValues(secretParameterInputs(project))),
    ...readSecretVariables(secretEnvironmentInputs(project), project.environment),
  };

  const { createAwsClients } = await import('../aws/clients.js');
  const { environmentRequestOf } = await import('../convert/environment-request.js');
  const { up } = await import('../aws/deploy.js');
  const { watchInterrupts } = await import('../aws/interrupt.js');
  const { createProgressSink } = await import('../ui/sink.js');
  const { project: _name, ...environment } = environmentRequestOf(project);
  // the ports each image declares (EXPOSE) get a short name too, as every port has under compose
  const { readImagePorts } = await import('../aws/image-ports.js');
  const imagePorts = await readImagePorts(
    // a built service's image is read from the engine once built (aws/build-images.ts)
    Object.values(project.services).flatMap((s) => (s.image && !s.build ? [{ image: s.image, ...(s.platform ? { platform: s.platform } : {}) }] : [])),
  );

  const { upConvert } = await import('./up-convert.js');
  const convert = upConvert(project, files, imagePorts);

  const sink = await createProgressSink({ mode: options.progress });
  const interrupts = watchInterrupts();
  try {
    const result = await up(
      { project: project.name, environment, secretValues, detach: options.detach, dryRun: options.dryRun },
      { clients: createAwsClients(target), signal: interrupts.signal, convert, ...(images ? { images } : {}) },
      sink.emit,
    );
    await sink.close();
    if (result.kind === 'succeeded' || result.kind === 'no-changes') {
      process.stdout.write(result.endpoints.map((u) => `${u}\n`).join(''));
    } else if (result.kind === 'dry-run') {
      const { formatPlan } = await import('../ui/plan.js');
      process.stdout.write(formatPlan(project.name, result.plan));
    }
  } finally {
    await sink.close();
    interrupts.dispose();
    await images?.engine.dispose();
  }
}

export async function composeDown(flags: ComposeFlagValues, progress: ProgressMode): Promise<void> {
  const { projectNameFrom } = await import('./project-name.js');
  const name = await projectNameFrom(flags);
  const { resolveEcsTarget } = await import('../docker/ecs-context.js');
  const target = await resolveEcsTarget(dockerGlobals(), process.env);
  const { createAwsClients } = await import('../aws/clients.js');
  const { down } = await import('../aws/deploy.js');
  const { watchInterrupts } = await import('../aws/interrupt.js');
  const { createProgressSink } = await import('../ui/sink.js');
  const sink = await createProgressSink({ mode: progress });
  const interrupts = watchInterrupts();
  try {
    await down({ project: name }, { clients: createAwsClients(target), signal: interrupts.signal }, sink.emit);
  } finally {
    await sink.close();
    interrupts.dispose();
  }
}
