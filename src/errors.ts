/**
 * The few error classes every layer throws, and the warnings the converter returns. This module
 * imports nothing, so every folder may use it (test/architecture.test.ts). The one handler in
 * `cli/exit.ts` (called from `cli/main.ts`) maps the errors to exit codes and prints them as one
 * sentence; a stack trace appears only with --debug / DEBUG.
 */

/** Where a problem sits in the user's input, so a message can point at it. */
export interface SourceRef {
  file?: string;
  line?: number;
  column?: number;
  /** dotted path in the compose model, e.g. `services.web.deploy.replicas` */
  path?: string;
}

export function formatSourceRef(where: SourceRef | undefined): string {
  if (!where?.file) return '';
  let s = where.file;
  if (where.line !== undefined) s += `:${where.line}`;
  if (where.column !== undefined && where.line !== undefined) s += `:${where.column}`;
  return s;
}

/** Bad input or a situation the user can fix: exit 1, one sentence, no stack. */
export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(
    message: string,
    /** multiline: the message is a list of lines on purpose (every problem of a project), each printed on its own */
    readonly options: { where?: SourceRef; hint?: string; code?: string; multiline?: boolean } = {},
  ) {
    super(message);
  }

  get where(): SourceRef | undefined {
    return this.options.where;
  }

  /** The full user-facing line: `file:line: message (hint)`. */
  display(): string {
    const at = formatSourceRef(this.options.where);
    const head = at && !this.message.startsWith(at) ? `${at}: ${this.message}` : this.message;
    return this.options.hint ? `${head} ${this.options.hint}` : head;
  }
}

/** A deployment that AWS reported as failed; carries the root cause. Exit 1. */
export class DeployFailed extends Error {
  override readonly name = 'DeployFailed';
  constructor(message: string, readonly rootCause?: string) {
    super(message);
  }
}

/** The user pressed Ctrl-C or sent SIGTERM. Exit 130. Nothing is cancelled or deleted in AWS. */
export class Interrupted extends Error {
  override readonly name = 'Interrupted';
  constructor(message = 'Interrupted.') {
    super(message);
  }
}

/** A warning about the user's input that does not stop the command; printed once per service and key. */
export interface Diagnostic {
  level: 'warning';
  service?: string;
  key?: string;
  message: string;
}

export function warning(message: string, service?: string, key?: string): Diagnostic {
  const d: Diagnostic = { level: 'warning', message };
  if (service !== undefined) d.service = service;
  if (key !== undefined) d.key = key;
  return d;
}
