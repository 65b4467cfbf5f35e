// The CareCommunication thread model: the official §4.6 story and built threads with late, parallel and duplicate
// messages.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildForward, buildNewCareCommunication, buildReply } from '../../src/messages/care-communication/build.ts';
import { NotLatestInThreadError } from '../../src/messages/care-communication/errors.ts';
import { parseCareCommunication } from '../../src/messages/care-communication/parse.ts';
import { Threads } from '../../src/messages/care-communication/thread.ts';
import { CC, officialExamples } from '../support/shared.ts';
import {
  context,
  fixedContext,
  HOSPITAL,
  NURSE,
  NURSING_HOME,
  OTHER_NURSE,
  PATIENT,
  pdf,
  text,
  THIRD_UNIT,
} from './care-communication-fixtures.ts';

const STORY = [
  'Bundle-add5e7e2-0c0f-4a4a-bfff-f6f984fa7e3c.json',
  'Bundle-b56549f7-ed10-422d-8088-f7222b686e46.json',
  'Bundle-3dcb5618-3055-406a-9034-1b8fc8de0fea.json',
  'Bundle-c0426e3e-978f-46e8-a366-a30f27854b0a.json',
  'Bundle-d11968f5-4bdf-4b50-b146-a8e1cc890fc3.json',
];
const examples = officialExamples(CC, 'Bundle-');
const story = STORY.map((file) => parseCareCommunication(examples.find((e) => e.file === file)!.resource, file));

function newMessage(seed: string, at?: string) {
  return buildNewCareCommunication(
    {
      sender: HOSPITAL,
      receiver: NURSING_HOME,
      patient: PATIENT,
      category: 'examination-results',
      segments: [text('Hvordan går det?')],
    },
    { context: at ? fixedContext(seed, at) : context(seed) },
  );
}

describe('threads of the official example story', () => {
  it('new → reply → reply → forward → reply makes two threads', () => {
    const threads = new Threads();
    const outcomes = story.map((m) => threads.add(m).outcome);
    assert.deepEqual(outcomes, ['new-thread', 'added', 'added', 'new-thread', 'added']);
    assert.equal(threads.all().length, 2);
    const first = threads.get('urn:uuid:b2eb3d0e-5de5-4de9-b2a3-0ff321ad1c3a')!;
    const forwarded = threads.get('urn:uuid:546b19ba-3e50-4da8-b9ec-7caeefad6928')!;
    assert.deepEqual(
      first.messages.map((m) => m.messageHeaderId),
      [
        '42cb9200-f421-4d08-8391-7d51a2503cb4',
        'd5bd2111-2576-48d3-84d4-8be0297a038d',
        '4dff3695-218d-4878-838a-5f23cbba6f82',
      ],
    );
    assert.equal(first.latest.messageHeaderId, '4dff3695-218d-4878-838a-5f23cbba6f82');
    assert.equal(forwarded.latest.messageHeaderId, '2654e182-cfee-4537-b744-e36231ebe2f3');
    assert.equal(first.initiator.sor, HOSPITAL.sor);
    assert.equal(forwarded.initiator.sor, NURSING_HOME.sor, 'the forwarder starts the new thread');
    assert.equal(threads.threadOf('aac67161-d0de-4933-a78c-060beafb4814'), forwarded);
  });

  it('de-duplicates repeated segments and keeps the attachment file from the message that had it', () => {
    const threads = new Threads();
    story.slice(0, 3).forEach((m) => threads.add(m));
    const thread = threads.get('urn:uuid:B2EB3D0E-5DE5-4DE9-B2A3-0FF321AD1C3A')!;
    assert.deepEqual(
      thread.segments.map((s) => s.id.slice(9, 17)),
      ['24d01288', 'a9becf76', 'cd422e42', '07685582'],
    );
    const pdfSegment = thread.segment('urn:uuid:cd422e42-5bad-11ed-9b6a-0242ac120002')!;
    assert.ok(pdfSegment.attachment?.data, 'the data from the 2nd message survives the stripped copy in the 3rd');
    assert.equal(
      pdfSegment.attachment?.creation,
      '2024-04-30T08:00:00+02:00',
      'the 3rd message adds the creation date',
    );
    assert.ok(pdfSegment.author, 'the 3rd message adds the author the 2nd left out');
    assert.deepEqual(pdfSegment.seenIn, [
      'd5bd2111-2576-48d3-84d4-8be0297a038d',
      '4dff3695-218d-4878-838a-5f23cbba6f82',
    ]);
    assert.equal(thread.segment('urn:uuid:24d01288-ad36-4af2-96a8-fd1432dadee1')!.seenIn.length, 3);
  });

  it('gives the same thread whatever order the messages arrive in', () => {
    const inOrder = new Threads();
    story.forEach((m) => inOrder.add(m));
    const reversed = new Threads();
    [...story].reverse().forEach((m) => reversed.add(m));
    for (const thread of inOrder.all()) {
      const other = reversed.get(thread.id)!;
      assert.deepEqual(
        other.messages.map((m) => m.messageHeaderId),
        thread.messages.map((m) => m.messageHeaderId),
      );
      assert.deepEqual(other.segments, thread.segments);
      assert.equal(other.latest.messageHeaderId, thread.latest.messageHeaderId);
    }
  });

  it('refuses a reply to a message that is not the latest of its thread', () => {
    const threads = new Threads();
    story.slice(0, 3).forEach((m) => threads.add(m));
    const thread = threads.get(story[0]!.threadId)!;
    assert.throws(
      () => thread.assertCanReplyTo('d5bd2111-2576-48d3-84d4-8be0297a038d'),
      (e: unknown) =>
        e instanceof NotLatestInThreadError &&
        e.latestMessageHeaderId === '4dff3695-218d-4878-838a-5f23cbba6f82' &&
        /start a new thread/.test(e.message),
    );
    thread.assertCanReplyTo('4dff3695-218d-4878-838a-5f23cbba6f82');
    const second = examples.find((e) => e.file === STORY[1])!.resource;
    assert.throws(
      () => buildReply(second, { segments: [text('For sent')] }, { context: context('late'), thread }),
      NotLatestInThreadError,
    );
  });
});

