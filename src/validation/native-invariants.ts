// The structural R4 invariants that sit on (nearly) every element or resource — ele-1 on every element, ext-1 on
// every extension, dom-2…dom-6 on every DomainResource, ref-1 on every Reference, the bdl-* rules of every Bundle and
// a few datatype rules — implemented in TypeScript. Through FHIRPath they would dominate the cost of validating a
// message (hundreds of evaluations per Bundle, 20–100 µs each). A native check replaces a published constraint only
// when key AND expression text are exactly the R4 ones, so a profile that redefines a key still gets its own
// expression evaluated; test/validation/native-invariants.test.ts holds each against the FHIRPath engine.
//
// One deliberate reading: where an expression yields empty because an optional element is absent (bdl-8 without a
// fullUrl), the native check passes — the rule is about the element's content, not its presence.
import type { CompiledInvariant } from './invariants.ts';

type Check = (node: unknown, resource: unknown, root: unknown) => boolean;

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
    check: (node) => list((node as Record<string, unknown>)?.contained).every((c) => !nonEmpty((c as Record<string, unknown>)?.contained)),
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
    expression:
      "reference.startsWith('#').not() or (reference.substring(1).trace('url') in %rootResource.contained.id.trace('ids'))",
    // %rootResource is the resource itself or, inside a contained resource, its container; %resource is searched too
    // so that a caller passing a Bundle as %rootResource still finds an entry's contained resources.
    check: (node, resource, root) => {
      const reference = field(node, 'reference');
      if (typeof reference !== 'string' || !reference.startsWith('#')) return true;
      const id = reference.slice(1);
      const has = (holder: unknown) => list(field(holder, 'contained')).some((c) => field(c, 'id') === id);
      return has(root) || has(resource);
    },
  },
  'bdl-1': {
    expression: "total.empty() or (type = 'searchset') or (type = 'history')",
    check: (node) => !nonEmpty(field(node, 'total')) || bundleType(node) === 'searchset' || bundleType(node) === 'history',
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
    check: (node) => nonEmpty(field(node, 'resource')) || nonEmpty(field(node, 'request')) || nonEmpty(field(node, 'response')),
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
    expression: "fullUrl.contains('/_history/').not()",
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
    check: (node) => bundleType(node) !== 'document' || field(entries(node)[0]?.resource, 'resourceType') === 'Composition',
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
  'dom-6': {
    expression: 'text.`div`.exists()',
    check: (node) => nonEmpty(((node as Record<string, unknown>)?.text as Record<string, unknown> | undefined)?.div),
  },
};

/** Every string value below a node, contained resources included (as `%resource.descendants()` sees them). */
function collectStrings(node: unknown, into: Set<string>): void {
  if (typeof node === 'string') into.add(node);
  else if (Array.isArray(node)) for (const item of node) collectStrings(item, into);
  else if (isObject(node)) for (const key in node) collectStrings(node[key], into);
}

const normalise = (expression: string): string => expression.replace(/\s+/g, ' ').trim();

/** The native equivalent of a published constraint, or undefined when it must be evaluated as FHIRPath. */
export function nativeInvariant(constraint: {
  key: string;
  severity?: string;
  human?: string;
  expression?: string;
}): CompiledInvariant | undefined {
  const native = NATIVE[constraint.key];
  if (!native || !constraint.expression || normalise(constraint.expression) !== normalise(native.expression)) {
    return undefined;
  }
  const check = native.check;
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
