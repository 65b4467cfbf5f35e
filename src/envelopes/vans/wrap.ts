// Wrapping a message in a VANSEnvelope (medcom-fhir.md §6; oioxml.md §6): one message per envelope, base64 in
// Message/Data, metadata derived from the message itself. The message identity is MessageHeader.id for FHIR and, for
// OIOXML, the UUID the id map gives the letter — so a resent letter keeps its VANS message id and dedup works.
import { formatInstant } from '../../messages/clock.ts';
import { isUuid } from '../../messages/ids.ts';
import { isGln } from '../../messages/parties.ts';
import type { EnvelopeWarning } from '../envelope-error.ts';
import { deriveFhirId } from '../../oioxml/id-map/id-map.ts';
import type { EnvelopeContext } from '../context.ts';
import { describePayload, type DescribeOptions } from '../payload.ts';
import { addressWarnings, type WrappedEnvelope } from '../wrapped.ts';
import { vansDocumentFor } from './document.ts';
import type { EndPointType, VansEnvelope } from './model.ts';
import { writeVans } from './write.ts';

export interface VansWrapOptions extends DescribeOptions {
  /** GLN (or CVR/VANS id) of the sending mailbox. */
  readonly sender: string;
  readonly receiver: string;
  /** Default EAN (a GLN). */
  readonly endPointType?: EndPointType;
  /** Names the payload in errors. */
  readonly label: string;
}

export function wrapVans(
  payload: Uint8Array,
  options: VansWrapOptions,
  context: EnvelopeContext,
): WrappedEnvelope<VansEnvelope> {
  const type = options.endPointType ?? 'EAN';
  for (const [role, value] of [
    ['sender', options.sender],
    ['receiver', options.receiver],
  ] as const) {
    if (type === 'EAN' && !isGln(value)) {
      throw new RangeError(`${role} ${JSON.stringify(value)} is not a GLN (13 digits with a GS1 check digit)`);
    }
    if (value.length < 1 || value.length > 18)
      throw new RangeError(`${role} must have 1–18 characters (EndPointValueType)`);
  }
  const facts = describePayload(payload, options.label, options);
  const { document, serviceTags } = vansDocumentFor(facts, payload.byteLength, options.label);
  const identifier =
    facts.kind === 'fhir'
      ? facts.messageHeaderId
      : deriveFhirId({ kind: 'letter', gln: facts.sender.gln ?? options.sender, id: facts.letterId });
  const envelope: VansEnvelope = {
    sender: { value: options.sender, type },
    receiver: { value: options.receiver, type },
    envelopeIdentifier: context.newId(),
    sentDateTime: formatInstant(context.clock()),
    content: {
      kind: 'message',
      meta: {
        identifier,
        document,
        transport: { type: 'reliable', transformMessage: false, serviceTags },
      },
      data: payload,
    },
    warnings: [...addressWarnings(facts, options), ...idWarnings(identifier)],
  };
  return { envelope, bytes: writeVans(envelope), payload: facts };
}

/** 28 official HN examples have MessageHeader ids that are not UUIDs; the envelope quotes them and says so. */
function idWarnings(identifier: string): EnvelopeWarning[] {
  if (isUuid(identifier)) return [];
  return [
    {
      code: 'id-not-uuid',
      location: '/VANSEnvelope/Message/MetaInformation/Identifier',
      message: `the message id ${identifier} (MessageHeader.id) is not a UUID; VANSEnvelope.xsd will reject it`,
    },
  ];
}
