// The structural R4 invariants that sit on (nearly) every element or resource — ele-1 on every element, ext-1 on
// every extension, dom-2…dom-6 on every DomainResource, txt-1/txt-2 on every narrative (narrative.ts), ref-1 on
// every Reference, the bdl-* rules of every Bundle and a few datatype rules — implemented in TypeScript. Through FHIRPath they would dominate the cost of validating a
// message (hundreds of evaluations per Bundle, 20–100 µs each). A native check replaces a published constraint only
// when key AND expression text are exactly the R4 ones, so a profile that redefines a key still gets its own
// expression evaluated; test/validation/native-invariants.test.ts holds each against the FHIRPath engine.
//
// For ref-1, bdl-8 and dom-6 the expression implemented is the HL7 validator's correction that the errata table puts
// in place of the published one (an absent reference or fullUrl passes; contained resources need no narrative).
//
// Two further families are hot in every Danish message and expensive in fhirpath.js: identifier format rules written
// as a single `matches('<regex>')` / `value.matches('<regex>')` (cpr, gln-length, min-digits-sor, uuidv5,
// medcom-uuidv4 …), evaluated here with the very RegExp construction fhirpath.js uses (flags `us`, unanchored unless
// the pattern anchors itself); and dk-core's GLN check digit and mandatory-identifier rules, matched by exact text.
import type { CompiledInvariant } from './invariants.ts';
import { isValidNarrative } from './narrative.ts';

type Check = (node: unknown, resource: unknown, root: unknown) => boolean;

const normalise = (expression: string): string => expression.replace(/\s+/g, ' ').trim();

interface NativeDefinition {
  readonly expression: string;
  readonly check: Check;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const nonEmpty = (v: unknown): boolean => v !== undefined && v !== null && (!Array.isArray(v) || v.length > 0);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);

const field = (node: unknown, name: string): unknown => (isObject(node) ? node[name] : undefined);
const bundleType = (node: unknown): unknown => field(node, 'type');
const entries = (node: unknown): Record<string, unknown>[] =>
  list(field(node, 'entry')).filter(isObject) as Record<string, unknown>[];

