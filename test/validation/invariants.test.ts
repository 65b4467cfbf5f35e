// FHIRPath invariants on the official MedCom examples: every published invariant holds on them, and each MedCom
// invariant fails on a copy of an official Bundle broken in exactly the way the rule forbids.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PackageRef } from '../../src/fhir/packages/package-ref.ts';
import { BundleIndex } from '../../src/validation/bundle-index.ts';
import { constraintChecks } from '../../src/validation/constraint-checks.ts';
import { elementContext } from '../../src/validation/element-context.ts';
import { InvariantCompiler, type InvariantVerdict } from '../../src/validation/invariants.ts';
import { readPrimitiveValueAsContext } from '../../src/validation/primitive-value-compat.ts';
import { ACK, CC, HN, officialExamples } from '../support/shared.ts';
import { constraintSites } from './support/constraint-sites.ts';
import { contextFor, hooksFor } from './support/hooks.ts';
import { profileOf, profileSites } from './support/profile-sites.ts';

const compiler = new InvariantCompiler();

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const MESSAGING = 'http://medcomfhir.dk/ig/messaging/StructureDefinition/';
const HN_SD = 'http://medcomfhir.dk/ig/hospitalnotification/StructureDefinition/';
const CC_SD = 'http://medcomfhir.dk/ig/carecommunication/StructureDefinition/';
const ACK_SD = 'http://medcomfhir.dk/ig/acknowledgement/StructureDefinition/';
const CORE = 'http://medcomfhir.dk/ig/core/StructureDefinition/';
const DK_CORE = 'http://hl7.dk/fhir/core/StructureDefinition/';
const LPR3 = 'https://www.esundhed.dk/Registre/Landspatientregisteret';

function example(ig: PackageRef, file: string): Json {
  const found = officialExamples(ig, file).find((e) => e.file === `${file}.json`);
  if (!found) throw new Error(`${ig.id}#${ig.version}: no example ${file}.json`);
  return structuredClone(found.resource) as Json;
}

const entries = (bundle: Json, type: string): Json[] =>
  bundle.entry.map((e: Json) => e.resource).filter((r: Json) => r.resourceType === type);
const one = (bundle: Json, type: string): Json => entries(bundle, type)[0]!;

/** The published constraint `key` of a profile, evaluated at `node` (the HL7-validator reading, no errata). */
function published(
  ig: PackageRef,
  profileUrl: string,
  key: string,
  node: unknown,
  resource: unknown,
  bundle: unknown,
): InvariantVerdict {
  const profile = profileOf(contextFor(ig), profileUrl);
  const elements = (profile.snapshot as { element: Json[] }).element;
  const element = elements.find((e) => (e.constraint ?? []).some((c: Json) => c.key === key));
  if (!element) throw new Error(`${profileUrl} has no constraint ${key}`);
  const constraint = element.constraint.find((c: Json) => c.key === key);
  const invariant = compiler.compile(constraint, element.id)!;
  return invariant.evaluate(node, resource, resource, hooksFor(ig, bundle));
}

