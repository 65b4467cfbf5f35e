import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FhirJsonError } from '../../src/fhir/json-error.ts';
import type { FhirResource } from '../../src/fhir/packages/context.ts';
import {
  FHIR_NS,
  fhirJsonToXml,
  fhirXmlToJson,
  parseFhirXml,
  writeFhirXml,
  XHTML_NS,
} from '../../src/fhir/xml/fhir-xml.ts';
import { attr, childElements, firstChild, type XmlElement } from '../../src/xml/element.ts';
import { readXml, XmlError } from '../../src/xml/read.ts';
import { serializeXml } from '../../src/xml/write.ts';
import { ACK, CC, HN, MEDCOM, officialExamples, testStore } from '../support/shared.ts';
import { shapeIgnoringIndentation } from '../xml/support.ts';

const EHMI = join(MEDCOM, 'ehmi-sbdh', 'ehmiSBDH');
const R4_CORE = { id: 'hl7.fhir.r4.core', version: '4.0.1' } as const;

function clone<T>(value: T): T {
  return structuredClone(value);
}

function throwsXml(fn: () => unknown, check: (error: XmlError) => void): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof XmlError, `expected XmlError, got ${String(error)}`);
    check(error);
    return true;
  });
}

function throwsJson(fn: () => unknown, check: (error: FhirJsonError) => void): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof FhirJsonError, `expected FhirJsonError, got ${String(error)}`);
    check(error);
    return true;
  });
}

for (const ig of [HN, CC, ACK]) {
  describe(`FHIR XML round trip: official examples of ${ig.id}#${ig.version}`, () => {
    const context = testStore().context(ig);
    for (const { file, resource } of officialExamples(ig)) {
      it(`${file}: JSON → XML → JSON is identical`, () => {
        const bytes = writeFhirXml(resource, context, { label: file });
        const { root } = readXml(bytes, { label: file });
        assert.equal(root.name, resource.resourceType);
        assert.equal(root.ns, FHIR_NS);
        // Exact equality, narrative included: the XHTML is parsed into elements and serialised back, and for these
        // examples that reproduces the original markup character for character.
        assert.deepEqual(fhirXmlToJson(root, context, file), resource);
        // Indenting changes nothing in the content either (the narrative is written verbatim).
        assert.deepEqual(parseFhirXml(writeFhirXml(resource, context, { indent: '  ' }), file, context), resource);
      });
    }
  });
}

describe('FHIR XML from an independent producer: the eHMI SBDH payloads', () => {
  const context = testStore().context(HN);

  for (const file of ['ehmiMessage.xml', 'ehmiMessage_Ack.xml']) {
    const bytes = new Uint8Array(readFileSync(join(EHMI, file)));

    it(`${file}: parses into a Bundle that follows the JSON conventions`, () => {
      const { root } = readXml(bytes, { label: file });
      const bundle = parseFhirXml(bytes, file, context) as FhirResource & Record<string, unknown>;
      assert.equal(bundle.resourceType, 'Bundle');
      assert.equal(bundle.type, attr(firstChild(root, 'type')!, 'value'));
      assert.equal(typeof bundle.timestamp, 'string');
      assert.equal(bundle.timestamp, attr(firstChild(root, 'timestamp')!, 'value'));
      const entries = bundle.entry as { fullUrl: string; resource: Record<string, unknown> }[];
      assert.ok(Array.isArray(entries));
      const xmlEntries = childElements(root, 'entry', FHIR_NS);
      assert.equal(entries.length, xmlEntries.length);
      entries.forEach((entry, i) => {
        const xmlResource = childElements(firstChild(xmlEntries[i]!, 'resource')!)[0]!;
        assert.equal(entry.resource.resourceType, xmlResource.name);
        assert.equal(entry.fullUrl, attr(firstChild(xmlEntries[i]!, 'fullUrl')!, 'value'));
        assert.equal(entry.resource.id, attr(firstChild(xmlResource, 'id')!, 'value'));
        // meta.profile repeats in R4, so it is an array even with one value.
        const profile = (entry.resource.meta as { profile?: unknown })?.profile;
        if (profile !== undefined) assert.ok(Array.isArray(profile));
        const text = entry.resource.text as { div?: unknown } | undefined;
        if (text) assert.match(String(text.div), /^<div xmlns="http:\/\/www\.w3\.org\/1999\/xhtml">/);
      });
      const header = entries[0]!.resource;
      assert.equal(header.resourceType, 'MessageHeader');
      assert.ok(Array.isArray(header.destination));
      assert.equal(typeof (header.eventCoding as { code?: unknown }).code, 'string');
      // Extension.url is an attribute in XML and a plain property in JSON.
      const extension = (
        (header.destination as Record<string, unknown>[])[0]!.extension as Record<string, unknown>[]
      )[0]!;
      assert.equal(typeof extension.url, 'string');
    });

    it(`${file}: XML → JSON → XML reproduces the original document (element order and attributes)`, () => {
      const { root } = readXml(bytes, { label: file });
      const again = fhirJsonToXml(fhirXmlToJson(root, context, file), context);
      assert.deepEqual(shapeIgnoringIndentation(again), shapeIgnoringIndentation(root));
    });
  }
});

