/**
 * Provenance chains (MedComMessagingProvenance, GOV 050 §4.1). Every message carries one Provenance per exchange it has
 * been part of: a new message copies all earlier Provenances unchanged and adds its own, whose `target` is its own
 * MessageHeader. That added one is the "current" Provenance; its activity says what the message is, and its `entity`
 * points at the message it revises or removes — a FHIR MessageHeader, or an OIOXML/EDIFACT letter by
 * `[lokationsnummer]#[brevid]`.
 */
import {
  entriesOfType,
  messageHeaderOf,
  messageName,
  parseReference,
  referencePoints,
  type Located,
} from './bundle.ts';
import { parseInstant } from './clock.ts';
import { MessageModelError } from './errors.ts';
import type { MessageBundle, Provenance, ProvenanceEntity } from './fhir-types.ts';
import { tableNarrative } from './narrative.ts';

export const ACTIVITY_CODE_SYSTEM = 'http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-messaging-activityCodes';
export const MESSAGING_PROVENANCE_PROFILE =
  'http://medcomfhir.dk/ig/messaging/StructureDefinition/medcom-messaging-provenance';

/** Generic activities (medcom-messaging-activityCodes; identical in terminology 1.1.1 … 2.0.2). */
export const GENERIC_ACTIVITIES = [
  'new-message',
  'forward-message',
  'reply-message',
  'retract-message',
  'modified-message',
  'carboncopy-message',
  'acknowledgement',
] as const;

/** HospitalNotification activities (VS medcom-hospitalNotification-messageActivities). There is no death activity. */
export const HOSPITAL_NOTIFICATION_ACTIVITIES = [
  'admit-emergency',
  'revise-admit-emergency',
  'cancel-admit-emergency',
  'admit-inpatient',
  'revise-admit-inpatient',
  'cancel-admit-inpatient',
  'start-leave-inpatient',
  'revise-start-leave-inpatient',
  'cancel-start-leave-inpatient',
  'end-leave-inpatient',
  'revise-end-leave-inpatient',
  'cancel-end-leave-inpatient',
  'discharge-emergency-home',
  'discharge-inpatient-home',
  'revise-discharge-emergency-home',
  'revise-discharge-inpatient-home',
  'cancel-discharge-emergency-home',
  'cancel-discharge-inpatient-home',
] as const;

export type GenericActivity = (typeof GENERIC_ACTIVITIES)[number];
export type HospitalNotificationActivity = (typeof HOSPITAL_NOTIFICATION_ACTIVITIES)[number];
export type ActivityCode = GenericActivity | HospitalNotificationActivity;

const ALL_ACTIVITIES: ReadonlySet<string> = new Set([...GENERIC_ACTIVITIES, ...HOSPITAL_NOTIFICATION_ACTIVITIES]);

export function isActivityCode(code: string): code is ActivityCode {
  return ALL_ACTIVITIES.has(code);
}

/** What a new message relates to. */
export type Predecessor =
  | { readonly kind: 'message'; readonly messageHeaderId: string }
  | { readonly kind: 'oioxml'; readonly gln: string; readonly letterId: string };

export type EntityRole = 'revision' | 'removal' | 'source';

export interface EntityInput {
  readonly role: EntityRole;
  /** A predecessor message, or a bare identifier value (CC payload segments). */
  readonly what: Predecessor | { readonly kind: 'identifier'; readonly value: string };
}

/** `[lokationsnummer]#[brevid]` — the order the Provenance profiles define. */
export function formatOioxmlReference(gln: string, letterId: string): string {
  return `${gln}#${letterId}`;
}

/**
 * Reads `GLN#letterId`, also in the reversed order one CC example uses (`letterId#GLN`): the part that is exactly 13
 * digits is the GLN. When both or neither part is 13 digits the profile order wins.
 */
