/**
 * Thrown by the pure short-syntax parsers (ports, volumes, ...) that know nothing of files; the
 * pass that called them adds the file, line and path.
 */
export class ShapeError extends Error {
  constructor(
    message: string,
    /** path below the value being parsed, when the problem is in a child */
    readonly subPath: readonly (string | number)[] = [],
  ) {
    super(message);
  }
}