/** One example per resource type from the R4 examples package, plus every one using `_x` or `contained`. */
function r4Sample(): { file: string; resource: FhirResource }[] {
  const folder = testStore().cache.folder(R4_CORE);
  const types = new Set<string>();
  const sample: { file: string; resource: FhirResource }[] = [];
  for (const file of readdirSync(folder).sort()) {
    if (!file.endsWith('.json') || file.startsWith('.') || file === 'package.json') continue;
    const type = file.slice(0, file.indexOf('-'));
    const text = readFileSync(join(folder, file), 'utf8');
    if (types.has(type) && !/"_[a-zA-Z]|"contained"/.test(text)) continue;
    types.add(type);
    sample.push({ file, resource: JSON.parse(text) as FhirResource });
  }
  return sample;
}

/** The narrative in a canonical form: the same XHTML tree gives the same string however it was escaped. */
function canonicalNarrative(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalNarrative);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key,
      key === 'div' && typeof inner === 'string'
        ? serializeXml(readXml(inner, { label: 'div' }).root, { encoding: 'UTF-8', declaration: false })
        : canonicalNarrative(inner),
    ]),
  );
}

describe('FHIR XML round trip: R4 core examples, one per resource type plus every `_x`/contained one', () => {
  const context = testStore().context(HN);
  const sample = r4Sample();

  it('covers every resource type and the JSON features that need care', () => {
    assert.ok(sample.length > 140, `only ${sample.length} examples`);
    const all = JSON.stringify(sample.map((s) => s.resource));
    // contained resources, primitive extensions, choice types, JSON numbers and booleans, narratives
    for (const feature of [/"contained"/, /"_[a-z]/, /"value[A-Z][a-zA-Z]+"/, /":-?[0-9]/, /":(true|false)/, /"div"/]) {
      assert.match(all, feature);
    }
  });

  it('JSON → XML → JSON is identical up to how the narrative escapes its text', () => {
    const failures: string[] = [];
    for (const { file, resource } of sample) {
      const back = parseFhirXml(writeFhirXml(resource, context, { label: file }), file, context);
      try {
        assert.deepEqual(canonicalNarrative(back), canonicalNarrative(resource));
      } catch {
        failures.push(file);
      }
    }
    assert.deepEqual(failures, []);
  });
});

describe('FHIR XML conversion rules', () => {
  const context = testStore().context(CC);
  const patient = officialExamples(CC).find((e) => e.resource.resourceType === 'Patient')!.resource;

  it('primitives: value attribute, JSON type from the definition, id/extension into _name with aligned arrays', () => {
    const resource = clone(patient) as Record<string, unknown>;
    const name = (resource.name as Record<string, unknown>[])[0]!;
    const given = (name.given as string[] | undefined) ?? ['Bent'];
    name.given = [...given, 'Andersen'];
    name._given = [
      ...given.map(() => null),
      { id: 'g2', extension: [{ url: 'http://example.org/x', valueBoolean: true }] },
    ];
    resource.active = true;
    resource.multipleBirthInteger = 2;
    resource._birthDate = { extension: [{ url: 'http://example.org/y', valueString: 'ukendt' }] };
    delete resource.birthDate;

    const root = fhirJsonToXml(resource as FhirResource, context);
    const xmlName = firstChild(root, 'name')!;
    const givens = childElements(xmlName, 'given');
    const last = givens[givens.length - 1]!;
    assert.equal(attr(last, 'value'), 'Andersen');
    assert.equal(attr(last, 'id'), 'g2');
    assert.equal(attr(childElements(last, 'extension')[0]!, 'url'), 'http://example.org/x');
    assert.equal(attr(firstChild(childElements(last, 'extension')[0]!, 'valueBoolean')!, 'value'), 'true');
    assert.equal(attr(firstChild(root, 'active')!, 'value'), 'true');
    assert.equal(attr(firstChild(root, 'multipleBirthInteger')!, 'value'), '2');
    assert.equal(attr(firstChild(root, 'birthDate')!, 'value'), undefined);

    const back = fhirXmlToJson(root, context) as Record<string, unknown>;
    assert.deepEqual(back, resource);
    assert.equal(back.active, true);
    assert.equal(back.multipleBirthInteger, 2);
  });

  it('writes children in definition order whatever the JSON property order', () => {
    const reversed = Object.fromEntries(Object.entries(patient).reverse()) as FhirResource;
    const names = (e: XmlElement) => childElements(e).map((c) => c.name);
    const expected = names(fhirJsonToXml(patient, context));
    assert.deepEqual(names(fhirJsonToXml(reversed, context)), expected);
    // Resource.id, meta … come before DomainResource.text and the Patient elements, as in the R4 schema.
    const order = ['id', 'meta', 'text', 'extension', 'identifier', 'name', 'gender', 'birthDate', 'address'];
    const present = order.filter((n) => expected.includes(n));
    assert.deepEqual(
      expected.filter((n) => present.includes(n)).filter((n, i, all) => all.indexOf(n) === i),
      present,
    );
  });

  it('treats properties set to undefined (objects built in code) as absent', () => {
    const built = { ...clone(patient), gender: undefined, birthDate: undefined } as unknown as FhirResource;
    const { gender: _g, birthDate: _b, ...without } = patient as Record<string, unknown>;
    assert.deepEqual(fhirJsonToXml(built, context), fhirJsonToXml(without as FhirResource, context));
  });

  it('positiveInt and unsignedInt are JSON numbers (the R4 definitions call their value System.String)', () => {
    const xml = `<Bundle xmlns="${FHIR_NS}"><type value="searchset"/><total value="3"/></Bundle>`;
    const bundle = parseFhirXml(xml, 'search.xml', context) as Record<string, unknown>;
    assert.equal(bundle.total, 3);
    throwsXml(
      () => parseFhirXml(xml.replace('value="3"', 'value="-3"'), 'search.xml', context),
      (error) => assert.equal(error.xpath, '/Bundle/total/@value'),
    );
  });

  it('keeps contained resources and the narrative markup', () => {
    const resource = clone(patient) as Record<string, unknown>;
    resource.contained = [{ resourceType: 'Organization', id: 'org1', name: 'Æblegård' }];
    resource.text = { status: 'generated', div: `<div xmlns="${XHTML_NS}"><p>Hej <b>Bent</b> &amp; Co</p></div>` };
    const root = fhirJsonToXml(resource as FhirResource, context);
    const contained = childElements(firstChild(root, 'contained')!)[0]!;
    assert.equal(contained.name, 'Organization');
    const div = firstChild(firstChild(root, 'text')!, 'div', XHTML_NS)!;
    assert.equal(firstChild(firstChild(div, 'p')!, 'b')!.ns, XHTML_NS);
    const out = new TextDecoder().decode(writeFhirXml(resource as FhirResource, context, { indent: '  ' }));
    assert.ok(
      out.includes(`<div xmlns="${XHTML_NS}"><p>Hej <b>Bent</b> &amp; Co</p></div>`),
      'narrative not re-indented',
    );
    assert.deepEqual(parseFhirXml(out, 'out.xml', context), resource);
  });

  it('rejects unknown elements, naming the XPath and line', () => {
    const xml = `<Patient xmlns="${FHIR_NS}">\n  <id value="p"/>\n  <name><given value="A"/><nickname value="B"/></name>\n</Patient>`;
    throwsXml(
      () => parseFhirXml(xml, 'patient.xml', context),
      (error) => {
        assert.equal(error.label, 'patient.xml');
        assert.equal(error.xpath, '/Patient/name/nickname');
        assert.equal(error.line, 3);
        assert.match(error.message, /unknown element 'nickname' in HumanName; expected one of: .*given/);
      },
    );
  });

  it('rejects FHIR content in the wrong namespace, repeats of max-1 elements and bad booleans', () => {
    throwsXml(
      () => parseFhirXml('<Patient><id value="p"/></Patient>', 'p.xml', context),
      (error) => assert.match(error.message, /namespace/),
    );
    throwsXml(
      () =>
        parseFhirXml(
          `<Patient xmlns="${FHIR_NS}"><gender value="male"/><gender value="female"/></Patient>`,
          'p.xml',
          context,
        ),
      (error) => {
        assert.equal(error.xpath, '/Patient/gender[2]');
        assert.match(error.message, /at most one/);
      },
    );
    throwsXml(
      () => parseFhirXml(`<Patient xmlns="${FHIR_NS}"><active value="0101709995"/></Patient>`, 'p.xml', context),
      (error) => {
        assert.equal(error.xpath, '/Patient/active/@value');
        assert.match(error.message, /expected true or false/);
        assert.doesNotMatch(error.message, /0101709995/, 'values (possibly CPR numbers) stay out of messages');
      },
    );
    throwsXml(
      () =>
        parseFhirXml(
          `<Bundle xmlns="${FHIR_NS}"><entry><resource><Banana/></resource></entry></Bundle>`,
          'b.xml',
          context,
        ),
      (error) => assert.equal(error.xpath, '/Bundle/entry/resource/Banana'),
    );
  });

  it('rejects JSON the definitions do not allow, naming the FHIRPath', () => {
    const bundle = clone(officialExamples(CC).find((e) => e.resource.resourceType === 'Bundle')!.resource) as Record<
      string,
      unknown
    >;
    const entries = bundle.entry as Record<string, Record<string, unknown>>[];
    entries[1]!.resource!.nickname = 'x';
    throwsJson(
      () => fhirJsonToXml(bundle as FhirResource, context, 'cc.json'),
      (error) => {
        assert.equal(error.label, 'cc.json');
        assert.equal(error.expression, 'Bundle.entry[1].resource.nickname');
      },
    );
    delete entries[1]!.resource!.nickname;
    bundle.timestamp = 20240101;
    throwsJson(
      () => fhirJsonToXml(bundle as FhirResource, context),
      (error) => {
        assert.equal(error.expression, 'Bundle.timestamp');
        assert.match(error.message, /expected a JSON string for instant, got a number/);
        assert.doesNotMatch(error.message, /20240101/);
      },
    );
    bundle.timestamp = '2024-01-01T00:00:00Z';
    bundle.entry = entries[0];
    throwsJson(
      () => fhirJsonToXml(bundle as FhirResource, context),
      (error) => assert.equal(error.expression, 'Bundle.entry'),
    );
  });

  it('rejects a narrative that is not an XHTML div', () => {
    const resource = { ...clone(patient), text: { status: 'generated', div: '<p>hej</p>' } } as FhirResource;
    throwsJson(
      () => fhirJsonToXml(resource, context),
      (error) => assert.equal(error.expression, 'Patient.text.div'),
    );
    const broken = { ...clone(patient), text: { status: 'generated', div: `<div xmlns="${XHTML_NS}"><p>hej</div>` } };
    throwsJson(
      () => fhirJsonToXml(broken as FhirResource, context),
      (error) => assert.match(error.message, /not well-formed/),
    );
  });
});
