/**
 * The user's Docker engine, through the docker CLI, for the services with `build:`: build
 * (buildx when docker has it, else the classic builder), read the local image's digests and the
 * ports it declares (EXPOSE), push.
 *
 * Which engine: the current docker context is the ECS one, which has no engine, so builds go to
 * - the docker context named by DOCKER_ECS_BUILD_CONTEXT, when set;
 * - else DOCKER_HOST, when set;
 * - else the `default` context (the local engine at /var/run/docker.sock, or Docker Desktop's).
 *
 * Registry credentials: an ECR login (GetAuthorizationToken) never goes into the user's docker
 * config. Pushes to ECR run with a temporary docker config folder (mode 0700, in the system's
 * temporary folder) holding only that login, with links to the user's `contexts`, `buildx` and
 * `cli-plugins`; it is removed when the command ends, on Ctrl-C too. Builds and pushes to other
 * registries use the user's own config, so base images and their credentials work as usual.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Interrupted, UserError } from '../errors.js';
import { readDockerConfig } from './config-dir.js';

/** What a build needs of a compose service (structurally the converter's ImageBuild). */
export interface BuildRequest {
  service: string;
  platform: string;
  build: {
    context: string;
    dockerfile?: string;
    dockerfile_inline?: string;
    args?: Record<string, string | null>;
    target?: string;
    labels?: Record<string, string>;
    no_cache?: boolean;
    pull?: boolean;
    network?: string;
    extra_hosts?: Record<string, string[]>;
    shm_size?: number;
    cache_from?: string[];
    cache_to?: string[];
    secrets?: unknown[];
    ssh?: string[];
    additional_contexts?: Record<string, string>;
    provenance?: string | boolean;
    sbom?: string | boolean;
  };
}

/** How the docker CLI reaches the engine that builds. */
export interface EngineChoice {
  /** global flags before the docker command (`--context NAME`) */
  args: string[];
  /** DOCKER_HOST when that is the choice */
  host?: string;
  description: string;
}

export function chooseBuildEngine(env: NodeJS.ProcessEnv): EngineChoice {
  const named = env.DOCKER_ECS_BUILD_CONTEXT?.trim();
  if (named) return { args: ['--context', named], description: `the engine of docker context "${named}" (DOCKER_ECS_BUILD_CONTEXT)` };
  if (env.DOCKER_HOST) return { args: [], host: env.DOCKER_HOST, description: `the engine at DOCKER_HOST (${env.DOCKER_HOST})` };
  return { args: ['--context', 'default'], description: 'the engine of docker context "default"' };
}

/** Lines of builder output kept for a failure message. */
const LAST_LINES = 15;

interface Ran {
  code: number;
  lines: string[];
  output: string;
}

export interface DockerImageEngineOptions {
  /** the user's docker config folder (dockerConfigDir) */
  configDir: string;
  env?: NodeJS.ProcessEnv;
  /** each line of builder and push output, for the progress view */
  onLine?: (service: string, line: string) => void;
  /** the docker client to run; `docker` on PATH */
  docker?: string;
}

export class DockerImageEngine {
  readonly description: string;
  private readonly choice: EngineChoice;
  private readonly env: NodeJS.ProcessEnv;
  private readonly docker: string;
  private tempConfig?: string;
  private buildx?: boolean;
  private readonly cleanup = (): void => this.removeTempConfig();
  private onLine?: (service: string, line: string) => void;

  constructor(private readonly options: DockerImageEngineOptions) {
    this.env = options.env ?? process.env;
    this.choice = chooseBuildEngine(this.env);
    this.description = this.choice.description;
    this.docker = options.docker ?? 'docker';
    this.onLine = options.onLine;
  }

  follow(onLine: (service: string, line: string) => void): void {
    this.onLine = onLine;
  }

