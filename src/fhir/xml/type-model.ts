// The shape of FHIR R4 types as the XML ⇄ JSON converter needs it, compiled from the base StructureDefinition
// snapshots of one PackageContext: per type, its elements in definition order with cardinality (array or not), type
// (primitive / complex / resource container / xhtml / inline backbone) and XML representation (attribute or element).
// Types are compiled on first use and kept in a FhirTypeModels instance, which belongs to exactly one context.
import type { FhirResource, PackageContext } from '../packages/context.ts';

/** How a primitive's value is written in JSON (R4 §2.6.2: booleans and numbers are JSON literals, the rest strings). */
export type JsonPrimitiveKind = 'string' | 'number' | 'boolean';

export type TypeRef =
  | { readonly kind: 'primitive'; readonly code: string; readonly json: JsonPrimitiveKind; readonly pattern?: RegExp }
  | { readonly kind: 'complex'; readonly code: string }
  /** An element holding a whole resource (`contained`, `Bundle.entry.resource`): `<resource><Patient>…` in XML. */
  | { readonly kind: 'resource'; readonly code: string }
  /** Narrative.div: XHTML markup in XML, the same markup as a string in JSON. */
  | { readonly kind: 'xhtml'; readonly code: 'xhtml' }
  /** A BackboneElement/Element defined inside the type (`Bundle.entry`) or referenced (`#Bundle.link`). */
  | { readonly kind: 'inline'; readonly code: string; readonly path: string };

export interface ElementModel {
  /** JSON property name; for a choice element the stem (`value` for `value[x]`). */
  readonly name: string;
  readonly path: string;
  readonly choice: boolean;
  /** One entry, or every allowed type of a choice element. */
  readonly types: readonly TypeRef[];
  readonly array: boolean;
  /** Written as an XML attribute (`Element.id`, `Extension.url`) rather than a child element. */
  readonly xmlAttribute: boolean;
}

export interface ComplexModel {
  /** Type name (`HumanName`, `Patient`) or, for inline backbones, the element path (`Bundle.entry`). */
  readonly name: string;
  readonly isResource: boolean;
  /** Elements in StructureDefinition order, which is the required XML order. */
  readonly elements: readonly ElementModel[];
  /** XML/JSON property name (`valueString` for a choice) → element and the type that name selects. */
  readonly byName: ReadonlyMap<string, { readonly element: ElementModel; readonly type: TypeRef }>;
}

interface SnapshotElement {
  path: string;
  max?: string;
  base?: { max?: string };
  type?: { code: string; extension?: { url: string; valueUrl?: string; valueString?: string }[] }[];
  representation?: string[];
  contentReference?: string;
}

const FHIR_TYPE_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type';
const REGEX_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/regex';
const SYSTEM_TYPE_PREFIX = 'http://hl7.org/fhirpath/System.';

export class FhirTypeModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FhirTypeModelError';
  }
}

export class FhirTypeModels {
  private readonly complexModels = new Map<string, ComplexModel>();
  private readonly primitives = new Map<string, TypeRef & { kind: 'primitive' }>();

  constructor(readonly context: PackageContext) {}

  /** The model of a complex datatype or resource by type name; undefined when the context does not define it. */
  complex(type: string): ComplexModel | undefined {
    const known = this.complexModels.get(type);
    if (known) return known;
    const sd = this.context.typeDefinition(type);
    if (!sd || (sd.kind !== 'complex-type' && sd.kind !== 'resource') || sd.derivation === 'constraint')
      return undefined;
    this.compile(sd);
    return this.complexModels.get(type);
  }

  /** The model of a concrete resource type, e.g. for `resourceType` in JSON or the element name in XML. */
  resource(type: string): ComplexModel | undefined {
    const model = this.complex(type);
    return model?.isResource && this.context.typeDefinition(type)?.abstract !== true ? model : undefined;
  }

  /** The model of an inline backbone element, by its path (`Bundle.entry`). */
  inline(path: string): ComplexModel {
    const root = path.split('.')[0]!;
    if (!this.complexModels.has(path)) this.complex(root);
    const model = this.complexModels.get(path);
    if (!model) throw new FhirTypeModelError(`no element definition for ${path}`);
    return model;
  }

  /** Compiles a type and all its inline backbones in one pass over the snapshot. */
  private compile(sd: FhirResource): void {
    const type = String(sd.type ?? sd.id);
    const elements = ((sd.snapshot as { element?: SnapshotElement[] } | undefined)?.element ?? []) as SnapshotElement[];
    const childrenOf = new Map<string, SnapshotElement[]>();
    for (const element of elements) {
      const dot = element.path.lastIndexOf('.');
      if (dot < 0) continue;
      const parent = element.path.slice(0, dot);
      let list = childrenOf.get(parent);
      if (!list) childrenOf.set(parent, (list = []));
      list.push(element);
    }
    for (const [path, children] of childrenOf) {
      const models = children.map((child) => this.element(child, childrenOf));
      const byName = new Map<string, { element: ElementModel; type: TypeRef }>();
      for (const element of models) {
        for (const t of element.types) byName.set(propertyName(element, t), { element, type: t });
      }
      this.complexModels.set(path, {
        name: path,
        isResource: path === type && sd.kind === 'resource',
        elements: models,
        byName,
      });
    }
    // A type whose snapshot lists no children still gets a (empty) model, so lookups do not recompile it.
    if (!this.complexModels.has(type)) {
      this.complexModels.set(type, { name: type, isResource: sd.kind === 'resource', elements: [], byName: new Map() });
    }
  }

