/**
 * FHIRPath for TestScripts, on the HL7 `fhirpath` engine with the R4 model (choice types such as `event.as(Coding)`,
 * `Patient.deceased` and `extension.value` need it). Each distinct expression text is parsed once and the compiled
 * function reused (`evaluate()` in fhirpath.js re-parses on every call). `resolve()` is replaced by a synchronous,
 * Bundle-local lookup: the engine's own resolve() would call a FHIR server, but every reference in a MedCom message
 * points inside the message Bundle.
 */
import fhirpath from 'fhirpath';
import r4 from 'fhirpath/fhir-context/r4';

export class ExpressionError extends Error {
  constructor(
    readonly expression: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${message} in FHIRPath ${JSON.stringify(expression)}`, options);
    this.name = 'ExpressionError';
  }
}

type Compiled = (resource: unknown, env: Record<string, unknown>) => unknown[];

interface ResourceNodeLike {
  data?: unknown;
}

interface EvaluationContext {
  processedVars?: { resource?: ResourceNodeLike[] | ResourceNodeLike };
  dataRoot?: ResourceNodeLike[];
}

/** Compiles and evaluates FHIRPath; holds the compiled functions, so create one per run (or share one read-only). */
export class FhirPathEngine {
  private readonly compiled = new Map<string, Compiled | ExpressionError>();

  /** Number of distinct expression texts compiled so far (reports and tests use it to prove compile-once). */
  get compiledCount(): number {
    return this.compiled.size;
  }

  /** Parses `expression` once; a syntax error is remembered and thrown again for the same text. */
  compile(expression: string): Compiled {
    let entry = this.compiled.get(expression);
    if (!entry) {
      try {
        const fn = fhirpath.compile(expression, r4, { userInvocationTable: BUNDLE_LOCAL_FUNCTIONS });
        entry = (resource, env) => fn(resource, env) as unknown[];
      } catch (cause) {
        entry = new ExpressionError(expression, `syntax error: ${firstLine(cause)}`, { cause });
      }
      this.compiled.set(expression, entry);
    }
    if (entry instanceof ExpressionError) throw entry;
    return entry;
  }

  /**
   * Evaluates `expression` on `resource`, with `%resource` and `%rootResource` bound to it (TestScript asserts use
   * `%resource.entry[0].fullUrl`). Runtime errors (e.g. `matches()` on several items) become an ExpressionError.
   */
  evaluate(expression: string, resource: unknown, env: Record<string, unknown> = {}): unknown[] {
    const fn = this.compile(expression);
    try {
      return fn(resource, { resource, rootResource: resource, ...env });
    } catch (cause) {
      throw new ExpressionError(expression, `evaluation failed: ${firstLine(cause)}`, { cause });
    }
  }
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]!.trim();
}

/**
 * `resolve()` inside the Bundle being evaluated: a reference matches an entry by exact fullUrl, by a relative
 * `Type/id` against an absolute fullUrl, or by an absolute reference whose `…/Type/id` tail names the entry.
 */
const BUNDLE_LOCAL_FUNCTIONS = {
  resolve: {
    fn: function (this: EvaluationContext, inputs: ResourceNodeLike[]): unknown[] {
      const root = rootOf(this);
      const entries = Array.isArray((root as { entry?: unknown })?.entry)
        ? (root as { entry: { fullUrl?: string; resource?: { resourceType?: string; id?: string } }[] }).entry
        : [];
      const out: unknown[] = [];
      for (const input of inputs) {
        const data = input?.data ?? input;
        const reference =
          typeof data === 'string'
            ? data
            : typeof data === 'object' && data
              ? (data as { reference?: unknown }).reference
              : undefined;
        if (typeof reference !== 'string') continue;
        const hit = entries.find((entry) => referenceMatches(reference, entry));
        if (hit?.resource) out.push(hit.resource);
      }
      return out;
    },
    arity: { 0: [] },
    internalStructures: true,
  },
};

function rootOf(ctx: EvaluationContext): unknown {
  const bound = ctx.processedVars?.resource;
  const node = Array.isArray(bound) ? bound[0] : bound;
  return node?.data ?? ctx.dataRoot?.[0]?.data;
}

export function referenceMatches(
  reference: string,
  entry: { fullUrl?: string; resource?: { resourceType?: string; id?: string } },
): boolean {
  if (entry.fullUrl === reference) return true;
  const type = entry.resource?.resourceType;
  const id = entry.resource?.id;
  if (!type || !id) return false;
  const local = `${type}/${id}`;
  return reference === local || reference.endsWith(`/${local}`) || (entry.fullUrl?.endsWith(`/${reference}`) ?? false);
}
