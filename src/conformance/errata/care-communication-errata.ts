/**
 * Errata for medcom.fhir.dk.carecommunicationtestscripts#5.0.0 (conformance.md §5 #8–#10 and the reply/forward
 * content rules of CareCommunication 5.0, medcom-fhir.md §4.3–4.4).
 */
import type { ErrataOverlay, Erratum } from './model.ts';

const CC = 'carecommunication-send-';
const PAYLOAD_COUNT = (n: number) => `Bundle.entry.resource.ofType(Communication).payload.count() = ${n}`;

/**
 * §5 #10: the creates of the system under test have no requestId, so variables on their fixture id read the static
 * placeholder. As intended the request is registered under the fixture id, so those variables read what was sent.
 */
function requestUnderFixtureId(fixtureId: string): Erratum {
  return {
    id: `CC-04-${fixtureId}`,
    defect: 10,
    title: `variables on ${fixtureId} read the placeholder fixture, not the message sent`,
    reason:
      `The system under test creates its message with sourceId ${fixtureId} but no requestId/responseId, so ` +
      `variables with sourceId ${fixtureId} read the static placeholder (the "empty" fixture): topic and identifier ` +
      'comparisons become vacuous or compare the wrong message. As intended the request is registered under that id.',
    source: 'conformance.md §5 #10 (HN scripts use responseId, ACK scripts requestId for the same purpose)',
    select: {
      scripts: [`${CC}*`],
      tests: [`carecommunication-${fixtureId}`],
      kind: 'operation',
      operationType: 'create',
      bySystemUnderTest: true,
    },
    change: { kind: 'replace-operation', with: { requestId: fixtureId } },
  };
}