  /** The environment of a docker run: the chosen engine, and the temporary config for logged-in pushes. */
  private envFor(withLogin: boolean): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...this.env };
    delete env.DOCKER_CONTEXT;
    delete env.DOCKER_HOST;
    delete env.DOCKER_CLI_PLUGIN_SOCKET;
    if (this.choice.host) env.DOCKER_HOST = this.choice.host;
    env.DOCKER_CONFIG = withLogin && this.tempConfig ? this.tempConfig : this.options.configDir;
    return env;
  }

  private run(args: string[], o: { withLogin?: boolean; input?: string; service?: string; signal?: AbortSignal; extraEnv?: Record<string, string> } = {}): Promise<Ran> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.docker, [...this.choice.args, ...args], {
        env: { ...this.envFor(o.withLogin ?? false), ...o.extraEnv },
        stdio: [o.input !== undefined ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      });
      const lines: string[] = [];
      let output = '';
      let pending = '';
      const take = (chunk: Buffer): void => {
        const text = pending + chunk.toString('utf8');
        output += chunk.toString('utf8');
        const parts = text.split(/\r?\n|\r/);
        pending = parts.pop() ?? '';
        for (const line of parts) {
          if (!line.trim()) continue;
          lines.push(line);
          if (lines.length > LAST_LINES) lines.shift();
          if (o.service) this.onLine?.(o.service, line);
        }
      };
      child.stdout!.on('data', take);
      child.stderr!.on('data', take);
      const abort = (): void => {
        child.kill('SIGTERM');
      };
      o.signal?.addEventListener('abort', abort, { once: true });
      child.on('error', (e) => {
        o.signal?.removeEventListener('abort', abort);
        reject(
          (e as NodeJS.ErrnoException).code === 'ENOENT'
            ? new UserError(`The docker client (${this.docker}) was not found on PATH; building images needs it.`)
            : e,
        );
      });
      child.on('close', (code) => {
        o.signal?.removeEventListener('abort', abort);
        if (pending.trim()) lines.push(pending);
        if (o.signal?.aborted) reject(new Interrupted('Stopped while building images; nothing was deployed.'));
        else resolve({ code: code ?? 1, lines: lines.slice(-LAST_LINES), output });
      });
      if (o.input !== undefined) child.stdin!.end(o.input);
    });
  }

  private hasBuildx(): boolean {
    if (this.buildx === undefined) {
      const forcedClassic = this.env.DOCKER_BUILDKIT === '0';
      this.buildx = !forcedClassic && spawnSync(this.docker, ['buildx', 'version'], { env: this.envFor(false), stdio: 'ignore' }).status === 0;
    }
    return this.buildx;
  }

  /** Writes the ECR login into a temporary docker config; the user's config is never touched. */
  async login(login: { host: string; auth: string }): Promise<void> {
    if (!this.tempConfig) {
      const dir = mkdtempSync(path.join(tmpdir(), 'docker-ecs-login-'));
      chmodSync(dir, 0o700);
      this.tempConfig = dir;
      process.once('exit', this.cleanup);
      for (const entry of ['contexts', 'buildx', 'cli-plugins']) {
        const source = path.join(this.options.configDir, entry);
        if (existsSync(source)) symlinkSync(source, path.join(dir, entry));
      }
    }
    const user = readDockerConfig(this.options.configDir);
    const config: Record<string, unknown> = { auths: { [login.host]: { auth: login.auth } } };
    if (user.cliPluginsExtraDirs) config.cliPluginsExtraDirs = user.cliPluginsExtraDirs;
    writeFileSync(path.join(this.tempConfig, 'config.json'), JSON.stringify(config), { mode: 0o600 });
  }

  buildArgs(b: BuildRequest, reference: string, buildx: boolean): { args: string[]; input?: string } {
    const c = b.build;
    const remote = /^[a-z]+:\/\/|^git@/.test(c.context);
    const args = buildx ? ['buildx', 'build', '--load'] : ['build'];
    args.push('--platform', b.platform, '--tag', reference);
    let input: string | undefined;
    if (c.dockerfile_inline !== undefined) {
      args.push('--file', '-');
      input = c.dockerfile_inline;
    } else if (c.dockerfile) {
      args.push('--file', remote || path.isAbsolute(c.dockerfile) ? c.dockerfile : path.resolve(c.context, c.dockerfile));
    }
    for (const [k, v] of Object.entries(c.args ?? {}).sort(([a], [z]) => (a < z ? -1 : 1))) args.push('--build-arg', v === null ? k : `${k}=${v}`);
    if (c.target) args.push('--target', c.target);
    for (const [k, v] of Object.entries(c.labels ?? {}).sort(([a], [z]) => (a < z ? -1 : 1))) args.push('--label', `${k}=${v}`);
    if (c.no_cache) args.push('--no-cache');
    if (c.pull) args.push('--pull');
    if (c.network) args.push('--network', c.network);
    for (const [h, ips] of Object.entries(c.extra_hosts ?? {})) for (const ip of ips) args.push('--add-host', `${h}:${ip}`);
    if (c.shm_size) args.push('--shm-size', String(c.shm_size));
    for (const from of c.cache_from ?? []) args.push('--cache-from', from);
    if (buildx) {
      for (const to of c.cache_to ?? []) args.push('--cache-to', to);
      for (const s of c.ssh ?? []) args.push('--ssh', s);
      for (const [name, where] of Object.entries(c.additional_contexts ?? {})) args.push('--build-context', `${name}=${where}`);
      // an attestation turns the image into an index; ECS runs either, but keep what compose pushes
      args.push(`--provenance=${c.provenance === undefined ? 'false' : String(c.provenance)}`);
      if (c.sbom !== undefined) args.push(`--sbom=${String(c.sbom)}`);
    }
    args.push(c.context);
    return { args, ...(input !== undefined ? { input } : {}) };
  }

  async build(b: BuildRequest, reference: string, signal: AbortSignal): Promise<void> {
    const buildx = this.hasBuildx();
    const needsBuildx = (['cache_to', 'ssh', 'additional_contexts', 'secrets'] as const).filter((k) => {
      const v = b.build[k];
      return Array.isArray(v) ? v.length > 0 : v !== undefined && Object.keys(v).length > 0;
    });
    if (!buildx && needsBuildx.length > 0) {
      throw new UserError(`Service ${b.service}: build.${needsBuildx[0]} needs docker buildx, which this docker client does not have.`, {
        where: { path: `services.${b.service}.build.${needsBuildx[0]}` },
        hint: 'Install the buildx plugin (https://github.com/docker/buildx), or remove the key.',
      });
    }
    if (buildx && (b.build.secrets?.length ?? 0) > 0) {
      throw new UserError(`Service ${b.service}: build.secrets is not passed to the builder yet.`, { where: { path: `services.${b.service}.build.secrets` }, hint: 'Remove build.secrets, or build and push this image yourself and set image:.' });
    }
    const { args, input } = this.buildArgs(b, reference, buildx);
    const ran = await this.run(args, { service: b.service, signal, ...(input !== undefined ? { input } : {}), ...(buildx ? {} : { extraEnv: { DOCKER_BUILDKIT: '0' } }) });
    if (ran.code !== 0) {
      throw new UserError(
        `The build of service ${b.service} failed (docker ${buildx ? 'buildx build' : 'build'} exited ${ran.code}); nothing was deployed. Last lines of the builder:\n${ran.lines.map((l) => `  ${l}`).join('\n')}`,
      );
    }
  }

  async repoDigests(reference: string): Promise<string[]> {
    const ran = await this.run(['image', 'inspect', '--format', '{{json .RepoDigests}}', reference]);
    if (ran.code !== 0) return [];
    try {
      const parsed: unknown = JSON.parse(ran.output.trim().split('\n')[0] ?? '[]');
      return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string') : [];
    } catch {
      return [];
    }
  }

  /** The keys of the local image's Config.ExposedPorts (`8080/tcp`); undefined when the engine has no such image. */
  async exposedPorts(reference: string): Promise<string[] | undefined> {
    const ran = await this.run(['image', 'inspect', '--format', '{{json .Config.ExposedPorts}}', reference]);
    if (ran.code !== 0) return undefined;
    try {
      const parsed: unknown = JSON.parse(ran.output.trim().split('\n')[0] ?? 'null');
      return parsed && typeof parsed === 'object' ? Object.keys(parsed) : [];
    } catch {
      return undefined;
    }
  }

  async push(reference: string, withLogin: boolean, signal: AbortSignal): Promise<string> {
    const service = reference;
    const ran = await this.run(['push', reference], { withLogin, signal, service });
    if (ran.code !== 0) {
      throw new UserError(`Pushing ${reference} failed (docker push exited ${ran.code}); nothing was deployed. Last lines:\n${ran.lines.map((l) => `  ${l}`).join('\n')}`);
    }
    const digest = /digest: (sha256:[a-f0-9]{64})/.exec(ran.output)?.[1];
    if (digest) return digest;
    const repository = reference.slice(0, reference.lastIndexOf(':') > reference.lastIndexOf('/') ? reference.lastIndexOf(':') : undefined);
    const known = (await this.repoDigests(reference)).find((r) => r.startsWith(`${repository}@`));
    if (!known) throw new UserError(`docker push ${reference} did not report the pushed digest.`);
    return known.slice(repository.length + 1);
  }

  private removeTempConfig(): void {
    if (!this.tempConfig) return;
    rmSync(this.tempConfig, { recursive: true, force: true });
    this.tempConfig = undefined;
    process.removeListener('exit', this.cleanup);
  }

  async dispose(): Promise<void> {
    this.removeTempConfig();
  }
}