/** Keyed by invariant key; the expression is the exact R4 4.0.1 text. */
const NATIVE: Readonly<Record<string, NativeDefinition>> = {
  'ele-1': {
    expression: 'hasValue() or (children().count() > id.count())',
    // Primitive values arrive as JSON scalars (they have a value); objects need some child other than `id`.
    check: (node) => {
      if (!isObject(node)) return node !== null && node !== undefined;
      for (const key in node) if (key !== 'id' && nonEmpty(node[key])) return true;
      return false;
    },
  },
  'ext-1': {
    expression: 'extension.exists() != value.exists()',
    check: (node) => {
      if (!isObject(node)) return true;
      const hasExtension = nonEmpty(node.extension);
      let hasValue = false;
      for (const key in node) {
        if (key.length > 5 && key.startsWith('value') && key.charCodeAt(5) >= 65 && key.charCodeAt(5) <= 90) {
          hasValue = true;
          break;
        }
      }
      return hasExtension !== hasValue;
    },
  },
  'dom-2': {
    expression: 'contained.contained.empty()',
    check: (node) =>
      list((node as Record<string, unknown>)?.contained).every(
        (c) => !nonEmpty((c as Record<string, unknown>)?.contained),
      ),
  },
  'dom-3': {
    expression:
      "contained.where((('#'+id in (%resource.descendants().reference | %resource.descendants().as(canonical) | %resource.descendants().as(uri) | %resource.descendants().as(url))) or descendants().where(reference = '#').exists() or descendants().where(as(canonical) = '#').exists() or descendants().where(as(canonical) = '#').exists()).not()).trace('unmatched', id).empty()",
    check: (node) => {
      const contained = list((node as Record<string, unknown>)?.contained);
      if (contained.length === 0) return true;
      const strings = new Set<string>();
      collectStrings(node, strings);
      return contained.every((c) => {
        const id = (c as Record<string, unknown>)?.id;
        if (typeof id === 'string' && strings.has(`#${id}`)) return true;
        // A contained resource that points back at its container ('#') counts as referenced.
        const inner = new Set<string>();
        collectStrings(c, inner);
        return inner.has('#');
      });
    },
  },
  'dom-4': {
    expression: 'contained.meta.versionId.empty() and contained.meta.lastUpdated.empty()',
    check: (node) =>
      list((node as Record<string, unknown>)?.contained).every((c) => {
        const meta = (c as Record<string, unknown>)?.meta as Record<string, unknown> | undefined;
        return !nonEmpty(meta?.versionId) && !nonEmpty(meta?.lastUpdated);
      }),
  },
  'dom-5': {
    expression: 'contained.meta.security.empty()',
    check: (node) =>
      list((node as Record<string, unknown>)?.contained).every(
        (c) => !nonEmpty(((c as Record<string, unknown>)?.meta as Record<string, unknown> | undefined)?.security),
      ),
  },
  'ref-1': {
    // The HL7 validator's correction of ref-1 (errata.ts): a reference-less or bare `#` reference passes. The
    // contained resources are looked up in %rootResource (the resource itself, or the container of a contained one)
    // and in %resource, so that a caller passing a Bundle as %rootResource still finds an entry's contained ones.
    expression:
      "reference.exists() implies (reference = '#' or (reference.startsWith('#').not() or (reference.substring(1).trace('url') in %rootResource.contained.id.trace('ids'))))",
    check: (node, resource, root) => {
      const reference = field(node, 'reference');
      if (typeof reference !== 'string' || reference === '#' || !reference.startsWith('#')) return true;
      const id = reference.slice(1);
      const has = (holder: unknown) => list(field(holder, 'contained')).some((c) => field(c, 'id') === id);
      return has(root) || has(resource);
    },
  },
  'bdl-1': {
    expression: "total.empty() or (type = 'searchset') or (type = 'history')",
    check: (node) =>
      !nonEmpty(field(node, 'total')) || bundleType(node) === 'searchset' || bundleType(node) === 'history',
  },
  'bdl-2': {
    expression: "entry.search.empty() or (type = 'searchset')",
    check: (node) => bundleType(node) === 'searchset' || entries(node).every((e) => !nonEmpty(e.search)),
  },
  'bdl-3': {
    expression:
      "entry.all(request.exists() = (%resource.type = 'batch' or %resource.type = 'transaction' or %resource.type = 'history'))",
    check: (node) => {
      const type = bundleType(node);
      const wanted = type === 'batch' || type === 'transaction' || type === 'history';
      return entries(node).every((e) => nonEmpty(e.request) === wanted);
    },
  },
  'bdl-4': {
    expression:
      "entry.all(response.exists() = (%resource.type = 'batch-response' or %resource.type = 'transaction-response' or %resource.type = 'history'))",
    check: (node) => {
      const type = bundleType(node);
      const wanted = type === 'batch-response' || type === 'transaction-response' || type === 'history';
      return entries(node).every((e) => nonEmpty(e.response) === wanted);
    },
  },
  'bdl-5': {
    expression: 'resource.exists() or request.exists() or response.exists()',
    check: (node) =>
      nonEmpty(field(node, 'resource')) || nonEmpty(field(node, 'request')) || nonEmpty(field(node, 'response')),
  },
  'bdl-7': {
    expression:
      "(type = 'history') or entry.where(fullUrl.exists()).select(fullUrl&resource.meta.versionId).isDistinct()",
    check: (node) => {
      if (bundleType(node) === 'history') return true;
      const seen = new Set<string>();
      for (const e of entries(node)) {
        if (typeof e.fullUrl !== 'string') continue;
        const versionId = field(field(e.resource, 'meta'), 'versionId');
        const key = `${e.fullUrl}${typeof versionId === 'string' ? versionId : ''}`;
        if (seen.has(key)) return false;
        seen.add(key);
      }
      return true;
    },
  },
  'bdl-8': {
    // The HL7 validator's correction (errata.ts): an entry without fullUrl passes.
    expression: "fullUrl.exists() implies fullUrl.contains('/_history/').not()",
    check: (node) => {
      const fullUrl = field(node, 'fullUrl');
      return typeof fullUrl !== 'string' || !fullUrl.includes('/_history/');
    },
  },
  'bdl-9': {
    expression: "type = 'document' implies (identifier.system.exists() and identifier.value.exists())",
    check: (node) =>
      bundleType(node) !== 'document' ||
      (nonEmpty(field(field(node, 'identifier'), 'system')) && nonEmpty(field(field(node, 'identifier'), 'value'))),
  },
  'bdl-10': {
    expression: "type = 'document' implies (timestamp.hasValue())",
    check: (node) => bundleType(node) !== 'document' || typeof field(node, 'timestamp') === 'string',
  },
  'bdl-11': {
    expression: "type = 'document' implies entry.first().resource.is(Composition)",
    check: (node) =>
      bundleType(node) !== 'document' || field(entries(node)[0]?.resource, 'resourceType') === 'Composition',
  },
  'bdl-12': {
    expression: "type = 'message' implies entry.first().resource.is(MessageHeader)",
    check: (node) =>
      bundleType(node) !== 'message' || field(entries(node)[0]?.resource, 'resourceType') === 'MessageHeader',
  },
  'att-1': {
    expression: 'data.empty() or contentType.exists()',
    check: (node) => !nonEmpty(field(node, 'data')) || nonEmpty(field(node, 'contentType')),
  },
  'cpt-2': {
    expression: 'value.empty() or system.exists()',
    check: (node) => !nonEmpty(field(node, 'value')) || nonEmpty(field(node, 'system')),
  },
  'qty-3': {
    expression: 'code.empty() or system.exists()',
    check: (node) => !nonEmpty(field(node, 'code')) || nonEmpty(field(node, 'system')),
  },
  'org-1': {
    expression: '(identifier.count() + name.count()) > 0',
    check: (node) => nonEmpty(field(node, 'identifier')) || nonEmpty(field(node, 'name')),
  },
  'txt-1': {
    expression: 'htmlChecks()',
    check: (node) => typeof node === 'string' && isValidNarrative(node),
  },
  'txt-2': {
    expression: 'htmlChecks()',
    check: (node) => typeof node === 'string' && isValidNarrative(node),
  },
  'dom-6': {
    // The HL7 validator's correction (errata.ts): only a root resource needs a narrative, not a contained one.
    expression: '(%rootResource != $this) or text.`div`.exists()',
    check: (node, _resource, root) =>
      root !== node || nonEmpty(((node as Record<string, unknown>)?.text as Record<string, unknown> | undefined)?.div),
  },
};

