// FHIR JSON → FHIR XML (R4 §2.6 / §2.4), driven by the base StructureDefinitions: children are written in definition
// order (the order the FHIR schemas require, whatever the JSON property order), primitives as `value` attributes with
// `_name` merged back in, `id`/`url` as attributes, resources wrapped in their container element, and the narrative
// string parsed back into XHTML elements — never pasted in as text.
import { el, type XmlElement, type XmlNode } from '../../xml/element.ts';
import { readXml } from '../../xml/read.ts';
import { XmlError } from '../../xml/xml-error.ts';
import { FhirJsonError } from '../json-error.ts';
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

/** A FHIRPath location, built as a chain and only turned into text when an error needs it. */
interface Location {
  readonly up?: Location;
  readonly step: string;
  readonly index?: number;
}

function fhirPath(location: Location): string {
  const steps: string[] = [];
  for (let at: Location | undefined = location; at; at = at.up) {
    steps.push(at.index === undefined ? at.step : `${at.step}[${at.index}]`);
  }
  return steps.reverse().join('.');
}

/** Converts a FHIR JSON resource into its FHIR XML element (`<Bundle xmlns="http://hl7.org/fhir">…`). */
export function fhirJsonToXml(resource: FhirResource, context: PackageContext, label = 'FHIR JSON'): XmlElement {
  return new JsonToXml(typeModelsFor(context), label).resource(resource, undefined);
}

