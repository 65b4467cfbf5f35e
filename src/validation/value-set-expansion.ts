// A value set expanded locally from the code systems of one IG's package closure. Parts that cannot be enumerated
// (a system no package defines, an unsupported filter, a missing imported value set) are kept as "open" systems or
// gaps, so a membership question about them answers `unknown` instead of a wrong `not-member`.
import type { FhirResource } from '../fhir/packages/context.ts';
import { equivalentSystems } from './canonical-aliases.ts';
import { grammarFor, type CodeGrammar } from './code-grammars.ts';
import type { CodeSystemIndex } from './code-system-index.ts';

export type Membership = 'member' | 'not-member' | 'unknown';

/** A system whose codes are not listed: a grammar may still decide, otherwise membership is `unknown`. */
export interface OpenSystem {
  readonly reason: string;
  readonly grammar: CodeGrammar | undefined;
}

export interface ExpansionSources {
  codeSystem(system: string, version: string | undefined): CodeSystemIndex | undefined;
  /** The expansion of an imported value set, or `undefined` when it cannot be found. */
  valueSet(canonical: string): Expansion | undefined;
}

interface RawInclude {
  system?: string;
  version?: string;
  concept?: { code?: string }[];
  filter?: { property?: string; op?: string; value?: string }[];
  valueSet?: string[];
}

interface RawContains {
  system?: string;
  code?: string;
  abstract?: boolean;
  contains?: RawContains[];
}

export class Expansion {
  readonly members = new Map<string, Set<string>>();
  readonly open = new Map<string, OpenSystem>();
  /** Codes removed by `compose.exclude`; they stay excluded even when an open system's grammar accepts them. */
  readonly excluded = new Map<string, Set<string>>();
  /** Why parts of the value set could not be interpreted; any gap turns a would-be `not-member` into `unknown`. */
  readonly gaps: string[] = [];
  /** An exclude we could not evaluate: even listed members are then only `unknown`. */
  exclusionUnknown = false;

  constructor(readonly source: 'compose' | 'expansion') {}

  /** Number of enumerated codes (open systems not counted). */
  get size(): number {
    let n = 0;
    for (const codes of this.members.values()) n += codes.size;
    return n;
  }

  /** Whether every code of the value set is enumerated, i.e. `not-member` answers are final. */
  get closed(): boolean {
    return this.gaps.length === 0 && this.open.size === 0 && !this.exclusionUnknown;
  }

  judge(system: string | undefined, code: string): Membership {
    return system === undefined ? this.judgeBareCode(code) : this.judgeCoding(system, code);
  }

  addMembers(system: string, codes: Iterable<string>): void {
    let set = this.members.get(system);
    if (!set) this.members.set(system, (set = new Set()));
    for (const code of codes) set.add(code);
  }

  private judgeCoding(system: string, code: string): Membership {
    const systems = equivalentSystems(system);
    if (systems.some((s) => this.members.get(s)?.has(code))) return this.exclusionUnknown ? 'unknown' : 'member';
    if (systems.some((s) => this.excluded.get(s)?.has(code))) return 'not-member';
    for (const s of systems) {
      const open = this.open.get(s);
      if (open) return verdict(open.grammar?.judge(code), this.exclusionUnknown);
    }
    return this.gaps.length > 0 ? 'unknown' : 'not-member';
  }

  // A `code` element carries no system; the binding's value set supplies it, so any system of the set may match.
  private judgeBareCode(code: string): Membership {
    for (const codes of this.members.values()) if (codes.has(code)) return this.exclusionUnknown ? 'unknown' : 'member';
    let undecided = this.gaps.length > 0;
    for (const [system, open] of this.open) {
      if (this.excluded.get(system)?.has(code)) continue;
      const judged = open.grammar?.judge(code);
      if (judged === true) return this.exclusionUnknown ? 'unknown' : 'member';
      if (judged === undefined) undecided = true;
    }
    return undecided ? 'unknown' : 'not-member';
  }
}

function verdict(judged: boolean | undefined, exclusionUnknown: boolean): Membership {
  if (judged === false) return 'not-member';
  if (judged === true && !exclusionUnknown) return 'member';
  return 'unknown';
}

/**
 * Expands a ValueSet. The `compose` is authoritative; a packaged `expansion` is used instead when the compose
 * cannot be fully enumerated here (or is absent).
 */
export function expandValueSet(valueSet: FhirResource, sources: ExpansionSources): Expansion {
  const compose = valueSet.compose as { include?: RawInclude[]; exclude?: RawInclude[] } | undefined;
  const packaged = packagedExpansion(valueSet);
  if (!compose) return packaged ?? gap(`ValueSet ${String(valueSet.url)} has neither compose nor expansion`);
  const result = new Expansion('compose');
  for (const include of compose.include ?? []) merge(result, includePart(include, sources));
  for (const exclude of compose.exclude ?? []) subtract(result, includePart(exclude, sources));
  const undecidable = result.gaps.length > 0 || [...result.open.values()].some((o) => !o.grammar);
  return undecidable && packaged ? packaged : result;
}

