// FHIR XML → FHIR JSON (R4 §2.6), driven by the base StructureDefinitions: primitive `value` attributes become JSON
// strings, numbers or booleans by type; `id`/`extension` on primitives go to `_name`; repeating elements become arrays
// from the element's max cardinality (not from how many happen to be present); resource containers unwrap; the xhtml
// narrative becomes its markup string. Anything the definitions do not know is an error naming its XPath.
import { isElement, XSI_NS, xpathStep, type XmlElement } from '../../xml/element.ts';
import { serializeXml } from '../../xml/write.ts';
import { XmlError } from '../../xml/xml-error.ts';
import type { FhirResource, PackageContext } from '../packages/context.ts';
import { FHIR_NS, XHTML_NS } from './namespaces.ts';
import {
  propertyName,
  typeModelsFor,
  type ComplexModel,
  type ElementModel,
  type FhirTypeModels,
  type TypeRef,
} from './type-model.ts';

type Json = Record<string, unknown>;

/** Where an element sits, kept as a chain; the XPath text (with sibling positions) is only built for an error. */
interface Location {
  readonly up?: Location;
  readonly node: XmlElement;
  readonly parent?: XmlElement;
}

function xpathAt(location: Location, attribute?: string): string {
  const steps: string[] = [];
  for (let at: Location | undefined = location; at; at = at.up) steps.push(xpathStep(at.node, at.parent));
  return '/' + steps.reverse().join('/') + (attribute ? `/@${attribute}` : '');
}

/** Converts a FHIR XML resource element (e.g. the root of a parsed document) into FHIR JSON. */
export function fhirXmlToJson(root: XmlElement, context: PackageContext, label = 'FHIR XML'): FhirResource {
  return new XmlToJson(typeModelsFor(context), label).resource({ node: root });
}

class XmlToJson {
  constructor(
    private readonly models: FhirTypeModels,
    private readonly label: string,
  ) {}

  private fail(at: Location, problem: string, attribute?: string): never {
    throw new XmlError(this.label, xpathAt(at, attribute), problem, at.node.line || undefined);
  }

  resource(at: Location): FhirResource {
    const e = at.node;
    if (e.ns !== FHIR_NS)
      this.fail(at, `expected a FHIR resource in namespace ${FHIR_NS}, found '${e.name}' in '${e.ns}'`);
    const model = this.models.resource(e.name);
    if (!model) this.fail(at, `'${e.name}' is not a FHIR R4 resource type`);
    return { resourceType: e.name, ...this.complex(at, model) } as FhirResource;
  }

  /** The JSON object for an element of a complex type, backbone or resource. */
  private complex(at: Location, model: ComplexModel): Json {
    const e = at.node;
    const values = new Map<ElementModel, { type: TypeRef; items: Location[] }>();
    for (const key of e.attributes.keys()) {
      const attribute = model.byName.get(key);
      if (attribute?.element.xmlAttribute) {
        values.set(attribute.element, { type: attribute.type, items: [] });
        continue;
      }
      // xsi:schemaLocation and friends are processing hints for XML tools, not content.
      if (key.startsWith(`{${XSI_NS}}`)) continue;
      this.fail(at, `unexpected attribute '${key}' on ${model.name}`, key);
    }
    for (const child of e.children) {
      if (!isElement(child)) {
        if (/\S/.test(child.text))
          this.fail(at, `unexpected text content in ${model.name}; FHIR XML carries values in value attributes`);
        continue;
      }
      const childAt: Location = { up: at, node: child, parent: e };
      const entry = model.byName.get(child.name);
      if (!entry || entry.element.xmlAttribute) {
        this.fail(
          childAt,
          `unknown element '${child.name}' in ${model.name}; expected one of: ${this.expected(model)}`,
        );
      }
      const expectedNs = entry.type.kind === 'xhtml' ? XHTML_NS : FHIR_NS;
      if (child.ns !== expectedNs)
        this.fail(childAt, `'${child.name}' must be in namespace ${expectedNs}, not '${child.ns}'`);
      let slot = values.get(entry.element);
      if (!slot) values.set(entry.element, (slot = { type: entry.type, items: [] }));
      else if (slot.type !== entry.type) {
        this.fail(
          childAt,
          `${entry.element.path} is a choice of one type; found both ${slot.type.code} and ${entry.type.code}`,
        );
      }
      if (!entry.element.array && slot.items.length > 0) {
        this.fail(childAt, `${entry.element.path} allows at most one '${child.name}'`);
      }
      slot.items.push(childAt);
    }

    // Output in definition order, `_name` right after `name`, so the JSON reads like the spec's examples.
    const out: Json = {};
    for (const element of model.elements) {
      const slot = values.get(element);
      if (!slot) continue;
      const jsonName = propertyName(element, slot.type);
      if (element.xmlAttribute) {
        out[jsonName] = this.attributeValue(at, element, slot.type);
      } else if (slot.type.kind === 'primitive') {
        this.primitives(out, jsonName, element.array, slot.type, slot.items);
      } else {
        const converted = slot.items.map((item) => this.value(item, slot.type));
        out[jsonName] = element.array ? converted : converted[0];
      }
    }
    return out;
  }

