// The public validator: JSON resources (already parsed) against StructureDefinition snapshots, per IG dependency
// closure. One Validator per process is enough; it compiles each profile once per IG and keeps nothing between calls
// except those compilations.
//
// How the pieces fit: registry.ts compiles profiles (structure.ts builds the element tree, slicing.ts +
// discriminators.ts the slice matchers, constraints.ts the invariants — native-invariants.ts/narrative.ts natively,
// the rest through invariants.ts, with errata.ts intent checks beside them); elements.ts walks an instance
// (primitives.ts, fixed-pattern.ts, bindings.ts, reference-check.ts); bundle.ts orchestrates the entries of a
// Bundle (references.ts indexes them once); run.ts holds the state of one call; outcome.ts is the result currency.
import type { FhirResource, PackageStore } from '../fhir/packages/context.ts';
import { formatPackageRef, type PackageRef } from '../fhir/packages/package-ref.ts';
import { BindingChecker } from './bindings.ts';
import { validateBundle } from './bundle.ts';
import { ConstraintCompiler } from './constraints.ts';
import { validateResource, walker } from './elements.ts';
import { InvariantCompiler, type InvariantCompilerOptions } from './invariants.ts';
import { rootLocation, type Location } from './location.ts';
import { MESSAGE_STANDARDS, messageTypeOf, type MessageType } from './message-types.ts';
import { isFailure, quote, type ValidationIssue } from './outcome.ts';
import { ProfileCompileError, ProfileRegistry } from './registry.ts';
import { ValidationRun, type IgValidation } from './run.ts';
import type { CompiledProfile } from './structure.ts';
import { Terminology } from './terminology.ts';

export type { ValidationIssue } from './outcome.ts';

export interface ValidationResult {
  /** No issue of severity error or fatal. */
  readonly valid: boolean;
  readonly messageType: MessageType | 'unknown';
  readonly issues: ValidationIssue[];
}

export class Validator {
  private readonly igs = new Map<string, IgValidation>();
  /** FHIRPath compilations are independent of the IG, so every closure shares one compiler. */
  private readonly invariants: InvariantCompiler;

  /** `options.closures: false` keeps every invariant on fhirpath.js (the reference for differential tests). */
  constructor(
    private readonly store: PackageStore,
    options: InvariantCompilerOptions = {},
  ) {
    this.invariants = new InvariantCompiler(options);
  }

  /** Validates a MedCom message: the event code of the first entry picks the IG and the Bundle profile. */
  validateMessage(bundle: unknown): ValidationResult {
    const type = messageTypeOf(bundle);
    if (type === 'unknown') {
      // Still say what is wrong with a message that names a known profile (a mistyped event code is a binding error).
      const declared = declaredStandard(bundle);
      const detail = declared ? this.validate(bundle, declared.profile, declared.ig).issues : [];
      return { valid: false, messageType: 'unknown', issues: [...unknownMessage(bundle), ...detail] };
    }
    const standard = MESSAGE_STANDARDS[type];
    const result = this.validate(bundle, standard.profile, standard.ig);
    return { ...result, messageType: type };
  }

  /** Validates a resource against a profile (canonical, may carry `|version`) in the closure of one IG. */
  validate(resource: unknown, profile: string, ig: PackageRef): ValidationResult {
    const messageType = messageTypeOf(resource);
    const igValidation = this.ig(ig);
    const compiled = igValidation.registry.profile(profile);
    const location = rootLocation(resourceTypeOf(resource) ?? 'Resource');
    if (!compiled) {
      return {
        valid: false,
        messageType,
        issues: [
          {
            severity: 'fatal',
            code: 'not-found',
            expression: location.name,
            message: `profile ${profile} is not a StructureDefinition in ${formatPackageRef(ig)} or its dependencies`,
          },
        ],
      };
    }
    const run = new ValidationRun(igValidation, walker);
    validateAny(resource, compiled, location, run);
    const issues = finish(run);
    return { valid: !issues.some(isFailure), messageType, issues };
  }

  /** Whether a resource conforms (no error or fatal issue) to a profile in the closure of one IG. */
  conformsTo(resource: unknown, profile: string, ig: PackageRef): boolean {
    return this.validate(resource, profile, ig).valid;
  }

