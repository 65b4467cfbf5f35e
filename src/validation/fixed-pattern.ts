// fixed[x] and pattern[x]: a fixed value must be matched exactly; a pattern only partially — every property the
// pattern names must be present with a matching value, and every item of a pattern list must be matched by some item
// of the instance list (containment, order ignored).

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((item, i) => deepEqual(item, other[i]));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const key of ka) {
    if (!deepEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
  }
  return true;
}

export function containsPattern(value: unknown, pattern: unknown): boolean {
  if (pattern === value) return true;
  if (typeof pattern !== 'object' || pattern === null) return false;
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(pattern)) {
    if (!Array.isArray(value)) return false;
    return pattern.every((p) => value.some((v) => containsPattern(v, p)));
  }
  if (Array.isArray(value)) return false;
  for (const key in pattern) {
    if (!containsPattern((value as Record<string, unknown>)[key], (pattern as Record<string, unknown>)[key])) {
      return false;
    }
  }
  return true;
}

/** The first property where a value departs from a fixed/pattern value, for messages ('' = the value itself). */
export function firstDifference(value: unknown, expected: unknown, exact: boolean, at = ''): string | undefined {
  if (exact ? deepEqual(value, expected) : containsPattern(value, expected)) return undefined;
  if (
    typeof expected === 'object' &&
    expected !== null &&
    !Array.isArray(expected) &&
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value)
  ) {
    for (const key in expected) {
      const inner = firstDifference(
        (value as Record<string, unknown>)[key],
        (expected as Record<string, unknown>)[key],
        exact,
        at ? `${at}.${key}` : key,
      );
      if (inner !== undefined) return inner;
    }
    if (exact) {
      for (const key in value) if (!(key in expected)) return at ? `${at}.${key}` : key;
    }
  }
  return at;
}
