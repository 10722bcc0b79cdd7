/**
 * Log lines as `docker compose logs` prints them: `web-1a2b3c4d  | message`, the prefix padded to
 * the longest name plus one and coloured per service (cyan, yellow, green, magenta, blue, then
 * their intense forms, in the order services are first seen), the timestamp after the prefix.
 * On ECS a service has no replica numbers, so the name is the service and the first 8 characters
 * of the task ID (the task `ps` lists).
 */
import type { LogEvent } from '../aws/log-events.js';

const RAINBOW = ['36', '33', '32', '35', '34', '36;1', '33;1', '32;1', '35;1', '34;1'];
const RESET = '\x1b[0m';
export const TASK_ID_CHARS = 8;

export interface LogRenderOptions {
  color: boolean;
  prefix: boolean;
  timestamps: boolean;
  /** services known in advance: their colours and the prefix width are fixed from the start */
  services?: readonly string[];
}

/** `2026-01-01T10:00:00.000000000Z`: docker's fixed-width RFC 3339 with nanoseconds, in UTC. */
export function formatTimestamp(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2026-01-01T10:00:00.000Z
  return `${iso.slice(0, 23)}000000Z`;
}

export function displayName(service: string, taskId: string): string {
  return taskId ? `${service}-${taskId.slice(0, TASK_ID_CHARS)}` : service;
}

export class LogRenderer {
  private readonly colours = new Map<string, string>();
  private readonly prefixes = new Map<string, string>();
  private width = 0;

  constructor(private readonly options: LogRenderOptions) {
    for (const s of options.services ?? []) this.colourOf(s);
    const longest = Math.max(0, ...(options.services ?? []).map((s) => displayName(s, 'x'.repeat(TASK_ID_CHARS)).length));
    this.width = longest > 0 ? longest + 1 : 0;
  }

  private colourOf(service: string): string {
    let c = this.colours.get(service);
    if (c === undefined) {
      c = RAINBOW[this.colours.size % RAINBOW.length]!;
      this.colours.set(service, c);
    }
    return c;
  }

  private prefixOf(e: LogEvent): string {
    const name = displayName(e.service, e.taskId);
    let p = this.prefixes.get(name);
    if (p !== undefined) return p;
    if (name.length + 1 > this.width) {
      // a longer name than expected: widen, as docker compose does when a container appears
      this.width = name.length + 1;
      this.prefixes.clear();
    }
    const text = `${name.padEnd(this.width)} | `;
    p = this.options.color ? `\x1b[${this.colourOf(e.service)}m${text}${RESET}` : text;
    this.prefixes.set(name, p);
    return p;
  }

  /** The lines of one event, each ending in a newline (a multi-line message gets a prefix per line). */
  line(e: LogEvent): string {
    let message = e.message;
    if (message.endsWith('\n')) message = message.slice(0, message.endsWith('\r\n') ? -2 : -1);
    const head = (this.options.prefix ? this.prefixOf(e) : '') + (this.options.timestamps ? `${formatTimestamp(e.timestamp)} ` : '');
    if (!message.includes('\n')) return `${head}${message}\n`;
    let out = '';
    for (const part of message.split('\n')) out += `${head}${part}\n`;
    return out;
  }

  render(events: readonly LogEvent[]): string {
    let out = '';
    for (const e of events) out += this.line(e);
    return out;
  }
}
