// What every wrap returns, and the address cross-check both envelope kinds make.
import type { EnvelopeWarning } from './envelope-error.ts';
import type { PayloadFacts } from './payload.ts';

export interface WrappedEnvelope<T> {
  readonly envelope: T;
  readonly bytes: Uint8Array;
  /** What the payload says about itself; the caller may need its ids or type for its records. */
  readonly payload: PayloadFacts;
}

/** The transport addresses should be the GLNs the message itself names; a mismatch is legal but suspicious. */
export function addressWarnings(
  facts: PayloadFacts,
  addresses: { sender: string; receiver: string },
): EnvelopeWarning[] {
  const warnings: EnvelopeWarning[] = [];
  const where = facts.kind === 'fhir' ? 'MessageHeader' : 'Emessage';
  for (const role of ['sender', 'receiver'] as const) {
    const inMessage = facts[role].gln;
    if (inMessage && inMessage !== addresses[role]) {
      warnings.push({
        code: 'address-mismatch',
        location: `${where} ${role}`,
        message: `the envelope ${role} ${addresses[role]} differs from the ${role} GLN in the message (${inMessage})`,
      });
    }
  }
  return warnings;
}
