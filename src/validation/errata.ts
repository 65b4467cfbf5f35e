// The errata table: every invariant MedCom published broken, and the HL7 R4 base invariants the HL7 validator runs in
// a corrected form, as data with a reason, a source and a test (test/validation/errata.test.ts).
//
// How the validator reports them (decided here, implemented by the validator):
// - `published: 'evaluate'` — the published expression runs exactly as written, with the HL7 validator's engine
//   semantics (invariants.ts), and its verdict is reported under the constraint key with the declared severity.
//   That is what the HL7 validator reports, so our results stay comparable with the IG QA files.
// - `published: 'replace'` — HL7 base invariants the HL7 validator itself does not run as published (its
//   FHIRPathExpressionFixer substitutes a corrected expression, because the published one fails valid instances):
//   we run the same correction, `replacement`, and report it under the original key, as the HL7 validator does.
// - `published: 'skip'` — the published expression is not run (see `why`); nothing is reported for it. (No row needs
//   this today: every base invariant that misfires on valid examples has an HL7 replacement instead.)
// - `intent` — a FHIRPath expression, compiled by `InvariantCompiler.compileIntent` and run at the same node and with
//   the same %resource/%rootResource as the published one. Its failures are reported with rule `<key>#intent`,
//   severity error and the `instead` text: MedCom's documented rule, which the published expression fails to check.
//   Intent expressions may use `%bundle` (the Bundle the resource lives in; empty when validated on its own).

export interface Erratum {
  readonly key: string;
  /** Canonicals (without version) of the profiles that declare or inherit the constraint; absent = any profile. */
  readonly profiles?: readonly string[];
  /** The published expression(s) this row is about, compared whitespace-insensitively; absent = any. */
  readonly expressions?: readonly string[];
  readonly why: string;
  /** What we check instead: the intent, as a sentence (also the message of `#intent` issues). */
  readonly instead: string;
  /** Where the defect is documented: doc section, QA line, package file. */
  readonly source: string;
  readonly published: 'evaluate' | 'replace' | 'skip';
  /** With `published: 'replace'`: the expression run instead, reported under the original key. */
  readonly replacement?: string;
  /** FHIRPath of the intent, evaluated at the constraint's own context. */
  readonly intent?: string;
}

const MESSAGING = 'http://medcomfhir.dk/ig/messaging/StructureDefinition/';
const HN = 'http://medcomfhir.dk/ig/hospitalnotification/StructureDefinition/';
const CC = 'http://medcomfhir.dk/ig/carecommunication/StructureDefinition/';
const ACK = 'http://medcomfhir.dk/ig/acknowledgement/StructureDefinition/';
const CORE = 'http://medcomfhir.dk/ig/core/StructureDefinition/';
const DK_CORE = 'http://hl7.dk/fhir/core/StructureDefinition/';
const TERMINOLOGY = 'http://medcomfhir.dk/ig/terminology/';

/** Bundles built on messaging 2.1.0 inherit its Bundle invariants. */
const MESSAGING_2_BUNDLES = [
  `${MESSAGING}medcom-messaging-message`,
  `${HN}medcom-hospitalNotification-message`,
  `${ACK}medcom-messaging-acknowledgement`,
];

const VACUOUS_OFTYPE =
  '`entry.ofType(X)` filters Bundle.entry (a BackboneElement), which is never of resource type X, so `all()` runs on ' +
  'an empty collection and is always true';

const HL7_FIXER =
  'HL7 validator FHIRPathExpressionFixer (hapifhir/org.hl7.fhir.core, org.hl7.fhir.validation …/instance/utils)';

