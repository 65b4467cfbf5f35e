// A Bundle is validated in two movements. First the Bundle itself against its profile; entry resources met on the
// way are not walked there but claimed, with any profile the Bundle profile's entry definition names. Then every
// entry is validated against each profile asked of it — by the entry definition, by its own meta.profile when this
// IG closure knows it, and by the targetProfile of every reference that resolves to it (MessageHeader.focus → the HN
// Encounter profile). Validating an entry can ask more of other entries, so this is a work list. An entry nobody
// asks anything of is validated against its base R4 definition. The Bundle's own invariants run last, when every
// entry's conformance is known (HN-1/messaging-1 intent checks call conformsTo() on entries).
import { child, type Location } from './location.ts';
import { isFailure, quote } from './outcome.ts';
import { EntryIndex, fullUrlMatches, type BundleEntry } from './references.ts';
import type { BundleScope, Scope, ValidationRun } from './run.ts';
import type { CompiledProfile } from './structure.ts';

interface Request {
  readonly entry: BundleEntry;
  /** The entry must conform to one of these (several when a reference allows several target profiles). */
  readonly profiles: readonly CompiledProfile[];
}

class MessageBundle implements BundleScope {
  readonly index: EntryIndex;
  private readonly queue: Request[] = [];
  /** Per entry: the single profiles already asked (validated or queued). */
  private readonly asked = new Map<number, CompiledProfile[]>();
  private readonly askedSets = new Map<number, Set<string>>();

  constructor(
    readonly bundle: Record<string, unknown>,
    private readonly run: ValidationRun,
  ) {
    this.index = new EntryIndex(bundle);
  }

  claim(resource: unknown, profiles: readonly string[]): boolean {
    const entry = this.index.entryOf(resource);
    if (!entry) return false;
    if (profiles.length > 0) this.require(entry.index, profiles);
    return true;
  }

  require(entryIndex: number, canonicals: readonly string[]): void {
    if (!this.run.collectRequirements) return;
    const entry = this.index.entries[entryIndex];
    if (!entry?.resource) return;
    const registry = this.run.ig.registry;
    const profiles = canonicals.map((c) => registry.profile(c)).filter((p) => p !== undefined);
    if (profiles.length === 0) return;
    let asked = this.asked.get(entryIndex);
    if (!asked) this.asked.set(entryIndex, (asked = []));
    if (profiles.length === 1) {
      const profile = profiles[0]!;
      // A snapshot carries every rule of the profiles it derives from: asking for an ancestor of a profile already
      // asked adds nothing (messaging-organization covers medcom-core-organization).
      if (asked.some((p) => p === profile || registry.ancestors(p).has(profile))) return;
      asked.push(profile);
    } else {
      let sets = this.askedSets.get(entryIndex);
      if (!sets) this.askedSets.set(entryIndex, (sets = new Set()));
      const key = profiles
        .map((p) => p.label)
        .sort()
        .join(' ');
      if (sets.has(key)) return;
      sets.add(key);
    }
    this.queue.push({ entry, profiles });
  }

  next(): Request | undefined {
    return this.queue.shift();
  }

  isAsked(entryIndex: number): boolean {
    return this.asked.has(entryIndex);
  }
}

type ResourceValidator = (
  resource: unknown,
  profile: CompiledProfile,
  location: Location,
  run: ValidationRun,
  parent: Scope | undefined,
  fullUrl?: string,
  deferResourceConstraints?: (check: () => void) => void,
) => void;

