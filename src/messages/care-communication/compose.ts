/**
 * Composes one CareCommunication Bundle from decided parts. The three builders (new, reply, forward) differ only in
 * what they decide — thread id, activity, predecessor, earlier segments and Provenances — and all end here, so the
 * message shape (entry order, profiles, narratives, CC-1…CC-15) is written in one place.
 */
import { assembleMessage, fullUrlBase, referenceTo } from '../bundle.ts';
import type { BuildContext } from '../build-context.ts';
import { formatDateTime } from '../clock.ts';
import { MessageModelError } from '../errors.ts';
import type {
  Extension,
  FhirResource,
  MessageBundle,
  Organization,
  Patient,
  Provenance,
  Reference,
} from '../fhir-types.ts';
import { toUrnUuid } from '../ids.ts';
import { messageHeader } from '../message-header.ts';
import { tableNarrative } from '../narrative.ts';
import { messagingOrganization, type MessagingParty } from '../parties.ts';
import { provenanceResource, type EntityInput, type Predecessor } from '../provenance.ts';
import {
  authorKey,
  authorResources,
  careTeamResource,
  checkAuthor,
  type Practitioner,
  type PractitionerRole,
} from './authors.ts';
import { encounterResource } from './encounter.ts';
import type { Actor, Author, EpisodeOfCareInput, SegmentInput } from './model.ts';
import { checkSegmentInput, fhirText, payloadElement, type Payload } from './segments.ts';
import { enforceSizeLimit, type MessageSizeLimit } from './size-limit.ts';
import {
  CC_EVENT_CODE,
  CC_EXTENSION,
  CC_MESSAGE_DEFINITION,
  CC_PROFILE,
  CATEGORY_SYSTEM,
  CARE_COMMUNICATION_PRIORITIES,
  isCareCommunicationCategory,
  type CareCommunicationActivity,
} from './vocabulary.ts';

type IdentifiedResource = FhirResource & { readonly id: string };

/** An actor already bundled (carried over from the previous message), referenced as it is. */
export type ActorChoice =
  { readonly kind: 'new'; readonly actor: Actor } | { readonly kind: 'carried'; readonly reference: Reference };

export interface Composition {
  readonly context: BuildContext;
  readonly sizeLimit: MessageSizeLimit;
  readonly activity: CareCommunicationActivity;
  readonly predecessor?: Predecessor;
  /** `urn:uuid:` thread id; a new one is generated when absent. */
  readonly threadId?: string;
  readonly sender: { readonly party: MessagingParty; readonly organizationId?: string };
  readonly receiver: { readonly party: MessagingParty; readonly organizationId?: string };
  /** The Patient entry (built or carried). */
  readonly patient: Patient;
  readonly category: string;
  readonly priority?: string;
  readonly topic?: string;
  /** Segments repeated from earlier messages, already in their final form (reply: attachments stripped). */
  readonly earlierPayload: readonly Payload[];
  readonly newSegments: readonly SegmentInput[];
  readonly earlierProvenances: readonly Provenance[];
  /** Resources the earlier payload and Provenances refer to. */
  readonly carried: readonly IdentifiedResource[];
  readonly senderActor?: ActorChoice;
  readonly recipient?: ActorChoice;
  readonly episodeOfCare?: EpisodeOfCareInput;
}

function refuse(problem: string, location: string, expected: string): never {
  throw new MessageModelError(problem, location, expected);
}

/** CC-5, CC-6 and the bindings of category and priority, checked before anything is built. */
function checkCommunicationSettings(c: Composition): void {
  if (!isCareCommunicationCategory(c.category)) {
    refuse(
      `unknown category ${JSON.stringify(c.category)}`,
      'Communication.category.coding.code',
      'a code of medcom-careCommunication-categories',
    );
  }
  if (c.priority !== undefined) {
    if (!(CARE_COMMUNICATION_PRIORITIES as readonly string[]).includes(c.priority)) {
      refuse(`unknown priority ${JSON.stringify(c.priority)}`, 'Communication.priority', "'routine' or 'asap'");
    }
    if (c.category !== 'regarding-referral') {
      refuse(
        `priority given with category ${c.category}`,
        'Communication.priority',
        "no priority unless category is 'regarding-referral' (CC-5)",
      );
    }
  }
  if (c.topic !== undefined && c.topic.trim() === '') {
    refuse('topic is empty', 'Communication.topic.text', 'a non-empty topic text');
  }
  if (c.category === 'other' && c.topic === undefined) {
    refuse("category 'other' without a topic", 'Communication.topic.text', "a topic when category is 'other' (CC-6)");
  }
  if (c.newSegments.length === 0) {
    refuse(
      'the message adds no segment',
      'Communication.payload',
      'at least one new segment (Provenance entity:payload 1..*)',
    );
  }
  const first = c.earlierPayload.length;
  c.newSegments.forEach((s, i) => checkSegmentInput(s, `Communication.payload[${first + i}]`));
  const hasText =
    c.newSegments.some((s) => s.kind === 'text') || c.earlierPayload.some((p) => typeof p.contentString === 'string');
  if (!hasText) {
    refuse(
      'the message has no text segment',
      'Communication.payload',
      'at least one text segment (payload:string 1..*)',
    );
  }
}

/** Creates PractitionerRole/Practitioner pairs once per distinct author and organisation. */
class AuthorBook {
  readonly roles: PractitionerRole[] = [];
  readonly practitioners: Practitioner[] = [];
  readonly #byKey = new Map<string, string>();

  constructor(private readonly context: BuildContext) {}