  private attributeValue(at: Location, element: ElementModel, type: TypeRef): unknown {
    const raw = at.node.attributes.get(element.name)!;
    return type.kind === 'primitive' ? this.lexical(raw, type, at, element.name) : raw;
  }

  private value(at: Location, type: TypeRef): unknown {
    const node = at.node;
    switch (type.kind) {
      case 'complex': {
        const model = this.models.complex(type.code);
        if (!model) this.fail(at, `type ${type.code} is not defined in the package context`);
        return this.complex(at, model);
      }
      case 'inline':
        return this.complex(at, this.models.inline(type.path));
      case 'resource': {
        const inner = node.children.filter(isElement);
        if (inner.length !== 1 || node.children.some((c) => !isElement(c) && /\S/.test(c.text))) {
          this.fail(at, `'${node.name}' must contain exactly one resource element, found ${inner.length}`);
        }
        if (node.attributes.size > 0) this.fail(at, `'${node.name}' (a resource container) takes no attributes`);
        return this.resource({ up: at, node: inner[0]!, parent: node });
      }
      case 'xhtml':
        // The narrative keeps its markup: JSON carries the same XHTML, serialised with its own namespace declaration.
        return serializeXml(node, { encoding: 'UTF-8', declaration: false });
      case 'primitive':
        throw new Error('primitives are converted by primitives()');
    }
  }

  /** Writes `name` and `_name` for one primitive element or a repeating one (arrays aligned with nulls, R4 §2.6.2). */
  private primitives(
    out: Json,
    name: string,
    array: boolean,
    type: TypeRef & { kind: 'primitive' },
    items: Location[],
  ): void {
    const values: unknown[] = [];
    const extras: (Json | null)[] = [];
    for (const at of items) {
      const node = at.node;
      const extra: Json = {};
      let hasValue = false;
      for (const [key, raw] of node.attributes) {
        if (key === 'value') {
          values.push(this.lexical(raw, type, at, 'value'));
          hasValue = true;
        } else if (key === 'id') extra.id = raw;
        else if (!key.startsWith(`{${XSI_NS}}`)) this.fail(at, `unexpected attribute '${key}' on a ${type.code}`, key);
      }
      const extensions = this.primitiveChildren(at);
      if (extensions.length > 0) extra.extension = extensions;
      if (!hasValue) {
        if (extensions.length === 0) this.fail(at, `a ${type.code} needs a value attribute or an extension (ele-1)`);
        values.push(null);
      }
      extras.push(Object.keys(extra).length > 0 ? extra : null);
    }
    const anyExtra = extras.some((x) => x !== null);
    if (array) {
      if (values.some((v) => v !== null)) out[name] = values;
      if (anyExtra) out[`_${name}`] = extras;
    } else {
      if (values[0] !== null) out[name] = values[0];
      if (anyExtra) out[`_${name}`] = extras[0];
    }
  }

  private primitiveChildren(at: Location): Json[] {
    const node = at.node;
    const extension = this.models.complex('Extension')!;
    const out: Json[] = [];
    for (const child of node.children) {
      if (!isElement(child)) {
        if (/\S/.test(child.text)) this.fail(at, `a primitive carries its value in @value, not as text`);
        continue;
      }
      const childAt: Location = { up: at, node: child, parent: node };
      if (child.name !== 'extension' || child.ns !== FHIR_NS) {
        this.fail(childAt, `unknown element '${child.name}' in a primitive; only 'extension' is allowed`);
      }
      out.push(this.complex(childAt, extension));
    }
    return out;
  }

  // Messages name the location and the expected type, never the value: it may be a CPR number, and errors get logged.
  private lexical(raw: string, type: TypeRef & { kind: 'primitive' }, at: Location, attribute: string): unknown {
    if (type.json === 'string') return raw;
    if (type.json === 'boolean') {
      if (raw === 'true' || raw === 'false') return raw === 'true';
      this.fail(at, `not a ${type.code}; expected true or false`, attribute);
    }
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n) || (type.pattern && !type.pattern.test(raw))) {
      this.fail(at, `not a valid ${type.code}`, attribute);
    }
    return n;
  }

  private expected(model: ComplexModel): string {
    return model.elements
      .filter((e) => !e.xmlAttribute)
      .map((e) => (e.choice ? `${e.name}[x]` : e.name))
      .join(', ');
  }
}
