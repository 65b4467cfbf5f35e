// Property: random legal CareCommunication threads — a new message, then replies and forwards with random text and
// attachments — produce only valid Bundles, and every Bundle parses back to what was built.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { buildForward, buildNewCareCommunication, buildReply } from '../../src/messages/care-communication/build.ts';
import type {
  Actor,
  Author,
  CareCommunicationMessage,
  EpisodeOfCareInput,
  SegmentInput,
} from '../../src/messages/care-communication/model.ts';
import { parseCareCommunication } from '../../src/messages/care-communication/parse.ts';
import { Threads } from '../../src/messages/care-communication/thread.ts';
import {
  ATTACHMENT_MIME_TYPES,
  CARE_COMMUNICATION_CATEGORIES,
  type CareCommunicationCategory,
} from '../../src/messages/care-communication/vocabulary.ts';
import type { BuildContext } from '../../src/messages/build-context.ts';
import { steppingClock } from '../../src/messages/clock.ts';
import { seededIds } from '../../src/messages/ids.ts';
import type { MessagingParty } from '../../src/messages/parties.ts';
import { HOSPITAL, NURSING_HOME, PATIENT, THIRD_UNIT } from './care-communication-fixtures.ts';
import { assertValidMessage } from './care-communication-validate.ts';

const PARTIES = [HOSPITAL, NURSING_HOME, THIRD_UNIT];

// Plain text as users type it: Danish letters, digits, punctuation and line breaks.
const textArb = fc
  .string({
    unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzæøåÆØÅ 0123456789.,:;!?-()/"\'\n'.split('')),
    minLength: 1,
    maxLength: 120,
  })
  .filter((t) => t.trim() !== '');
const titleArb = fc
  .string({ unit: fc.constantFrom(...'Prøvesvar notat billede 2024-_.'.split('')), minLength: 1, maxLength: 30 })
  .filter((t) => t.trim() !== '');
const authorArb: fc.Arbitrary<Author> = fc.record({
  name: fc.record({
    family: fc.constantFrom('Burns', 'Waters', 'Hansen', 'Sørensen', 'Ærø'),
    given: fc.constantFrom(['Michael'], ['Emma', 'Louise'], []),
  }),
  role: fc.oneof(
    fc
      .constantFrom('sygeplejerske', 'overlaege', 'socialogsundhedsassistent', 'fysioterapeut')
      .map((code) => ({ code })),
    fc.constantFrom('Visitator', 'Hjemmesygeplejerske', 'Terapeut').map((text) => ({ text })),
  ),
});
const phoneArb = fc.stringMatching(/^\+?[0-9]{8}$/);
const textSegmentArb: fc.Arbitrary<SegmentInput> = fc.record({
  kind: fc.constant('text' as const),
  text: textArb,
  author: authorArb,
  phone: phoneArb,
});
const fileSegmentArb: fc.Arbitrary<SegmentInput> = fc.record(
  {
    kind: fc.constant('attachment' as const),
    contentType: fc.constantFrom(...ATTACHMENT_MIME_TYPES),
    title: titleArb,
    data: fc.uint8Array({ minLength: 1, maxLength: 96 }).map((bytes) => Buffer.from(bytes).toString('base64')),
    author: authorArb,
    phone: phoneArb,
  },
  { requiredKeys: ['kind', 'contentType', 'title', 'data'] },
);
const linkSegmentArb: fc.Arbitrary<SegmentInput> = fc.record({
  kind: fc.constant('attachment' as const),
  contentType: fc.constantFrom(...ATTACHMENT_MIME_TYPES),
  title: titleArb,
  url: fc.stringMatching(/^[a-z0-9]{1,16}$/).map((path) => `https://medcom.dk/${path}`),
});
const segmentArb = fc.oneof({ arbitrary: textSegmentArb, weight: 2 }, fileSegmentArb, linkSegmentArb);
const categoryArb = fc.constantFrom(...CARE_COMMUNICATION_CATEGORIES);

interface Settings {
  readonly category: CareCommunicationCategory;
  readonly priority?: 'routine' | 'asap';
  readonly topic?: string;
}

/** Category, priority and topic that respect CC-5 and CC-6. */
const settingsArb: fc.Arbitrary<Settings> = fc
  .record({
    category: categoryArb,
    priority: fc.constantFrom('routine', 'asap') as fc.Arbitrary<'routine' | 'asap'>,
    topic: fc.option(
      textArb.map((t) => t.replace(/\n/g, ' ').trim()).filter((t) => t !== ''),
      { nil: undefined },
    ),
  })
  .map(({ category, priority, topic }) => ({
    category,
    ...(category === 'regarding-referral' ? { priority } : {}),
    ...(topic !== undefined ? { topic } : category === 'other' ? { topic: 'Andet' } : {}),
  }));

