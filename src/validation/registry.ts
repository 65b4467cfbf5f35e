// Compiled profiles of ONE IG dependency closure. Keyed by the StructureDefinition instance the context resolves a
// canonical to, so `url` and `url|version` share one compilation and two IGs never share a definition by accident
// (HN and CC use the same messaging URLs in different versions).
import type { FhirResource, PackageContext } from '../fhir/packages/context.ts';
import type { ProfileLookup } from './discriminators.ts';
import { compileSlicing } from './slicing.ts';
import {
  buildElementTree,
  type CompiledProfile,
  type ConstraintSource,
  type ElementDef,
  type TypeRef,
} from './structure.ts';

const BASE = 'http://hl7.org/fhir/StructureDefinition/';

function lastSegment(canonical: string): string {
  const url = canonical.split('|')[0]!;
  return url.slice(url.lastIndexOf('/') + 1);
}

export class ProfileCompileError extends Error {
  constructor(
    readonly profile: string,
    readonly problems: readonly string[],
  ) {
    super(`profile ${profile} uses constructs the validator does not support:\n  ${problems.join('\n  ')}`);
  }
}

export class ProfileRegistry implements ProfileLookup {
  private readonly byCanonical = new Map<string, CompiledProfile | null>();
  private readonly byDefinition = new Map<FhirResource, CompiledProfile>();
  private readonly regexes = new Map<string, RegExp | undefined>();
  private readonly resourceTypes = new Map<string, boolean>();
  private readonly targets = new WeakMap<TypeRef, ReadonlySet<string> | null>();
  private readonly targetProfiles = new WeakMap<TypeRef, Map<string, readonly string[]>>();
  private readonly ancestry = new WeakMap<CompiledProfile, ReadonlySet<CompiledProfile>>();

  constructor(
    readonly context: PackageContext,
    private readonly constraints: ConstraintSource,
  ) {}

  /** The compiled profile a canonical (`url` or `url|version`) resolves to in this closure. */
  profile(canonical: string): CompiledProfile | undefined {
    const cached = this.byCanonical.get(canonical);
    if (cached !== undefined) return cached ?? undefined;
    const sd = this.context.resolve(canonical);
    const compiled =
      sd && sd.resourceType === 'StructureDefinition' && (sd.snapshot as { element?: unknown[] } | undefined)?.element
        ? this.compile(sd)
        : undefined;
    this.byCanonical.set(canonical, compiled ?? null);
    return compiled;
  }

  /** Compiles a StructureDefinition (once); it need not come from the closure. */
  compile(sd: FhirResource): CompiledProfile {
    let compiled = this.byDefinition.get(sd);
    if (!compiled) {
      compiled = buildElementTree(sd, this.constraints);
      // Registered before phase 2 so that discriminators of mutually dependent profiles find each other's trees.
      this.byDefinition.set(sd, compiled);
      compileSlicing(compiled, this);
    }
    return compiled;
  }

  /**
   * Makes a StructureDefinition that is not in the packages (a local profile, a test fixture) resolvable by its
   * canonical in this closure; it shadows a packaged definition of the same url.
   */
  register(sd: FhirResource): CompiledProfile {
    const compiled = this.compile(sd);
    this.byCanonical.set(compiled.url, compiled);
    if (compiled.version) this.byCanonical.set(`${compiled.url}|${compiled.version}`, compiled);
    return compiled;
  }

  root(canonical: string): ElementDef | undefined {
    return this.profile(canonical)?.root;
  }

  /** The base definition of a FHIR type or resource. */
  typeRoot(code: string): ElementDef | undefined {
    return this.profile(`${BASE}${code}`)?.root;
  }

  /** The lexical rule of a primitive type, from the R4 definition of `<type>.value`. */
  primitiveRule(code: string): RegExp | undefined {
    if (!this.regexes.has(code)) this.regexes.set(code, this.profile(`${BASE}${code}`)?.regex);
    return this.regexes.get(code);
  }

  /** Whether a type code names a resource (so a value of it is validated as a nested resource). */
  isResource(code: string): boolean {
    let known = this.resourceTypes.get(code);
    if (known === undefined) {
      known = code === 'Resource' || code === 'DomainResource' || this.profile(`${BASE}${code}`)?.kind === 'resource';
      this.resourceTypes.set(code, known);
    }
    return known;
  }

  /** Resource types a Reference may point to; undefined when any resource will do. */
  targetTypes(type: TypeRef): ReadonlySet<string> | undefined {
    let types = this.targets.get(type);
    if (types === undefined) {
      const set = new Set<string>();
      for (const target of type.targetProfiles) {
        const resourceType = this.profile(target)?.type ?? lastSegment(target);
        if (resourceType === 'Resource' || resourceType === 'DomainResource') {
          set.clear();
          break;
        }
        set.add(resourceType);
      }
      types = set.size > 0 ? set : null;
      this.targets.set(type, types);
    }
    return types ?? undefined;
  }

  /** The targetProfiles (beyond the base definition) a referenced resource of this type must conform to. */
  targetProfilesFor(type: TypeRef, resourceType: string): readonly string[] {
    let byType = this.targetProfiles.get(type);
    if (!byType) this.targetProfiles.set(type, (byType = new Map()));
    let profiles = byType.get(resourceType);
    if (!profiles) {
      profiles = type.targetProfiles.filter((target) => {
        const profile = this.profile(target);
        return profile?.type === resourceType && profile.derivation === 'constraint';
      });
      byType.set(resourceType, profiles);
    }
    return profiles;
  }

  /** The profiles a profile derives from, through baseDefinition, as this closure resolves them. */
  ancestors(profile: CompiledProfile): ReadonlySet<CompiledProfile> {
    let ancestors = this.ancestry.get(profile);
    if (!ancestors) {
      const found = new Set<CompiledProfile>();
      for (let at = profile; at.baseDefinition;) {
        const base = this.profile(at.baseDefinition);
        if (!base || found.has(base)) break;
        found.add(base);
        at = base;
      }
      this.ancestry.set(profile, (ancestors = found));
    }
    return ancestors;
  }

  /** Every profile compiled so far (reports and strict checks). */
  compiled(): CompiledProfile[] {
    return [...this.byDefinition.values()];
  }
}

/**
 * Compile once: a snapshot into the element tree the validator walks. In strict mode a profile with constructs the
 * compiler cannot honour (unknown discriminator paths, slices that fix nothing) is refused instead of half-checked.
 */
export function compileProfile(
  sd: FhirResource,
  registry: ProfileRegistry,
  options: { strict?: boolean } = {},
): CompiledProfile {
  const compiled = registry.compile(sd);
  if (options.strict && compiled.problems.length > 0) throw new ProfileCompileError(compiled.label, compiled.problems);
  return compiled;
}