// R4 canonical resources' name rule (inv-0 and its per-resource copies): unanchored, and fails when `name` is absent.
const NAME_RULE = "name.matches('[A-Z]([A-Za-z0-9_]){0,254}')";
const NAME_RULE_KEYS = (
  'adf-0 cpb-0 cid-0 csd-0 cpd-0 cmd-0 ees-0 evd-0 evi-0 evv-0 esc-0 gdf-0 ig-0 lib-0 mea-0 ' +
  'msd-0 inv-0 nsd-0 opd-0 pdf-0 que-0 rsd-0 red-0 rvs-0 spd-0 sdf-0 smp-0 tcp-0 tst-0 vsd-0'
).split(' ');

const REF_1 =
  "reference.startsWith('#').not() or (reference.substring(1).trace('url') in %rootResource.contained.id.trace('ids'))";

/** HL7 R4 base invariants that the HL7 validator replaces before running them. */
const BASE_R4_ERRATA: readonly Erratum[] = [
  {
    key: 'ref-1',
    expressions: [REF_1],
    why:
      'A Reference without `reference` (identifier-only, as HN Encounter.episodeOfCare and CC Provenance.entity.what ' +
      'are) makes both sides empty, and an empty verdict fails; a bare `#` (the containing resource) fails too.',
    instead: 'A local `#id` reference points to a contained resource of the root resource.',
    source: `${HL7_FIXER}, ref-1 (R4/R4B)`,
    published: 'replace',
    replacement: `reference.exists() implies (reference = '#' or (${REF_1}))`,
  },
  {
    key: 'bdl-8',
    expressions: ["fullUrl.contains('/_history/').not()"],
    why: 'An entry without fullUrl (allowed) makes the expression empty, which fails.',
    instead: 'A fullUrl, when present, is not version specific.',
    source: `${HL7_FIXER}, bld-8`,
    published: 'replace',
    replacement: "fullUrl.exists() implies fullUrl.contains('/_history/').not()",
  },
  {
    key: 'dom-6',
    expressions: ['text.`div`.exists()'],
    why: 'Contained resources need no narrative of their own; the HL7 validator asks for it only on the root resource.',
    instead: 'A root resource has a narrative (best practice, warning).',
    source: `${HL7_FIXER}, dom-6`,
    published: 'replace',
    replacement: '(%rootResource != $this) or text.`div`.exists()',
  },
  {
    key: 'que-12',
    expressions: ['enableWhen.count() > 2 implies enableBehavior.exists()'],
    why: 'Off by one: enableBehavior is needed as soon as there are two enableWhen conditions.',
    instead: 'An item with two or more enableWhen conditions states enableBehavior.',
    source: `${HL7_FIXER}, que-12`,
    published: 'replace',
    replacement: 'enableWhen.count() >= 2 implies enableBehavior.exists()',
  },
  {
    key: 'ras-2',
    expressions: ['probability is decimal implies (probability as decimal) <= 100'],
    why: 'Without a probability the expression is empty, which fails.',
    instead: 'A decimal probability is at most 100.',
    source: `${HL7_FIXER}, ras-2`,
    published: 'replace',
    replacement: '(probability.exists() and (probability is decimal)) implies ((probability as decimal) <= 100)',
  },
  ...NAME_RULE_KEYS.map((key): Erratum => ({
    key,
    expressions: [NAME_RULE],
    why: 'Unanchored, and a resource without `name` (allowed) makes the expression empty, which fails.',
    instead: 'A name, when present, is a computer-friendly name: an upper-case letter, then letters, digits or _.',
    source: `${HL7_FIXER}, name.matches rule`,
    published: 'replace',
    replacement: "name.exists() implies name.matches('^[A-Z]([A-Za-z0-9_]){0,254}$')",
  })),
];

