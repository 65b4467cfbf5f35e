// The FHIRPath-to-closure compiler (src/validation/fhirpath-compiler/) must give fhirpath.js's verdict everywhere:
// - every constraint of every profile in the HN, CC and ACK closures (with the errata replacements and intent checks
//   the validator compiles), evaluated at every node of every official example of the three IGs, by both engines;
// - the whole validator with closures and without, on every official message and on one-rule breaks of them
//   (MedCom invariant breaks and every single-property deletion), with identical issue lists.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FhirResource } from '../../src/fhir/packages/context.ts';
import type { PackageRef } from '../../src/fhir/packages/package-ref.ts';
import { constraintChecks, type Constraint } from '../../src/validation/constraint-checks.ts';
import { elementContext } from '../../src/validation/element-context.ts';
import { BundleIndex } from '../../src/validation/bundle-index.ts';
import { compileExpression, FALLBACK } from '../../src/validation/fhirpath-compiler/compile.ts';
import { InvariantCompiler, type CompiledInvariant } from '../../src/validation/invariants.ts';
import { Validator } from '../../src/validation/validator.ts';
import { ACK, CC, HN, officialExamples, testStore } from '../support/shared.ts';
import { constraintSites } from './support/constraint-sites.ts';
import { contextFor, hooksFor } from './support/hooks.ts';

const IGS: readonly PackageRef[] = [HN, CC, ACK];

interface Pair {
  readonly base: string;
  readonly withClosures: CompiledInvariant;
  readonly fhirpathOnly: CompiledInvariant;
}

/** Every check the validator compiles from the closure's profiles, by the base path it is evaluated on. */
function pairsByBase(ig: PackageRef): Map<string, Pair[]> {
  const withClosures = new InvariantCompiler();
  const fhirpathOnly = new InvariantCompiler({ closures: false });
  const byBase = new Map<string, Pair[]>();
  const seen = new Set<string>();
  for (const sd of contextFor(ig).resourcesOfType('StructureDefinition')) {
    const elements = (sd.snapshot as { element?: { id?: string; constraint?: Constraint[] }[] } | undefined)?.element;
    for (const element of elements ?? []) {
      if (!element.id || !element.constraint) continue;
      const base = elementContext(element.id).base;
      if (!base) continue;
      for (const constraint of element.constraint) {
        if (!constraint.expression) continue;
        const url = String(sd.url);
        const ours = constraintChecks(withClosures, constraint, element.id, url);
        const reference = constraintChecks(fhirpathOnly, constraint, element.id, url);
        ours.forEach((check, i) => {
          const key = `${base}\u0000${check.rule}\u0000${check.invariant.expression}`;
          if (seen.has(key)) return;
          seen.add(key);
          let list = byBase.get(base);
          if (!list) byBase.set(base, (list = []));
          list.push({ base, withClosures: check.invariant, fhirpathOnly: reference[i]!.invariant });
        });
      }
    }
  }
  return byBase;
}

