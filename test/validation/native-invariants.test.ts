// The natively implemented invariants must give the verdict the FHIRPath engine gives on the same expression — the
// one that actually runs (constraint-checks.ts: the published text, or the HL7 validator's correction of ref-1, bdl-8
// and dom-6) — at every node of every official example, and on breaks made to fail each of them. Documented
// exceptions, where the engine cannot answer and the native check does:
// - fhirpath.js refuses `as()` on a collection, which dom-3 uses (`%resource.descendants().as(canonical)`), so the
//   engine errors wherever a resource has contained resources;
// - the engine errors on ele-1's `hasValue()` at a JSON number (Bundle.total).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FhirResource } from '../../src/fhir/packages/context.ts';
import type { PackageRef } from '../../src/fhir/packages/package-ref.ts';
import { constraintChecks } from '../../src/validation/constraint-checks.ts';
import { InvariantCompiler, type InvariantHooks } from '../../src/validation/invariants.ts';
import { NATIVE_INVARIANT_KEYS, nativeInvariant } from '../../src/validation/native-invariants.ts';
import { ACK, CC, HN, testStore } from '../support/shared.ts';
import type { Json } from './support/breaks.ts';
import { constraintSites } from './support/constraint-sites.ts';
import { terminologyFor } from './support/hooks.ts';
import { igExamples } from './support/ig-examples.ts';

const compiler = new InvariantCompiler();

interface Comparison {
  key: string;
  location: string;
  native: boolean;
  fhirpath: boolean | 'error';
  /** One of the documented exceptions above (the engine could not answer). */
  exception: boolean;
}

/** Both verdicts for every natively implemented check that applies somewhere in the resource. */
function compare(resource: FhirResource, ig: PackageRef): Comparison[] {
  const context = testStore().context(ig);
  const hooks: InvariantHooks = {
    bundle: resource.resourceType === 'Bundle' ? resource : undefined,
    conformsTo: () => true,
    terminology: terminologyFor(ig),
  };
  const out: Comparison[] = [];
  for (const site of constraintSites(resource, context)) {
    for (const check of constraintChecks(compiler, site.constraint, site.contextPath, '')) {
      const native = nativeInvariant(check.invariant);
      if (!native) continue;
      const fhirpath = check.invariant.evaluate(site.node, site.resource, site.rootResource, hooks);
      const key = check.rule;
      const exception =
        (key === 'dom-3' && fhirpath.ok === 'error' && /singleton on left side of 'as'/.test(fhirpath.message)) ||
        (key === 'ele-1' && fhirpath.ok === 'error' && typeof site.node === 'number');
      if (!exception) assert.notEqual(fhirpath.ok, 'error', `${key} at ${site.location}: ${JSON.stringify(fhirpath)}`);
      out.push({
        key,
        location: site.location,
        native: native.evaluate(site.node, site.resource, site.rootResource, hooks).ok === true,
        fhirpath: fhirpath.ok === 'error' ? 'error' : fhirpath.ok,
        exception,
      });
    }
  }
  return out;
}

function disagreements(comparisons: Comparison[]): Comparison[] {
  return comparisons.filter((c) => !c.exception && c.native !== c.fhirpath);
}

