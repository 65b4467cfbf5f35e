/**
 * Built-in TestScripts for receiver duties MedCom publishes no script for (conformance.md §3.4): CareCommunication
 * receive scripts were withdrawn in 2024, and nothing checks parallel replies, a reply that overtakes the message it
 * follows, or a duplicate's acknowledgement. They are written in the same TestScript form as MedCom's receive
 * scripts (setup stores the fixtures, each test fetches one) and go through the same parser and runner; every fetch
 * is followed by the system's Acknowledgement and the Ack asserts.
 */
import { CC_FOLDER } from '../fixtures/care-communication-fixtures.ts';
import { INTENT_FOLDER } from '../fixtures/intent-fixtures.ts';
import type { ActionJson } from '../errata/model.ts';
import type { TestScript } from '../testscript/model.ts';
import { parseTestScript } from '../testscript/parse.ts';
import { ACK_PROFILE, acknowledgementAsserts } from './acknowledgement-checks.ts';

export const INTENT_SCRIPT_PREFIX = 'medcom-hub-intent-';

interface Fetch {
  /** Fixture id in the script. */
  readonly fixture: string;
  /** `xml` as in MedCom's scripts, or `json` — a CareCommunication receiver must take both. */
  readonly accept: 'xml' | 'json';
  /** Extra asserts on the Acknowledgement sent after this fetch. */
  readonly also?: readonly ActionJson[];
}

interface ReceiveScript {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  /** Fixture id → path. */
  readonly fixtures: Readonly<Record<string, string>>;
  readonly fetches: readonly Fetch[];
}

const SCRIPTS: readonly ReceiveScript[] = [
  {
    id: `${INTENT_SCRIPT_PREFIX}carecommunication-receive-parallel-replies`,
    title: 'Receive: two parallel replies to the same CareCommunication',
    description:
      'Two replies to one message of the system under test arrive; both belong to the thread and both are acknowledged.',
    fixtures: {
      'reply-1': `${INTENT_FOLDER}CareCommunication-fixture-parallel-reply-1.xml`,
      'reply-2': `${INTENT_FOLDER}CareCommunication-fixture-parallel-reply-2.xml`,
    },
    fetches: [
      { fixture: 'reply-1', accept: 'xml' },
      { fixture: 'reply-2', accept: 'xml' },
    ],
  },
  {
    id: `${INTENT_SCRIPT_PREFIX}carecommunication-receive-reply-before-message`,
    title: 'Receive: a follow-up arrives before the message it follows (JSON)',
    description:
      'The later message of a thread arrives first; the receiver still accepts both, in the order they arrive.',
    fixtures: {
      followup: `${INTENT_FOLDER}CareCommunication-fixture-followup.xml`,
      message: `${CC_FOLDER}CareCommunication-fixture.xml`,
    },
    fetches: [
      { fixture: 'followup', accept: 'json' },
      { fixture: 'message', accept: 'json' },
    ],
  },
  {
    id: `${INTENT_SCRIPT_PREFIX}carecommunication-receive-duplicate`,
    title: 'Receive: the same CareCommunication twice',
    description:
      'A resend of an already acknowledged message gets the same answer in a new Acknowledgement (new Bundle.id), ' +
      'and is not processed twice (GOV 043).',
    fixtures: {
      first: `${CC_FOLDER}CareCommunication-fixture.xml`,
      again: `${CC_FOLDER}CareCommunication-fixture.xml`,
    },
    fetches: [
      { fixture: 'first', accept: 'xml' },
      {
        fixture: 'again',
        accept: 'xml',
        also: [
          {
            assert: {
              direction: 'request',
              warningOnly: false,
              description: 'A new Acknowledgement, not the first one again.',
              expression:
                "Bundle.id != '${ack-first-bundle-id}' and Bundle.entry[0].resource.id != '${ack-first-header-id}'",
            },
          },
        ],
      },
    ],
  },
];

export function intentScripts(): TestScript[] {
  return SCRIPTS.map((s) => parseTestScript(toJson(s), { file: `built-in ${s.id}` }));
}

function toJson(s: ReceiveScript): Record<string, unknown> {
  const ids = Object.keys(s.fixtures);
  const setup = ids.flatMap((id) => [
    { operation: { type: { code: 'create' }, resource: 'Bundle', accept: 'xml', contentType: 'xml', sourceId: id } },
    {
      operation: {
        type: { code: 'updateCreate' },
        resource: 'Bundle',
        accept: 'xml',
        contentType: 'xml',
        params: `/\${bundleid-${id}}`,
        sourceId: id,
      },
    },
    { assert: { direction: 'response', operator: 'in', responseCode: '200,201', warningOnly: false } },
  ]);
  const tests = s.fetches.map((fetch, n) => ({
    id: `fetch-${fetch.fixture}-${String(n + 1).padStart(2, '0')}`,
    name: `The system fetches ${fetch.fixture} and acknowledges it`,
    action: [
      {
        operation: {
          type: { code: 'read' },
          resource: 'Bundle',
          accept: fetch.accept,
          origin: 1,
          destination: 1,
          params: `/\${bundleid-${fetch.fixture}}`,
        },
      },
      { assert: { direction: 'response', operator: 'in', responseCode: '200,201', warningOnly: false } },
      {
        operation: {
          type: { code: 'create' },
          resource: 'Bundle',
          description: 'The system under test sends the Acknowledgement.',
          origin: 1,
          destination: 1,
          requestId: `ack-${fetch.fixture}`,
        },
      },
      ...acknowledgementAsserts('ok', `header-${fetch.fixture}`),
      ...(fetch.also ?? []),
    ],
  }));
  return {
    resourceType: 'TestScript',
    id: s.id,
    title: s.title,
    description: s.description,
    fixture: ids.map((id) => ({ id, autocreate: false, autodelete: false, resource: { reference: s.fixtures[id] } })),
    profile: [{ id: 'acknowledgement', reference: ACK_PROFILE }],
    variable: [
      ...ids.flatMap((id) => [
        { name: `bundleid-${id}`, expression: 'Bundle.id', sourceId: id },
        { name: `header-${id}`, expression: 'Bundle.entry[0].resource.id', sourceId: id },
      ]),
      ...ids.flatMap((id) => [
        { name: `ack-${id}-bundle-id`, expression: 'Bundle.id', sourceId: `ack-${id}` },
        { name: `ack-${id}-header-id`, expression: 'Bundle.entry[0].resource.id', sourceId: `ack-${id}` },
      ]),
    ],
    setup: { action: setup },
    test: tests,
  };
}
