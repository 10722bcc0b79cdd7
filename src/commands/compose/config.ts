import { Command, Flags } from '@oclif/core';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { composeFlags } from '../../cli/compose-flags.js';
import { loadComposeProject } from '../../cli/compose-project.js';
import { printWarnings } from '../../cli/diagnostics.js';
import { UserError } from '../../errors.js';
import { configDocument, type ConfigFormat } from '../../compose/config-document.js';
import { configList, type ConfigList } from '../../compose/config-lists.js';
import { toGoJson, toGoYaml } from '../../compose/config-tree.js';

const LISTS: readonly ConfigList[] = ['services', 'volumes', 'networks', 'profiles', 'images', 'models'];
/** docker compose options that change how the model is loaded; ours loads one way only */
const UNSUPPORTED = ['no-interpolate', 'no-normalize', 'no-path-resolution', 'no-consistency', 'no-env-resolution'] as const;

function escapeDollars(text: string): string {
  return text.replaceAll('$', '$$$$');
}

export default class ComposeConfig extends Command {
  static override summary = 'Print the resolved compose model, as `docker compose config` does.';
  static override description =
    'Interpolated, merged, normalised: the model docker-ecs deploys, in docker compose\'s own format (YAML, or JSON with --format json). Works offline: no AWS call.';
  static override examples = [
    'docker ecs compose config',
    'docker ecs compose config --format json',
    'docker ecs compose --profile debug config --services',
    'docker ecs compose config -q && echo valid',
  ];
  static override flags = {
    ...composeFlags,
    format: Flags.string({ description: 'output format', options: ['yaml', 'json'], default: 'yaml' }),
    output: Flags.string({ char: 'o', description: 'write to this file instead of stdout' }),
    quiet: Flags.boolean({ char: 'q', description: 'only validate the configuration, print nothing', default: false }),
    services: Flags.boolean({ description: 'print the service names, one per line', default: false }),
    volumes: Flags.boolean({ description: 'print the volume names, one per line', default: false }),
    networks: Flags.boolean({ description: 'print the network names, one per line', default: false }),
    profiles: Flags.boolean({ description: 'print the profile names, one per line', default: false }),
    images: Flags.boolean({ description: 'print the image names, one per line', default: false }),
    models: Flags.boolean({ description: 'print the model names, one per line', default: false }),
    'resolve-image-digests': Flags.boolean({ description: 'pin image tags to digests (needs a registry lookup: refused, see the message)', default: false }),
    'lock-image-digests': Flags.boolean({ description: 'an override file with image digests (needs a registry lookup: refused)', default: false }),
    ...Object.fromEntries(UNSUPPORTED.map((k) => [k, Flags.boolean({ description: 'not supported: docker-ecs prints the model it deploys', default: false, hidden: true })])),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(ComposeConfig);
    const f = flags as typeof flags & Record<string, unknown>;
    for (const k of UNSUPPORTED) {
      if (f[k]) throw new UserError(`config --${k} is not supported: docker-ecs prints the model it deploys, resolved in full; run \`docker compose config --${k}\` on a local context for that view.`);
    }
    if (flags['resolve-image-digests'] || flags['lock-image-digests']) {
      const flag = flags['resolve-image-digests'] ? '--resolve-image-digests' : '--lock-image-digests';
      throw new UserError(
        `config ${flag} needs a registry lookup, which docker-ecs does not make (config and convert work offline); pin digests in the compose file (image: name@sha256:...), or run \`docker compose config ${flag}\` on a local context.`,
      );
    }
    const project = loadComposeProject(flags);
    printWarnings(project, []);
    if (flags.quiet) return;
    const list = LISTS.find((k) => f[k] === true);
    // as docker compose: the model is interpolated, so a literal `$` is written `$$` to load back the same;
    // JSON ends without a newline, as Go's MarshalIndent
    const text = list
      ? configList(project, list).map((n) => `${n}\n`).join('')
      : escapeDollars(flags.format === 'json' ? toGoJson(configDocument(project, 'json')) : toGoYaml(configDocument(project, flags.format as ConfigFormat)));
    if (flags.output) {
      const file = resolve(flags.output);
      try {
        writeFileSync(file, text);
      } catch (e) {
        throw new UserError(`Cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`);
      }
      return;
    }
    process.stdout.write(text);
  }
}
