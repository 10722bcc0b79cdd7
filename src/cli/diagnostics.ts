import type { Project } from '../compose/model.js';
import type { Diagnostic } from '../errors.js';
import { terminalSafe } from '../ui/terminal-text.js';

/**
 * Loader and converter warnings, one line each on stderr (results stay on stdout, so
 * `convert > template.yaml` stays clean). The same key in the same service is said once.
 */
export function printWarnings(project: Project, diagnostics: readonly Diagnostic[], stream: NodeJS.WritableStream = process.stderr): void {
  const seen = new Set<string>();
  const say = (line: string) => {
    if (seen.has(line)) return;
    seen.add(line);
    stream.write(`WARNING: ${terminalSafe(line)}\n`);
  };
  for (const w of project.warnings) say(w.file ? `${w.file}${w.line ? `:${w.line}` : ''}: ${w.message}` : w.message);
  // a converter diagnostic is a whole sentence that already names its service ("Service web: ...")
  for (const d of diagnostics) say(d.message);
}