// Errors describe values by kind only: a misplaced value may be a CPR number, and error messages end up in logs.
function jsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class JsonToXml {
  constructor(
    private readonly models: FhirTypeModels,
    private readonly label: string,
  ) {}

  private fail(location: Location | undefined, problem: string): never {
    throw new FhirJsonError(this.label, location ? fhirPath(location) : '', problem);
  }

  resource(json: unknown, container: Location | undefined): XmlElement {
    if (!isObject(json)) this.fail(container, 'expected a resource (a JSON object with resourceType)');
    const type = json.resourceType;
    if (typeof type !== 'string') this.fail(container, 'resource without a resourceType');
    const model = this.models.resource(type);
    if (!model) this.fail(container, `'${type}' is not a FHIR R4 resource type`);
    // Inside a container the FHIRPath continues (`Bundle.entry[0].resource.id`); at the top it starts with the type.
    const location = container ?? { step: type };
    const { attributes, children } = this.content(json, model, location, true);
    return el(type, FHIR_NS, attributes, children);
  }

  /** Attributes and child elements for a JSON object of a complex type, backbone or resource. */
  private content(
    json: Json,
    model: ComplexModel,
    location: Location,
    isResource: boolean,
  ): { attributes: Map<string, string>; children: XmlNode[] } {
    const attributes = new Map<string, string>();
    const children: XmlNode[] = [];
    let consumed = isResource ? 1 : 0; // resourceType, checked by resource()

    for (const element of model.elements) {
      const match = this.propertyOf(json, element, location);
      if (!match) continue;
      const { key, type } = match;
      const value = json[key];
      const extra = json[`_${key}`];
      consumed += (value !== undefined ? 1 : 0) + (extra !== undefined ? 1 : 0);
      const at: Location = { up: location, step: key };

      if (element.xmlAttribute) {
        if (extra !== undefined)
          this.fail(
            { up: location, step: `_${key}` },
            `'${key}' is written as an XML attribute and cannot carry extensions`,
          );
        attributes.set(key, this.lexical(value, type, at));
      } else if (type.kind === 'primitive') {
        this.primitives(children, key, element, type, value, extra, at);
      } else {
        if (extra !== undefined)
          this.fail({ up: location, step: `_${key}` }, `only primitive elements have a '_${key}'`);
        for (const [item, itemAt] of this.items(value, element, at))
          children.push(this.complexChild(key, type, item, itemAt));
      }
    }

    // Counting is enough on the success path; the offending property is only searched for when the counts differ.
    // Properties set to `undefined` (objects built in code) count as absent, as they would after JSON.stringify.
    let present = 0;
    for (const key in json) if (json[key] !== undefined) present++;
    if (consumed !== present) {
      for (const key of Object.keys(json)) {
        if (json[key] === undefined || (key === 'resourceType' && isResource)) continue;
        const base = key.startsWith('_') ? key.slice(1) : key;
        const known = model.byName.get(base);
        if (!known || !this.propertyOf(json, known.element, location)) {
          this.fail({ up: location, step: key }, `unknown property '${key}' in ${model.name}`);
        }
      }
    }
    return { attributes, children };
  }

  /** Which JSON property (and, for a choice, which type) holds an element; errors on two choices at once. */
  private propertyOf(
    json: Json,
    element: ElementModel,
    location: Location,
  ): { key: string; type: TypeRef } | undefined {
    if (!element.choice) {
      return json[element.name] !== undefined || json[`_${element.name}`] !== undefined
        ? { key: element.name, type: element.types[0]! }
        : undefined;
    }
    let found: { key: string; type: TypeRef } | undefined;
    for (const type of element.types) {
      const key = propertyName(element, type);
      if (json[key] === undefined && json[`_${key}`] === undefined) continue;
      if (found) this.fail({ up: location, step: key }, `${element.name}[x] has both '${found.key}' and '${key}'`);
      found = { key, type };
    }
    return found;
  }

  private items(value: unknown, element: ElementModel, at: Location): [unknown, Location][] {
    if (element.array) {
      if (!Array.isArray(value)) this.fail(at, `expected an array (${element.path} repeats)`);
      return value.map((item, index) => [item, { up: at.up, step: at.step, index }]);
    }
    if (Array.isArray(value)) this.fail(at, `expected a single value, not an array (${element.path} has max 1)`);
    return [[value, at]];
  }

  private complexChild(name: string, type: TypeRef, item: unknown, at: Location): XmlElement {
    switch (type.kind) {
      case 'resource':
        return el(name, FHIR_NS, undefined, [this.resource(item, at)]);
      case 'xhtml':
        return this.narrative(name, item, at);
      case 'complex':
      case 'inline': {
        if (!isObject(item)) this.fail(at, `expected an object of type ${type.code}`);
        const model = type.kind === 'inline' ? this.models.inline(type.path) : this.models.complex(type.code);
        if (!model) this.fail(at, `type ${type.code} is not defined in the package context`);
        const { attributes, children } = this.content(item, model, at, false);
        return el(name, FHIR_NS, attributes, children);
      }
      case 'primitive':
        throw new Error('primitives are written by primitives()');
    }
  }

  private narrative(name: string, item: unknown, at: Location): XmlElement {
    if (typeof item !== 'string') this.fail(at, 'expected the narrative as an XHTML string');
    let root: XmlElement;
    try {
      ({ root } = readXml(item, { label: `${this.label} ${fhirPath(at)}` }));
    } catch (error) {
      if (error instanceof XmlError) this.fail(at, `the narrative is not well-formed XHTML: ${error.message}`);
      throw error;
    }
    if (root.name !== name || root.ns !== XHTML_NS) this.fail(at, `the narrative must be a <div xmlns="${XHTML_NS}">`);
    return root;
  }

  /** Elements for one primitive or a repeating one, merging `name` and `_name` (arrays aligned, nulls allowed). */
  private primitives(
    out: XmlNode[],
    key: string,
    element: ElementModel,
    type: TypeRef,
    value: unknown,
    extra: unknown,
    at: Location,
  ): void {
    const values = value === undefined ? [] : this.items(value, element, at);
    const extras = extra === undefined ? [] : this.items(extra, element, { up: at.up, step: `_${key}` });
    const count = Math.max(values.length, extras.length);
    if (value !== undefined && extra !== undefined && values.length !== extras.length) {
      this.fail(at, `'${key}' has ${values.length} values but '_${key}' has ${extras.length}`);
    }
    for (let i = 0; i < count; i++) {
      const [v, vAt] = values[i] ?? [null, at];
      const [x, xAt] = extras[i] ?? [null, at];
      const attributes = new Map<string, string>();
      const children: XmlNode[] = [];
      if (x !== null && x !== undefined) {
        if (!isObject(x)) this.fail(xAt, `expected an object with id and/or extension`);
        for (const [k, inner] of Object.entries(x)) {
          if (k === 'id') {
            if (typeof inner !== 'string') this.fail({ up: xAt, step: 'id' }, 'expected a string');
            attributes.set('id', inner);
          } else if (k === 'extension') {
            const extension = this.models.complex('Extension')!;
            if (!Array.isArray(inner)) this.fail({ up: xAt, step: 'extension' }, 'expected an array');
            inner.forEach((item, index) => {
              const itemAt = { up: xAt, step: 'extension', index };
              if (!isObject(item)) this.fail(itemAt, 'expected an Extension object');
              const { attributes: a, children: c } = this.content(item, extension, itemAt, false);
              children.push(el('extension', FHIR_NS, a, c));
            });
          } else
            this.fail(
              { up: xAt, step: k },
              `unknown property '${k}'; a primitive's '_${key}' holds only id and extension`,
            );
        }
      }
      if (v !== null && v !== undefined) attributes.set('value', this.lexical(v, type, vAt));
      if (!attributes.has('value') && children.length === 0) {
        this.fail(vAt, `'${key}' has neither a value nor extensions (ele-1)`);
      }
      out.push(el(key, FHIR_NS, attributes, children));
    }
  }

  private lexical(value: unknown, type: TypeRef, at: Location): string {
    const expected = type.kind === 'primitive' ? type.json : 'string';
    if (typeof value !== expected)
      this.fail(at, `expected a JSON ${expected} for ${type.code}, got ${jsonKind(value)}`);
    // JSON numbers keep their shortest round-trip form; FHIR decimals accept exponents, so String() is lossless here.
    return String(value);
  }
}