describe('fhirpath-compiler: identical verdicts to fhirpath.js', () => {
  for (const ig of IGS) {
    it(`every constraint of the ${ig.id}#${ig.version} closure at every node of its official examples`, (t) => {
      const byBase = pairsByBase(ig);
      const expressions = new Map<string, boolean>();
      for (const pairs of byBase.values()) {
        for (const pair of pairs) {
          const expression = pair.withClosures.expression;
          expressions.set(`${pair.base}\u0000${expression}`, compileExpression(pair.base, expression) !== undefined);
        }
      }
      let evaluations = 0;
      let compiledEvaluations = 0;
      for (const { file, resource } of officialExamples(ig)) {
        const bundle = resource.resourceType === 'Bundle' ? resource : undefined;
        const hooks = hooksFor(ig, bundle);
        const visited = new Set<string>();
        for (const site of constraintSites(resource as FhirResource, contextFor(ig))) {
          const visitKey = `${site.location}\u0000${site.contextPath}`;
          if (visited.has(visitKey)) continue;
          visited.add(visitKey);
          for (const base of new Set([site.contextPath, site.type])) {
            for (const pair of byBase.get(base) ?? []) {
              const ours = pair.withClosures.evaluate(site.node, site.resource, site.rootResource, hooks, site.type);
              const reference = pair.fhirpathOnly.evaluate(
                site.node,
                site.resource,
                site.rootResource,
                hooks,
                site.type,
              );
              assert.deepEqual(
                ours,
                reference,
                `${file} ${site.location}: ${pair.withClosures.key} on ${base} (${pair.withClosures.expression})`,
              );
              evaluations++;
              if (expressions.get(`${base}\u0000${pair.withClosures.expression}`)) compiledEvaluations++;
            }
          }
        }
      }
      const compiled = [...expressions.values()].filter(Boolean).length;
      t.diagnostic(
        `${expressions.size} (base, expression) pairs: ${compiled} compiled, ${expressions.size - compiled} on fhirpath.js; ` +
          `${evaluations} evaluations compared, ${compiledEvaluations} through closures`,
      );
      assert.ok(compiledEvaluations > 0, 'some evaluations ran through compiled closures');
    });
  }
});

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** One-rule breaks aimed at the MedCom message invariants, each on a fresh copy. */
const BREAKS: readonly [string, (bundle: Json) => void][] = [
  ['no Provenance', (b) => (b.entry = b.entry.filter((e: Json) => e.resource?.resourceType !== 'Provenance'))],
  ['two Patients', (b) => b.entry.push(...b.entry.filter((e: Json) => e.resource?.resourceType === 'Patient'))],
  ['Encounter on leave', (b) => resources(b, 'Encounter').forEach((r) => (r.status = 'onleave'))],
  [
    'Patient identifier system',
    (b) => resources(b, 'Patient').forEach((r) => r.identifier?.forEach((i: Json) => (i.system = 'urn:x'))),
  ],
  ['no Patient identifier', (b) => resources(b, 'Patient').forEach((r) => delete r.identifier)],
  [
    'destination use code',
    (b) =>
      resources(b, 'MessageHeader').forEach((r) =>
        r.destination?.forEach((d: Json) =>
          d.extension?.forEach((e: Json) => e.valueCoding && (e.valueCoding.code = 'cc')),
        ),
      ),
  ],
  [
    'two destinations',
    (b) => resources(b, 'MessageHeader').forEach((r) => r.destination?.push(structuredClone(r.destination[0]))),
  ],
  [
    'Provenance activity',
    (b) =>
      resources(b, 'Provenance').forEach((r) =>
        r.activity?.coding?.forEach((c: Json) => (c.code = 'unknown-activity')),
      ),
  ],
  [
    'primitive extension part',
    (b) => resources(b, 'Encounter').forEach((r) => (r._status = { extension: [{ url: 'urn:x', valueString: 'x' }] })),
  ],
  [
    'married Patient',
    (b) =>
      resources(b, 'Patient').forEach(
        (r) =>
          (r.maritalStatus = {
            coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus', code: 'M' }],
          }),
      ),
  ],
];

function resources(bundle: Json, type: string): Json[] {
  return (bundle.entry ?? []).map((e: Json) => e.resource).filter((r: Json | undefined) => r?.resourceType === type);
}

/** Every single-property deletion in each entry resource (one level down), as further one-rule breaks. */
function* deletions(bundle: Json): Generator<[string, Json]> {
  for (const [i, entry] of (bundle.entry as Json[]).entries()) {
    for (const key of Object.keys(entry.resource ?? {})) {
      if (key === 'resourceType') continue;
      const copy = structuredClone(bundle);
      delete copy.entry[i].resource[key];
      yield [`entry[${i}].resource.${key} deleted`, copy];
    }
  }
}

describe('fhirpath-compiler: the validator gives identical issues with and without closures', () => {
  const fast = new Validator(testStore());
  const reference = new Validator(testStore(), { closures: false });
  for (const ig of IGS) {
    it(`official ${ig.id}#${ig.version} messages and their one-rule breaks`, () => {
      let compared = 0;
      for (const { file, resource } of officialExamples(ig, 'Bundle-')) {
        if ((resource as Json).type !== 'message') continue;
        const cases: [string, Json][] = [['as published', resource]];
        for (const [name, breakIt] of BREAKS) {
          const copy = structuredClone(resource) as Json;
          breakIt(copy);
          cases.push([name, copy]);
        }
        cases.push(...deletions(resource as Json));
        for (const [name, bundle] of cases) {
          assert.deepEqual(fast.validateMessage(bundle), reference.validateMessage(bundle), `${file}: ${name}`);
          compared++;
        }
      }
      assert.ok(compared > 10, `compared ${compared} messages`);
    });
  }
});