/** The GS1 check digit over the first 13 characters, as dk-core's gln-modulus-10 computes it with substring(). */
function glnCheckDigitHolds(value: unknown): boolean {
  if (typeof value !== 'string' || value.length < 13) return false;
  let sum = 0;
  for (let i = 0; i < 12; i++) {
    const digit = value.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return false;
    sum += digit * (i % 2 === 0 ? 1 : 3);
  }
  const check = value.charCodeAt(12) - 48;
  return check >= 0 && check <= 9 && (10 - (sum % 10)) % 10 === check;
}

const glnModulus = (prefix: string): string =>
  `(( (10-((${prefix}substring(0,1).toInteger()*1)+ (${prefix}substring(1,1).toInteger()*3)+ (${prefix}substring(2,1).toInteger()*1)+ (${prefix}substring(3,1).toInteger()*3)+ (${prefix}substring(4,1).toInteger()*1) +(${prefix}substring(5,1).toInteger()*3) +(${prefix}substring(6,1).toInteger()*1) +(${prefix}substring(7,1).toInteger()*3) +(${prefix}substring(8,1).toInteger()*1) +(${prefix}substring(9,1).toInteger()*3) +(${prefix}substring(10,1).toInteger()*1) +(${prefix}substring(11,1).toInteger()*3))mod(10))mod(10))=${prefix}substring(12,1).toInteger())`;

