// VANSEnvelope receipts (hub.md §4; GOV 032): the receiving envelope handler answers a reliable envelope with
// Receipt/PositiveMessage, or NegativeMessage when the message cannot be taken; NegativeVans is the network's own
// "cannot deliver". Sender and receiver are swapped, and the original MetaInformation is echoed so the sender can
// correlate on both the envelope id and the message id.
import { formatInstant } from '../../messages/clock.ts';
import type { EnvelopeContext } from '../context.ts';
import type { EnvelopeWarning } from '../envelope-error.ts';
import type { VansEnvelope, VansErrorInfo, VansReceipt } from './model.ts';
import { writeVans } from './write.ts';
import { isUuid } from '../../messages/ids.ts';

export type VansReceiptOutcome =
  | { readonly kind: 'PositiveMessage' }
  | { readonly kind: 'NegativeMessage'; readonly error: VansErrorInfo }
  | { readonly kind: 'NegativeVans'; readonly error: VansErrorInfo };

export function vansReceiptFor(
  original: VansEnvelope,
  outcome: VansReceiptOutcome,
  context: EnvelopeContext,
): { envelope: VansEnvelope; bytes: Uint8Array } {
  if (original.content.kind !== 'message') {
    // Envelope receipts are never receipted (hub.md §3.1).
    throw new RangeError(`envelope ${original.envelopeIdentifier} is itself a receipt; receipts are not receipted`);
  }
  if (
    outcome.kind !== 'PositiveMessage' &&
    (outcome.error.description.length < 1 || outcome.error.description.length > 512)
  ) {
    throw new RangeError('a negative receipt needs an error description of 1–512 characters');
  }
  const originalMessage = original.content.meta;
  const base = { originalEnvelopeIdentifier: original.envelopeIdentifier, originalMessage };
  const receipt: VansReceipt =
    outcome.kind === 'PositiveMessage'
      ? { kind: 'PositiveMessage', ...base }
      : { kind: outcome.kind, error: outcome.error, ...base };
  const warnings: EnvelopeWarning[] = [];
  if (!isUuid(original.envelopeIdentifier)) {
    // The receipt must quote the id it answers, even when that id breaks the schema's UUID pattern.
    warnings.push({
      code: 'id-not-uuid',
      location: `/VANSEnvelope/Receipt/${receipt.kind}/OriginalEnvelopeIdentifier`,
      message: `the original envelope id ${original.envelopeIdentifier} is not a UUID; it is quoted unchanged`,
    });
  }
  const envelope: VansEnvelope = {
    sender: original.receiver,
    receiver: original.sender,
    envelopeIdentifier: context.newId(),
    sentDateTime: formatInstant(context.clock()),
    content: { kind: 'receipt', receipt },
    warnings,
  };
  return { envelope, bytes: writeVans(envelope) };
}
