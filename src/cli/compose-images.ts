/**
 * The shell around aws/build-images.ts: the services with `build:` and the user's engine
 * (docker/image-engine.ts) for `up`, and the `build` and `push` commands on their own.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Project } from '../compose/model.js';
import type { ImageBuild } from '../convert/index.js';
import type { ImagesRequest } from '../aws/build-images.js';
import type { ComposeFlagValues } from './compose-flags.js';
import type { ProgressMode } from '../ui/sink.js';
import { dockerGlobals } from './globals-state.js';
import { UserError } from '../errors.js';
import { throwProblems } from '../convert/problems.js';

const isRemote = (context: string): boolean => /^[a-z][a-z0-9+.-]*:\/\/|^git@/.test(context);

/**
 * Every build context and Dockerfile that is not there, all at once and before any AWS call: a
 * project copied without its sources is refused here, not half-way through the builds.
 */
export function checkBuildSources(project: Project, builds: readonly ImageBuild[]): void {
  const problems: UserError[] = [];
  for (const b of builds) {
    const context = b.build.context;
    if (isRemote(context)) continue;
    const origin = project.services[b.service]?.origin;
    const at = origin?.entries?.build ?? origin;
    const where = { ...(at ? { file: at.file, ...(at.line ? { line: at.line } : {}) } : {}), path: `services.${b.service}.build` };
    if (!existsSync(context) || !statSync(context).isDirectory()) {
      problems.push(new UserError(`Service ${b.service}: the build context ${context} is not a folder, so its image cannot be built.`, { where, hint: 'Fix build.context, or build and push the image yourself and set image: without build.' }));
      continue;
    }
    if (b.build.dockerfile_inline !== undefined) continue;
    const dockerfile = path.resolve(context, b.build.dockerfile ?? 'Dockerfile');
    if (!existsSync(dockerfile)) {
      problems.push(new UserError(`Service ${b.service}: the Dockerfile ${dockerfile} does not exist, so its image cannot be built.`, { where, hint: 'Fix build.dockerfile (it is relative to build.context).' }));
    }
  }
  throwProblems(problems);
}

/** What up builds and pushes, with the engine that does it; undefined when no service builds. */
export async function imagesRequest(project: Project, policy: ImagesRequest['policy'] = 'changed', steps?: ImagesRequest['steps']): Promise<ImagesRequest | undefined> {
  const { imageBuilds } = await import('../convert/index.js');
  const builds = imageBuilds(project);
  if (builds.length === 0) return undefined;
  // --no-build needs no sources; compose push pushes what build tagged
  if (policy !== 'never' && steps?.build !== false) checkBuildSources(project, builds);
  const { DockerImageEngine } = await import('../docker/image-engine.js');
  const { dockerConfigDir } = await import('../docker/config-dir.js');
  const engine = new DockerImageEngine({ configDir: dockerConfigDir(dockerGlobals(), process.env) });
  return { project: project.name, builds, engine, policy, ...(steps ? { steps } : {}) };
}

export interface ImagesOptions {
  services: readonly string[];
  progress: ProgressMode;
  dryRun: boolean;
}

/** `docker ecs compose build` (tags each image with where up pushes it) and `push` (pushes those). */
export async function composeImages(flags: ComposeFlagValues, command: 'build' | 'push', options: ImagesOptions): Promise<void> {
  const { loadComposeProject } = await import('./compose-project.js');
  const project = loadComposeProject(flags);
  for (const s of options.services) {
    if (!project.services[s]) throw new UserError(`No such service: ${s} (the project has ${Object.keys(project.services).sort().join(', ')}).`);
  }
  const selection = options.services.length > 0 ? { ...project, services: Object.fromEntries(Object.entries(project.services).filter(([n]) => options.services.includes(n))) } : project;
  const request = await imagesRequest(selection, 'changed', { build: command === 'build', push: command === 'push' });
  if (!request) {
    process.stderr.write(`No service of project ${project.name} has build:; nothing to ${command}.\n`);
    return;
  }
  const { resolveEcsTarget } = await import('../docker/ecs-context.js');
  const target = await resolveEcsTarget(dockerGlobals(), process.env);
  const { createAwsClients } = await import('../aws/clients.js');
  const { prepareImages } = await import('../aws/build-images.js');
  const { explainingAwsErrors } = await import('../aws/aws-errors.js');
  const { watchInterrupts } = await import('../aws/interrupt.js');
  const { createProgressSink } = await import('../ui/sink.js');
  const sink = await createProgressSink({ mode: options.progress === 'auto' || options.progress === 'tty' ? 'plain' : options.progress });
  const interrupts = watchInterrupts();
  const clients = createAwsClients(target);
  let seq = 0;
  try {
    const images = await explainingAwsErrors(clients.region, () =>
      prepareImages(
        { clients, signal: interrupts.signal, emit: (body) => sink.emit({ seq: ++seq, at: new Date().toISOString(), ...body }) },
        request,
        options.dryRun,
      ),
    );
    await sink.close();
    process.stdout.write(images.map((i) => `${i.service} ${i.image}\n`).join(''));
  } finally {
    await sink.close();
    interrupts.dispose();
    await request.engine.dispose();
  }
}
