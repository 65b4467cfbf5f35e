// Compiles a published FHIRPath expression once into a JavaScript closure over the JSON, for the subset of FHIRPath
// that profile constraints use (member paths, ofType/is, where/exists/empty/all/count/first/not, = and !=, the
// boolean operators, extension(url), hasValue(), conformsTo(), memberOf()). Everything else — and every expression
// whose static typing is not certain — is refused at compile time (undefined), and the caller keeps fhirpath.js.
//
// Equivalence with fhirpath.js is the contract (test/validation/fhirpath-compiler.test.ts checks it on every
// constraint of the MedCom closures at every node of the official examples). Where an instance leaves the modelled
// ground at run time — a primitive with a `_name` extension part, a null in the JSON, more than one item where
// fhirpath.js wants a singleton (it raises an error there), an unexpandable value set — the closure throws
// `FALLBACK`, and the caller evaluates the expression with fhirpath.js instead. Operands are evaluated eagerly, as
// fhirpath.js does, so a case where fhirpath.js raises an error is never answered here.
import type { Terminology } from '../terminology.ts';
import { membershipOf } from '../fhirpath-functions.ts';
import {
  BOOLEAN,
  INTEGER,
  RESOURCE,
  STRING,
  isLeafResourceType,
  isResourceTypeName,
  isSubtypeOf,
  isComparableType,
  isPlainValueType,
  memberKeys,
  resourceMemberKeys,
  typeOfBase,
  type MemberKey,
  type StaticType,
} from './model.ts';
import { parse, Unsupported, type Node } from './parse.ts';

/** What a compiled expression reads from outside its node. */
export interface CompiledEnvironment {
  readonly resource: unknown;
  readonly rootResource: unknown;
  readonly context: unknown;
  /** `%bundle`: the message Bundle, or undefined outside one. */
  readonly bundle: unknown;
  /** Bundle-local resolve() of one reference held by `holder` (see bundle-index.ts); undefined when it does not resolve. */
  resolveReference(reference: string, holder: unknown): unknown;
  readonly hooks: {
    conformsTo(resource: unknown, profile: string): boolean;
    readonly terminology: Terminology;
  };
}

/** Thrown by a compiled expression when this instance needs fhirpath.js's answer; carries no data. */
export const FALLBACK: unique symbol = Symbol('evaluate with fhirpath.js');

/** Returns the HL7 validator's verdict (see invariants.ts `passes`) for the expression at one node. */
export type CompiledExpression = (node: unknown, env: CompiledEnvironment) => boolean;

type Collection = unknown[];
/** A collection-valued expression, evaluated with one focus item (the node, or `$this` inside where/all). */
type Evaluate = (focus: unknown, env: CompiledEnvironment) => Collection;

interface Compiled {
  readonly type: StaticType;
  readonly evaluate: Evaluate;
  /** For a choice member (`value`): the parent and the keys, so a following step can type each value by its key. */
  readonly choice?: { readonly parent: Evaluate; readonly keys: readonly Key[] };
  /** Statically always empty (`entry.ofType(MessageHeader)`): criteria applied to it are never evaluated. */
  readonly empty?: true;
}

interface Key extends MemberKey {
  /** `_key`, precomputed: the primitive extension part fhirpath.js merges in. */
  readonly part: string;
}

const withParts = (keys: readonly MemberKey[]): Key[] => keys.map((k) => ({ ...k, part: `_${k.key}` }));

const EMPTY: Collection = [];
const TRUE: Collection = [true];
const FALSE: Collection = [false];
const bool = (value: boolean | undefined): Collection => (value === undefined ? EMPTY : value ? TRUE : FALSE);

