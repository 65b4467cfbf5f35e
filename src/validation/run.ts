// The state of one validation call: where issues go, the Bundle being validated (if any), the invariant hooks,
// and conformance answers already computed. A fresh run per call — nothing leaks between messages.
import type { PackageContext } from '../fhir/packages/context.ts';
import type { PackageRef } from '../fhir/packages/package-ref.ts';
import type { BindingChecker } from './bindings.ts';
import type { MatchContext, SliceItem } from './discriminators.ts';
import type { InvariantHooks } from './invariants.ts';
import { locationText, type Location } from './location.ts';
import type { IssueCode, IssueDetail, IssueSeverity, ValidationIssue } from './outcome.ts';
import type { EntryIndex } from './references.ts';
import type { ProfileRegistry } from './registry.ts';
import type { CompiledProfile, ElementDef } from './structure.ts';
import type { Terminology } from './terminology.ts';

/** Everything compiled for one IG closure; built once per IG and shared by every run. */
export interface IgValidation {
  readonly ig: PackageRef;
  readonly context: PackageContext;
  readonly registry: ProfileRegistry;
  readonly terminology: Terminology;
  readonly bindings: BindingChecker;
}

/**
 * The resource a node belongs to: `%resource`; `%rootResource` — the resource itself, or for a contained resource its
 * container (FHIRPath's definition; a Bundle entry is not contained, the Bundle is `%bundle` via the hooks); and the
 * fullUrl relative references start from.
 */
export interface Scope {
  readonly resource: Record<string, unknown>;
  readonly root: unknown;
  readonly fullUrl: string | undefined;
  /** Created on first use (slicing), then reused for the rest of the resource. */
  match?: MatchContext;
}

/** What the walker needs from the Bundle orchestration (bundle.ts). */
export interface BundleScope {
  readonly bundle: Record<string, unknown>;
  readonly index: EntryIndex;
  /** Takes over an entry resource met while walking the Bundle; false when `resource` is not one of its entries. */
  claim(resource: unknown, profiles: readonly string[]): boolean;
  /** Asks that an entry be validated against one of the profiles (a reference's targetProfiles). */
  require(entryIndex: number, profiles: readonly string[]): void;
}

/** Validation entry points the run calls back into (elements.ts), passed in to keep imports one-way. */
export interface Walker {
  resource(
    resource: unknown,
    profile: CompiledProfile,
    location: Location,
    run: ValidationRun,
    parent: Scope | undefined,
    fullUrl?: string,
  ): void;
  datatype(value: unknown, root: ElementDef, location: Location, run: ValidationRun, scope: Scope): void;
  item(item: SliceItem, element: ElementDef, location: Location, run: ValidationRun, scope: Scope): void;
}

export class ValidationRun {
  issues: ValidationIssue[] = [];
  bundle: BundleScope | undefined;
  /** Current nesting of datatypes being walked (guards against pathological recursion). */
  depth = 0;
  /** False while answering conformsTo()/slice questions: those walks must not queue entry validations. */
  collectRequirements = true;
  /** Profiles with unsupported constructs that this run relied on. */
  readonly unsupported = new Set<CompiledProfile>();
  readonly hooks: InvariantHooks;
  private readonly conformance = new WeakMap<object, Map<CompiledProfile, boolean | 'pending'>>();

  constructor(
    readonly ig: IgValidation,
    readonly walker: Walker,
  ) {
    this.hooks = {
      bundle: undefined,
      conformsTo: (resource, profile) => this.conformsTo(resource, profile, undefined),
      terminology: ig.terminology,
    };
  }

  report(
    severity: IssueSeverity,
    code: IssueCode,
    location: Location,
    message: string,
    details?: IssueDetail,
    rule?: string,
  ): void {
    this.issues.push({
      severity,
      code,
      expression: locationText(location),
      message,
      ...(details ? { details } : {}),
      ...(rule ? { rule } : {}),
    });
  }

  /** Runs a check with its own issue list and without side effects on the Bundle work list. */
  scratch(check: () => void): ValidationIssue[] {
    const saved = this.issues;
    const savedCollect = this.collectRequirements;
    this.issues = [];
    this.collectRequirements = false;
    try {
      check();
      return this.issues;
    } finally {
      this.issues = saved;
      this.collectRequirements = savedCollect;
    }
  }