const actorArb: fc.Arbitrary<Actor> = fc.oneof(
  authorArb.map((author) => ({ kind: 'practitioner' as const, author })),
  fc.constantFrom('Team 1', 'Hjemmeplejen Nord', 'Visitationen').map((name) => ({ kind: 'careTeam' as const, name })),
);

const stepArb = fc.record({
  action: fc.constantFrom('reply', 'forward') as fc.Arbitrary<'reply' | 'forward'>,
  segments: fc.array(segmentArb, { minLength: 1, maxLength: 3 }),
  change: fc.option(settingsArb, { nil: undefined }),
  receiverPick: fc.nat(),
  /** Forward only: which earlier segments to pass on (the first is always kept, so a text segment remains). */
  selection: fc.option(fc.array(fc.boolean(), { minLength: 1, maxLength: 12 }), { nil: undefined }),
  senderActor: fc.option(actorArb, { nil: undefined }),
});

const threadArb = fc.record({
  first: fc.record({
    sender: fc.constantFrom(...PARTIES),
    receiverPick: fc.nat(),
    settings: settingsArb,
    segments: fc.tuple(textSegmentArb, fc.array(segmentArb, { maxLength: 3 })).map(([t, rest]) => [t, ...rest]),
    senderActor: fc.option(actorArb, { nil: undefined }),
    recipient: fc.option(actorArb, { nil: undefined }),
    episode: fc.option(fc.uuid({ version: 4 }), { nil: undefined }),
  }),
  steps: fc.array(stepArb, { minLength: 1, maxLength: 4 }),
  seed: fc.string({ minLength: 1, maxLength: 8 }),
});

function otherParty(not: MessagingParty, pick: number): MessagingParty {
  const others = PARTIES.filter((p) => p.sor !== not.sor);
  return others[pick % others.length]!;
}

/** What the parsed segment must equal: the input, minus what the rules remove. */
function assertSegmentIs(
  actual: CareCommunicationMessage['segments'][number],
  input: SegmentInput,
  stripped: boolean,
  label: string,
): void {
  assert.equal(actual.kind, input.kind, label);
  if (input.kind === 'text') {
    assert.equal(actual.text, input.text, label);
  } else {
    assert.equal(actual.attachment?.contentType, input.contentType, label);
    assert.equal(actual.attachment?.title, input.title, label);
    assert.equal(actual.attachment?.data, stripped ? undefined : input.data, `${label}: data`);
    assert.equal(actual.attachment?.url, stripped ? undefined : input.url, `${label}: url`);
  }
  if (input.author) {
    assert.equal(actual.author?.name.family, input.author.name.family, label);
    assert.deepEqual(actual.author?.name.given ?? [], [...(input.author.name.given ?? [])], label);
    const role = input.author.role;
    if ('text' in role) assert.equal(actual.author?.role.text, role.text, label);
    else assert.equal(actual.author?.role.code, role.code, label);
  }
  assert.equal(actual.phone, input.phone, label);
}

