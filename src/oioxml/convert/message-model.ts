// The message layer rejects what it cannot read or build with a MessageModelError. A converter must not throw on
// such input: it returns "not representable" with the error's location, so the caller still gets a loss report.
import { MessageModelError } from '../../messages/errors.ts';
import { notRepresentable, type NotRepresentable } from './loss.ts';

/** FHIR → OIOXML: reads the incoming message (`what` names its type in the reason, e.g. 'CareCommunication'). */
export function readFhirMessage<T>(what: string, read: () => T): T | NotRepresentable {
  try {
    return read();
  } catch (error) {
    if (error instanceof MessageModelError) {
      return notRepresentable(error.location, `not a readable ${what}: ${error.problem} (expected ${error.expected})`);
    }
    throw error;
  }
}

/** OIOXML → FHIR: builds the message; a refusal is located at `base`, the XPath of the letter. */
export function buildFhirMessage<T>(base: string, build: () => T): T | NotRepresentable {
  try {
    return build();
  } catch (error) {
    if (error instanceof MessageModelError)
      return notRepresentable(base, `${error.problem} at ${error.location} (expected ${error.expected})`);
    throw error;
  }
}