export function parseOioxmlReference(value: string): { gln: string; letterId: string } | undefined {
  const hash = value.indexOf('#');
  if (hash <= 0 || hash === value.length - 1 || value.indexOf('#', hash + 1) >= 0) return undefined;
  const first = value.slice(0, hash);
  const second = value.slice(hash + 1);
  const isGln = (s: string) => /^[0-9]{13}$/.test(s);
  return !isGln(first) && isGln(second) ? { gln: second, letterId: first } : { gln: first, letterId: second };
}

function entity(input: EntityInput): ProvenanceEntity {
  const what = input.what;
  switch (what.kind) {
    case 'message':
      return { role: input.role, what: { reference: `MessageHeader/${what.messageHeaderId}` } };
    case 'oioxml':
      return { role: input.role, what: { identifier: { value: formatOioxmlReference(what.gln, what.letterId) } } };
    case 'identifier':
      return { role: input.role, what: { identifier: { value: what.value } } };
  }
}

export interface ProvenanceInput {
  readonly id: string;
  /** The MessageHeader of the message this Provenance is created in. */
  readonly messageHeaderId: string;
  /** Send time, written to both occurredDateTime and recorded (they are equal unless sending is delayed). */
  readonly occurred: string;
  readonly recorded?: string;
  readonly activity: ActivityCode;
  /** Organization entry id of the sender performing the activity. */
  readonly agentOrganizationId: string;
  readonly entities?: readonly EntityInput[];
  /** meta.profile; CareCommunication uses its own Provenance profile (CC-3). */
  readonly profile?: string;
}

export function provenanceResource(input: ProvenanceInput): Provenance {
  const entities = input.entities?.map(entity) ?? [];
  return {
    resourceType: 'Provenance',
    id: input.id,
    meta: { profile: [input.profile ?? MESSAGING_PROVENANCE_PROFILE] },
    text: tableNarrative(`Provenance for MessageHeader ${input.messageHeaderId}`, [
      ['Activity', input.activity],
      ['Occurred', input.occurred],
      ...entities.map((e): [string, string | undefined] => [
        `Entity (${e.role})`,
        e.what.reference ?? e.what.identifier?.value,
      ]),
    ]),
    target: [{ reference: `MessageHeader/${input.messageHeaderId}` }],
    occurredDateTime: input.occurred,
    recorded: input.recorded ?? input.occurred,
    activity: { coding: [{ system: ACTIVITY_CODE_SYSTEM, code: input.activity }] },
    agent: [{ who: { reference: `Organization/${input.agentOrganizationId}` } }],
    ...(entities.length ? { entity: entities } : {}),
  };
}

export function provenancesOf(bundle: MessageBundle): Located<Provenance>[] {
  return entriesOfType<Provenance>(bundle, 'Provenance');
}

/** Deep copies of every Provenance of `previous`, unchanged, in Bundle order — the start of the next message's chain. */
export function copyProvenances(previous: MessageBundle): Provenance[] {
  return provenancesOf(previous).map((p) => structuredClone(p.resource));
}

function targetsHeader(provenance: Partial<Provenance>, headerId: string): boolean {
  return (
    Array.isArray(provenance.target) &&
    provenance.target.some((t) => referencePoints(t?.reference, 'MessageHeader', headerId))
  );
}

/** The Provenance created with this message: its target is this message's MessageHeader. */
export function currentProvenance(bundle: MessageBundle): Located<Provenance> | undefined {
  const headerId = messageHeaderOf(bundle).id;
  return provenancesOf(bundle).find((p) => targetsHeader(p.resource, headerId));
}

export function requireCurrentProvenance(bundle: MessageBundle): Located<Provenance> {
  const found = currentProvenance(bundle);
  if (!found) {
    throw new MessageModelError(
      'no Provenance targets this message',
      'Bundle.entry.resource.ofType(Provenance).target',
      `a Provenance with target MessageHeader/${messageHeaderOf(bundle).id}`,
      messageName(bundle),
    );
  }
  return found;
}

