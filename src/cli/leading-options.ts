/**
 * `run` and `exec` read their options only before SERVICE, as docker compose does (cobra's
 * interspersed parsing is off for them): in `run web sh -c "ls -e"` the `-c` and `-e` belong to
 * the command. This splits argv at the first word that is neither an option nor an option's value,
 * and spells out combined short booleans (`-it` is `-i -t`, as users type for exec).
 */

/** The part of an oclif flag definition the split needs. */
export interface FlagShape {
  type: 'boolean' | 'option';
  char?: string;
}

export interface SplitArgv {
  /** what oclif parses: the options before SERVICE */
  options: string[];
  /** SERVICE and everything after it, untouched */
  positional: string[];
}

export function splitLeadingOptions(argv: readonly string[], flags: Readonly<Record<string, FlagShape>>): SplitArgv {
  const byChar = new Map<string, FlagShape>();
  for (const f of Object.values(flags)) if (f.char) byChar.set(f.char, f);
  const options: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') return { options, positional: argv.slice(i + 1) };
    if (token.startsWith('--')) {
      options.push(token);
      const name = token.slice(2).split('=')[0]!;
      if (!token.includes('=') && flags[name]?.type === 'option' && i + 1 < argv.length) options.push(argv[++i]!);
      continue;
    }
    if (token.startsWith('-') && token.length > 1) {
      const first = byChar.get(token[1]!);
      if (token.length === 2) {
        options.push(token);
        if (first?.type === 'option' && i + 1 < argv.length) options.push(argv[++i]!);
        continue;
      }
      // `-eKEY=VALUE`: a short option with its value attached
      if (first?.type === 'option') {
        options.push(token.slice(0, 2), token.slice(2));
        continue;
      }
      const chars = [...token.slice(1)];
      if (chars.every((c) => byChar.get(c)?.type === 'boolean')) {
        options.push(...chars.map((c) => `-${c}`));
        continue;
      }
      // unknown: oclif names it in its one sentence
      options.push(token);
      continue;
    }
    return { options, positional: argv.slice(i) };
  }
  return { options, positional: [] };
}
