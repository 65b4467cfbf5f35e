/**
 * A resend of an unacknowledged message (GOV 043, MR7): the same message — same MessageHeader.id, same content —
 * in a new transmission: new Bundle.id, new Bundle.timestamp and new send times on the message's own Provenance.
 * ⚠ This belongs with the message builders (`src/messages/`), which have no resend yet; it lives here until they do.
 */
import type { BuildContext } from '../../messages/build-context.ts';
import { formatInstant } from '../../messages/clock.ts';
import type { MessageBundle } from '../../messages/fhir-types.ts';
import { currentProvenance } from '../../messages/provenance.ts';

export function resendMessage(previous: MessageBundle, context: BuildContext): MessageBundle {
  const copy = structuredClone(previous);
  const sentAt = formatInstant(context.clock(), context.timeZone);
  copy.id = context.ids();
  copy.timestamp = sentAt;
  const own = currentProvenance(copy);
  if (own) {
    const provenance = own.resource as { occurredDateTime?: string; recorded?: string };
    provenance.occurredDateTime = sentAt;
    provenance.recorded = sentAt;
  }
  return copy;
}