  /**
   * Adds a profile that is not in the packages (a local profile, a test fixture) to one IG's closure, so that
   * `validate(resource, sd.url, ig)` can use it. Strict: a profile with unsupported constructs is refused.
   */
  addProfile(sd: FhirResource, ig: PackageRef, options: { strict?: boolean } = {}): CompiledProfile {
    const registry = this.ig(ig).registry;
    const compiled = registry.register(sd);
    if (options.strict && compiled.problems.length > 0)
      throw new ProfileCompileError(compiled.label, compiled.problems);
    return compiled;
  }

  /** The compiled state of one IG closure (created on first use). */
  private ig(ref: PackageRef): IgValidation {
    const key = formatPackageRef(ref);
    let ig = this.igs.get(key);
    if (!ig) {
      const context = this.store.context(ref);
      const terminology = new Terminology(context);
      const registry = new ProfileRegistry(context, new ConstraintCompiler(this.invariants));
      ig = { ig: ref, context, registry, terminology, bindings: new BindingChecker(terminology, context) };
      this.igs.set(key, ig);
    }
    return ig;
  }
}

function validateAny(resource: unknown, profile: CompiledProfile, location: Location, run: ValidationRun): void {
  const isBundle =
    profile.type === 'Bundle' &&
    typeof resource === 'object' &&
    resource !== null &&
    (resource as { resourceType?: unknown }).resourceType === 'Bundle';
  if (isBundle) validateBundle(resource as Record<string, unknown>, profile, location, run, validateResource);
  else validateResource(resource, profile, location, run, undefined);
}

/** Profiles relied on with unsupported constructs are named once; identical issues (from two profiles) once. */
function finish(run: ValidationRun): ValidationIssue[] {
  for (const profile of run.unsupported) {
    run.issues.push({
      severity: 'warning',
      code: 'not-supported',
      expression: '',
      message: `profile ${profile.label} was only partly checked: ${profile.problems.join('; ')}`,
    });
  }
  const seen = new Set<string>();
  return run.issues.filter((issue) => {
    const key = `${issue.severity}\u0000${issue.code}\u0000${issue.expression}\u0000${issue.rule ?? ''}\u0000${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The message standard whose Bundle profile the message declares in meta.profile, if any. */
function declaredStandard(bundle: unknown) {
  const declared = (bundle as { meta?: { profile?: unknown } } | null)?.meta?.profile;
  if (resourceTypeOf(bundle) !== 'Bundle' || !Array.isArray(declared)) return undefined;
  return Object.values(MESSAGE_STANDARDS).find((standard) =>
    declared.some((p) => typeof p === 'string' && p.split('|')[0] === standard.profile),
  );
}

function resourceTypeOf(resource: unknown): string | undefined {
  const type = (resource as { resourceType?: unknown } | null)?.resourceType;
  return typeof type === 'string' ? type : undefined;
}

function unknownMessage(bundle: unknown): ValidationIssue[] {
  const resourceType = resourceTypeOf(bundle);
  if (resourceType !== 'Bundle') {
    return [
      {
        severity: 'fatal',
        code: 'structure',
        expression: resourceType ?? '',
        message: `a MedCom message is a Bundle of type message; found ${resourceType ? `a ${resourceType}` : 'no FHIR resource'}`,
        details: 'MSG_UNKNOWN_TYPE',
      },
    ];
  }
  const first = (bundle as { entry?: { resource?: Record<string, unknown> }[] }).entry?.[0]?.resource;
  if (first?.resourceType !== 'MessageHeader') {
    return [
      {
        severity: 'fatal',
        code: 'structure',
        expression: 'Bundle.entry[0].resource',
        message: 'the first entry of a MedCom message must be its MessageHeader',
        details: 'MSG_UNKNOWN_TYPE',
      },
    ];
  }
  const code = (first.eventCoding as { code?: unknown } | undefined)?.code;
  return [
    {
      severity: 'fatal',
      code: 'not-supported',
      expression: 'Bundle.entry[0].resource.event.ofType(Coding).code',
      message: `event code ${quote(code)} is not a message type this validator knows (expected one of: ${Object.keys(MESSAGE_STANDARDS).join(', ')})`,
      details: 'MSG_UNKNOWN_TYPE',
    },
  ];
}
