// Shared inputs for the message-model tests: real SOR/GLN pairs from the official HN examples, a deterministic
// build context, and helpers to look inside built Bundles.
import { steppingClock } from '../../src/messages/clock.ts';
import type { BuildContext } from '../../src/messages/build-context.ts';
import type { FhirResource, MessageBundle } from '../../src/messages/fhir-types.ts';
import { seededIds } from '../../src/messages/ids.ts';
import { Cpr, toGln, toSorCode, type MessagingParty } from '../../src/messages/parties.ts';
import type { NewStay } from '../../src/messages/hospital-notification/requests.ts';
import { Validator } from '../../src/validation/validator.ts';
import { testStore } from '../support/shared.ts';

/** Hjerteafdelingen, Herlev og Gentofte hospital (sender in the HN examples). */
export const HOSPITAL: MessagingParty = {
  sor: toSorCode('265161000016000'),
  gln: toGln('5790000209354'),
  name: 'Hjerteafdelingen på Herlev og Gentofte hospital',
};
/** Plejecenter Herlev (receiver in the HN examples). */
export const MUNICIPALITY: MessagingParty = {
  sor: toSorCode('953741000016009'),
  gln: toGln('5790001348120'),
  name: 'Plejecenter Herlev',
};

export function context(seed = 'test', start = '2024-03-30T10:00:00Z', stepMs = 60_000): BuildContext {
  return { clock: steppingClock(start, stepMs), ids: seededIds(seed) };
}

export function newStay(overrides: Partial<NewStay> = {}): NewStay {
  return {
    sender: HOSPITAL,
    receiver: MUNICIPALITY,
    patient: { identifier: Cpr.parse('2509479989'), name: { family: 'Elmer', given: ['Bente'] } },
    episodeOfCare: { local: { value: 'bd481c38-a921-11ed-afa1-0242ac120002' } },
    ...overrides,
  };
}

export function resources<T extends FhirResource = FhirResource>(bundle: MessageBundle, type: string): T[] {
  return bundle.entry.map((e) => e.resource).filter((r): r is T => r.resourceType === type);
}

let validator: Validator | undefined;
export function sharedValidator(): Validator {
  validator ??= new Validator(testStore());
  return validator;
}

/** Error/fatal issues as readable lines, for assertion messages. */
export function validationErrors(bundle: unknown): string[] {
  const result = sharedValidator().validateMessage(bundle);
  return result.issues
    .filter((i) => i.severity === 'error' || i.severity === 'fatal')
    .map((i) => `${i.severity} ${i.expression}: ${i.message}`);
}