describe('official examples', () => {
  for (const ig of [HN, CC, ACK]) {
    it(`every base R4 invariant holds at every node of every ${ig.id}#${ig.version} example`, () => {
      const context = contextFor(ig);
      const failures: string[] = [];
      let evaluated = 0;
      for (const { file, resource } of officialExamples(ig)) {
        const hooks = hooksFor(ig, resource.resourceType === 'Bundle' ? resource : undefined);
        for (const site of constraintSites(resource, context)) {
          for (const check of constraintChecks(compiler, site.constraint, site.contextPath, site.contextPath)) {
            evaluated++;
            const verdict = check.invariant.evaluate(site.node, site.resource, site.rootResource, hooks, site.type);
            if (verdict.ok !== true) failures.push(`${file} ${site.location} ${check.rule} ${JSON.stringify(verdict)}`);
          }
        }
      }
      assert.ok(evaluated > 1000, `only ${evaluated} invariant evaluations`);
      assert.deepEqual(failures, []);
    });
  }

  /** The instances a profile applies to in one official Bundle: the Bundle, its entries, and their typed parts. */
  function targets(bundle: Json): [string, Json, Json][] {
    const out: [string, Json, Json][] = [[bundle.meta.profile[0], bundle, bundle]];
    for (const r of bundle.entry.map((e: Json) => e.resource)) {
      for (const profile of r.meta?.profile ?? []) out.push([profile, r, r]);
      if (r.resourceType === 'Organization') {
        for (const id of r.identifier) {
          const sor = id.system === 'urn:oid:1.2.208.176.1.1';
          out.push([`${DK_CORE}${sor ? 'dk-core-sor-identifier' : 'dk-core-gln-identifier'}`, id, r]);
        }
      }
      if (r.resourceType === 'Patient') {
        for (const id of r.identifier ?? []) {
          const cpr = id.system === 'urn:oid:1.2.208.176.1.2';
          out.push([`${DK_CORE}${cpr ? 'dk-core-cpr-identifier' : 'dk-core-x-ecpr-identifier'}`, id, r]);
        }
      }
      for (const episode of r.resourceType === 'Encounter' ? (r.episodeOfCare ?? []) : []) {
        if (episode.identifier?.system === LPR3) out.push([`${CORE}lpr3-Identifier`, episode.identifier, r]);
      }
      for (const payload of r.resourceType === 'Communication' ? r.payload : []) {
        for (const extension of payload.extension ?? []) {
          if (extension.url === `${CORE}medcom-core-identifier-extension`) {
            out.push([`${CORE}medcom-assigned-identifier`, extension.valueIdentifier, r]);
          }
          if (extension.url === `${CORE}medcom-core-contact-extension`) out.push([extension.url, extension, r]);
        }
      }
    }
    return out;
  }

  for (const ig of [HN, CC, ACK]) {
    it(`every profile invariant and every intent check holds on the ${ig.id}#${ig.version} example Bundles`, () => {
      const context = contextFor(ig);
      const failures: string[] = [];
      const keys = new Set<string>();
      for (const { file, resource } of officialExamples(ig, 'Bundle-')) {
        const hooks = hooksFor(ig, resource);
        for (const [url, instance, holder] of targets(resource as Json)) {
          for (const site of profileSites(profileOf(context, url), instance)) {
            for (const check of constraintChecks(compiler, site.constraint, site.contextPath, site.profile)) {
              keys.add(check.rule);
              const verdict = check.invariant.evaluate(site.node, holder, holder, hooks);
              if (verdict.ok !== true) failures.push(`${file} ${url} ${check.rule}: ${JSON.stringify(verdict)}`);
            }
          }
        }
      }
      assert.deepEqual(failures, []);
      const expected = {
        [HN.id]: ['medcom-hospitalNotification-2', 'medcom-hospitalNotification-6', 'uuidv5#intent', 'gln-modulus-10'],
        [CC.id]: ['medcom-careCommunication-11', 'medcom-careCommunication-15#intent', 'medcom-core-contact', 'x-ecpr'],
        [ACK.id]: ['medcom-acknowledgement-1', 'medcom-acknowledgement-2', 'medcom-messaging-3#intent'],
      }[ig.id]!;
      for (const key of expected) assert.ok(keys.has(key), `${key} was evaluated`);
    });
  }
});