export const ERRATA: readonly Erratum[] = [
  ...BASE_R4_ERRATA,
  {
    key: 'medcom-messaging-1',
    profiles: MESSAGING_2_BUNDLES,
    expressions: [
      "entry.ofType(MessageHeader).all(resource.conformsTo('http://medcomfhir.dk/fhir/messaging/StructureDefinition/medcom-messaging-messageHeader'))",
    ],
    why: `${VACUOUS_OFTYPE}; the canonical http://medcomfhir.dk/fhir/messaging/… does not exist either (profiles live under /ig/messaging/).`,
    instead: 'The first entry is a MessageHeader conforming to MedComMessagingMessageHeader.',
    source:
      'medcom-fhir.md §7 and §2.7 (messaging 2.1.0); messaging 3.0.0–4.0.1 wrote it as entry[0].resource.ofType(MessageHeader).conformsTo(…/ig/messaging/…)',
    published: 'evaluate',
    intent: `entry.first().resource.conformsTo('${MESSAGING}medcom-messaging-messageHeader')`,
  },
  {
    key: 'medcom-messaging-3',
    profiles: MESSAGING_2_BUNDLES,
    expressions: [
      "entry.ofType(Provenance).all(resource.conformsTo('http://medcomfhir.dk/fhir/messaging/StructureDefinition/medcom-messaging-provenance'))",
    ],
    why: `${VACUOUS_OFTYPE}; the canonical http://medcomfhir.dk/fhir/messaging/… does not exist either.`,
    instead: 'Every Provenance conforms to MedComMessagingProvenance.',
    source: 'medcom-fhir.md §7 and §2.7 (messaging 2.1.0)',
    published: 'evaluate',
    intent: `entry.resource.ofType(Provenance).all(conformsTo('${MESSAGING}medcom-messaging-provenance'))`,
  },
  {
    key: 'medcom-hospitalNotification-1',
    profiles: [`${HN}medcom-hospitalNotification-message`],
    expressions: [
      "entry.ofType(MessageHeader).all(resource.conformsTo('http://medcomfhir.dk/fhir/hospitalnotification/StructureDefinition/medcom-hospitalNotification-messageHeader'))",
    ],
    why: `${VACUOUS_OFTYPE}; the canonical uses /fhir/ instead of /ig/.`,
    instead: 'The MessageHeader (first entry) conforms to MedComHospitalNotificationMessageHeader.',
    source:
      "shared/medcom/qa/hospitalnotification-3.0.2/qa.txt: \"Error in constraint 'medcom-hospitalNotification-1' … The name 'resource' is not valid\"; medcom-fhir.md §7",
    published: 'evaluate',
    intent: `entry.first().resource.conformsTo('${HN}medcom-hospitalNotification-messageHeader')`,
  },
  {
    key: 'medcom-hospitalNotification-3',
    profiles: [`${HN}medcom-hospitalNotification-message`],
    expressions: [
      "entry.ofType(Provenance).all(resource.activity.memberOf('http://medcomfhir.dk/fhir/dk-medcom-terminology/ValueSet/medcom-hospitalNotification-messageActivities'))",
    ],
    why:
      `${VACUOUS_OFTYPE}; the value set canonical does not exist (it is https://medcomfhir.dk/ig/terminology/ValueSet/… ` +
      'in terminology 1.x and http://… from 2.0.1; Terminology accepts both schemes).',
    instead:
      'Every Provenance activity is in value set medcom-hospitalNotification-messageActivities (the 18 HN activity codes).',
    source:
      "shared/medcom/qa/hospitalnotification-3.0.2/qa.txt: \"Error in constraint 'medcom-hospitalNotification-3' … The name 'resource' is not valid\"; medcom-fhir.md §3.1, §7",
    published: 'evaluate',
    intent: `entry.resource.ofType(Provenance).all(activity.memberOf('${TERMINOLOGY}ValueSet/medcom-hospitalNotification-messageActivities'))`,
  },
  {
    key: 'medcom-hospitalNotification-4',
    profiles: [`${HN}medcom-hospitalNotification-message`],
    expressions: ["entry.resource.ofType(Patient).identifier.system = 'urn:oid:1.2.208.176.1.2'"],
    why:
      'The left side is a collection (every identifier of every Patient): a patient with a second identifier, or two ' +
      'patients, make `=` false although each patient is identified by CPR.',
    instead:
      'Every Patient has an identifier, and all its identifiers are CPR numbers (system urn:oid:1.2.208.176.1.2).',
    source:
      'shared/medcom/qa/hospitalnotification-3.0.2/qa.txt: "medcom-hospitalNotification-4: The left side is inherently a collection"; medcom-fhir.md §2.4, §7',
    published: 'evaluate',
    intent:
      "entry.resource.ofType(Patient).all(identifier.exists() and identifier.all(system = 'urn:oid:1.2.208.176.1.2'))",
  },
  {
    key: 'medcom-hospitalNotification-5',
    profiles: [`${HN}medcom-hospitalNotification-message`],
    expressions: ["Bundle.entry.resource.ofType(MessageHeader).destination.extension.value.code = 'primary'"],
    why:
      'The left side is a collection (the value code of every extension of every destination): any further ' +
      'destination extension makes `=` false even when the single destination is primary.',
    instead: 'The MessageHeader has exactly one destination, and its destination-use extension is `primary`.',
    source:
      'shared/medcom/qa/hospitalnotification-3.0.2/qa.txt: "medcom-hospitalNotification-5: The left side is inherently a collection"; medcom-fhir.md §7',
    published: 'evaluate',
    intent:
      'entry.resource.ofType(MessageHeader).all(destination.count() = 1 and destination.all(' +
      `extension('${MESSAGING}medcom-messaging-destinationUseExtension').value.code = 'primary'))`,
  },
  {
    key: 'medcom-careCommunication-15',
    profiles: [`${CC}medcom-careCommunication-communication`],
    expressions: [
      'iif(encounter.exists(), Communication.encounter.reference.exists(), Communication.encounter.exists().not())',
    ],
    why:
      'Tautological: when `encounter` exists it only asks for a literal reference, otherwise it restates the ' +
      'condition; it never relates Communication.encounter to the Encounter in the Bundle.',
    instead:
      'Communication.encounter is present exactly when the Bundle carries an Encounter, and then references a bundled Encounter.',
    source:
      'medcom-fhir.md §7 (CC-15 row) and §4.2; the unpublished CareCommunication source 5.0.4 reworks it as a Bundle rule',
    published: 'evaluate',
    intent:
      '%bundle.empty() or iif(%bundle.entry.resource.ofType(Encounter).exists(), ' +
      'encounter.reference.resolve().ofType(Encounter).exists(), encounter.empty())',
  },
  {
    key: 'medcom-carecommunication-definition-url',
    profiles: [`${CC}medcom-careCommunication-messageHeader`],
    expressions: [
      "matches('^http://medcomfhir.dk/ig/messagedefinitions/MessageDefinition/MedComCareCommunicationMessageDefinition|5[.][0-9]{1,2}$')",
    ],
    why:
      'The unescaped `|` is regex alternation: the expression accepts anything that starts with the definition URL ' +
      '(e.g. `…Definition|6.0`) or ends with `5.<digits>`.',
    instead:
      'MessageHeader.definition is http://medcomfhir.dk/ig/messagedefinitions/MessageDefinition/MedComCareCommunicationMessageDefinition|5.<1–2 digits>.',
    source: 'medcom-fhir.md §7 and §4.5; fixed in the unpublished CareCommunication source 5.0.4 as `[|]`',
    published: 'evaluate',
    intent:
      "matches('^http://medcomfhir[.]dk/ig/messagedefinitions/MessageDefinition/MedComCareCommunicationMessageDefinition[|]5[.][0-9]{1,2}$')",
  },
  {
    key: 'uuidv5',
    profiles: [`${DK_CORE}lpr3-Identifier`, `${CORE}lpr3-Identifier`, `${CORE}medcom-core-encounter`],
    expressions: [
      "value.matches('urn:uuid:[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[5][a-fA-F0-9]{3}-[89aAbB][a-fA-F0-9]{3}-[a-fA-F0-9]{12}')",
      "matches('urn:uuid:[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[5][a-fA-F0-9]{3}-[89aAbB][a-fA-F0-9]{3}-[a-fA-F0-9]{12}')",
    ],
    why:
      'Unanchored, so any value that merely contains urn:uuid:<v5 UUID> passes. Core/dk-core 2.x also write ' +
      '`value.matches` on the value itself: the HL7 validator reads that `value` as the primitive (and does fire on ' +
      'v4 UUIDs), plain fhirpath.js yields empty; we follow the HL7 validator (primitive-value-compat.ts).',
    instead: 'An LPR3 episode-of-care identifier value is exactly `urn:uuid:` followed by a version-5 UUID.',
    source: 'medcom-fhir.md §7 (uuidv5 row), §3.1, §8',
    published: 'evaluate',
    intent:
      "matches('^urn:uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-5[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$')",
  },
  {
    key: 'medcom-uuidv4',
    profiles: [
      `${CC}medcom-careCommunication-communication`,
      `${CORE}medcom-assigned-identifier`,
      `${CORE}medcom-core-diagnosticreport`,
      `${CORE}medcom-core-observation`,
    ],
    expressions: [
      "value.matches('urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}')",
      "matches('urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}')",
    ],
    why: 'Unanchored: `urn:uuid:<uuid>` followed or preceded by anything passes (upper-case hex does not, by design).',
    instead:
      'The identifier value is exactly `urn:uuid:` followed by a lower-case UUID. (The version nibble is not checked: ' +
      'MedCom’s own CareCommunication examples carry a version-1 segment id, urn:uuid:cd422e42-5bad-11ed-….)',
    source: 'medcom-fhir.md §7 (medcom-uuidv4 row), §4.2, §8',
    published: 'evaluate',
    // `value` is the Identifier's child at Communication.identifier and the primitive itself at Identifier.value.
    intent: "value.matches('^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$')",
  },
  {
    key: 'medcom-core-contact',
    profiles: [`${CORE}medcom-core-contact-extension`],
    expressions: ["matches('[+]?[-0-9]')"],
    why: 'Unanchored and unquantified: any value containing a single digit or hyphen passes.',
    instead: 'The phone number consists of an optional leading `+` followed only by digits and hyphens.',
    source: 'medcom-fhir.md §7 (medcom-core-contact row), §4.3',
    published: 'evaluate',
    intent: "matches('^[+]?[-0-9]+$')",
  },
];

