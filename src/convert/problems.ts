/**
 * All problems at once (design 4.7): the converter collects every refusal it can find before it
 * stops, so a project with 70 refused bind mounts is fixed in one pass, not 70 runs. One problem
 * stays the UserError it was (its file:line, path and hint); several become one UserError whose
 * message has a counting first line and then one line per problem, each a complete sentence
 * with its own file:line and hint.
 */
import { UserError } from '../errors.js';

/** One error for one or more problems: the single problem itself, or all of them in one error. */
export function combineProblems(all: readonly [UserError, ...UserError[]]): UserError {
  // several steps read the same declaration (a secret is read by its own step and by every task
  // definition using it): one problem is reported once
  const problems = [...new Map(all.map((p) => [p.display(), p])).values()];
  if (problems.length === 1) return problems[0]!;
  const lines = problems.map((p) => p.display());
  return new UserError(`${problems.length} problems stop the conversion; fix them, then run again:\n${lines.join('\n')}`, { code: 'convert.problems', multiline: true });
}

/** Throws when `problems` is not empty. */
export function throwProblems(problems: readonly UserError[]): void {
  if (problems.length > 0) throw combineProblems(problems as [UserError, ...UserError[]]);
}

/** Runs `step`, adding its UserError to `problems` instead of throwing; any other error is a bug and propagates. */
export function collecting<T>(problems: UserError[], step: () => T): T | undefined {
  try {
    return step();
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    problems.push(e);
    return undefined;
  }
}