describe('HospitalNotification invariants fail on a one-rule break', () => {
  const message = `${HN_SD}medcom-hospitalNotification-message`;
  const stin = () => example(HN, 'Bundle-a5e5b880-c087-4055-b9ec-99108695f81d');

  it('HN-2: exactly one Patient', () => {
    const bundle = stin();
    assert.deepEqual(published(HN, message, 'medcom-hospitalNotification-2', bundle, bundle, bundle), { ok: true });
    const patient = structuredClone(one(bundle, 'Patient'));
    patient.id = '0f1e2d3c-4b5a-4968-8776-655443322110';
    bundle.entry.push({
      fullUrl: `https://medcomfhir.dk/ig/hospitalnotification/Patient/${patient.id}`,
      resource: patient,
    });
    assert.deepEqual(published(HN, message, 'medcom-hospitalNotification-2', bundle, bundle, bundle), { ok: false });
  });

  it('HN-4: the patient is identified by CPR, not by a replacement CPR', () => {
    const bundle = stin();
    assert.deepEqual(published(HN, message, 'medcom-hospitalNotification-4', bundle, bundle, bundle), { ok: true });
    one(bundle, 'Patient').identifier[0].system = 'urn:oid:1.2.208.176.1.6.1.1';
    assert.deepEqual(published(HN, message, 'medcom-hospitalNotification-4', bundle, bundle, bundle), { ok: false });
  });

  it('HN-5: no cc destination', () => {
    const bundle = stin();
    assert.deepEqual(published(HN, message, 'medcom-hospitalNotification-5', bundle, bundle, bundle), { ok: true });
    const header = one(bundle, 'MessageHeader');
    const cc = structuredClone(header.destination[0]);
    cc.extension[0].valueCoding.code = 'cc';
    header.destination.push(cc);
    assert.deepEqual(published(HN, message, 'medcom-hospitalNotification-5', bundle, bundle, bundle), { ok: false });
  });

  it('HN-6: an Encounter on leave carries the leave start', () => {
    const bundle = example(HN, 'Bundle-d3128d9b-cede-4c7f-8904-809eab322d7d');
    const encounter = one(bundle, 'Encounter');
    const profile = `${HN_SD}medcom-hospitalNotification-encounter`;
    assert.equal(encounter.status, 'onleave');
    assert.deepEqual(published(HN, profile, 'medcom-hospitalNotification-6', encounter, encounter, bundle), {
      ok: true,
    });
    delete encounter.extension;
    assert.deepEqual(published(HN, profile, 'medcom-hospitalNotification-6', encounter, encounter, bundle), {
      ok: false,
    });
  });

  it('medcom-messaging-2: at least one Provenance', () => {
    const bundle = stin();
    assert.deepEqual(published(HN, message, 'medcom-messaging-2', bundle, bundle, bundle), { ok: true });
    bundle.entry = bundle.entry.filter((e: Json) => e.resource.resourceType !== 'Provenance');
    assert.deepEqual(published(HN, message, 'medcom-messaging-2', bundle, bundle, bundle), { ok: false });
  });

  it('uuidv5 (medcom core lpr3-Identifier, written `value.matches` on the value) fires on a v4 UUID', () => {
    const bundle = example(HN, 'Bundle-n73ccf30-80b9-4bd2-bf50-1ac1914498f0');
    const encounter = one(bundle, 'Encounter');
    const lpr3 = encounter.episodeOfCare.find((e: Json) => e.identifier.system === LPR3).identifier;
    const profile = `${CORE}lpr3-Identifier`;
    assert.deepEqual(published(HN, profile, 'uuidv5', lpr3.value, encounter, bundle), { ok: true });
    assert.deepEqual(
      published(HN, profile, 'uuidv5', 'urn:uuid:fc60e762-b13b-4773-865e-67f3907bdcc7', encounter, bundle),
      { ok: false },
    );
  });

  it('dk-core GLN and CPR rules (dk-core 2.x, `value.substring`/`value.matches`) check the value', () => {
    const bundle = stin();
    const organization = one(bundle, 'Organization');
    const gln = organization.identifier.find((i: Json) => i.system === 'https://www.gs1.org/gln').value as string;
    const wrongCheckDigit = gln.slice(0, 12) + String((Number(gln[12]) + 1) % 10);
    const glnProfile = `${DK_CORE}dk-core-gln-identifier`;
    assert.deepEqual(published(HN, glnProfile, 'gln-modulus-10', gln, organization, bundle), { ok: true });
    assert.deepEqual(published(HN, glnProfile, 'gln-modulus-10', wrongCheckDigit, organization, bundle), { ok: false });
    assert.deepEqual(published(HN, glnProfile, 'gln-length', `${gln}0`, organization, bundle), { ok: false });
    const patient = one(bundle, 'Patient');
    const cprProfile = `${DK_CORE}dk-core-cpr-identifier`;
    assert.deepEqual(published(HN, cprProfile, 'cpr', patient.identifier[0].value, patient, bundle), { ok: true });
    assert.deepEqual(published(HN, cprProfile, 'cpr', '3213479989', patient, bundle), { ok: false });
    const sorProfile = `${DK_CORE}dk-core-sor-identifier`;
    const sor = organization.identifier.find((i: Json) => i.system === 'urn:oid:1.2.208.176.1.1').value;
    assert.deepEqual(published(HN, sorProfile, 'min-digits-sor', sor, organization, bundle), { ok: true });
    assert.deepEqual(published(HN, sorProfile, 'min-digits-sor', '2651610', organization, bundle), { ok: false });
    const organizationProfile = `${MESSAGING}medcom-messaging-organization`;
    const key = 'dk-core-organization-mandatory-identifier';
    assert.deepEqual(published(HN, organizationProfile, key, organization, organization, bundle), { ok: true });
    const glnOnly = { ...organization, identifier: organization.identifier.filter((i: Json) => i.value === gln) };
    assert.deepEqual(published(HN, organizationProfile, key, glnOnly, glnOnly, bundle), { ok: false });
    // CareCommunication's dk-core 3.4.0 writes the same rule without `value.`; same verdicts.
    assert.deepEqual(published(CC, glnProfile, 'gln-modulus-10', gln, organization, bundle), { ok: true });
    assert.deepEqual(published(CC, glnProfile, 'gln-modulus-10', wrongCheckDigit, organization, bundle), { ok: false });
  });
});