/** Compiles `expression` for nodes of the base path `base` (as given to fhirpath.js); undefined if not in the subset. */
export function compileExpression(base: string | undefined, expression: string): CompiledExpression | undefined {
  let compiled: Compiled;
  try {
    compiled = new Compiler(typeOfBase(base)).node(parse(expression), undefined, true);
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
  const evaluate = compiled.evaluate;
  return (node, env) => {
    const result = evaluate(node, env);
    // HL7 truthiness: one boolean decides, any other non-empty result passes, empty fails.
    if (result.length === 1 && typeof result[0] === 'boolean') return result[0];
    return result.length > 0;
  };
}

/** Boolean view of a collection as fhirpath.js uses it in and/or/not/where/all; anything uncertain falls back. */
function truth(collection: Collection): boolean | undefined {
  if (collection.length === 0) return undefined;
  if (collection.length === 1 && typeof collection[0] === 'boolean') return collection[0];
  throw FALLBACK;
}

function singleton(collection: Collection): unknown {
  if (collection.length > 1) throw FALLBACK;
  return collection[0];
}

class Compiler {
  constructor(private readonly rootType: StaticType) {}

  /** `thisType`: the type of `$this` inside where/all (undefined at the top); `root`: the start of a path. */
  node(node: Node, thisType: StaticType | undefined, root = false): Compiled {
    const focusType = thisType ?? this.rootType;
    switch (node.kind) {
      case 'literal':
        return this.literal(node.value);
      case 'this':
        if (!thisType) throw new Unsupported('$this outside an iteration');
        return { type: thisType, evaluate: (focus) => [focus] };
      case 'variable':
        return this.variable(node.name);
      case 'identifier':
        if (/^[A-Z]/.test(node.name)) {
          // A leading type name filters the context (`Bundle.entry…` on a Bundle); only the matching case is compiled.
          if (!root || focusType.kind !== 'path' || focusType.path !== node.name) throw new Unsupported('type filter');
          return { type: focusType, evaluate: (focus) => [focus] };
        }
        return this.member({ type: focusType, evaluate: (focus) => [focus] }, node.name);
      case 'member':
        return this.member(this.node(node.target, thisType, root), node.name);
      case 'call':
        return this.call(node, thisType, root);
      case 'is': {
        const target = this.node(node.target, thisType, root);
        return this.isType(target, node.type);
      }
      case 'binary':
        return this.binary(node.op, this.node(node.left, thisType, root), this.node(node.right, thisType, root));
      case 'index': {
        const target = this.node(node.target, thisType, root);
        const from = target.evaluate;
        const index = node.index;
        return {
          type: target.type,
          evaluate: (f, env) => {
            const items = from(f, env);
            return index < items.length ? [items[index]] : EMPTY;
          },
        };
      }
    }
  }

  private literal(value: string | boolean | number): Compiled {
    const collection = [value];
    const type = typeof value === 'string' ? STRING : typeof value === 'boolean' ? BOOLEAN : INTEGER;
    return { type, evaluate: () => collection };
  }

  private variable(name: string): Compiled {
    switch (name) {
      case 'resource':
        return this.resourceVariable((env) => env.resource);
      case 'rootResource':
        return this.resourceVariable((env) => env.rootResource);
      case 'context':
        return { type: this.rootType, evaluate: (_, env) => [env.context] };
      case 'bundle':
        return {
          type: { kind: 'path', path: 'Bundle' },
          evaluate: (_, env) => {
            const bundle = env.bundle;
            if (bundle === undefined || bundle === null) return EMPTY;
            // fhirpath.js types the variable by its resourceType; only a Bundle is typed as this closure assumes.
            if ((bundle as { resourceType?: unknown }).resourceType !== 'Bundle') throw FALLBACK;
            return [bundle];
          },
        };
      default:
        throw new Unsupported(`variable %${name}`);
    }
  }

  /**
   * `%resource` on a resource-typed base is most often that resource itself (`%resource.entry` on a Bundle): it is
   * then typed statically as the base, which holds at run time only when its resourceType agrees (else fhirpath.js).
   */
  private resourceVariable(read: (env: CompiledEnvironment) => unknown): Compiled {
    const base = this.rootType;
    if (base.kind !== 'path' || !isLeafResourceType(base.path))
      return { type: RESOURCE, evaluate: (_, env) => [read(env)] };
    const name = base.path;
    return {
      type: base,
      evaluate: (_, env) => {
        const value = read(env);
        if ((value as { resourceType?: unknown } | null | undefined)?.resourceType !== name) throw FALLBACK;
        return [value];
      },
    };
  }

  private member(target: Compiled, name: string): Compiled {
    if (target.choice) return this.memberOfChoice(target.choice, name);
    if (target.type.kind === 'resource') return this.memberOfResource(target, name);
    const found = memberKeys(target.type, name);
    if (!found) throw new Unsupported(`member ${name}`);
    const keys = withParts(found);
    const from = target.evaluate;
    const type = unionType(keys);
    const evaluate: Evaluate = (focus, env) => readKeys(from(focus, env), keys);
    return keys.length > 1 ? { type, evaluate, choice: { parent: from, keys } } : { type, evaluate };
  }

  /**
   * `resolve().managingOrganization`: the type of a resource item is only known at run time, from its resourceType,
   * as fhirpath.js types it. The static type is the union over every resource type that has the member.
   */
  private memberOfResource(target: Compiled, name: string): Compiled {
    const byType = new Map<string, Key[] | undefined>();
    const reachable: Key[] = [];
    for (const [type, found] of resourceMemberKeys(name)) {
      const keys = found ? withParts(found) : undefined;
      byType.set(type, keys);
      if (keys) reachable.push(...keys);
    }
    if (reachable.length === 0) throw new Unsupported(`member ${name} of a resource`);
    const from = target.evaluate;
    const part = `_${name}`;
    return {
      type: unionType(reachable),
      evaluate: (focus, env) => {
        const out: Collection = [];
        for (const item of from(focus, env)) {
          if (item === null || typeof item !== 'object') continue;
          const record = item as Record<string, unknown>;
          const type = record.resourceType;
          const keys = typeof type === 'string' ? byType.get(type) : undefined;
          if (keys) appendKeys(out, item, keys);
          // An unknown resource type, or a stray key the model does not give that type: leave it to fhirpath.js.
          else if (
            typeof type !== 'string' ||
            !byType.has(type) ||
            record[name] !== undefined ||
            record[part] !== undefined
          )
            throw FALLBACK;
        }
        return out;
      },
    };
  }

  /** `value.start` after a choice: each value is typed by the key it was found under, in document order. */
  private memberOfChoice(choice: NonNullable<Compiled['choice']>, name: string): Compiled {
    const steps = choice.keys.map((alternative) => {
      const found = memberKeys(alternative.type, name);
      return { alternative, keys: found ? withParts(found) : undefined };
    });
    const reachable = steps.flatMap((s) => s.keys ?? []);
    if (reachable.length === 0) throw new Unsupported(`member ${name} of a choice`);
    const parent = choice.parent;
    return {
      type: unionType(reachable),
      evaluate: (focus, env) => {
        const out: Collection = [];
        for (const item of parent(focus, env)) {
          if (item === null || typeof item !== 'object') continue;
          const record = item as Record<string, unknown>;
          for (const step of steps) {
            const value = record[step.alternative.key];
            if (value === undefined) continue;
            if (step.keys) appendKeys(out, value, step.keys);
            // A type the model gives no such child: fhirpath.js would still read a stray JSON key; leave it that.
            else if (
              value !== null &&
              typeof value === 'object' &&
              (value as Record<string, unknown>)[name] !== undefined
            )
              throw FALLBACK;
          }
        }
        return out;
      },
    };
  }

  private call(node: Node & { kind: 'call' }, thisType: StaticType | undefined, root: boolean): Compiled {
    if (node.name === 'iif') return this.iif(node, thisType, root);
    if (node.name === 'resolve') return this.resolve(node, thisType, root);
    const focusType = thisType ?? this.rootType;
    const target: Compiled = node.target
      ? this.node(node.target, thisType, root)
      : { type: focusType, evaluate: (focus) => [focus] };
    const from = target.evaluate;
    const args = node.args;
    const arity = (n: number) => {
      if (args.length !== n) throw new Unsupported(`${node.name} with ${args.length} arguments`);
    };
    const literalArgument = (): string => {
      const arg = args[0];
      if (args.length !== 1 || arg?.kind !== 'literal' || typeof arg.value !== 'string')
        throw new Unsupported(`${node.name} without a string literal`);
      return arg.value;
    };
    switch (node.name) {
      case 'exists': {
        if (args.length === 0) return { type: BOOLEAN, evaluate: (f, env) => bool(from(f, env).length > 0) };
        const filtered = this.where(target, args[0]!);
        return { type: BOOLEAN, evaluate: (f, env) => bool(filtered.evaluate(f, env).length > 0) };
      }
      case 'empty':
        arity(0);
        return { type: BOOLEAN, evaluate: (f, env) => bool(from(f, env).length === 0) };
      case 'count':
        arity(0);
        return { type: INTEGER, evaluate: (f, env) => [from(f, env).length] };
      case 'first':
        arity(0);
        return {
          type: target.type,
          evaluate: (f, env) => {
            const items = from(f, env);
            return items.length === 0 ? EMPTY : [items[0]];
          },
        };
      case 'not':
        arity(0);
        return {
          type: BOOLEAN,
          evaluate: (f, env) => {
            const value = truth(from(f, env));
            return value === undefined ? EMPTY : bool(!value);
          },
        };
      case 'where':
        arity(1);
        return this.where(target, args[0]!);
      case 'all': {
        arity(1);
        if (target.empty) return { type: BOOLEAN, evaluate: () => TRUE };
        const criterion = this.criterion(target.type, args[0]!);
        return {
          type: BOOLEAN,
          evaluate: (f, env) => {
            let all = true;
            // No early exit: a later item that fhirpath.js would reject must still reach FALLBACK.
            for (const item of from(f, env)) if (truth(criterion(item, env)) !== true) all = false;
            return bool(all);
          },
        };
      }
      case 'ofType':
        return this.ofType(target, node);
      case 'is': {
        const arg = args[0];
        if (args.length !== 1 || arg?.kind !== 'identifier') throw new Unsupported('is() without a type name');
        return this.isType(target, arg.name);
      }
      case 'extension': {
        const url = literalArgument();
        if (target.type.kind !== 'path' || /^[a-z]/.test(target.type.path))
          throw new Unsupported('extension() on a primitive or untyped node');
        const found = memberKeys(target.type, 'extension');
        const keys = found ? withParts(found) : undefined;
        if (!keys) throw new Unsupported('extension() on a type without extensions');
        return {
          type: keys[0]!.type,
          evaluate: (f, env) => readKeys(from(f, env), keys).filter((e) => (e as { url?: unknown }).url === url),
        };
      }
      case 'hasValue':
        arity(0);
        if (!isPlainValueType(target.type)) throw new Unsupported('hasValue() on a non-plain type');
        return {
          type: BOOLEAN,
          evaluate: (f, env) => {
            const items = from(f, env);
            return bool(items.length === 1 && typeof items[0] !== 'object');
          },
        };
      case 'startsWith': {
        const prefix = literalArgument();
        if (!isPlainValueType(target.type)) throw new Unsupported('startsWith() on a non-plain type');
        return {
          type: BOOLEAN,
          evaluate: (f, env) => {
            const value = singleton(from(f, env));
            if (value === undefined) return EMPTY;
            // fhirpath.js converts other singletons to String or rejects them; leave those to it.
            if (typeof value !== 'string') throw FALLBACK;
            return bool(value.startsWith(prefix));
          },
        };
      }
      case 'conformsTo': {
        const profile = literalArgument();
        return {
          type: BOOLEAN,
          evaluate: (f, env) => {
            const items = from(f, env);
            return bool(items.length === 1 && env.hooks.conformsTo(items[0], profile));
          },
        };
      }
      case 'memberOf': {
        const valueSet = literalArgument();
        return {
          type: BOOLEAN,
          evaluate: (f, env) =>
            from(f, env).map((item) => {
              const verdict = membershipOf(item, valueSet, env.hooks.terminology);
              // fhirpath.js reports a value set that cannot be expanded as an evaluation error.
              if (verdict === 'unknown') throw FALLBACK;
              return verdict === 'member';
            }),
        };
      }
      default:
        throw new Unsupported(`function ${node.name}`);
    }
  }

  private where(target: Compiled, criterionNode: Node): Compiled {
    if (target.empty) return target;
    const from = target.evaluate;
    const criterion = this.criterion(target.type, criterionNode);
    return {
      type: target.type,
      evaluate: (f, env) => {
        const out: Collection = [];
        for (const item of from(f, env)) if (truth(criterion(item, env)) === true) out.push(item);
        return out;
      },
    };
  }

  /**
   * A criterion evaluated with each item as `$this`. On resources whose type is only known at run time it is
   * compiled once per resourceType met, so `$this.code` reads what that type's `code` is.
   */
  private criterion(thisType: StaticType, criterionNode: Node): Evaluate {
    if (thisType.kind !== 'resource') return this.node(criterionNode, thisType).evaluate;
    const byType = new Map<string, Evaluate | null>();
    return (item, env) => {
      const type = (item as { resourceType?: unknown } | null)?.resourceType;
      if (typeof type !== 'string') throw FALLBACK;
      let criterion = byType.get(type);
      if (criterion === undefined) {
        criterion = null;
        if (isLeafResourceType(type)) {
          try {
            criterion = this.node(criterionNode, { kind: 'path', path: type }).evaluate;
          } catch (error) {
            if (!(error instanceof Unsupported)) throw error;
          }
        }
        byType.set(type, criterion);
      }
      if (criterion === null) throw FALLBACK;
      return criterion(item, env);
    };
  }

  /**
   * `x.reference.resolve()`: fhirpath.js resolves each reference against the resource that holds it (the nearest
   * enclosing resource node: base URL of its entry, its `contained`). The closure keeps that holder by evaluating the
   * path in two parts: up to the nearest resource-valued step (or the focus), then the non-resource steps below it
   * per holder. A path whose holder cannot be told statically stays on fhirpath.js.
   */
  private resolve(node: Node & { kind: 'call' }, thisType: StaticType | undefined, root: boolean): Compiled {
    if (node.args.length !== 0) throw new Unsupported('resolve with arguments');
    const focusType = thisType ?? this.rootType;
    const steps: (Node & { kind: 'member' | 'call' | 'identifier' })[] = [];
    let current: Node | undefined = node.target;
    let holders: Compiled | undefined;
    while (current !== undefined) {
      const compiled = this.node(current, thisType, root);
      if (isResourceValued(compiled.type)) {
        holders = compiled;
        break;
      }
      if (mayBeResource(compiled.type)) throw new Unsupported('resolve() below an item that may be a resource');
      if (current.kind === 'member') {
        steps.unshift(current);
        current = current.target;
      } else if (
        current.kind === 'call' &&
        current.target !== undefined &&
        (current.name === 'extension' || current.name === 'where' || current.name === 'ofType')
      ) {
        steps.unshift(current);
        current = current.target;
      } else if (current.kind === 'identifier' && /^[a-z]/.test(current.name)) {
        steps.unshift(current);
        current = undefined;
      } else throw new Unsupported('resolve() on a path whose holder is not known statically');
    }
    if (steps.length === 0) throw new Unsupported('resolve() directly on the focus or a resource');
    // The steps again, now starting from `$this` = one holder (or the focus).
    let rebuilt: Node = { kind: 'this' };
    for (const step of steps) {
      rebuilt =
        step.kind === 'identifier'
          ? { kind: 'member', target: rebuilt, name: step.name }
          : { ...step, target: rebuilt };
    }
    const references = this.node(rebuilt, holders?.type ?? focusType).evaluate;
    const holderItems = holders?.evaluate;
    return {
      type: RESOURCE,
      evaluate: (f, env) => {
        const out: Collection = [];
        if (!holderItems) {
          // The focus node holds the references when it is a resource; otherwise fhirpath.js falls back to %resource.
          resolveAll(out, references(f, env), isResource(f) ? f : env.resource, env);
          return out;
        }
        for (const holder of holderItems(f, env)) {
          // An item typed as a resource but without resourceType is no holder for fhirpath.js: it looks further up.
          if (!isResource(holder)) throw FALLBACK;
          resolveAll(out, references(holder, env), holder, env);
        }
        return out;
      },
    };
  }

  /** `iif(criterion, then, else)`: only the chosen branch is evaluated, as in fhirpath.js (a macro). */
  private iif(node: Node & { kind: 'call' }, thisType: StaticType | undefined, root: boolean): Compiled {
    if (node.target !== undefined) throw new Unsupported('iif on a collection');
    if (node.args.length !== 2 && node.args.length !== 3) throw new Unsupported('iif arity');
    const [criterion, then, otherwise] = node.args.map((arg) => this.node(arg, thisType, root));
    const test = criterion!.evaluate;
    const whenTrue = then!.evaluate;
    const whenFalse = otherwise?.evaluate;
    const type =
      otherwise && !sameType(then!.type, otherwise.type)
        ? { kind: 'union' as const, types: [then!.type, otherwise.type] }
        : then!.type;
    return {
      type,
      evaluate: (f, env) => {
        const c = test(f, env);
        // fhirpath.js's isTrue: exactly one true; anything else (empty, false, several) takes the other branch.
        if (c.length === 1 && c[0] === true) return whenTrue(f, env);
        return whenFalse ? whenFalse(f, env) : EMPTY;
      },
    };
  }

  private ofType(target: Compiled, node: Node & { kind: 'call' }): Compiled {
    const arg = node.args[0];
    if (node.args.length !== 1 || arg?.kind !== 'identifier') throw new Unsupported('ofType() without a type name');
    const name = arg.name;
    if (target.choice) {
      // `event.ofType(Coding)`: the one key of that type; refused when another alternative derives from it.
      const keys = target.choice.keys.filter((k) => isSubtypeOf(k.type, name));
      if (keys.length !== 1 || keys[0]!.type.kind !== 'path' || keys[0]!.type.path !== name)
        throw new Unsupported(`ofType(${name}) on a choice`);
      const parent = target.choice.parent;
      return { type: keys[0]!.type, evaluate: (f, env) => readKeys(parent(f, env), keys) };
    }
    if (target.type.kind === 'path' && isLeafResourceType(name) && !isSubtypeOf(target.type, name)) {
      // A typed element that is no resource (`entry.ofType(MessageHeader)`) never is one: always empty.
      return { type: { kind: 'path', path: name }, evaluate: () => EMPTY, empty: true };
    }
    if (target.type.kind !== 'resource' || !isLeafResourceType(name)) throw new Unsupported(`ofType(${name})`);
    const from = target.evaluate;
    return {
      type: { kind: 'path', path: name },
      evaluate: (f, env) => from(f, env).filter((item) => (item as { resourceType?: unknown }).resourceType === name),
    };
  }

  private isType(target: Compiled, name: string): Compiled {
    if (target.type.kind !== 'resource' || !isLeafResourceType(name)) throw new Unsupported(`is(${name})`);
    const from = target.evaluate;
    return {
      type: BOOLEAN,
      evaluate: (f, env) => {
        const items = from(f, env);
        if (items.length === 0) return EMPTY;
        return bool((singleton(items) as { resourceType?: unknown }).resourceType === name);
      },
    };
  }

  private binary(op: string, left: Compiled, right: Compiled): Compiled {
    const l = left.evaluate;
    const r = right.evaluate;
    switch (op) {
      case 'and':
        return logic(l, r, (a, b) => (a === false || b === false ? false : a && b ? true : undefined));
      case 'or':
        return logic(l, r, (a, b) =>
          a === true || b === true ? true : a === false && b === false ? false : undefined,
        );
      case 'xor':
        return logic(l, r, (a, b) => (a === undefined || b === undefined ? undefined : a !== b));
      case 'implies':
        return logic(l, r, (a, b) => (a === false ? true : a === true ? b : b === true ? true : undefined));
      case '=':
      case '!=': {
        if (isResourceValued(left.type) && isResourceValued(right.type)) return resourceEquality(l, r, op === '!=');
        const plain = isPlainValueType(left.type) || isPlainValueType(right.type);
        if (!plain || !isComparableType(left.type) || !isComparableType(right.type))
          throw new Unsupported(`${op} on values fhirpath.js may convert`);
        const negate = op === '!=';
        return {
          type: BOOLEAN,
          evaluate: (f, env) => {
            const a = l(f, env);
            const b = r(f, env);
            if (a.length === 0 || b.length === 0) return EMPTY;
            let equal = a.length === b.length;
            for (let i = 0; equal && i < a.length; i++) {
              // Two objects would need fhirpath.js's deep equality.
              if (typeof a[i] === 'object' && typeof b[i] === 'object') throw FALLBACK;
              equal = a[i] === b[i];
            }
            return bool(equal !== negate);
          },
        };
      }
      case '<':
      case '>':
      case '<=':
      case '>=': {
        if (left.type !== INTEGER || right.type !== INTEGER) throw new Unsupported(`${op} on non-integers`);
        return {
          type: BOOLEAN,
          evaluate: (f, env) => {
            const a = singleton(l(f, env)) as number | undefined;
            const b = singleton(r(f, env)) as number | undefined;
            if (a === undefined || b === undefined) return EMPTY;
            return bool(op === '<' ? a < b : op === '>' ? a > b : op === '<=' ? a <= b : a >= b);
          },
        };
      }
      default:
        throw new Unsupported(`operator ${op}`);
    }
  }
}

function logic(
  l: Evaluate,
  r: Evaluate,
  combine: (a: boolean | undefined, b: boolean | undefined) => boolean | undefined,
): Compiled {
  return { type: BOOLEAN, evaluate: (f, env) => bool(combine(truth(l(f, env)), truth(r(f, env)))) };
}

/**
 * `=` between resources: fhirpath.js compares them deeply; the same resource object (resolve() of the same
 * reference) is equal to itself, and any other pair is left to fhirpath.js.
 */
function resourceEquality(l: Evaluate, r: Evaluate, negate: boolean): Compiled {
  return {
    type: BOOLEAN,
    evaluate: (f, env) => {
      const a = l(f, env);
      const b = r(f, env);
      if (a.length === 0 || b.length === 0) return EMPTY;
      if (a.length !== b.length) return bool(negate);
      for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) throw FALLBACK;
      return bool(!negate);
    },
  };
}

