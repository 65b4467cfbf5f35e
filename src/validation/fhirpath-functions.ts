// The three FHIRPath functions MedCom invariants need and fhirpath.js cannot provide offline: Bundle-local
// `resolve()`, `conformsTo(url)` (delegated to the validator) and `memberOf(valueSet)` (local terminology).
// The table is static; each evaluation hands its hooks over through a symbol-keyed environment entry, which
// FHIRPath text cannot name, so one compiled expression serves every message.
import fhirpath, { type UserInvocationTable } from 'fhirpath';
import type { BundleIndex } from './bundle-index.ts';
import type { Terminology } from './terminology.ts';
import type { Membership } from './value-set-expansion.ts';

/** What one evaluation needs from the outside world. */
export interface EvaluationScope {
  readonly bundleIndex: BundleIndex | undefined;
  readonly conformsTo: (resource: unknown, profile: string) => boolean;
  readonly terminology: Terminology;
}

export const EVALUATION_SCOPE = Symbol('medcom-hub invariant evaluation scope');

/** The fields of fhirpath.js's evaluation context and ResourceNode that these functions read. */
interface EvaluationContext {
  vars?: { resource?: unknown; [EVALUATION_SCOPE]?: EvaluationScope };
}
interface NodeLike {
  data?: unknown;
  parentResNode?: NodeLike | null;
}
/** fhirpath.js's ResourceNode class, reached through an input node: the package does not export it. */
interface NodeClass {
  makeResNode?(ctx: unknown, data: unknown, parent: null, path: null, _data: null, type: null): unknown;
}

function scopeOf(ctx: EvaluationContext, fn: string): EvaluationScope {
  const scope = ctx.vars?.[EVALUATION_SCOPE];
  if (!scope) throw new Error(`${fn}() needs the validator's evaluation scope`);
  return scope;
}

const data = (item: unknown): unknown => fhirpath.util.valData(item);

/** The nearest enclosing resource of a node: the one whose entry supplies the base for a relative reference. */
function holderOf(item: unknown, fallback: unknown): unknown {
  let node = (item as NodeLike | undefined)?.parentResNode;
  while (node) {
    const value = node.data as { resourceType?: unknown } | undefined;
    if (value && typeof value === 'object' && typeof value.resourceType === 'string') return value;
    node = node.parentResNode;
  }
  return fallback;
}

function resolve(this: EvaluationContext, inputs: unknown[]): unknown[] {
  const scope = scopeOf(this, 'resolve');
  const out: unknown[] = [];
  // Resolved resources must come back as typed nodes, or `is(Encounter)`/`ofType(Encounter)` on them fail.
  const nodeClass = inputs.find((i) => i !== null && typeof i === 'object')?.constructor as NodeClass | undefined;
  const wrap = (resource: unknown): unknown =>
    typeof nodeClass?.makeResNode === 'function'
      ? nodeClass.makeResNode(this, resource, null, null, null, null)
      : resource;
  for (const item of inputs) {
    const value = data(item);
    const reference = typeof value === 'string' ? value : (value as { reference?: unknown } | undefined)?.reference;
    if (typeof reference !== 'string') continue;
    const holder = holderOf(item, this.vars?.resource);
    const target = scope.bundleIndex?.resolve(reference, holder);
    if (target) out.push(wrap(target));
  }
  return out;
}

// As the HL7 validator: anything but exactly one input item does not conform (false, not empty).
function conformsTo(this: EvaluationContext, inputs: unknown[], profile: unknown): boolean[] {
  const scope = scopeOf(this, 'conformsTo');
  if (inputs.length !== 1) return [false];
  return [scope.conformsTo(data(inputs[0]), String(data(profile)))];
}

function memberOf(this: EvaluationContext, inputs: unknown[], valueSet: unknown): boolean[] {
  const scope = scopeOf(this, 'memberOf');
  const url = String(data(valueSet));
  return inputs.map((item) => {
    const verdict = membershipOf(data(item), url, scope.terminology);
    if (verdict === 'unknown') {
      throw new Error(`memberOf('${url}'): ${scope.terminology.describe(url)} cannot be expanded locally`);
    }
    return verdict === 'member';
  });
}

/** Coding, CodeableConcept (member if any coding is) or a bare code. */
export function membershipOf(value: unknown, valueSet: string, terminology: Terminology): Membership {
  if (typeof value === 'string') return terminology.membership(valueSet, undefined, value);
  const coded = value as { system?: unknown; code?: unknown; coding?: unknown } | undefined;
  if (typeof coded?.code === 'string') {
    return terminology.membership(valueSet, typeof coded.system === 'string' ? coded.system : undefined, coded.code);
  }
  if (Array.isArray(coded?.coding)) {
    const verdicts = coded.coding.map((coding) => membershipOf(coding, valueSet, terminology));
    if (verdicts.includes('member')) return 'member';
    if (verdicts.includes('unknown')) return 'unknown';
  }
  return 'not-member';
}

// fhirpath.js does not count `xhtml` among the primitives, so `hasValue()` — and with it ele-1 on every
// Narrative.div — is false for a narrative. The HL7 validator treats xhtml as a primitive; so do we.
function hasValue(inputs: unknown[]): boolean[] {
  if (inputs.length !== 1) return [false];
  const value = data(inputs[0]);
  if (value === null || value === undefined) return [false];
  return [typeof value !== 'object' || value instanceof fhirpath.FP_Decimal];
}

/** `options.userInvocationTable` for fhirpath.js; `internalStructures` keeps ResourceNodes (parents for resolve). */
export const MEDCOM_FUNCTIONS: UserInvocationTable = {
  hasValue: { fn: hasValue, arity: { 0: [] }, internalStructures: true },
  resolve: { fn: resolve, arity: { 0: [] }, internalStructures: true },
  conformsTo: { fn: conformsTo, arity: { 1: ['String'] }, internalStructures: true },
  memberOf: { fn: memberOf, arity: { 1: ['String'] }, internalStructures: true },
};
