// Value set membership answered from the packages of one IG's dependency closure — no terminology server. Value sets
// and code systems are read only when asked about (hl7.terminology.r4 alone has thousands of files) and expanded
// once per Terminology; create one Terminology per PackageContext and reuse it.
// An include without `version` uses the code system the closure resolves (the newest release in it), also for an
// older value set picked with `|version` — as an IG build expands against its dependency closure.
import type { FhirResource, PackageContext } from '../fhir/packages/context.ts';
import { valueSetCandidates } from './canonical-aliases.ts';
import { CodeSystemIndex } from './code-system-index.ts';
import { expandValueSet, Expansion, type Membership } from './value-set-expansion.ts';

export type { Membership } from './value-set-expansion.ts';

export class Terminology {
  /** Keyed by the resolved `url|version`, so two spellings of one value set share an expansion. */
  private readonly expansions = new Map<string, Expansion>();
  /** The same, keyed by the canonical as asked: membership calls skip re-resolving the value set (null: not found). */
  private readonly byCanonical = new Map<string, Expansion | null>();
  private readonly codeSystems = new Map<string, CodeSystemIndex | null>();
  /** Value sets being expanded right now: an import cycle becomes a gap instead of a stack overflow. */
  private readonly expanding = new Set<string>();

  constructor(readonly context: PackageContext) {}

  /** Is the coding (system+code, or bare code for `code` elements) in the value set (canonical, may have |version)? */
  membership(valueSet: string, system: string | undefined, code: string): Membership {
    const expansion = this.expansion(valueSet);
    return expansion ? expansion.judge(system, code) : 'unknown';
  }

  /** Human label of a value set for messages */
  describe(valueSet: string): string {
    const resource = this.valueSet(valueSet);
    if (!resource) return `value set ${valueSet} (not found in ${this.context.root.id}#${this.context.root.version})`;
    const label = typeof resource.title === 'string' ? resource.title : String(resource.name ?? resource.id);
    const version = typeof resource.version === 'string' ? `|${resource.version}` : '';
    return `${label} (${String(resource.url)}${version})`;
  }

  /** The local expansion of a value set, or `undefined` when no package in the closure defines it. */
  expansion(valueSet: string): Expansion | undefined {
    const known = this.byCanonical.get(valueSet);
    if (known !== undefined) return known ?? undefined;
    const expansion = this.resolveExpansion(valueSet);
    // An expansion cut short by an import cycle is provisional; only completed answers are remembered.
    if (!expansion || this.expansions.get(this.keyOf(valueSet) ?? '') === expansion)
      this.byCanonical.set(valueSet, expansion ?? null);
    return expansion;
  }

  private keyOf(valueSet: string): string | undefined {
    const resource = this.valueSet(valueSet);
    return resource ? `${String(resource.url)}|${String(resource.version ?? '')}` : undefined;
  }

  private resolveExpansion(valueSet: string): Expansion | undefined {
    const resource = this.valueSet(valueSet);
    if (!resource) return undefined;
    const key = `${String(resource.url)}|${String(resource.version ?? '')}`;
    let expansion = this.expansions.get(key);
    if (expansion) return expansion;
    if (this.expanding.has(key)) {
      expansion = new Expansion('compose');
      expansion.gaps.push(`value set ${key} imports itself`);
      return expansion;
    }
    this.expanding.add(key);
    try {
      expansion = expandValueSet(resource, {
        codeSystem: (system, version) => this.codeSystem(system, version),
        valueSet: (canonical) => this.expansion(canonical),
      });
    } finally {
      this.expanding.delete(key);
    }
    this.expansions.set(key, expansion);
    return expansion;
  }

  private valueSet(canonical: string): FhirResource | undefined {
    for (const candidate of valueSetCandidates(canonical)) {
      const resource = this.context.resolve(candidate);
      if (resource?.resourceType === 'ValueSet') return resource;
    }
    return undefined;
  }

  private codeSystem(system: string, version: string | undefined): CodeSystemIndex | undefined {
    const key = version ? `${system}|${version}` : system;
    let index = this.codeSystems.get(key);
    if (index === undefined) {
      const resource = (version && this.context.resolve(key)) || this.context.resolve(system);
      index = resource?.resourceType === 'CodeSystem' ? CodeSystemIndex.of(resource) : null;
      this.codeSystems.set(key, index);
    }
    return index ?? undefined;
  }
}
