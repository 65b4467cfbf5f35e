// FHIRPath invariants (ElementDefinition.constraint) compiled once with fhirpath.js and the R4 model, evaluated per
// node with the MedCom functions (`resolve()`, `conformsTo()`, `memberOf()`) and the HL7 validator's reading of the
// result. What differs from plain fhirpath.js is deliberate and named here:
// - truthiness follows the HL7 validator (FHIRPathEngine.convertToBoolean): a single boolean is the verdict, any
//   other non-empty result passes, and an EMPTY result FAILS — so `meta.profile.startsWith(…)` without a profile fails;
// - on a primitive node a leading `value` is the primitive itself (see primitive-value-compat.ts);
// - compile and runtime errors become `{ ok: 'error' }` verdicts with the key, location and expression; never throws.
import fhirpath from 'fhirpath';
import r4 from 'fhirpath/fhir-context/r4';
import { maskCprNumbers } from '../fhir/cpr-mask.ts';
import { BundleIndex } from './bundle-index.ts';
import { elementContext, isPrimitiveType, type ElementContext } from './element-context.ts';
import type { Erratum } from './errata.ts';
import { intentRule } from './errata.ts';
import { compileExpression, type CompiledEnvironment, type CompiledExpression } from './fhirpath-compiler/compile.ts';
import { EVALUATION_SCOPE, MEDCOM_FUNCTIONS, type EvaluationScope } from './fhirpath-functions.ts';
import { readPrimitiveValueAsContext } from './primitive-value-compat.ts';
import type { Terminology } from './terminology.ts';

export interface InvariantHooks {
  bundle: unknown | undefined; // the Bundle the resource lives in (for resolve())
  conformsTo(resource: unknown, profile: string): boolean; // supplied by V1 (calls back into the validator)
  terminology: Terminology;
}

export type InvariantVerdict = { ok: true } | { ok: false } | { ok: 'error'; message: string };

export interface CompiledInvariant {
  readonly key: string;
  readonly severity: 'error' | 'warning';
  readonly human: string;
  readonly expression: string;
  /**
   * Evaluates at one node; `resource` is the containing resource (%resource), `rootResource` the Bundle or resource (%rootResource).
   * FHIR defines %rootResource as the resource itself, or the container of a contained resource — for a resource
   * inside a Bundle that is the entry resource, not the Bundle (ref-1 looks for `#id` targets in its `contained`,
   * dom-6 asks only roots for a narrative); the message Bundle is `%bundle` (from `hooks.bundle`).
   * `nodeType` is the FHIR type of the node (`Reference` for a `valueReference`); it is needed only when the
   * context path does not determine it, i.e. on a choice element (`Extension.value[x]`), and even there an object
   * node is still navigated untyped without it.
   */
  evaluate(
    node: unknown,
    resource: unknown,
    rootResource: unknown,
    hooks: InvariantHooks,
    nodeType?: string,
  ): InvariantVerdict;
}

type Evaluator = (node: unknown, env: Record<string | symbol, unknown>) => unknown[];

const OPTIONS = {
  async: false as const, // every MedCom function is synchronous; a Promise would be a bug
  resolveInternalTypes: false, // keeps results as nodes: no hidden `__path__` written into the caller's JSON
  userInvocationTable: MEDCOM_FUNCTIONS,
  traceFn: () => undefined, // `trace()` appears in base R4 invariants; it must not print
};

export interface InvariantCompilerOptions {
  /**
   * Compile expressions in the supported subset to JavaScript closures (fhirpath-compiler/), keeping fhirpath.js for
   * the rest and for any instance a closure hands back; default true. false evaluates everything with fhirpath.js —
   * the reference the differential test compares against.
   */
  readonly closures?: boolean;
}

/** Caches compiled expressions by (expression, contextPath); one compiler serves every profile and message. */
export class InvariantCompiler {
  private readonly invariants = new Map<string, CompiledInvariant>();
  private readonly evaluators = new Map<string, Evaluator | Error>();
  private readonly closures = new Map<string, CompiledExpression | null>();
  private readonly bundleIndexes = new WeakMap<object, BundleIndex>();
  private readonly useClosures: boolean;

  constructor(options: InvariantCompilerOptions = {}) {
    this.useClosures = options.closures ?? true;
  }

  compile(
    constraint: { key: string; severity?: string; human?: string; expression?: string },
    contextPath: string,
  ): CompiledInvariant | undefined {
    const expression = constraint.expression;
    if (typeof expression !== 'string' || expression.trim() === '') return undefined;
    const severity = constraint.severity === 'warning' ? 'warning' : 'error';
    const human = constraint.human ?? constraint.key;
    const cacheKey = [constraint.key, severity, human, contextPath, expression].join('\u0000');
    let invariant = this.invariants.get(cacheKey);
    if (!invariant) {
      invariant = new FhirPathInvariant(constraint.key, severity, human, expression, contextPath, this);
      this.invariants.set(cacheKey, invariant);
    }
    return invariant;
  }

  /** The intent check of an erratum as an invariant keyed `<key>#intent`, run at the same node as the published one. */
  compileIntent(erratum: Erratum, contextPath: string): CompiledInvariant | undefined {
    if (!erratum.intent) return undefined;
    return this.compile(
      { key: intentRule(erratum.key), severity: 'error', human: erratum.instead, expression: erratum.intent },
      contextPath,
    );
  }