  private element(e: SnapshotElement, childrenOf: ReadonlyMap<string, SnapshotElement[]>): ElementModel {
    const last = e.path.slice(e.path.lastIndexOf('.') + 1);
    const choice = last.endsWith('[x]');
    const max = e.base?.max ?? e.max ?? '1';
    let types: TypeRef[];
    if (e.contentReference) {
      types = [
        {
          kind: 'inline',
          code: 'BackboneElement',
          path: e.contentReference.slice(e.contentReference.indexOf('#') + 1),
        },
      ];
    } else if (childrenOf.has(e.path)) {
      types = [{ kind: 'inline', code: e.type?.[0]?.code ?? 'BackboneElement', path: e.path }];
    } else {
      types = (e.type ?? []).map((t) => this.typeRef(t, e.path));
      if (types.length === 0) throw new FhirTypeModelError(`${e.path} has no type in its StructureDefinition`);
    }
    return {
      name: choice ? last.slice(0, -3) : last,
      path: e.path,
      choice,
      types,
      // Arrays follow the base definition's max: a profile can restrict to 1, the JSON/XML shape does not change.
      array: max !== '1' && max !== '0',
      xmlAttribute: e.representation?.includes('xmlAttr') ?? false,
    };
  }

  private typeRef(t: NonNullable<SnapshotElement['type']>[number], path: string): TypeRef {
    if (t.code === 'xhtml') return { kind: 'xhtml', code: 'xhtml' };
    if (t.code.startsWith(SYSTEM_TYPE_PREFIX)) {
      // FHIRPath system types mark `id`, `url` and primitive values; the extension names the FHIR type to use.
      const fhirType = t.extension?.find((x) => x.url === FHIR_TYPE_EXTENSION)?.valueUrl;
      const code = fhirType ? fhirType.slice(fhirType.lastIndexOf('/') + 1) : 'string';
      return this.primitive(code, path);
    }
    const sd = this.context.typeDefinition(t.code);
    if (!sd) throw new FhirTypeModelError(`${path}: type ${t.code} is not defined in the package context`);
    if (sd.kind === 'primitive-type') return this.primitive(t.code, path);
    if (sd.kind === 'resource') return { kind: 'resource', code: t.code };
    return { kind: 'complex', code: t.code };
  }

  private primitive(code: string, path: string): TypeRef & { kind: 'primitive' } {
    const known = this.primitives.get(code);
    if (known) return known;
    const sd = this.context.typeDefinition(code);
    if (!sd || sd.kind !== 'primitive-type') throw new FhirTypeModelError(`${path}: ${code} is not a primitive type`);
    const value = valueElement(sd);
    const json = this.jsonKind(sd, path);
    const regex = value?.type?.[0]?.extension?.find((x) => x.url === REGEX_EXTENSION)?.valueString;
    // Only number and boolean lexical forms are checked here (they decide the JSON value); the rest is validation.
    const ref: TypeRef & { kind: 'primitive' } =
      json !== 'string' && regex
        ? { kind: 'primitive', code, json, pattern: new RegExp(`^(?:${regex})$`) }
        : { kind: 'primitive', code, json };
    this.primitives.set(code, ref);
    return ref;
  }

  /**
   * The JSON form follows the primitive this type specialises down from Element: positiveInt and unsignedInt are
   * JSON numbers because they derive from integer. Their own `value` elements cannot be used — the R4 4.0.1
   * definitions declare them as System.String (a known error in the published StructureDefinitions).
   */
  private jsonKind(sd: FhirResource, path: string): JsonPrimitiveKind {
    let root = sd;
    for (let hops = 0; hops < 10; hops++) {
      const base = String(root.baseDefinition ?? '');
      if (!base || base.endsWith('/Element')) break;
      const parent = this.context.resolve(base);
      if (!parent)
        throw new FhirTypeModelError(`${path}: base ${base} of ${String(root.type)} is not in the package context`);
      root = parent;
    }
    const system = valueElement(root)?.type?.[0]?.code ?? '';
    if (system === `${SYSTEM_TYPE_PREFIX}Boolean`) return 'boolean';
    if (system === `${SYSTEM_TYPE_PREFIX}Integer` || system === `${SYSTEM_TYPE_PREFIX}Decimal`) return 'number';
    return 'string';
  }
}

/** The JSON property and XML element name of an element for one of its types: `valueString` for `value[x]`. */
export function propertyName(element: ElementModel, type: TypeRef): string {
  return element.choice ? element.name + type.code[0]!.toUpperCase() + type.code.slice(1) : element.name;
}

function valueElement(sd: FhirResource): SnapshotElement | undefined {
  const elements = (sd.snapshot as { element?: SnapshotElement[] } | undefined)?.element ?? [];
  return elements.find((e) => e.path === `${String(sd.type)}.value`);
}

// The compiled models belong to their context; a WeakMap keyed by the context ties their lifetime to it without
// widening PackageContext, and two contexts (HN 3.0.2 and CC 5.0.2) never share an entry.
const modelsByContext = new WeakMap<PackageContext, FhirTypeModels>();

/** The type models of a context, compiled once per context on first use. */
export function typeModelsFor(context: PackageContext): FhirTypeModels {
  let models = modelsByContext.get(context);
  if (!models) modelsByContext.set(context, (models = new FhirTypeModels(context)));
  return models;
}