function gap(reason: string): Expansion {
  const expansion = new Expansion('compose');
  expansion.gaps.push(reason);
  return expansion;
}

function includePart(include: RawInclude, sources: ExpansionSources): Expansion {
  const parts: Expansion[] = [];
  if (include.system) parts.push(systemPart(include, include.system, sources));
  for (const canonical of include.valueSet ?? []) {
    parts.push(sources.valueSet(canonical) ?? gap(`imported value set ${canonical} not found`));
  }
  if (parts.length === 0) return gap('compose.include names neither a system nor a value set');
  return parts.reduce(intersect);
}

function systemPart(include: RawInclude, system: string, sources: ExpansionSources): Expansion {
  const part = new Expansion('compose');
  if (include.concept) {
    part.addMembers(
      system,
      include.concept.flatMap((c) => (typeof c.code === 'string' ? [c.code] : [])),
    );
    return part;
  }
  const codeSystem = sources.codeSystem(system, include.version);
  if (include.filter && include.filter.length > 0) {
    if (!codeSystem || !codeSystem.enumerable) {
      part.open.set(system, { reason: `code system ${system} is not available to filter`, grammar: undefined });
      return part;
    }
    let selected: Set<string> | undefined;
    for (const f of include.filter) {
      const codes = codeSystem.select({ property: f.property ?? '', op: f.op ?? '', value: f.value ?? '' });
      if (!codes) {
        part.open.set(system, {
          reason: `filter ${f.property} ${f.op} ${f.value} is not supported`,
          grammar: undefined,
        });
        return part;
      }
      selected = selected ? new Set([...selected].filter((c) => codes.has(c))) : codes;
    }
    part.addMembers(system, selected ?? []);
    return part;
  }
  if (codeSystem) {
    part.addMembers(system, codeSystem.selectableCodes());
    if (codeSystem.enumerable) return part;
  }
  const reason = codeSystem
    ? `code system ${system} is published with content '${codeSystem.content}'`
    : `code system ${system} is not in the package closure`;
  part.open.set(system, { reason, grammar: grammarFor(system) });
  return part;
}

function merge(into: Expansion, part: Expansion): void {
  for (const [system, codes] of part.members) into.addMembers(system, codes);
  for (const [system, open] of part.open) if (!into.open.has(system)) into.open.set(system, open);
  into.gaps.push(...part.gaps);
  for (const [system, codes] of part.excluded) {
    const set = into.excluded.get(system) ?? new Set<string>();
    for (const code of codes) set.add(code);
    into.excluded.set(system, set);
  }
  into.exclusionUnknown ||= part.exclusionUnknown;
}

function subtract(from: Expansion, part: Expansion): void {
  for (const [system, codes] of part.members) {
    const members = from.members.get(system);
    for (const code of codes) members?.delete(code);
    const excluded = from.excluded.get(system) ?? new Set<string>();
    for (const code of codes) excluded.add(code);
    from.excluded.set(system, excluded);
  }
  for (const system of part.open.keys()) {
    // A whole-system exclude with nothing enumerated removes that system entirely; anything narrower is unknowable.
    if (part.members.has(system)) from.exclusionUnknown = true;
    else {
      from.members.delete(system);
      from.open.delete(system);
    }
  }
  if (part.gaps.length > 0) from.exclusionUnknown = true;
}

/** Codes of `a` that `b` also holds (and vice versa); open systems survive only when open in both. */
function intersect(a: Expansion, b: Expansion): Expansion {
  const out = new Expansion('compose');
  for (const [left, right] of [
    [a, b],
    [b, a],
  ] as const) {
    for (const [system, codes] of left.members) {
      for (const code of codes) {
        const judged = right.judge(system, code);
        if (judged === 'member') out.addMembers(system, [code]);
        else if (judged === 'unknown') out.gaps.push(`cannot intersect ${system}#${code}`);
      }
    }
  }
  for (const [system, open] of a.open) {
    if (b.open.has(system)) out.open.set(system, { reason: open.reason, grammar: undefined });
  }
  out.gaps.push(...a.gaps, ...b.gaps);
  out.exclusionUnknown = a.exclusionUnknown || b.exclusionUnknown;
  return out;
}

function packagedExpansion(valueSet: FhirResource): Expansion | undefined {
  const raw = valueSet.expansion as { total?: number; contains?: RawContains[] } | undefined;
  if (!raw?.contains) return undefined;
  const expansion = new Expansion('expansion');
  let listed = 0;
  const walk = (items: RawContains[]): void => {
    for (const item of items) {
      listed++;
      if (item.system && item.code && !item.abstract) expansion.addMembers(item.system, [item.code]);
      if (item.contains) walk(item.contains);
    }
  };
  walk(raw.contains);
  if (typeof raw.total === 'number' && raw.total > listed) {
    expansion.gaps.push(`packaged expansion lists ${listed} of ${raw.total} codes`);
  }
  return expansion;
}