  /** @internal compiled fhirpath.js function, or the compile error, per (base, expression). */
  evaluator(base: string | undefined, expression: string): Evaluator | Error {
    const cacheKey = `${base ?? ''}\u0000${expression}`;
    let evaluator = this.evaluators.get(cacheKey);
    if (!evaluator) {
      try {
        evaluator = fhirpath.compile(base ? { base, expression } : expression, r4, OPTIONS) as Evaluator;
      } catch (cause) {
        evaluator = new Error(firstLine(cause), { cause });
      }
      this.evaluators.set(cacheKey, evaluator);
    }
    return evaluator;
  }

  /** @internal the compiled closure per (base, expression), or undefined when it stays on fhirpath.js. */
  closure(base: string | undefined, expression: string): CompiledExpression | undefined {
    if (!this.useClosures) return undefined;
    const cacheKey = `${base ?? ''}\u0000${expression}`;
    let closure = this.closures.get(cacheKey);
    if (closure === undefined) {
      closure = compileExpression(base, expression) ?? null;
      this.closures.set(cacheKey, closure);
    }
    return closure ?? undefined;
  }

  /** @internal the outside world for one evaluation; the Bundle is indexed once and reused while it lives. */
  scope(hooks: InvariantHooks): EvaluationScope {
    const bundleIndex = this.bundleIndex(hooks.bundle);
    return { bundleIndex, conformsTo: (r, p) => hooks.conformsTo(r, p), terminology: hooks.terminology };
  }

  /** @internal the index of a Bundle for resolve(), built on first use and kept while the Bundle lives. */
  bundleIndex(bundle: unknown): BundleIndex | undefined {
    if (!bundle || typeof bundle !== 'object') return undefined;
    let bundleIndex = this.bundleIndexes.get(bundle);
    if (!bundleIndex) this.bundleIndexes.set(bundle, (bundleIndex = new BundleIndex(bundle)));
    return bundleIndex;
  }
}

class FhirPathInvariant implements CompiledInvariant {
  private readonly element: ElementContext;
  private readonly primitiveExpression: string;

  constructor(
    readonly key: string,
    readonly severity: 'error' | 'warning',
    readonly human: string,
    readonly expression: string,
    private readonly contextPath: string,
    private readonly compiler: InvariantCompiler,
  ) {
    this.element = elementContext(contextPath);
    this.primitiveExpression = readPrimitiveValueAsContext(expression);
  }

  evaluate(
    node: unknown,
    resource: unknown,
    rootResource: unknown,
    hooks: InvariantHooks,
    nodeType?: string,
  ): InvariantVerdict {
    const isObject = node !== null && typeof node === 'object';
    const primitive = this.element.primitive ?? (nodeType ? isPrimitiveType(nodeType) : !isObject);
    const expression = primitive ? this.primitiveExpression : this.expression;
    // An untyped object still needs a type for fhirpath.js to navigate it (`children()` skips raw objects).
    const base = this.element.base ?? nodeType ?? (isObject ? 'Element' : undefined);
    const closure = this.compiler.closure(base, expression);
    if (closure) {
      try {
        const env = new ClosureEnvironment(
          resource ?? node,
          rootResource ?? resource ?? node,
          node,
          hooks,
          this.compiler,
        );
        return closure(node, env) ? PASSED : FAILED;
      } catch {
        // FALLBACK (an instance outside the compiled ground) or any error: fhirpath.js gives the answer.
      }
    }
    const evaluator = this.compiler.evaluator(base, expression);
    if (evaluator instanceof Error) {
      return this.failure(`expression does not compile: ${evaluator.message}`);
    }
    let result: unknown[];
    try {
      result = evaluator(node, {
        resource: resource ?? node,
        rootResource: rootResource ?? resource ?? node,
        bundle: hooks.bundle,
        [EVALUATION_SCOPE]: this.compiler.scope(hooks),
      });
    } catch (cause) {
      return this.failure(`evaluation failed: ${firstLine(cause)}`);
    }
    return passes(result) ? PASSED : FAILED;
  }

  private failure(what: string): InvariantVerdict {
    return {
      ok: 'error',
      message: `invariant ${this.key} at ${this.contextPath}: ${what} (expression: ${this.expression})`,
    };
  }
}

/** What a compiled closure sees of one evaluation: the same variables and Bundle fhirpath.js is given. */
class ClosureEnvironment implements CompiledEnvironment {
  constructor(
    readonly resource: unknown,
    readonly rootResource: unknown,
    readonly context: unknown,
    readonly hooks: InvariantHooks,
    private readonly compiler: InvariantCompiler,
  ) {}

  get bundle(): unknown {
    return this.hooks.bundle;
  }

  resolveReference(reference: string, holder: unknown): unknown {
    return this.compiler.bundleIndex(this.hooks.bundle)?.resolve(reference, holder);
  }
}

const PASSED: InvariantVerdict = { ok: true };
const FAILED: InvariantVerdict = { ok: false };

/** HL7 validator truthiness (FHIRPathEngine.convertToBoolean): one boolean decides, else non-empty passes. */
function passes(result: unknown[]): boolean {
  if (result.length === 1) {
    const value = fhirpath.util.valData(result[0]) as unknown;
    if (typeof value === 'boolean') return value;
  }
  return result.length > 0;
}

// Engine messages may quote instance values; anything shaped like a CPR number is masked before it can reach a log.

function firstLine(cause: unknown): string {
  const text = cause instanceof Error ? cause.message : String(cause);
  return maskCprNumbers(text.split('\n')[0] ?? '');
}