  /** Does a resource (or a datatype value) conform to a profile? Cached per value; a cycle counts as conforming. */
  conformsTo(value: unknown, canonical: string, scope: Scope | undefined): boolean {
    if (!value || typeof value !== 'object') return false;
    const profile = this.ig.registry.profile(canonical);
    if (!profile) return false;
    let answers = this.conformance.get(value);
    if (!answers) this.conformance.set(value, (answers = new Map()));
    const known = answers.get(profile);
    if (known !== undefined) return known !== false;
    // Conforming to a profile derived from this one implies conforming to it (the snapshot carries its rules).
    for (const [other, verdict] of answers) {
      if (verdict === true && this.ig.registry.ancestors(other).has(profile)) return true;
    }
    answers.set(profile, 'pending');
    const issues = this.scratch(() => {
      if (profile.kind === 'resource') {
        const entry = this.bundle?.index.entryOf(value);
        const location = {
          parent: undefined,
          name: String((value as { resourceType?: unknown }).resourceType ?? profile.type),
          index: -1,
        };
        this.walker.resource(value, profile, location, this, undefined, entry?.fullUrl ?? scope?.fullUrl);
      } else {
        const location = { parent: undefined, name: profile.type, index: -1 };
        const own = scope ?? { resource: value as Record<string, unknown>, root: value, fullUrl: undefined };
        this.walker.datatype(value, profile.root, location, this, own);
      }
    });
    const conforms = !issues.some((i) => i.severity === 'error' || i.severity === 'fatal');
    answers.set(profile, conforms);
    return conforms;
  }

  /** Remembers a verdict reached by the main walk, so a later conformsTo() for the same pair is free. */
  recordConformance(value: object, profile: CompiledProfile, conforms: boolean): void {
    let answers = this.conformance.get(value);
    if (!answers) this.conformance.set(value, (answers = new Map()));
    if (answers.get(profile) !== 'pending') answers.set(profile, conforms);
  }

  /** The slice-matching view of a scope: Bundle-local resolve(), conformance, slice conformance. */
  matchContext(scope: Scope): MatchContext {
    if (!scope.match) {
      scope.match = {
        resolve: (reference) => this.resolve(reference, scope),
        conformsTo: (value, profile) => this.conformsTo(value, profile, scope),
        conformsToElement: (item, element) => {
          const issues = this.scratch(() =>
            this.walker.item(item, element, { parent: undefined, name: element.path, index: -1 }, this, scope),
          );
          return !issues.some((i) => i.severity === 'error' || i.severity === 'fatal');
        },
        inValueSet: (value, valueSet) => this.inValueSet(value, valueSet),
      };
    }
    return scope.match;
  }

  private inValueSet(value: unknown, valueSet: string): boolean {
    const terminology = this.ig.terminology;
    if (typeof value === 'string') return terminology.membership(valueSet, undefined, value) === 'member';
    const codings = Array.isArray((value as { coding?: unknown } | null)?.coding)
      ? ((value as { coding: unknown[] }).coding as { system?: unknown; code?: unknown }[])
      : [value as { system?: unknown; code?: unknown }];
    return codings.some(
      (c) =>
        typeof c?.code === 'string' &&
        terminology.membership(valueSet, typeof c.system === 'string' ? c.system : undefined, c.code) === 'member',
    );
  }

  /** Follows a Reference value to a contained resource or a Bundle entry. */
  resolve(reference: unknown, scope: Scope): Record<string, unknown> | undefined {
    const ref = (reference as { reference?: unknown } | null)?.reference;
    if (typeof ref !== 'string') return undefined;
    if (ref.startsWith('#')) {
      if (ref === '#') return scope.resource;
      const contained = scope.resource.contained;
      if (!Array.isArray(contained)) return undefined;
      return contained.find((c) => (c as { id?: unknown } | null)?.id === ref.slice(1)) as
        Record<string, unknown> | undefined;
    }
    return this.bundle?.index.resolve(ref, scope.fullUrl)?.resource;
  }
}
