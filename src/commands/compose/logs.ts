import { Command, Flags } from '@oclif/core';
import { colourOf, composeFlags } from '../../cli/compose-flags.js';
import { dockerGlobals } from '../../cli/globals-state.js';
import { projectNameFrom } from '../../cli/project-name.js';
import { createAwsClients } from '../../aws/clients.js';
import { watchInterrupts } from '../../aws/interrupt.js';
import { LogRenderer } from '../../ui/logs.js';
import { logGroupName, projectLogServices, readLogs } from '../../aws/logs.js';
import { stdoutWriter } from '../../ui/stdout.js';
import { parseSince, parseTail } from '../../aws/log-time.js';
import { realTiming } from '../../aws/timing.js';
import { resolveEcsTarget } from '../../docker/ecs-context.js';
import { Interrupted, UserError } from '../../errors.js';

export default class ComposeLogs extends Command {
  static override summary = 'Show the log lines of the project\'s services.';
  static override usage = 'compose logs [SERVICE...] [-f] [--since T] [--until T] [--tail N] [-t] [--no-color] [--no-log-prefix]';
  static override strict = false;
  static override flags = {
    ...composeFlags,
    // as in docker compose, -f after `logs` means --follow; the compose file is --file here
    file: Flags.string({ multiple: true, description: 'compose file (repeatable; - reads stdin); -f before `logs`', helpGroup: 'COMPOSE' }),
    follow: Flags.boolean({ char: 'f', description: 'keep printing new lines (Ctrl-C stops)', default: false }),
    since: Flags.string({ description: 'lines since a time (2026-01-02T15:04:05Z) or for a duration (10m, 1h30m)' }),
    until: Flags.string({ description: 'lines before a time (2026-01-02T15:04:05Z) or a duration ago (42m)' }),
    tail: Flags.string({ char: 'n', description: 'number of lines from the end of each service\'s logs, or "all"', default: 'all' }),
    timestamps: Flags.boolean({ char: 't', description: 'show timestamps', default: false }),
    'no-color': Flags.boolean({ description: 'produce monochrome output', default: false }),
    'no-log-prefix': Flags.boolean({ description: 'do not print the service prefix', default: false }),
  };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(ComposeLogs);
    const services = argv as string[];
    const tail = parseTail(flags.tail);
    const since = flags.since !== undefined ? parseSince(flags.since, realTiming.now()) : undefined;
    const until = flags.until !== undefined ? parseSince(flags.until, realTiming.now(), '--until') : undefined;
    if (until !== undefined && flags.follow) throw new UserError('--until and -f cannot be used together: -f keeps printing new lines, --until stops at a time in the past.');
    if (until !== undefined && since !== undefined && until < since) throw new UserError('--until is before --since, so no line can match; swap them or drop one.');
    const project = await projectNameFrom(flags);
    const target = await resolveEcsTarget(dockerGlobals(), process.env);
    const clients = createAwsClients(target);
    const known = await projectLogServices(clients, project, services);
    const renderer = new LogRenderer({
      color: !flags['no-color'] && colourOf(flags, process.stdout.isTTY === true, process.env),
      prefix: !flags['no-log-prefix'],
      timestamps: flags.timestamps,
      services: services.length > 0 ? [...services].sort() : known,
    });
    const interrupts = watchInterrupts();
    const out = stdoutWriter(interrupts.signal);
    try {
      const result = await readLogs(
        clients,
        { project, services, known, since, until, tail, follow: flags.follow, signal: out.signal, timing: realTiming, notice: (m) => process.stderr.write(`${m}\n`) },
        (events) => out.write(renderer.render(events)),
      );
      if (result.missingGroup && !flags.follow) {
        process.stderr.write(`No log group ${logGroupName(project)} in ${target.region}: project ${project} has no logs there.\n`);
      }
      // Ctrl-C, SIGTERM or docker's socket: exit 130 as docker compose does (a reader that went
      // away, `logs -f | head`, ends quietly with 0)
      if (interrupts.signal.aborted) throw new Interrupted('');
    } finally {
      interrupts.dispose();
      // the Live Tail HTTP/2 session would keep the process alive after Ctrl-C
      (await clients.logs()).destroy();
    }
  }
}
