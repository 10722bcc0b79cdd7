/**
 * Splits a `command:` / `entrypoint:` / healthcheck string the way a POSIX shell splits words
 * (compose-go uses go-shellwords): whitespace separates words, single quotes are literal, double
 * quotes allow `\"`, `\\`, `\$` and `` \` `` escapes, a backslash outside quotes escapes the next
 * character. No expansion happens here (interpolation already ran).
 */
export class ShellSplitError extends Error {}

export function splitShellWords(input: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else if (c === '\\') {
      if (i + 1 >= input.length) throw new ShellSplitError('ends with a lone backslash');
      const next = input[++i]!;
      if (next !== '\n') cur += next;
      inWord = true;
    } else if (c === "'") {
      const end = input.indexOf("'", i + 1);
      if (end < 0) throw new ShellSplitError('has an unclosed single quote');
      cur += input.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (c === '"') {
      let j = i + 1;
      for (;;) {
        if (j >= input.length) throw new ShellSplitError('has an unclosed double quote');
        const d = input[j]!;
        if (d === '"') break;
        if (d === '\\' && j + 1 < input.length && '"\\$`\n'.includes(input[j + 1]!)) {
          if (input[j + 1] !== '\n') cur += input[j + 1];
          j += 2;
          continue;
        }
        cur += d;
        j++;
      }
      i = j;
      inWord = true;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) words.push(cur);
  return words;
}
