/** A log line of a project's task, from FilterLogEvents or a Live Tail session. */
export interface LogEvent {
  /** the container name in the stream `<project>/<container>/<task-id>`: the compose service */
  service: string;
  taskId: string;
  stream: string;
  timestamp: number;
  ingestionTime?: number;
  message: string;
  /** FilterLogEvents gives one; Live Tail does not */
  eventId?: string;
}

/** Splits `<prefix>/<container>/<task-id>`; a stream of another shape keeps its name as the service. */
export function parseStream(stream: string, project: string): { service: string; taskId: string } {
  if (stream.startsWith(`${project}/`)) {
    const rest = stream.slice(project.length + 1);
    const slash = rest.lastIndexOf('/');
    if (slash > 0) return { service: rest.slice(0, slash), taskId: rest.slice(slash + 1) };
  }
  return { service: stream, taskId: '' };
}

export function byTime(a: LogEvent, b: LogEvent): number {
  return a.timestamp - b.timestamp || (a.ingestionTime ?? 0) - (b.ingestionTime ?? 0);
}