describe('native R4 invariants agree with the FHIRPath engine', () => {
  for (const [name, ig] of [
    ['HospitalNotification', HN],
    ['CareCommunication', CC],
    ['Acknowledgement', ACK],
  ] as const) {
    test(`every node of every ${name} example`, () => {
      const seen = new Set<string>();
      for (const { resource } of igExamples(ig)) {
        const comparisons = compare(resource, ig);
        assert.deepEqual(disagreements(comparisons), []);
        for (const c of comparisons) seen.add(c.key);
      }
      for (const key of ['ele-1', 'ext-1', 'dom-2', 'dom-3', 'dom-6', 'ref-1'])
        assert.ok(seen.has(key), `${key} was exercised`);
    });
  }

  // Each break makes one native invariant fail; the engine must fail it too.
  const breaks: [string, PackageRef, string, (message: Json) => void][] = [
    ['ele-1', HN, 'Bundle-a5e5b880', (m) => (m.entry[2].resource.period = { id: 'p1' })],
    [
      'ext-1',
      HN,
      'Bundle-a5e5b880',
      (m) => (m.entry[0].resource.extension[0].extension = [{ url: 'x', valueString: 'y' }]),
    ],
    [
      'dom-2',
      HN,
      'Bundle-a5e5b880',
      (m) => containOrganization(m, { contained: [{ resourceType: 'Basic', id: 'b' }] }),
    ],
    ['dom-3', HN, 'Bundle-a5e5b880', (m) => containOrganization(m, {}, false)],
    ['dom-4', HN, 'Bundle-a5e5b880', (m) => containOrganization(m, { meta: { versionId: '2' } })],
    ['dom-5', HN, 'Bundle-a5e5b880', (m) => containOrganization(m, { meta: { security: [{ code: 'R' }] } })],
    ['ref-1', HN, 'Bundle-a5e5b880', (m) => (m.entry[2].resource.serviceProvider.reference = '#nowhere')],
    ['bdl-1', HN, 'Bundle-a5e5b880', (m) => (m.total = 6)],
    ['bdl-2', HN, 'Bundle-a5e5b880', (m) => (m.entry[1].search = { mode: 'match' })],
    ['bdl-3', HN, 'Bundle-a5e5b880', (m) => (m.entry[1].request = { method: 'PUT', url: 'Patient/1' })],
    ['bdl-4', HN, 'Bundle-a5e5b880', (m) => (m.entry[1].response = { status: '200' })],
    ['bdl-5', HN, 'Bundle-a5e5b880', (m) => m.entry.push({ fullUrl: 'urn:uuid:4c9b1a6e-3f0e-4b7c-9d2a-1e5f6a7b8c9d' })],
    ['bdl-7', HN, 'Bundle-a5e5b880', (m) => m.entry.push(structuredClone(m.entry[1]))],
    ['bdl-8', HN, 'Bundle-a5e5b880', (m) => (m.entry[1].fullUrl = `${m.entry[1].fullUrl}/_history/1`)],
    ['dom-6', HN, 'Bundle-a5e5b880', (m) => delete m.entry[1].resource.text],
    ['bdl-9', HN, 'Bundle-a5e5b880', (m) => (m.type = 'document')],
    ['bdl-11', HN, 'Bundle-a5e5b880', (m) => (m.type = 'document')],
    ['bdl-12', HN, 'Bundle-a5e5b880', (m) => m.entry.reverse()],
    ['att-1', CC, 'Bundle-b56549f7', (m) => delete attachmentOf(m).contentType],
    ['cpt-2', CC, 'Bundle-add5e7e2', (m) => delete contactOf(m).system],
    ['org-1', HN, 'Bundle-a5e5b880', (m) => ((m.entry[3].resource.identifier = []), delete m.entry[3].resource.name)],
    [
      'qty-3',
      HN,
      'Bundle-a5e5b880',
      (m) =>
        (m.entry[2].resource.extension = [{ url: 'http://example.org/q', valueQuantity: { value: 1, code: 'mg' } }]),
    ],
  ];
  for (const [key, ig, file, breakIt] of breaks) {
    test(`${key}: broken on purpose, both say failed`, () => {
      const message = structuredClone(igExamples(ig).find((e) => e.file.startsWith(file))!.resource) as Json;
      breakIt(message);
      const comparisons = compare(message, ig);
      assert.deepEqual(disagreements(comparisons), []);
      assert.ok(
        comparisons.some((c) => c.key === key && !c.native && (c.fhirpath === false || c.key === 'dom-3')),
        `${key} fails somewhere: ${JSON.stringify(comparisons.filter((c) => c.key === key))}`,
      );
    });
  }

  test('identifier rules (regex, GLN check digit, mandatory organisation identifier) agree on real and broken values', () => {
    const values = new Set<string>([
      '5790000121526', // a GLN of the examples
      '5790000121527', // wrong check digit
      '579000012152', // 12 digits
      '57900001215260', // 14 digits
      '57900001215X6',
      '2509479989', // CPR of an HN example
      '3213479989', // day 32
      '0703921VJ4', // x-ecpr (CareCommunication example)
      '265161000016000', // SOR
      '1234',
      'urn:uuid:0c6a7f3e-1e7b-5a4b-9d3c-2b1f4e5d6a7b',
      'urn:uuid:0c6a7f3e-1e7b-4a4b-9d3c-2b1f4e5d6a7b',
      'urn:uuid:0C6A7F3E-1E7B-4A4B-9D3C-2B1F4E5D6A7B',
      'x urn:uuid:0c6a7f3e-1e7b-4a4b-9d3c-2b1f4e5d6a7b y',
      '+45 38683868',
      'http://medcomfhir.dk/ig/messagedefinitions/MessageDefinition/MedComCareCommunicationMessageDefinition|5.0',
      'http://medcomfhir.dk/ig/messagedefinitions/MessageDefinition/MedComCareCommunicationMessageDefinition|6.0',
    ]);
    const organizations: Json[] = [];
    const collect = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(collect);
      else if (node && typeof node === 'object') {
        if ((node as Json).resourceType === 'Organization') {
          organizations.push(node, { ...node, identifier: (node as Json).identifier?.slice(-1) });
        }
        for (const [key, value] of Object.entries(node)) {
          if (key === 'value' && typeof value === 'string') values.add(value);
          else collect(value);
        }
      }
    };
    for (const ig of [HN, CC, ACK]) for (const { resource } of igExamples(ig)) collect(resource);

    let compared = 0;
    for (const ig of [HN, CC, ACK]) {
      const hooks: InvariantHooks = { bundle: undefined, conformsTo: () => true, terminology: terminologyFor(ig) };
      for (const sd of testStore().context(ig).resourcesOfType('StructureDefinition')) {
        if (String(sd.url).startsWith('http://hl7.org/fhir/')) continue;
        for (const element of (sd.snapshot as Json).element as Json[]) {
          for (const constraint of element.constraint ?? []) {
            const native = nativeInvariant(constraint);
            if (!native || NATIVE_INVARIANT_KEYS.includes(constraint.key)) continue;
            const published = compiler.compile(constraint, element.id)!;
            const onValue = String(element.id).endsWith('.value') || !/Identifier|identifier/.test(element.id);
            const nodes: unknown[] =
              element.id === 'Organization'
                ? organizations
                : [...values].map((value) => (onValue ? value : { system: 'urn:ietf:rfc:3986', value }));
            for (const node of nodes) {
              const value = JSON.stringify(node).slice(0, 80);
              const engine = published.evaluate(node, node, node, hooks);
              assert.notEqual(engine.ok, 'error', `${constraint.key} on ${value}: ${JSON.stringify(engine)}`);
              assert.equal(
                native.evaluate(node, node, node, hooks).ok,
                engine.ok,
                `${constraint.key} (${element.id}) on ${value}`,
              );
              compared++;
            }
          }
        }
      }
    }
    assert.ok(compared > 500, `${compared} comparisons`);
  });

  test('the native table covers exactly the keys documented in native-invariants.ts', () => {
    assert.deepEqual(
      [...NATIVE_INVARIANT_KEYS].sort(),
      ['att-1', 'bdl-1', 'bdl-10', 'bdl-11', 'bdl-12', 'bdl-2', 'bdl-3', 'bdl-4', 'bdl-5', 'bdl-7', 'bdl-8', 'bdl-9']
        .concat(['cpt-2', 'dom-2', 'dom-3', 'dom-4', 'dom-5', 'dom-6', 'ele-1', 'ext-1', 'org-1', 'qty-3', 'ref-1'])
        .concat(['txt-1', 'txt-2'])
        .sort(),
    );
  });

  test('a constraint that reuses a key with another expression is not replaced', () => {
    assert.equal(nativeInvariant({ key: 'ele-1', expression: 'hasValue()' }), undefined);
    assert.ok(nativeInvariant({ key: 'ele-1', expression: 'hasValue()  or (children().count() > id.count())' }));
  });
});

/** Gives the Encounter a contained Organization, referenced from serviceProvider unless told otherwise. */
function containOrganization(message: Json, extra: Json, referenced = true): void {
  const encounter = message.entry[2].resource;
  encounter.contained = [{ resourceType: 'Organization', id: 'org1', name: 'Afdeling', ...extra }];
  if (referenced) encounter.serviceProvider = { reference: '#org1' };
}

function attachmentOf(message: Json): Json {
  const communication = message.entry.find((e: Json) => e.resource.resourceType === 'Communication').resource;
  return communication.payload.find((p: Json) => p.contentAttachment).contentAttachment;
}

function contactOf(message: Json): Json {
  const communication = message.entry.find((e: Json) => e.resource.resourceType === 'Communication').resource;
  return communication.payload[0].extension.find((e: Json) => e.valueContactPoint).valueContactPoint;
}