export const CARE_COMMUNICATION_ERRATA: ErrataOverlay = {
  version: '2025.1',
  scripts: { id: 'medcom.fhir.dk.carecommunicationtestscripts', version: '5.0.0' },
  errata: [
    {
      id: 'CC-01',
      defect: 8,
      title: "payload count compared with a string ('2')",
      reason:
        "count() is an Integer; = '2' compares it with a String, which is false in FHIRPath (Touchstone's Java engine " +
        'compares string forms and passes). As intended the count is compared with an integer.',
      source: 'FHIRPath N1 §6.1 (equality of different types); conformance.md §4.3 item 7',
      select: { scripts: [`${CC}*`], kind: 'assert', expressionPattern: "count\\(\\) = '\\d+'$" },
      change: { kind: 'rewrite-expression', pattern: "count\\(\\) = '(\\d+)'$", replacement: 'count() = $1' },
    },
    {
      id: 'CC-02',
      defect: 9,
      title: 'undefined variable hospitalSOR-new-message',
      reason:
        'The scripts declare hospitalSOR-new-message-01 but use ${hospitalSOR-new-message}; the reference stays literal ' +
        'and the "source endpoint differs" check passes whatever is sent. As intended the declared variable is used.',
      source: 'conformance.md §5 #9',
      select: {
        scripts: [`${CC}forward-changetopic`, `${CC}forward-partialthread`],
        kind: 'assert',
        expression: "Bundle.entry.resource.ofType(MessageHeader).source.endpoint != '${hospitalSOR-new-message}'",
      },
      change: {
        kind: 'replace-assert',
        with: {
          expression: "Bundle.entry.resource.ofType(MessageHeader).source.endpoint != '${hospitalSOR-new-message-01}'",
        },
      },
    },
    {
      id: 'CC-03',
      defect: 9,
      title: 'undeclared variable identifier-new-message-01 in forward-changetopic',
      reason:
        'forward-changetopic compares the thread id with ${identifier-new-message-01} without declaring it, so the check ' +
        'passes whatever is sent. As intended it is declared as in the other forward scripts.',
      source: 'conformance.md §5 #9; carecommunication-send-forward-message',
      select: { scripts: [`${CC}forward-changetopic`] },
      change: {
        kind: 'declare',
        variables: [
          {
            name: 'identifier-new-message-01',
            expression: 'Bundle.entry.resource.ofType(Communication).identifier.value',
            sourceId: 'create-new-message-01',
          },
        ],
      },
    },
    requestUnderFixtureId('create-new-message-01'),
    requestUnderFixtureId('create-reply-message-02'),
    requestUnderFixtureId('create-forward-message-01'),
    requestUnderFixtureId('create-forward-message-02'),
    {
      id: 'CC-04-asserts',
      defect: 10,
      title: "thread checks compare with the placeholder instead of the system's own earlier message",
      reason:
        'In reply-new and reply-forward the system under test sends both messages; as published the variables of the ' +
        'first one read its placeholder fixture, so the reply is compared with a message nobody sent. Kept: with CC-04 ' +
        'the same asserts compare with the message actually sent.',
      source: 'conformance.md §5 #10',
      select: {
        scripts: [`${CC}reply-new`, `${CC}reply-forward`],
        tests: ['carecommunication-create-reply-message-02'],
        kind: 'assert',
        expressionPattern:
          "(identifier\\.value = '\\$\\{identifier-(new|forward)-message-01\\}'|contains\\('\\$\\{messageHeaderid-new-message-01\\}'\\))",
      },
      change: { kind: 'annotate' },
    },
    {
      id: 'CC-05',
      defect: 9,
      title: 'reply-forward cites an undefined variable',
      reason:
        'reply-forward checks entity.what.reference against ${messageHeaderid-new-message-01}, which the script never ' +
        'declares (it declares messageHeaderid-forward-message-01). As intended the reply cites the forward it answers.',
      source: 'conformance.md §5 #9',
      select: {
        scripts: [`${CC}reply-forward`],
        kind: 'assert',
        expression:
          "Bundle.entry.resource.ofType(Provenance).where(entity.what.reference.contains('${messageHeaderid-new-message-01}')).exists()",
      },
      change: {
        kind: 'replace-assert',
        with: {
          expression:
            "Bundle.entry.resource.ofType(Provenance).where(entity.what.reference.contains('${messageHeaderid-forward-message-01}')).exists()",
        },
      },
    },
    {
      id: 'CC-06a',
      title: 'reply to a forward: the forward carries the forwarded Provenance',
      reason:
        'A forward includes the forwarded segments and the Provenances that added them (medcom-fhir.md §4.4), so the ' +
        'forward already has two Provenances and the reply three. The script counts as if the forward were a first ' +
        'message.',
      source: 'CareCommunication 5.0.2 IG (forward); example Bundle-c0426e3e (forward with 4 Provenances)',
      select: {
        scripts: [`${CC}reply-forward`],
        kind: 'assert',
        expression: 'Bundle.entry.resource.ofType(Provenance).count()',
        value: '2',
      },
      change: { kind: 'replace-assert', with: { value: '3' } },
    },
    {
      id: 'CC-06b',
      title: 'reply to a forward: the forward carries the forwarded text',
      reason:
        'The forward repeats the forwarded text and adds its own, and the reply repeats both and adds one: 3 segments, ' +
        'not 2.',
      source: 'CareCommunication 5.0.2 IG (reply and forward repeat earlier segments)',
      select: { scripts: [`${CC}reply-forward`], kind: 'assert', expressionPattern: "payload\\.count\\(\\) = '2'$" },
      change: { kind: 'replace-assert', with: { expression: PAYLOAD_COUNT(3) } },
    },
    {
      id: 'CC-07',
      title: 'tec-06 counts two segments in a reply to a message with three',
      reason:
        'tec-06 replies to the same "all content" fixture as tec-01 (text, PDF, link); a reply repeats all earlier ' +
        "segments and adds one, so it has 4 — as tec-01 expects. tec-06's '2' contradicts tec-01.",
      source: 'CareCommunication 5.0.2 IG (reply repeats earlier segments); carecommunication-send-tec-01',
      select: { scripts: [`${CC}tec-06`], kind: 'assert', expressionPattern: "payload\\.count\\(\\) = '2'$" },
      change: { kind: 'replace-assert', with: { expression: PAYLOAD_COUNT(4) } },
    },
    {
      id: 'CC-08',
      title: 'a reply repeats earlier attachments without their file',
      reason:
        'In a reply, earlier attachments keep identifier, date and title but not data or url (the third message of the ' +
        'IG example thread repeats the PDF without data). The published data counts assume the earlier file is sent ' +
        'again: reply-attachment adds no file (0, not 1), reply-add-attachment adds two (2, not 3).',
      source: 'CareCommunication 5.0.2 IG; example Bundle-3dcb5618; medcom-fhir.md §4.3',
      select: {
        scripts: [`${CC}reply-attachment`],
        kind: 'assert',
        expression: 'Bundle.entry.resource.ofType(Communication).payload.content.data.count() = 1',
      },
      change: {
        kind: 'replace-assert',
        with: { expression: 'Bundle.entry.resource.ofType(Communication).payload.content.data.count() = 0' },
      },
    },
    {
      id: 'CC-09',
      title: 'a reply repeats earlier attachments without their file (two added)',
      reason: 'See CC-08: the reply adds two files; the earlier PDF is repeated without data.',
      source: 'CareCommunication 5.0.2 IG; example Bundle-3dcb5618; medcom-fhir.md §4.3',
      select: {
        scripts: [`${CC}reply-add-attachment`],
        kind: 'assert',
        expression: 'Bundle.entry.resource.ofType(Communication).payload.content.data.count() = 3',
      },
      change: {
        kind: 'replace-assert',
        with: { expression: 'Bundle.entry.resource.ofType(Communication).payload.content.data.count() = 2' },
      },
    },
    {
      id: 'CC-10',
      defect: 10,
      title: 'topic change compared with the placeholder',
      reason:
        'As published, the topic of the reply/forward is read from the empty placeholder fixture, so "the topic changed" ' +
        'always holds. Kept: with CC-04 the same assert compares the topic actually sent.',
      source: 'conformance.md §5 #10',
      select: {
        scripts: [`${CC}reply-changetopic`, `${CC}forward-changetopic`],
        kind: 'assert',
        expressionPattern: 'topic\\.text',
      },
      change: { kind: 'annotate' },
    },
  ],
};