describe('Acknowledgement invariants fail on a one-rule break', () => {
  const message = `${ACK_SD}medcom-messaging-acknowledgement`;

  it('ACK-1: a non-ok acknowledgement carries an OperationOutcome', () => {
    const fatal = example(ACK, 'Bundle-bc9535ef-ed94-4060-a928-7baddec7ee71');
    assert.equal(one(fatal, 'MessageHeader').response.code, 'fatal-error');
    assert.deepEqual(published(ACK, message, 'medcom-acknowledgement-1', fatal, fatal, fatal), { ok: true });
    fatal.entry = fatal.entry.filter((e: Json) => e.resource.resourceType !== 'OperationOutcome');
    assert.deepEqual(published(ACK, message, 'medcom-acknowledgement-1', fatal, fatal, fatal), { ok: false });
    const ok = example(ACK, 'Bundle-a8c041b8-c65a-4fde-a90f-962076918834');
    assert.deepEqual(published(ACK, message, 'medcom-acknowledgement-1', ok, ok, ok), { ok: true });
  });

  it('ACK-2: the MessageHeader conforms to the acknowledgement header (claim-based conformsTo stand-in)', () => {
    const bundle = example(ACK, 'Bundle-a8c041b8-c65a-4fde-a90f-962076918834');
    assert.deepEqual(published(ACK, message, 'medcom-acknowledgement-2', bundle, bundle, bundle), { ok: true });
    one(bundle, 'MessageHeader').meta.profile = [`${MESSAGING}medcom-messaging-messageHeader`];
    assert.deepEqual(published(ACK, message, 'medcom-acknowledgement-2', bundle, bundle, bundle), { ok: false });
  });
});

