// Turns the path of an element that carries a constraint (`Identifier.value`, `Communication.identifier`,
// `Extension.value[x]:valueContactPoint.value`) into the base path fhirpath.js needs to type the node — without it
// `ofType()`, `is()` and choice elements such as `extension.value` do not work on a node evaluated on its own.
import r4 from 'fhirpath/fhir-context/r4';

export interface ElementContext {
  /** Base path for fhirpath.js (`Identifier`, `Reference.identifier`, `Bundle.entry`); undefined when untypable. */
  readonly base: string | undefined;
  /** Whether the element is a FHIR primitive; undefined when the path does not say (a choice without its type). */
  readonly primitive: boolean | undefined;
}

type PathType = string | { code?: string } | undefined;

const model = r4 as unknown as {
  path2Type: Record<string, PathType>;
  pathsDefinedElsewhere: Record<string, string>;
  availableTypes: Set<string>;
};

const DEFINED_ELSEWHERE = Object.keys(model.pathsDefinedElsewhere);

const UNTYPED: ElementContext = { base: undefined, primitive: undefined };

/** Accepts element paths and element ids (slice names after `:` are ignored, except a choice's type slice). */
export function elementContext(contextPath: string): ElementContext {
  const segments = contextPath.split('.');
  const root = segments[0]!.split(':')[0]!;
  if (!model.availableTypes.has(root)) return UNTYPED;
  let type = root;
  let base = root;
  for (const segment of segments.slice(1)) {
    const [name, slice] = segment.split(':') as [string, string | undefined];
    let property = name;
    if (name.endsWith('[x]')) {
      const stem = name.slice(0, -3);
      // `value[x]:valueContactPoint` names its type; a bare `value[x]` does not, so the node type is unknown here.
      if (!slice || !slice.startsWith(stem) || slice.length === stem.length) return UNTYPED;
      property = slice;
    }
    const key = definedAt(`${type}.${property}`);
    const found = model.path2Type[key];
    const code = typeof found === 'string' ? found : found?.code;
    if (!code) return UNTYPED;
    base = key;
    type = code === 'BackboneElement' || code === 'Element' ? key : code;
  }
  return { base, primitive: isPrimitiveType(type) };
}

/** FHIR primitives are spelled lower-case (`string`, `dateTime`); `Element.id`/`Extension.url` are System types. */
export function isPrimitiveType(type: string): boolean {
  return type.startsWith('System.') || /^[a-z]/.test(type);
}

// Recursive structures are modelled once (`Questionnaire.item.item` is `Questionnaire.item`).
function definedAt(path: string): string {
  let current = path;
  for (let guard = 0; guard < 16; guard++) {
    const prefix = DEFINED_ELSEWHERE.find((p) => current === p || current.startsWith(`${p}.`));
    if (!prefix) return current;
    current = model.pathsDefinedElsewhere[prefix] + current.slice(prefix.length);
  }
  return current;
}