function isResource(item: unknown): boolean {
  return (
    item !== null && typeof item === 'object' && typeof (item as { resourceType?: unknown }).resourceType === 'string'
  );
}

/** Appends the target of every reference in `items` (a Reference or a reference string), in order. */
function resolveAll(out: Collection, items: Collection, holder: unknown, env: CompiledEnvironment): void {
  for (const item of items) {
    const reference =
      typeof item === 'string'
        ? item
        : item !== null && typeof item === 'object'
          ? (item as { reference?: unknown }).reference
          : undefined;
    if (typeof reference !== 'string') continue;
    const target = env.resolveReference(reference, holder);
    if (target !== undefined) out.push(target);
  }
}

/** Statically a resource: resolve() finds its holder in such an item. */
function isResourceValued(type: StaticType): boolean {
  return type.kind === 'resource' || (type.kind === 'path' && isResourceTypeName(type.path));
}

/** Whether an item of this type could be a resource at run time (so that it would hold references below it). */
function mayBeResource(type: StaticType): boolean {
  if (type.kind === 'union') return type.types.some(mayBeResource);
  return type.kind === 'unknown' || isResourceValued(type);
}

function sameType(a: StaticType, b: StaticType): boolean {
  if (a === b) return true;
  if (a.kind === 'path' && b.kind === 'path') return a.path === b.path;
  return a.kind === 'system' && b.kind === 'system' && a.name === b.name;
}

function unionType(keys: readonly MemberKey[]): StaticType {
  const first = keys[0]!.type;
  const same = keys.every(
    (k) => k.type === first || (k.type.kind === 'path' && first.kind === 'path' && k.type.path === first.path),
  );
  return same ? first : { kind: 'union', types: keys.map((k) => k.type) };
}

/** The values under `keys` of every object in `items`, arrays flattened, in document order. */
function readKeys(items: Collection, keys: readonly Key[]): Collection {
  const out: Collection = [];
  for (const item of items) {
    if (item === null || typeof item !== 'object') continue;
    appendKeys(out, item, keys);
  }
  return out;
}

function appendKeys(out: Collection, item: unknown, keys: readonly Key[]): void {
  if (item === null || typeof item !== 'object') return;
  const record = item as Record<string, unknown>;
  for (const { key, part } of keys) {
    // A primitive's `_key` part is merged into its values by fhirpath.js: leave such instances to it.
    if (record[part] !== undefined) throw FALLBACK;
    const value = record[key];
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      for (const v of value) {
        if (v === null) throw FALLBACK;
        out.push(v);
      }
    } else if (value === null) throw FALLBACK;
    else out.push(value);
  }
}
