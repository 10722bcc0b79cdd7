/**
 * User text made safe for a terminal, applied once where messages are printed (the error line in
 * cli/main.ts, warnings in cli/diagnostics.ts, progress lines and the live view in ui/sink.ts).
 *
 * A compose key such as "\e]2;pwned\a\e[2J" set the terminal's title and cleared the screen when
 * an error quoted it; NUL and bidi overrides came through; a newline inside a key, a -p value or a
 * ${X:?...} message split one message into several lines. Here every C0 and C1 control character
 * (ESC, BEL, NUL, CR, LF, TAB ...), DEL, the bidi embedding, override and isolate characters
 * and the zero-width and line/paragraph separators are shown as escapes (\n, \t, \x1b, \u202e),
 * so one message stays one line and says what the file holds.
 */

// C0 controls, DEL, C1 controls; bidi marks (LRM, RLM, ALM), embeddings/overrides (U+202A-202E),
// isolates (U+2066-2069); zero-width space/joiners, word joiner and BOM; line/paragraph separators
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

const NAMED: Readonly<Record<string, string>> = Object.freeze({ '\n': '\\n', '\r': '\\r', '\t': '\\t' });

function escape(ch: string): string {
  const named = NAMED[ch];
  if (named) return named;
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** One line of text with nothing a terminal would act on. */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, escape);
}

/** Every string inside `value` made terminal-safe (for events handed to the renderers). */
export function terminalSafeDeep<T>(value: T): T {
  if (typeof value === 'string') return terminalSafe(value) as T;
  if (Array.isArray(value)) return value.map((v) => terminalSafeDeep(v)) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = terminalSafeDeep(v);
    return out as T;
  }
  return value;
}