/** The rule id an intent check's issues carry. */
export function intentRule(key: string): string {
  return `${key}#intent`;
}

/**
 * The erratum for a constraint, if any. `profileUrl` is the canonical (a `|version` is ignored) of the profile whose
 * snapshot carries the constraint. Pass the constraint's `expression` too: rows that name their published
 * expressions then apply only to that text, because fixed releases keep the key (messaging 4.0.1's
 * medcom-messaging-1 is correct and shares its profile URL with the broken 2.1.0 one).
 */
export function erratumFor(key: string, profileUrl: string, expression?: string): Erratum | undefined {
  const rows = ROWS_BY_KEY.get(key);
  if (!rows) return undefined;
  const profile = profileUrl.split('|')[0]!;
  const text = expression === undefined ? undefined : normalise(expression);
  return rows.find(
    ({ row, expressions }) =>
      (!row.profiles || row.profiles.includes(profile)) &&
      (text === undefined || !expressions || expressions.includes(text)),
  )?.row;
}

// Looked up once per constraint of every compiled profile: index the table by key, expressions pre-normalised.
const ROWS_BY_KEY = new Map<string, { row: Erratum; expressions: string[] | undefined }[]>();
for (const row of ERRATA) {
  const rows = ROWS_BY_KEY.get(row.key) ?? [];
  rows.push({ row, expressions: row.expressions?.map(normalise) });
  ROWS_BY_KEY.set(row.key, rows);
}

function normalise(expression: string): string {
  return expression.replace(/\s+/g, ' ').trim();
}