describe('CareCommunication invariants fail on a one-rule break', () => {
  const message = `${CC_SD}medcom-careCommunication-message`;
  const communicationProfile = `${CC_SD}medcom-careCommunication-communication`;
  const allContent = () => example(CC, 'Bundle-gfd00bc2-9c26-4174-934e-f6e4360845de');

  const bundleCases: [string, string, (bundle: Json) => void][] = [
    [
      'CC-1: the MessageHeader declares its profile',
      'medcom-careCommunication-1',
      (b) => delete one(b, 'MessageHeader').meta,
    ],
    ['CC-2: exactly one Patient', 'medcom-careCommunication-2', (b) => b.entry.push(structuredClone(b.entry[1]))],
    [
      'CC-3: every Provenance declares its profile',
      'medcom-careCommunication-3',
      (b) => delete one(b, 'Provenance').meta,
    ],
    ['CC-4: every Practitioner has a name', 'medcom-careCommunication-4', (b) => delete one(b, 'Practitioner').name],
    [
      'CC-11: the sender extension belongs to the MessageHeader sender (resolve)',
      'medcom-careCommunication-11',
      (b) => (one(b, 'MessageHeader').sender = structuredClone(one(b, 'MessageHeader').destination[0].receiver)),
    ],
    [
      'CC-12: the recipient belongs to the MessageHeader receiver (resolve)',
      'medcom-careCommunication-12',
      (b) => (one(b, 'MessageHeader').destination[0].receiver = structuredClone(one(b, 'MessageHeader').sender)),
    ],
    [
      'CC-13: every PractitionerRole references a Practitioner',
      'medcom-careCommunication-13',
      (b) => delete one(b, 'PractitionerRole').practitioner,
    ],
  ];
  for (const [name, key, breakIt] of bundleCases) {
    it(name, () => {
      const bundle = allContent();
      assert.deepEqual(published(CC, message, key, bundle, bundle, bundle), { ok: true });
      breakIt(bundle);
      assert.deepEqual(published(CC, message, key, bundle, bundle, bundle), { ok: false });
    });
  }

  const communicationCases: [string, string, (bundle: Json, communication: Json) => void][] = [
    [
      'CC-5: priority only with category regarding-referral',
      'medcom-careCommunication-5',
      (_, c) => {
        c.category[0].coding[0].code = 'other';
        c.topic = { text: 'Andet' };
      },
    ],
    [
      'CC-6: category other needs a topic',
      'medcom-careCommunication-6',
      (_, c) => {
        c.category[0].coding[0].code = 'other';
        delete c.topic;
      },
    ],
    [
      'CC-7: the author role has a code or a text, not both (resolve)',
      'medcom-careCommunication-7',
      (b) => (one(b, 'PractitionerRole').code[0].text = 'Sygeplejerske'),
    ],
    [
      'CC-8: the author practitioner has a name (resolve twice)',
      'medcom-careCommunication-8',
      (b) => delete one(b, 'Practitioner').name,
    ],
    [
      'CC-9: the encounter carries an episode-of-care identifier (resolve)',
      'medcom-careCommunication-9',
      (b) => delete one(b, 'Encounter').episodeOfCare,
    ],
    [
      'CC-15 (as published): an encounter is a literal reference',
      'medcom-careCommunication-15',
      (_, c) => (c.encounter = { identifier: { value: 'gfd00bc2-9c26-4174-934e-f6e4360845de' } }),
    ],
  ];
  for (const [name, key, breakIt] of communicationCases) {
    it(name, () => {
      const bundle = allContent();
      const communication = one(bundle, 'Communication');
      assert.deepEqual(published(CC, communicationProfile, key, communication, communication, bundle), { ok: true });
      breakIt(bundle, communication);
      assert.deepEqual(published(CC, communicationProfile, key, communication, communication, bundle), { ok: false });
    });
  }

  it('medcom-uuidv4 at Communication.identifier: lower-case urn:uuid', () => {
    const bundle = allContent();
    const communication = one(bundle, 'Communication');
    const identifier = communication.identifier[0];
    assert.deepEqual(published(CC, communicationProfile, 'medcom-uuidv4', identifier, communication, bundle), {
      ok: true,
    });
    identifier.value = identifier.value.toUpperCase().replace('URN:UUID:', 'urn:uuid:');
    assert.deepEqual(published(CC, communicationProfile, 'medcom-uuidv4', identifier, communication, bundle), {
      ok: false,
    });
  });

  it('definition-url: a foreign MessageDefinition fails even the published (broken) regex', () => {
    const bundle = allContent();
    const header = one(bundle, 'MessageHeader');
    const profile = `${CC_SD}medcom-careCommunication-messageHeader`;
    const key = 'medcom-carecommunication-definition-url';
    assert.deepEqual(published(CC, profile, key, header.definition, header, bundle), { ok: true });
    assert.deepEqual(published(CC, profile, key, 'http://example.org/MessageDefinition/x', header, bundle), {
      ok: false,
    });
  });

  it('medcom-core-contact: a phone number without a digit', () => {
    const bundle = allContent();
    const communication = one(bundle, 'Communication');
    const profile = `${CORE}medcom-core-contact-extension`;
    const phone = communication.payload[0].extension.find((e: Json) => e.url === profile).valueContactPoint;
    assert.deepEqual(published(CC, profile, 'medcom-core-contact', phone.value, communication, bundle), { ok: true });
    assert.deepEqual(published(CC, profile, 'medcom-core-contact', 'ring til mig', communication, bundle), {
      ok: false,
    });
  });
});

