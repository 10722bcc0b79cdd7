/**
 * docker compose commands that have no meaning for tasks on Fargate. Each answers with one
 * sentence naming the nearest thing that works, and exits 1, as docker compose does for a
 * command it cannot carry out; none calls AWS.
 */
import { Command } from '@oclif/core';
import { UserError } from '../errors.js';

export const NOT_ON_FARGATE: Readonly<Record<string, string>> = {
  attach: 'ECS cannot attach a terminal to a running task; `docker ecs compose logs -f SERVICE` follows its output.',
  commit: 'a Fargate task cannot be saved as an image; build the image from a Dockerfile and push it instead.',
  cp: 'Fargate has no file copy into or out of a task; bake files into the image or keep them on a volume (EFS), which `up` mounts.',
  create: 'CloudFormation creates and starts the services together; `docker ecs compose up -d` does both and returns once the deployment has started.',
  events: 'ECS has no container event stream; `docker ecs compose up` shows the stack and service events live, and `ps -a` the stop reason of each stopped task.',
  export: 'a Fargate task\'s file system cannot be exported; keep the data on a volume (EFS) instead.',
  kill: 'ECS stops tasks with SIGTERM, then SIGKILL after the stop grace period, and takes no other signal; `docker ecs compose stop SERVICE` stops a service\'s tasks.',
  pause: 'Fargate cannot pause a task; `docker ecs compose stop SERVICE` stops its tasks and `start SERVICE` brings them back.',
  publish: 'publishing a compose application to a registry is done with `docker compose publish` on a local context.',
  pull: 'Fargate pulls each image when a task starts, so there is nothing to pull ahead; `docker ecs compose up` deploys the images named in the file.',
  rm: 'stopped Fargate tasks are removed by ECS itself; `docker ecs compose down` deletes the whole application.',
  stats: 'ECS reports no live per-container statistics here; turn on CloudWatch Container Insights for the cluster to see CPU and memory per task.',
  top: 'ECS does not list the processes of a task; `docker ecs compose ps` lists the tasks, and CloudWatch Container Insights shows their CPU and memory.',
  unpause: 'Fargate cannot pause or unpause a task; `docker ecs compose start SERVICE` brings back a stopped service.',
  wait: 'docker-ecs cannot wait on a task\'s exit yet; `docker ecs compose ps -a` shows the exit code and stop reason of stopped tasks.',
  watch: 'Fargate tasks cannot receive file changes; rebuild and push the image, then run `docker ecs compose up` to deploy it.',
};

/** Commands Fargate could carry out but docker-ecs does not do yet: said as such, not as impossible. */
export const NOT_YET: Readonly<Record<string, string>> = {};

/** An oclif command that takes any arguments and answers with its one sentence. */
export function notOnFargate(name: string): typeof Command {
  const later = NOT_YET[name];
  const sentence = later ?? NOT_ON_FARGATE[name]!;
  const where = later ? 'in docker-ecs yet' : 'on Amazon ECS';
  return class NotOnFargate extends Command {
    static override summary = `Not available ${where}: ${sentence}`;
    static override strict = false;

    async run(): Promise<void> {
      throw new UserError(`docker compose ${name} is not available ${where}: ${sentence}`);
    }
  };
}
