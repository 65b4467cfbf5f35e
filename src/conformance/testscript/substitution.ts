/**
 * `${name}` substitution as Touchstone does it: plain text replacement before the text is used, quoting left to the
 * script author. A name that is neither a declared variable nor a placeholder stays in the text literally
 * (conformance.md §4.3 — *Inference*: `'${undefined}' != 'x'` then "passes"). `$name` without braces is not a
 * reference at all.
 */

export interface Substitution {
  readonly name: string;
  readonly value: string;
  /** True when the reference stood inside a FHIRPath string literal (`'${x}'`), false when it stood bare. */
  readonly quoted: boolean;
}

export interface SubstitutionResult {
  readonly text: string;
  readonly substitutions: readonly Substitution[];
  /** Names referenced but unknown; they were left in the text. */
  readonly unresolved: readonly string[];
}

const REFERENCE = /\$\{([^{}]+)\}/g;

/**
 * Replaces every `${name}` for which `lookup` has a value, written by `render` (default: the value as is). `quoted`
 * is computed against FHIRPath single-quoted string literals, so a caller can treat bare substitutions differently.
 */
export function substitute(
  text: string,
  lookup: (name: string) => string | undefined,
  render: (s: Substitution) => string = (s) => s.value,
): SubstitutionResult {
  const substitutions: Substitution[] = [];
  const unresolved: string[] = [];
  const quotedAt = literalMask(text);
  const out = text.replace(REFERENCE, (whole, name: string, offset: number) => {
    const value = lookup(name);
    if (value === undefined) {
      if (!unresolved.includes(name)) unresolved.push(name);
      return whole;
    }
    const substitution = { name, value, quoted: quotedAt[offset] === true };
    substitutions.push(substitution);
    return render(substitution);
  });
  return { text: out, substitutions, unresolved };
}

/** For each character offset: is it inside a FHIRPath `'…'` string literal (backslash escapes honoured)? */
function literalMask(text: string): boolean[] {
  const mask: boolean[] = new Array<boolean>(text.length).fill(false);
  let inside = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inside && c === '\\') {
      mask[i] = true;
      if (i + 1 < text.length) mask[i + 1] = true;
      i++;
      continue;
    }
    if (c === "'") {
      mask[i] = true;
      inside = !inside;
      continue;
    }
    mask[i] = inside;
  }
  return mask;
}