describe('evaluation semantics', () => {
  const bundle = example(HN, 'Bundle-a5e5b880-c087-4055-b9ec-99108695f81d');
  const patient = one(bundle, 'Patient');
  const hooks = hooksFor(HN, bundle);
  const run = (expression: string, node: unknown = patient, contextPath = 'Patient', nodeType?: string) =>
    compiler.compile({ key: 'test-1', expression }, contextPath)!.evaluate(node, patient, patient, hooks, nodeType);

  it('truthiness as the HL7 validator: one boolean decides, empty fails, other non-empty results pass', () => {
    assert.deepEqual(run("name.family = 'Elmer'"), { ok: true });
    assert.deepEqual(run("name.family = 'Other'"), { ok: false });
    assert.deepEqual(run('name.prefix'), { ok: false }, 'empty');
    assert.deepEqual(run('name.family'), { ok: true }, 'a non-boolean value');
    assert.deepEqual(run('identifier | name'), { ok: true }, 'several items');
  });

  it('compile errors and runtime errors become error verdicts that name key, place and expression', () => {
    const broken = run('name.(family');
    assert.equal(broken.ok, 'error');
    assert.match((broken as { message: string }).message, /^invariant test-1 at Patient: expression does not compile/);
    assert.match((broken as { message: string }).message, /name\.\(family/);
    const runtime = run('%undefinedVariable.exists()');
    assert.equal(runtime.ok, 'error');
    assert.match((runtime as { message: string }).message, /evaluation failed: .*undefinedVariable/);
    const collection = run("(identifier.value | name.family).matches('x')");
    assert.equal(collection.ok, 'error', 'matches() on two values');
    assert.doesNotMatch((collection as { message: string }).message, /2509479989/, 'CPR numbers are masked');
  });

  it('compiles once per (constraint, context path)', () => {
    const constraint = { key: 'cache-1', expression: 'name.exists()' };
    assert.equal(compiler.compile(constraint, 'Patient'), compiler.compile({ ...constraint }, 'Patient'));
    assert.notEqual(compiler.compile(constraint, 'Patient'), compiler.compile(constraint, 'Practitioner'));
    assert.equal(compiler.compile({ key: 'no-expression' }, 'Patient'), undefined);
  });

  it('does not write into the instance it evaluates (no __path__, no changed JSON)', () => {
    const copy = structuredClone(bundle);
    const before = JSON.stringify(copy);
    published(HN, `${HN_SD}medcom-hospitalNotification-message`, 'medcom-hospitalNotification-2', copy, copy, copy);
    run('name.given.exists() or name.family.exists()', copy.entry[1].resource);
    assert.equal(JSON.stringify(copy), before);
    assert.ok(!Object.getOwnPropertyNames(copy.entry[1].resource.name[0]).includes('__path__'));
  });

  it('trace() in base invariants prints nothing', (t) => {
    const log = t.mock.method(console, 'log', () => undefined);
    assert.deepEqual(run("name.family.trace('family').exists()"), { ok: true });
    assert.equal(log.mock.callCount(), 0);
  });

  it('a primitive node: `value` reads as the value (HL7 engine), and htmlChecks() judges narratives', () => {
    const value = patient.identifier[0].value;
    assert.deepEqual(run("value.matches('^[0-9]{10}$')", value, 'Identifier.value'), { ok: true });
    assert.deepEqual(run("value.matches('^[a-z]+$')", value, 'Identifier.value'), { ok: false });
    assert.deepEqual(run("matches('^[0-9]{10}$')", value, 'Identifier.value'), { ok: true });
    const div = patient.text.div;
    assert.deepEqual(run('htmlChecks()', div, 'Narrative.div'), { ok: true });
    assert.deepEqual(run('hasValue()', div, 'Narrative.div'), { ok: true }, 'xhtml is a primitive');
    const script = '<div xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></div>';
    assert.deepEqual(run('htmlChecks()', script, 'Narrative.div'), { ok: false });
  });

  it('a choice element is typed by nodeType (or navigated untyped when the caller cannot say)', () => {
    const header = one(bundle, 'MessageHeader');
    const reference = header.extension.find((e: Json) => e.valueReference).valueReference;
    assert.deepEqual(run('reference.resolve().is(Organization)', reference, 'Extension.value[x]', 'Reference'), {
      ok: true,
    });
    assert.deepEqual(run('hasValue() or (children().count() > id.count())', reference, 'Extension.value[x]'), {
      ok: true,
    });
  });

  it('memberOf() uses the local terminology; a value set it cannot expand is an error, not a verdict', () => {
    const encounter = one(bundle, 'Encounter');
    const vs = "'http://medcomfhir.dk/ig/terminology/ValueSet/medcom-hospitalNotification-encounterClass'";
    const at = (expression: string) =>
      compiler.compile({ key: 'member-1', expression }, 'Encounter')!.evaluate(encounter, encounter, encounter, hooks);
    assert.deepEqual(at(`class.memberOf(${vs})`), { ok: true });
    encounter.class.code = 'AMB';
    assert.deepEqual(at(`class.memberOf(${vs})`), { ok: false });
    const unknown = at("class.memberOf('http://example.org/ValueSet/unknown')");
    assert.equal(unknown.ok, 'error');
    assert.match((unknown as { message: string }).message, /cannot be expanded locally/);
  });
});

describe('Bundle-local resolve()', () => {
  const original = example(CC, 'Bundle-gfd00bc2-9c26-4174-934e-f6e4360845de');
  const message = `${CC_SD}medcom-careCommunication-message`;

  it('resolves urn:uuid fullUrls, absolute references and relative Type/id alike', () => {
    const bundle = structuredClone(original);
    const uuidOf = new Map<string, string>();
    for (const entry of bundle.entry) {
      uuidOf.set(`${entry.resource.resourceType}/${entry.resource.id}`, `urn:uuid:${entry.resource.id}`);
      entry.fullUrl = `urn:uuid:${entry.resource.id}`;
    }
    // Rewrite every literal reference to its urn:uuid form.
    const rewrite = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(rewrite);
      else if (value && typeof value === 'object') {
        for (const [k, v] of Object.entries(value as Json)) {
          if (k === 'reference' && typeof v === 'string' && uuidOf.has(v)) (value as Json)[k] = uuidOf.get(v);
          else rewrite(v);
        }
      }
    };
    rewrite(bundle.entry);
    for (const key of ['medcom-careCommunication-11', 'medcom-careCommunication-12']) {
      assert.deepEqual(published(CC, message, key, bundle, bundle, bundle), { ok: true }, key);
    }
    // And the rule still bites in that form.
    one(bundle, 'MessageHeader').sender.reference = one(bundle, 'MessageHeader').destination[0].receiver.reference;
    assert.deepEqual(published(CC, message, 'medcom-careCommunication-11', bundle, bundle, bundle), { ok: false });
  });

  it('BundleIndex: absolute fullUrl, Type/id against the referring entry, #contained, unknown', () => {
    const index = new BundleIndex(original);
    const communication = one(original, 'Communication');
    const organization = 'Organization/c39b114b-a9c1-46bb-ac30-e3ce71f28c3a';
    assert.equal(index.resolve(organization, communication)?.id, 'c39b114b-a9c1-46bb-ac30-e3ce71f28c3a');
    assert.equal(
      index.resolve(`https://medcomfhir.dk/ig/carecommunication/${organization}`, undefined)?.id,
      'c39b114b-a9c1-46bb-ac30-e3ce71f28c3a',
    );
    assert.equal(
      index.resolve(`${organization}/_history/1`, communication)?.id,
      'c39b114b-a9c1-46bb-ac30-e3ce71f28c3a',
    );
    assert.equal(index.resolve(`http://other.example/fhir/${organization}`, communication), undefined);
    assert.equal(index.resolve('Organization/unknown', communication), undefined);
    const holder = { resourceType: 'Communication', contained: [{ resourceType: 'Practitioner', id: 'p1' }] };
    assert.equal(index.resolve('#p1', holder)?.resourceType, 'Practitioner');
    assert.equal(index.resolve('#p2', holder), undefined);
  });
});