/** dk-core 3.x writes gln-modulus-10 on the value itself, 2.0.0 as `value.…` (read as the value, see invariants.ts). */
const GLN_MODULUS_TEXTS = new Set([glnModulus(''), glnModulus('value.')].map((e) => normalise(e)));

const MANDATORY_ORGANIZATION_IDENTIFIER =
  "identifier.where(system='urn:oid:1.2.208.176.1.1' or system='https://kombit.dk/sts/organisation' or system='urn:oid:2.16.840.1.113883.2.24.1.1').exists()";
const MANDATORY_ORGANIZATION_SYSTEMS = new Set([
  'urn:oid:1.2.208.176.1.1',
  'https://kombit.dk/sts/organisation',
  'urn:oid:2.16.840.1.113883.2.24.1.1',
]);

/** Identifier rules by exact text, whatever key a profile gives them. */
function byExpression(expression: string): Check | undefined {
  if (GLN_MODULUS_TEXTS.has(expression)) return (node) => glnCheckDigitHolds(stringOf(node, true));
  if (expression === MANDATORY_ORGANIZATION_IDENTIFIER) {
    return (node) =>
      list(field(node, 'identifier')).some((i) => {
        const system = field(i, 'system');
        return typeof system === 'string' && MANDATORY_ORGANIZATION_SYSTEMS.has(system);
      });
  }
  const regex = /^(value\.)?matches\('([^'\\]*)'\)$/.exec(expression);
  if (regex) {
    let pattern: RegExp;
    try {
      pattern = new RegExp(regex[2]!, 'us');
    } catch {
      return undefined; // the engine reports the broken pattern
    }
    const viaValue = regex[1] !== undefined;
    return (node) => {
      const text = stringOf(node, viaValue);
      return text !== undefined && pattern.test(text);
    };
  }
  return undefined;
}

/** The string a rule reads: the primitive node itself, or (for `value.…` on an Identifier) its `value`. */
function stringOf(node: unknown, viaValue: boolean): string | undefined {
  if (typeof node === 'string') return node;
  const value = viaValue ? field(node, 'value') : undefined;
  return typeof value === 'string' ? value : undefined;
}

/** Every string value below a node, contained resources included (as `%resource.descendants()` sees them). */
function collectStrings(node: unknown, into: Set<string>): void {
  if (typeof node === 'string') into.add(node);
  else if (Array.isArray(node)) for (const item of node) collectStrings(item, into);
  else if (isObject(node)) for (const key in node) collectStrings(node[key], into);
}

/** The native equivalent of a published constraint, or undefined when it must be evaluated as FHIRPath. */
export function nativeInvariant(constraint: {
  key: string;
  severity?: string;
  human?: string;
  expression?: string;
}): CompiledInvariant | undefined {
  if (!constraint.expression) return undefined;
  const expression = normalise(constraint.expression);
  const native = NATIVE[constraint.key];
  const check = native && expression === normalise(native.expression) ? native.check : byExpression(expression);
  if (!check) return undefined;
  return {
    key: constraint.key,
    severity: constraint.severity === 'warning' ? 'warning' : 'error',
    human: constraint.human ?? constraint.key,
    expression: constraint.expression,
    evaluate: (node, resource, root) => (check(node, resource, root) ? OK : FAILED),
  };
}

const OK = { ok: true } as const;
const FAILED = { ok: false } as const;

/** Keys with a native implementation (for tests and reports). */
export const NATIVE_INVARIANT_KEYS: readonly string[] = Object.keys(NATIVE);