/**
 * Crafted instances for the constructs CareCommunication's constraints need (resolve() with its holder, members and
 * criteria on resolved resources, iif, startsWith, indexers, %bundle, %resource, `=` between resources). Each
 * expression must compile, its closure must answer every case marked `answers` itself (no FALLBACK), and every
 * answer must equal fhirpath.js's; each expression's cases include a pass and a fail, so a closure that ignores
 * its input cannot agree with all of them.
 */
describe('fhirpath-compiler: crafted instances for resolve(), iif, startsWith, indexers and variables', () => {
  const fhirpathOnly = new InvariantCompiler({ closures: false });
  const hooks = hooksFor(CC, undefined);
  const comms = 'http://medcomfhir.dk/ig/carecommunication/StructureDefinition/medcom-careCommunication-';

  const organization = (base: string, name: string) => ({
    fullUrl: `${base}Organization/org`,
    resource: { resourceType: 'Organization', id: 'org', name },
  });
  const communication = (base: string, extra: Json) => ({
    fullUrl: `${base}Communication/c1`,
    resource: { resourceType: 'Communication', id: 'c1', status: 'completed', ...extra },
  });
  const header = (base: string, extra: Json) => ({
    fullUrl: `${base}MessageHeader/h1`,
    resource: {
      resourceType: 'MessageHeader',
      id: 'h1',
      meta: { profile: [`${comms}messageHeader`] },
      ...extra,
    },
  });
  const role = (base: string, id: string, extra: Json) => ({
    fullUrl: `${base}PractitionerRole/${id}`,
    resource: { resourceType: 'PractitionerRole', id, ...extra },
  });
  const bundleOf = (...entry: Json[]): Json => ({ resourceType: 'Bundle', type: 'message', entry });
  const A = 'https://a.example/fhir/';
  const B = 'https://b.example/fhir/';
  // The same relative reference `Organization/org` means a different Organization for a holder under A and under B.
  const twoBases = (mhBase: string) =>
    bundleOf(
      header(mhBase, { destination: [{ receiver: { reference: 'Organization/org' } }] }),
      communication(A, { recipient: [{ reference: 'PractitionerRole/r1' }] }),
      role(A, 'r1', { organization: { reference: 'Organization/org' } }),
      organization(A, 'A'),
      organization(B, 'B'),
    );
  const recipientOrganization =
    'Bundle.entry.resource.ofType(Communication).recipient.reference.resolve().organization.reference.resolve() = ' +
    '%resource.entry.resource.ofType(MessageHeader).destination.receiver.reference.resolve()';

  interface Case {
    readonly name: string;
    readonly base: string;
    readonly expression: string;
    readonly node: Json;
    readonly resource?: Json;
    readonly bundle?: Json;
    /** The closure must answer itself; false where FALLBACK is the expected answer. */
    readonly answers: boolean;
  }
  const inBundle = (name: string, expression: string, bundle: Json, answers = true): Case => ({
    name,
    base: 'Bundle',
    expression,
    node: bundle,
    bundle,
    answers,
  });
  const atCommunication = (name: string, expression: string, bundle: Json, answers = true): Case => {
    const node = bundle.entry.find((e: Json) => e.resource.resourceType === 'Communication').resource;
    return { name, base: 'Communication', expression, node, resource: node, bundle, answers };
  };
  const payloadPractitioner = (reference: string) => ({
    payload: [
      {
        contentString: 'x',
        extension: [
          {
            url: 'http://medcomfhir.dk/ig/core/StructureDefinition/medcom-core-practitioner-extension',
            valueReference: { reference },
          },
        ],
      },
    ],
  });
  const roleWith = (code: Json) => role(A, 'r2', code);
  const practitionerXor =
    "payload.extension('http://medcomfhir.dk/ig/core/StructureDefinition/medcom-core-practitioner-extension')" +
    '.value.resolve().all(code.coding.code.exists() xor code.text.exists())';

  const CASES: Case[] = [
    // resolve(): the holder's base decides which Organization a relative reference means.
    inBundle('same holder base: equal', recipientOrganization, twoBases(A)),
    inBundle('other holder base: different Organization', recipientOrganization, twoBases(B), false),
    inBundle(
      'holder base, read through a member',
      "%resource.entry.resource.ofType(MessageHeader).destination.receiver.reference.resolve().name = 'B'",
      twoBases(B),
    ),
    inBundle(
      'holder base, read through a member (other base)',
      "%resource.entry.resource.ofType(MessageHeader).destination.receiver.reference.resolve().name = 'B'",
      twoBases(A),
    ),
    inBundle(
      'recipient without organization: empty equality',
      recipientOrganization,
      bundleOf(
        header(A, { destination: [{ receiver: { reference: 'Organization/org' } }] }),
        communication(A, { recipient: [{ reference: 'PractitionerRole/r1' }] }),
        role(A, 'r1', {}),
        organization(A, 'A'),
      ),
    ),
    // resolve() from the focus resource, from a non-resource focus (%resource holds), and of `#id` in contained.
    atCommunication(
      'contained reference resolves',
      'sender.reference.resolve().name.exists()',
      bundleOf(
        communication(A, {
          contained: [{ resourceType: 'Organization', id: 'o1', name: 'C' }],
          sender: { reference: '#o1' },
        }),
      ),
    ),
    atCommunication(
      'contained reference missing',
      'sender.reference.resolve().name.exists()',
      bundleOf(communication(A, { sender: { reference: '#o1' } })),
    ),
    // Criteria on resolved resources: compiled per resourceType met (PractitionerRole.code is a list of concepts).
    atCommunication(
      'practitioner role with a coded role',
      practitionerXor,
      bundleOf(
        communication(A, payloadPractitioner('PractitionerRole/r2')),
        roleWith({ code: [{ coding: [{ code: 'x' }] }] }),
      ),
    ),
    atCommunication(
      'practitioner role with code and text',
      practitionerXor,
      bundleOf(
        communication(A, payloadPractitioner('PractitionerRole/r2')),
        roleWith({ code: [{ coding: [{ code: 'x' }], text: 't' }] }),
      ),
    ),
    atCommunication(
      'practitioner extension to an Organization (another resourceType)',
      practitionerXor,
      bundleOf(communication(A, payloadPractitioner('Organization/org')), organization(A, 'A')),
      false, // Organization has no `code`: the criterion does not compile for it
    ),
    atCommunication(
      'members of a resolved resource, then resolve() from it',
      'payload.extension.value.reference.resolve().practitioner.resolve().exists()',
      bundleOf(
        communication(A, payloadPractitioner('PractitionerRole/r2')),
        roleWith({ practitioner: { reference: 'Practitioner/p1' } }),
        { fullUrl: `${A}Practitioner/p1`, resource: { resourceType: 'Practitioner', id: 'p1' } },
      ),
    ),
    atCommunication(
      'members of a resolved resource, dangling reference',
      'payload.extension.value.reference.resolve().practitioner.resolve().exists()',
      bundleOf(
        communication(A, payloadPractitioner('PractitionerRole/r2')),
        roleWith({ practitioner: { reference: 'Practitioner/p1' } }),
      ),
    ),
    // iif: only the chosen branch counts; a root type filter works inside its arguments.
    ...[
      ['other with topic', { category: [{ coding: [{ code: 'other' }] }], topic: { text: 't' } }],
      ['other without topic', { category: [{ coding: [{ code: 'other' }] }] }],
      ['not other', { category: [{ coding: [{ code: 'carecoordination' }] }] }],
      ['no category', {}],
    ].map(([name, extra]) =>
      atCommunication(
        `iif: ${String(name)}`,
        "iif(category.coding.code != 'other', true, category.coding.code = 'other' and topic.exists())",
        bundleOf(communication(A, extra as Json)),
      ),
    ),
    ...[
      ['encounter with reference', { encounter: { reference: 'Encounter/e' } }],
      ['encounter without reference', { encounter: { display: 'e' } }],
      ['no encounter', {}],
    ].map(([name, extra]) =>
      atCommunication(
        `iif with a type filter: ${String(name)}`,
        'iif(encounter.exists(), Communication.encounter.reference.exists(), Communication.encounter.exists().not())',
        bundleOf(communication(A, extra as Json)),
      ),
    ),
    // %bundle, absent and present.
    {
      name: '%bundle absent',
      base: 'Communication',
      expression: '%bundle.empty() or encounter.exists()',
      node: { resourceType: 'Communication', status: 'completed' },
      answers: true,
    },
    atCommunication(
      '%bundle present, no encounter',
      '%bundle.empty() or encounter.exists()',
      bundleOf(communication(A, {})),
    ),
    // startsWith and indexers.
    ...[
      ['MessageHeader first, profile matches', [`${comms}messageHeader`], true],
      ['MessageHeader first, other profile', ['http://example.org/other'], true],
      ['MessageHeader first, no profile', undefined, true],
      ['two profiles: fhirpath.js wants a singleton', [`${comms}messageHeader`, 'http://example.org/other'], false],
    ].map(([name, profile, answers]) =>
      inBundle(
        `entry[0] startsWith: ${String(name)}`,
        `entry[0].resource.ofType(MessageHeader).meta.profile.startsWith('${comms}messageHeader')`,
        bundleOf({
          fullUrl: `${A}MessageHeader/h1`,
          resource: { resourceType: 'MessageHeader', id: 'h1', ...(profile ? { meta: { profile } } : {}) },
        }),
        answers as boolean,
      ),
    ),
    inBundle(
      'entry[0] is no MessageHeader',
      `entry[0].resource.ofType(MessageHeader).meta.profile.startsWith('${comms}messageHeader')`,
      bundleOf(communication(A, {}), header(A, {})),
    ),
    inBundle('entry[1] beyond the end', 'entry[1].exists()', bundleOf(communication(A, {}))),
    inBundle('entry[1] present', 'entry[1].exists()', bundleOf(communication(A, {}), header(A, {}))),
    // %resource typed as the base only when it is one: otherwise fhirpath.js answers.
    {
      name: '%resource of another type',
      base: 'Bundle',
      expression: '%resource.entry.exists()',
      node: bundleOf(communication(A, {})),
      resource: { resourceType: 'Communication' },
      answers: false,
    },
  ];

  for (const c of CASES) {
    it(`${c.name}: ${c.expression.slice(0, 90)}`, () => {
      const closure = compileExpression(c.base, c.expression);
      assert.ok(closure, `compiles: ${c.expression}`);
      const reference = fhirpathOnly
        .compile({ key: 'case', expression: c.expression }, c.base)!
        .evaluate(c.node, c.resource, c.resource, { ...hooks, bundle: c.bundle });
      const index = c.bundle ? new BundleIndex(c.bundle) : undefined;
      const env = {
        resource: c.resource ?? c.node,
        rootResource: c.resource ?? c.node,
        context: c.node,
        bundle: c.bundle,
        resolveReference: (r: string, holder: unknown) => index?.resolve(r, holder),
        hooks,
      };
      let ours: boolean | 'fallback';
      try {
        ours = closure(c.node, env);
      } catch (error) {
        if (error !== FALLBACK) throw error;
        ours = 'fallback';
      }
      if (c.answers) assert.equal(ours, reference.ok, `closure answers as fhirpath.js (${JSON.stringify(reference)})`);
      else assert.equal(ours, 'fallback', `closure leaves this instance to fhirpath.js (which says ${reference.ok})`);
    });
  }

  it('each crafted expression has cases that pass and cases that fail on fhirpath.js', () => {
    const outcomes = new Map<string, Set<unknown>>();
    for (const c of CASES) {
      const verdict = fhirpathOnly
        .compile({ key: 'case', expression: c.expression }, c.base)!
        .evaluate(c.node, c.resource, c.resource, { ...hooks, bundle: c.bundle }).ok;
      const key = `${c.base} ${c.expression}`;
      if (!outcomes.has(key)) outcomes.set(key, new Set());
      outcomes.get(key)!.add(verdict);
    }
    for (const [key, seen] of outcomes) {
      if (key.includes('%resource.entry.exists()')) continue; // a FALLBACK-only case
      assert.ok(seen.has(true) && seen.has(false), `${key}: fhirpath.js verdicts ${[...seen].join(', ')}`);
    }
  });
});