describe('threads of built messages', () => {
  it('files an unknown thread id as a new thread and ignores a resend (same MessageHeader.id)', () => {
    const threads = new Threads();
    const a = parseCareCommunication(newMessage('a'));
    const b = parseCareCommunication(newMessage('b'));
    assert.equal(threads.add(a).outcome, 'new-thread');
    assert.equal(threads.add(b).outcome, 'new-thread');
    const resend = { ...a, bundleId: 'another-envelope' };
    assert.equal(threads.add(resend).outcome, 'duplicate');
    assert.equal(threads.get(a.threadId)!.messages.length, 1);
    assert.equal(threads.all().length, 2);
  });

  it('merges parallel replies and only lets the newest be answered', () => {
    const first = newMessage('parallel');
    const replyA = buildReply(
      first,
      { segments: [text('Svar A', OTHER_NURSE)] },
      { context: context('pa', '2024-05-02T08:00:00Z') },
    );
    const replyB = buildReply(
      first,
      { segments: [text('Svar B', OTHER_NURSE)] },
      { context: context('pb', '2024-05-02T09:00:00Z') },
    );
    const threads = new Threads();
    for (const m of [first, replyB, replyA]) threads.add(parseCareCommunication(m));
    const thread = threads.get(parseCareCommunication(first).threadId)!;
    assert.equal(thread.messages.length, 3);
    assert.deepEqual(
      thread.segments.map((s) => s.text),
      ['Hvordan går det?', 'Svar A', 'Svar B'],
    );
    const headerB = parseCareCommunication(replyB).messageHeaderId;
    assert.equal(thread.latest.messageHeaderId, headerB);
    assert.throws(
      () => buildReply(replyA, { segments: [text('Til A')] }, { context: context('x'), thread }),
      NotLatestInThreadError,
    );
    const answer = buildReply(
      replyB,
      { segments: [text('Til B', NURSE)] },
      { context: context('y', '2024-05-03T08:00:00Z'), thread },
    );
    assert.equal(threads.add(parseCareCommunication(answer)).outcome, 'added');
    assert.equal(thread.latest.messageHeaderId, parseCareCommunication(answer).messageHeaderId);
  });

  it('orders segments by timestamp, initiator first on ties', () => {
    // Everything happens at one instant. The nursing home forwards the hospital's message: the forward repeats the
    // hospital's segment first and adds its own, but the forwarder started the new thread, so its segment leads.
    const at = '2024-06-01T10:00:00Z';
    const first = newMessage('tie', at);
    const forward = buildForward(
      first,
      { receiver: THIRD_UNIT, segments: [text('Til orientering', OTHER_NURSE)] },
      {
        context: fixedContext('tie-f', at),
      },
    );
    const threads = new Threads();
    const { thread } = threads.add(parseCareCommunication(forward));
    assert.equal(thread.initiator.sor, NURSING_HOME.sor);
    assert.deepEqual(
      thread.segments.map((s) => s.text),
      ['Til orientering', 'Hvordan går det?'],
    );
    // In the original thread the hospital is the initiator: a reply at the same instant arriving first still
    // shows the hospital's segment first.
    const reply = buildReply(first, { segments: [text('Svar', OTHER_NURSE)] }, { context: fixedContext('tie-r', at) });
    const original = threads.add(parseCareCommunication(reply)).thread;
    threads.add(parseCareCommunication(first));
    assert.deepEqual(
      original.segments.map((s) => s.text),
      ['Hvordan går det?', 'Svar'],
    );
  });

  it('restores stripped attachment files when forwarding with the thread', () => {
    const first = newMessage('restore');
    const reply = buildReply(
      first,
      { segments: [text('Se vedhæftede', OTHER_NURSE), pdf('Prøvesvar')] },
      { context: context('r1') },
    );
    const replyBack = buildReply(
      reply,
      { segments: [text('Tak')] },
      { context: context('r2', '2024-05-03T10:00:00Z') },
    );
    const threads = new Threads();
    for (const m of [first, reply, replyBack]) threads.add(parseCareCommunication(m));
    const thread = threads.get(parseCareCommunication(first).threadId)!;
    const withoutThread = parseCareCommunication(
      buildForward(replyBack, { receiver: THIRD_UNIT, segments: [text('Fwd')] }, { context: context('f1') }),
    );
    assert.equal(withoutThread.segments.find((s) => s.kind === 'attachment')?.attachment?.data, undefined);
    const withThread = parseCareCommunication(
      buildForward(replyBack, { receiver: THIRD_UNIT, segments: [text('Fwd')] }, { context: context('f2'), thread }),
    );
    assert.ok(withThread.segments.find((s) => s.kind === 'attachment')?.attachment?.data);
  });
});
