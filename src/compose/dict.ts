/**
 * Maps keyed by names from the user's files (services, variables, labels ...) are objects
 * without a prototype: `__proto__`, `constructor` or `toString` is then an ordinary key, never
 * the object's prototype or an inherited method (a service named `__proto__` vanished, a
 * variable named `constructor` read as a function).
 */
export function dict<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** A prototype-free copy of `entries`, in their order. */
export function dictOf<T>(entries: Iterable<readonly [string, T]>): Record<string, T> {
  const out = dict<T>();
  for (const [k, v] of entries) out[k] = v;
  return out;
}