describe('context paths', () => {
  it('types element paths and ids, including a choice type slice and recursive elements', () => {
    assert.deepEqual(elementContext('Identifier.value'), { base: 'Identifier.value', primitive: true });
    assert.deepEqual(elementContext('Extension.value[x]:valueContactPoint.value'), {
      base: 'ContactPoint.value',
      primitive: true,
    });
    assert.deepEqual(elementContext('Encounter.episodeOfCare:lpr3identifier.identifier.value'), {
      base: 'Identifier.value',
      primitive: true,
    });
    assert.deepEqual(elementContext('Bundle.entry'), { base: 'Bundle.entry', primitive: false });
    assert.deepEqual(elementContext('Communication.identifier'), {
      base: 'Communication.identifier',
      primitive: false,
    });
    assert.deepEqual(elementContext('Questionnaire.item.item.text'), {
      base: 'Questionnaire.item.text',
      primitive: true,
    });
    assert.deepEqual(elementContext('Extension.value[x]'), { base: undefined, primitive: undefined });
    assert.deepEqual(elementContext('NoSuchType.value'), { base: undefined, primitive: undefined });
  });

  it('reads a leading `value` as %context only where it starts a path from the context', () => {
    assert.equal(readPrimitiveValueAsContext("value.matches('x')"), "%context.matches('x')");
    assert.equal(
      readPrimitiveValueAsContext(
        '((value.substring(0,1).toInteger()*2)+(value.substring(1,1).toInteger()*7)) mod(11)=0',
      ),
      '((%context.substring(0,1).toInteger()*2)+(%context.substring(1,1).toInteger()*7)) mod(11)=0',
    );
    assert.equal(readPrimitiveValueAsContext("iif(value = 'a', true, false)"), "iif(%context = 'a', true, false)");
    for (const unchanged of [
      "matches('value')",
      'extension.value.exists()',
      'extension.where(value.exists())',
      '`value`',
    ]) {
      assert.equal(readPrimitiveValueAsContext(unchanged), unchanged);
    }
  });
});