describe('random CareCommunication threads', () => {
  it('build only valid messages that parse back to what was built', () => {
    fc.assert(
      fc.property(threadArb, ({ first, steps, seed }) => {
        const ctx: BuildContext = { clock: steppingClock('2024-09-01T08:00:00Z', 3_600_000), ids: seededIds(seed) };
        const inputs = new Map<string, SegmentInput>();
        const threads = new Threads();
        const receiver = otherParty(first.sender, first.receiverPick);
        const episodeOfCare: EpisodeOfCareInput | undefined = first.episode
          ? { identifiers: [{ system: `https://sor2.sum.dsdn.dk/#id=${first.sender.sor}`, value: first.episode }] }
          : undefined;
        let bundle = buildNewCareCommunication(
          {
            sender: first.sender,
            receiver,
            patient: PATIENT,
            ...first.settings,
            segments: first.segments,
            ...(first.senderActor ? { senderActor: first.senderActor } : {}),
            ...(first.recipient ? { recipient: first.recipient } : {}),
            ...(episodeOfCare ? { episodeOfCare } : {}),
          },
          { context: ctx },
        );
        assertValidMessage(bundle, 'new message');
        let message = parseCareCommunication(bundle);
        threads.add(message);
        assert.equal(message.category, first.settings.category);
        assert.equal(message.priority, first.settings.priority);
        assert.equal(message.topic, first.settings.topic);
        assert.equal(message.segments.length, first.segments.length);
        assert.equal(message.senderActor?.kind, first.senderActor?.kind);
        assert.equal(message.recipient?.kind, first.recipient?.kind);
        const episodeIds = episodeOfCare ? [...episodeOfCare.identifiers] : [];
        assert.deepEqual(message.episodeOfCareIds, episodeIds);
        message.segments.forEach((s, i) => {
          assertSegmentIs(s, first.segments[i]!, false, `new segment ${i}`);
          inputs.set(s.id, first.segments[i]!);
        });

        for (const [n, step] of steps.entries()) {
          const previous = message;
          const thread = threads.get(previous.threadId)!;
          const common = {
            segments: step.segments,
            ...(step.change ?? {}),
            ...(step.senderActor ? { senderActor: step.senderActor } : {}),
          };
          const selected =
            step.action === 'forward' && step.selection
              ? previous.segments
                  .filter((_, i) => i === 0 || step.selection![i % step.selection!.length])
                  .map((s) => s.id)
              : previous.segments.map((s) => s.id);
          bundle =
            step.action === 'reply'
              ? buildReply(bundle, common, { context: ctx, thread })
              : buildForward(
                  bundle,
                  {
                    ...common,
                    receiver: otherParty(previous.receiver.party, step.receiverPick),
                    ...(step.selection ? { selectedSegmentIds: selected } : {}),
                  },
                  { context: ctx, thread },
                );
          const label = `step ${n + 1} (${step.action})`;
          assertValidMessage(bundle, label);
          message = parseCareCommunication(bundle);
          threads.add(message);

          assert.equal(message.activity, `${step.action}-message`, label);
          assert.equal(message.previousMessageHeaderId, previous.messageHeaderId, label);
          const chosen = new Set(selected);
          const carriedProvenances = previous.provenances.filter(
            (p) =>
              !step.selection ||
              p.entities.some(
                (e) => e.role === 'source' && e.target.kind === 'identifier' && chosen.has(e.target.value),
              ),
          );
          assert.equal(message.provenances.length, carriedProvenances.length + 1, `${label}: one Provenance added`);
          assert.deepEqual(message.episodeOfCareIds, episodeIds, `${label}: episode of care returned`);
          if (step.action === 'reply' && !step.senderActor) {
            assert.deepEqual(message.recipient, previous.senderActor, `${label}: received sender becomes recipient`);
          }
          assert.equal(message.senderActor?.kind, step.senderActor?.kind, label);
          if (step.action === 'reply') {
            assert.equal(message.threadId, previous.threadId, `${label}: thread kept`);
            assert.equal(message.receiver.party.sor, previous.sender.party.sor, `${label}: back to the sender`);
          } else {
            assert.notEqual(message.threadId, previous.threadId, `${label}: new thread`);
          }
          assert.equal(message.sender.party.sor, previous.receiver.party.sor, label);
          const expectedCategory = step.change?.category ?? previous.category;
          assert.equal(message.category, expectedCategory, label);
          assert.equal(message.topic, step.change ? (step.change.topic ?? previous.topic) : previous.topic, label);
          const keptPriority = expectedCategory === 'regarding-referral' ? previous.priority : undefined;
          assert.equal(
            message.priority,
            step.change ? (step.change.priority ?? keptPriority) : previous.priority,
            label,
          );

          const earlier = message.segments.slice(0, selected.length);
          assert.deepEqual(
            earlier.map((s) => s.id),
            selected,
            `${label}: earlier (or selected) segments repeated in order`,
          );
          earlier.forEach((s) =>
            assertSegmentIs(
              s,
              inputs.get(s.id)!,
              step.action === 'reply' && s.kind === 'attachment',
              `${label} earlier ${s.id}`,
            ),
          );
          const added = message.segments.slice(selected.length);
          assert.equal(added.length, step.segments.length, label);
          assert.deepEqual(
            message.addedSegmentIds,
            added.map((s) => s.id),
            label,
          );
          added.forEach((s, i) => {
            assertSegmentIs(s, step.segments[i]!, false, `${label} new segment ${i}`);
            inputs.set(s.id, step.segments[i]!);
          });
        }
      }),
      { numRuns: 20 },
    );
  });
});
