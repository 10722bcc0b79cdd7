/**
 * What every loading pass shares: the injected reader, the interpolation environment, the
 * warnings being collected, the include chain (for cycle detection) and a cache of documents
 * already read (a file extended by several services is read once).
 */
import type { FileReader, LoadWarning } from './model.js';
import type { Lookup } from './interpolate.js';
import type { RawMap } from './parse.js';

export interface LoadContext {
  readonly reader: FileReader;
  readonly cwd: string;
  /** variables for interpolation: env files overlaid by the process environment */
  readonly env: Readonly<Record<string, string>>;
  readonly lookup: Lookup;
  readonly home?: string;
  readonly warnings: LoadWarning[];
  /** variables already warned about (one warning per variable) */
  readonly warned: Set<string>;
  /** absolute paths of the files whose `include` led here, outermost first */
  readonly includeChain: readonly string[];
  /** documents after parse and schema, by absolute path */
  readonly parsed: Map<string, RawMap>;
  /** documents after parse, schema, interpolation and canonical forms, by absolute path */
  readonly documents: Map<string, RawMap>;
  /**
   * included models by their arguments (files, project directory, environment), shared by the
   * whole load: a file included many times, directly or not, is loaded once (22 files that each
   * included the next twice took 51 s, loading the last one 2^18 times)
   */
  readonly included: Map<string, RawMap>;
  /** loads a set of files as one model (used by include) */
  readonly loadModel: (files: readonly ComposeFile[], workingDir: string, ctx: LoadContext) => RawMap;
}

export interface ComposeFile {
  /** absolute path, or `-` for stdin */
  path: string;
  /** the name errors show: relative to the working directory when below it */
  display: string;
}

export function makeLookup(env: Readonly<Record<string, string>>): Lookup {
  return (name) => (Object.prototype.hasOwnProperty.call(env, name) ? env[name] : undefined);
}