/** What a Provenance entity points at, read leniently. */
export type EntityTarget =
  | { readonly kind: 'message'; readonly messageHeaderId: string }
  | { readonly kind: 'oioxml'; readonly gln: string; readonly letterId: string }
  | { readonly kind: 'identifier'; readonly value: string };

export interface ProvenanceEntityLink {
  readonly role: string;
  readonly target: EntityTarget;
}

/** One Provenance of a chain, flattened for readers. */
export interface ProvenanceLink {
  readonly id: string;
  /** MessageHeader id of the message the Provenance was created in. */
  readonly messageHeaderId: string | undefined;
  readonly activity: string | undefined;
  readonly occurred: string | undefined;
  readonly recorded: string | undefined;
  /** `recorded`, else `occurredDateTime`, as a moment; undefined when neither is a full instant with zone. */
  readonly time: Date | undefined;
  readonly agent: string | undefined;
  readonly entities: readonly ProvenanceEntityLink[];
}

function entityTarget(e: Partial<ProvenanceEntity>): EntityTarget | undefined {
  const reference = e.what?.reference;
  if (typeof reference === 'string') {
    const parsed = parseReference(reference);
    if (parsed?.type === 'MessageHeader') return { kind: 'message', messageHeaderId: parsed.id };
  }
  const value = e.what?.identifier?.value;
  if (typeof value === 'string') {
    const oioxml = parseOioxmlReference(value);
    return oioxml ? { kind: 'oioxml', ...oioxml } : { kind: 'identifier', value };
  }
  return undefined;
}

export function provenanceLink(provenance: Partial<Provenance>): ProvenanceLink {
  const target = Array.isArray(provenance.target) ? provenance.target[0]?.reference : undefined;
  const parsedTarget = typeof target === 'string' ? parseReference(target) : undefined;
  const occurred = typeof provenance.occurredDateTime === 'string' ? provenance.occurredDateTime : undefined;
  const recorded = typeof provenance.recorded === 'string' ? provenance.recorded : undefined;
  const coding =
    provenance.activity?.coding?.find((c) => c?.system === ACTIVITY_CODE_SYSTEM) ?? provenance.activity?.coding?.[0];
  const entities: ProvenanceEntityLink[] = [];
  for (const e of Array.isArray(provenance.entity) ? provenance.entity : []) {
    const t = entityTarget(e);
    if (t && typeof e.role === 'string') entities.push({ role: e.role, target: t });
  }
  const agent = Array.isArray(provenance.agent) ? provenance.agent[0]?.who?.reference : undefined;
  return {
    id: typeof provenance.id === 'string' ? provenance.id : '',
    messageHeaderId: parsedTarget?.type === 'MessageHeader' ? parsedTarget.id : undefined,
    activity: typeof coding?.code === 'string' ? coding.code : undefined,
    occurred,
    recorded,
    time: (recorded && parseInstant(recorded)) || (occurred && parseInstant(occurred)) || undefined,
    agent: typeof agent === 'string' ? agent : undefined,
    entities,
  };
}

/** The whole chain, oldest first (by Provenance time; Bundle order breaks ties and places undated links). */
export function provenanceChain(bundle: MessageBundle): ProvenanceLink[] {
  const links = provenancesOf(bundle).map((p, order) => ({ link: provenanceLink(p.resource), order }));
  links.sort((a, b) => {
    const ta = a.link.time?.getTime();
    const tb = b.link.time?.getTime();
    if (ta !== undefined && tb !== undefined && ta !== tb) return ta - tb;
    return a.order - b.order;
  });
  return links.map((l) => l.link);
}

/** The predecessor the current Provenance revises or removes (the first `revision`/`removal` entity). */
export function predecessorOf(
  link: ProvenanceLink,
): (ProvenanceEntityLink & { role: 'revision' | 'removal' }) | undefined {
  return link.entities.find(
    (e): e is ProvenanceEntityLink & { role: 'revision' | 'removal' } => e.role === 'revision' || e.role === 'removal',
  );
}
