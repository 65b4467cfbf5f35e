/**
 * TestScript variables, evaluated lazily — at the moment a `${name}` is used — against the current body of their
 * source, as Touchstone does: a variable on `create-message-STOR` reads whichever STOR the system under test sent
 * last. A variable whose source does not exist (yet) is unknown and stays literal in the text; one whose expression
 * finds nothing is the empty string (or its `defaultValue`). Of several values the first is used.
 */
import type { Source } from './exchange.ts';
import type { FhirPathEngine } from './fhirpath.ts';
import type { VariableDeclaration } from './model.ts';
import { evaluatePath } from './path.ts';
import type { PlaceholderSource } from './placeholders.ts';
import { substitute } from './substitution.ts';
import { stringForm } from './touchstone.ts';

export interface SourceLookup {
  /** The body registered under a fixture id, `requestId` or `responseId`. */
  source(id: string): Source | undefined;
  /** The response of the last operation, for variables without `sourceId`. */
  lastResponse(): Source | undefined;
}

export interface VariableValue {
  readonly value: string | undefined;
  /** Why the value is undefined, or a note on how it was found. */
  readonly note?: string;
}

export class VariableScope {
  private readonly declarations = new Map<string, VariableDeclaration>();
  private readonly evaluating = new Set<string>();

  constructor(
    declarations: readonly VariableDeclaration[],
    private readonly sources: SourceLookup,
    private readonly engine: FhirPathEngine,
    private readonly placeholders: PlaceholderSource,
  ) {
    // A script may declare a name twice (HN PF-send-imp-04 repeats messageHeaderid-STOR); the declarations are
    // identical there, and the last one wins as it would in a map keyed by name.
    for (const d of declarations) this.declarations.set(d.name, d);
  }

  has(name: string): boolean {
    return this.declarations.has(name);
  }

  /** A declared variable's current value, else a placeholder's, else undefined. */
  lookup(name: string): string | undefined {
    return this.declarations.has(name) ? this.evaluate(name).value : this.placeholders.value(name);
  }

  evaluate(name: string): VariableValue {
    const declaration = this.declarations.get(name);
    if (!declaration) return { value: undefined, note: `variable ${name} is not declared` };
    if (this.evaluating.has(name)) return { value: undefined, note: `variable ${name} refers to itself` };
    this.evaluating.add(name);
    try {
      return this.evaluateDeclared(declaration);
    } finally {
      this.evaluating.delete(name);
    }
  }

  private evaluateDeclared(d: VariableDeclaration): VariableValue {
    const source = d.sourceId ? this.sources.source(d.sourceId) : this.sources.lastResponse();
    if (!source) {
      return { value: undefined, note: d.sourceId ? `source ${d.sourceId} does not exist` : 'no response yet' };
    }
    let items: unknown[];
    if (d.headerField !== undefined) {
      const header = findHeader(source.headers, d.headerField);
      items = header === undefined ? [] : [header];
    } else if (d.path !== undefined) {
      items = evaluatePath(d.path, source.body);
    } else if (d.expression !== undefined) {
      const text = substitute(d.expression, (n) => this.lookup(n)).text;
      try {
        items = this.engine.evaluate(text, source.body);
      } catch (error) {
        return { value: undefined, note: error instanceof Error ? error.message : String(error) };
      }
    } else {
      return { value: d.defaultValue, note: 'no expression, headerField or path' };
    }
    if (items.length === 0) return { value: d.defaultValue ?? '', note: `nothing found in ${source.origin}` };
    return items.length > 1
      ? { value: stringForm(items[0]), note: `${items.length} values in ${source.origin}; the first is used` }
      : { value: stringForm(items[0]) };
  }
}

export function findHeader(headers: Readonly<Record<string, string>>, field: string): string | undefined {
  const wanted = field.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}