  roleFor(author: Author, organizationId: string): string {
    const key = `${organizationId}|${authorKey(author)}`;
    let id = this.#byKey.get(key);
    if (!id) {
      const built = authorResources(
        author,
        { practitioner: this.context.ids(), role: this.context.ids() },
        organizationId,
      );
      this.roles.push(built.role);
      this.practitioners.push(built.practitioner);
      id = built.role.id;
      this.#byKey.set(key, id);
    }
    return id;
  }
}

export function composeCareCommunication(c: Composition): MessageBundle {
  checkCommunicationSettings(c);
  const { context } = c;
  const now = formatDateTime(context.clock(), context.timeZone);
  const bundleId = context.ids();
  const headerId = context.ids();
  const communicationId = context.ids();
  const threadId = c.threadId ?? toUrnUuid(context.ids());
  const senderOrgId = c.sender.organizationId ?? context.ids();
  const receiverOrgId = c.receiver.organizationId ?? context.ids();
  if (senderOrgId === receiverOrgId) {
    refuse(
      'sender and receiver are the same organisation',
      'MessageHeader.destination.receiver',
      'a receiver other than the sender',
    );
  }
  const authors = new AuthorBook(context);
  const careTeams: IdentifiedResource[] = [];

  const actorReference = (
    choice: ActorChoice | undefined,
    organizationId: string,
    location: string,
  ): Reference | undefined => {
    if (!choice) return undefined;
    if (choice.kind === 'carried') return choice.reference;
    if (choice.actor.kind === 'careTeam') {
      if (choice.actor.name.trim() === '') refuse('care team has no name', `${location}.resolve().name`, 'a name');
      const team = careTeamResource(
        fhirText(choice.actor.name, `${location}.resolve().name`),
        context.ids(),
        organizationId,
      );
      careTeams.push(team);
      return referenceTo(team);
    }
    checkAuthor(choice.actor.author, `${location}.resolve()`);
    return { reference: `PractitionerRole/${authors.roleFor(choice.actor.author, organizationId)}` };
  };

  const newSegmentIds: string[] = [];
  const newPayload = c.newSegments.map((segment) => {
    const id = toUrnUuid(context.ids());
    newSegmentIds.push(id);
    return payloadElement(segment, {
      id,
      time: now,
      assignerOrganizationId: senderOrgId,
      ...(segment.author ? { authorRoleId: authors.roleFor(segment.author, senderOrgId) } : {}),
    });
  });
  const senderRef = actorReference(c.senderActor, senderOrgId, 'Communication.extension:sender.valueReference');
  const recipientRef = actorReference(c.recipient, receiverOrgId, 'Communication.recipient');

  const encounter = c.episodeOfCare ? encounterResource(c.episodeOfCare, context.ids(), c.patient.id) : undefined;
  const payload = [...c.earlierPayload, ...newPayload];
  const extension: Extension[] = senderRef ? [{ url: CC_EXTENSION.sender, valueReference: senderRef }] : [];
  const topic = c.topic === undefined ? undefined : fhirText(c.topic, 'Communication.topic.text');
  const communication: IdentifiedResource = {
    resourceType: 'Communication',
    id: communicationId,
    meta: { profile: [CC_PROFILE.communication] },
    text: tableNarrative('CareCommunication', [
      ['Thread', threadId],
      ['Category', c.category],
      ['Priority', c.priority],
      ['Topic', topic],
      ['Segments', String(payload.length)],
    ]),
    ...(extension.length ? { extension } : {}),
    identifier: [{ value: threadId }],
    status: 'unknown',
    category: [{ coding: [{ system: CATEGORY_SYSTEM, code: c.category }] }],
    ...(c.priority !== undefined ? { priority: c.priority } : {}),
    subject: { reference: `Patient/${c.patient.id}` },
    ...(topic !== undefined ? { topic: { text: topic } } : {}),
    ...(encounter ? { encounter: referenceTo(encounter) } : {}),
    ...(recipientRef ? { recipient: [recipientRef] } : {}),
    payload,
  };

  const entities: EntityInput[] = [
    ...(c.predecessor ? [{ role: 'revision' as const, what: c.predecessor }] : []),
    ...newSegmentIds.map((value) => ({ role: 'source' as const, what: { kind: 'identifier' as const, value } })),
  ];
  const provenance = provenanceResource({
    id: context.ids(),
    messageHeaderId: headerId,
    occurred: now,
    activity: c.activity,
    agentOrganizationId: senderOrgId,
    entities,
    profile: CC_PROFILE.provenance,
  });

  const sender = { party: c.sender.party, organizationId: senderOrgId };
  const receiver = { party: c.receiver.party, organizationId: receiverOrgId };
  const header = messageHeader({
    id: headerId,
    profile: CC_PROFILE.messageHeader,
    event: CC_EVENT_CODE,
    sender,
    receiver,
    focus: [referenceTo(communication)],
    definition: CC_MESSAGE_DEFINITION,
  });
  const organizations: Organization[] = [
    messagingOrganization(c.sender.party, { id: senderOrgId }),
    messagingOrganization(c.receiver.party, { id: receiverOrgId }),
  ];
  const bundle = assembleMessage({
    id: bundleId,
    profile: CC_PROFILE.message,
    timestamp: now,
    fullUrlBase: fullUrlBase('carecommunication'),
    header,
    resources: [
      c.patient,
      communication,
      ...(encounter ? [encounter] : []),
      ...authors.roles,
      ...authors.practitioners,
      ...careTeams,
      ...organizations,
      ...c.carried,
      ...c.earlierProvenances,
      provenance,
    ],
  });
  enforceSizeLimit(bundle, c.sizeLimit);
  return bundle;
}