/** Validates a Bundle and, through the work list, every entry resource. */
export function validateBundle(
  bundle: Record<string, unknown>,
  profile: CompiledProfile,
  location: Location,
  run: ValidationRun,
  validateResource: ResourceValidator,
): void {
  const scope = new MessageBundle(bundle, run);
  const outerBundle = run.bundle;
  const outerHookBundle = run.hooks.bundle;
  run.bundle = scope;
  run.hooks.bundle = bundle;
  try {
    let bundleConstraints: (() => void) | undefined;
    validateResource(bundle, profile, location, run, undefined, undefined, (check) => (bundleConstraints = check));
    const registry = run.ig.registry;
    for (const entry of scope.index.entries) {
      const declared = (entry.resource?.meta as { profile?: unknown } | undefined)?.profile;
      if (!Array.isArray(declared)) continue;
      declared.forEach((canonical: unknown, i) => {
        if (typeof canonical !== 'string') return;
        if (registry.profile(canonical)) scope.require(entry.index, [canonical]);
        else {
          // A profile of another IG (a CareCommunication profile in a HospitalNotification) is named, not guessed at.
          run.report(
            'warning',
            'not-supported',
            child(child(entryLocation(location, entry), 'meta'), 'profile', i),
            `profile ${canonical} is not defined in ${run.ig.context.root.id}#${run.ig.context.root.version} or its dependencies, so it was not checked`,
          );
        }
      });
    }
    drain(scope, location, run, validateResource);
    for (const entry of scope.index.entries) {
      if (!entry.resource || scope.isAsked(entry.index)) continue;
      const resourceType = entry.resource.resourceType;
      if (typeof resourceType !== 'string' || !registry.isResource(resourceType)) {
        run.report(
          'error',
          'structure',
          entryLocation(location, entry),
          typeof resourceType === 'string'
            ? `unknown resource type ${quote(resourceType)}`
            : 'the resource has no resourceType',
          'MSG_UNKNOWN_TYPE',
        );
        continue;
      }
      scope.require(entry.index, [`http://hl7.org/fhir/StructureDefinition/${resourceType}`]);
    }
    drain(scope, location, run, validateResource);
    checkFullUrls(scope.index, location, run);
    bundleConstraints?.();
  } finally {
    run.bundle = outerBundle;
    run.hooks.bundle = outerHookBundle;
  }
}

function drain(scope: MessageBundle, bundleLocation: Location, run: ValidationRun, validate: ResourceValidator): void {
  // An entry is not contained in the Bundle: it is its own %rootResource (the Bundle is reachable as %bundle through
  // the invariant hooks), and its relative references start from its fullUrl.
  const parent: Scope | undefined = undefined;
  for (let request = scope.next(); request; request = scope.next()) {
    const { entry, profiles } = request;
    const resource = entry.resource!;
    const at = entryLocation(bundleLocation, entry);
    let chosen = profiles[0]!;
    if (profiles.length > 1) {
      // Several allowed profiles: conforming to one is enough; if none fits, report against the first.
      const fits = profiles.find((profile) => run.conformsTo(resource, profile.label, undefined));
      if (fits) chosen = fits;
    }
    const before = run.issues.length;
    validate(resource, chosen, at, run, parent, entry.fullUrl);
    let conforms = true;
    for (let i = before; i < run.issues.length; i++) if (isFailure(run.issues[i]!)) conforms = false;
    run.recordConformance(resource, chosen, conforms);
  }
}

function entryLocation(bundleLocation: Location, entry: BundleEntry): Location {
  return child(child(bundleLocation, 'entry', entry.index), 'resource');
}

/** fullUrls must be unique, and a RESTful fullUrl must end with the Type/id of the resource it carries. */
function checkFullUrls(index: EntryIndex, bundleLocation: Location, run: ValidationRun): void {
  for (const entry of index.duplicateFullUrls) {
    run.report(
      'error',
      'invalid',
      child(child(bundleLocation, 'entry', entry.index), 'fullUrl'),
      `fullUrl ${quote(entry.fullUrl)} is used by more than one entry`,
    );
  }
  for (const entry of index.entries) {
    if (!entry.fullUrl || !entry.resource) continue;
    if (fullUrlMatches(entry.fullUrl, entry.resource) === false) {
      run.report(
        'error',
        'invalid',
        child(child(bundleLocation, 'entry', entry.index), 'fullUrl'),
        `fullUrl ${quote(entry.fullUrl)} looks RESTful but does not end with ${String(entry.resource.resourceType)}/${String(entry.resource.id)}`,
      );
    }
  }
}
