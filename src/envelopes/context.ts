// What building an envelope needs from the outside world: the time and fresh ids, injected so tests and replays are
// deterministic (no hidden Date.now / randomUUID in the codecs).
import { systemClock, type Clock } from '../messages/clock.ts';
import { randomIds, type IdGenerator } from '../messages/ids.ts';

export interface EnvelopeContext {
  readonly clock: Clock;
  /** New transmission ids (VANS EnvelopeIdentifier, SBDH InstanceIdentifier): lower-case UUIDs. */
  readonly newId: IdGenerator;
}

export const systemContext: EnvelopeContext = { clock: systemClock, newId: randomIds };
