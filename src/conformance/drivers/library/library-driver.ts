/**
 * The `library` driver: the system under test is this project's library, in-process.
 * - A `read` hands the fetched bytes to the receive path (decode, validate, acknowledge); the acknowledgement waits in an
 *   outbox, and a received CareCommunication becomes the predecessor of the next reply or forward.
 * - A `create` in a HospitalNotification or CareCommunication send script runs the script's scenario through the
 *   builders; in every other script it sends the oldest pending acknowledgement.
 * All ids and times come from a per-script seed, so two runs produce the same messages.
 */
import { parseFhir } from '../../../fhir/format.ts';
import type { FhirResource, PackageContext } from '../../../fhir/packages/context.ts';
import type { BuildContext } from '../../../messages/build-context.ts';
import { steppingClock } from '../../../messages/clock.ts';
import type { MessageBundle } from '../../../messages/fhir-types.ts';
import { seededIds } from '../../../messages/ids.ts';
import type { HospitalNotificationOptions } from '../../../messages/hospital-notification/index.ts';
import { HOSPITAL, MUNICIPALITY, PATIENT } from '../../cast.ts';
import type { FixtureSet } from '../../fixtures/fixture-set.ts';
import { HospitalNotificationFlow } from '../../flows/hospital-notification-flow.ts';
import type { TestScript } from '../../testscript/model.ts';
import type { Delivery, Driver, StepInfo, Submission, Support } from '../driver.ts';
import { CareCommunicationSender } from './care-communication-sender.ts';
import { CARE_COMMUNICATION_SCENARIOS } from './care-communication-scenarios.ts';
import { HOSPITAL_NOTIFICATION_SCENARIOS } from './hospital-notification-scenarios.ts';
import { Receiver, type MessageValidator, type Receipt } from './receiver.ts';

export interface LibraryDriverOptions {
  readonly validator: MessageValidator;
  /** Base definitions for decoding FHIR XML (any IG closure that contains hl7.fhir.r4.core). */
  readonly definitions: PackageContext;
  /** The fixtures the runner serves; a fixture may set a receiver condition (e.g. temporarily unavailable). */
  readonly fixtures: FixtureSet;
  readonly seed?: string;
  /** Start of the clock acknowledgements and CareCommunications are stamped with. */
  readonly startTime?: string;
  readonly hospitalNotification?: HospitalNotificationOptions;
}

interface ScriptState {
  readonly context: BuildContext;
  readonly receiver: Receiver;
  readonly outbox: MessageBundle[];
  readonly careCommunication: CareCommunicationSender;
  hospitalNotification?: HospitalNotificationFlow;
  sends: number;
}

export class LibraryDriver implements Driver {
  readonly name = 'library';
  private state: ScriptState | undefined;

  constructor(private readonly options: LibraryDriverOptions) {}

  /** What the receive path answered in the current script, in order (for intent checks and debugging). */
  get receipts(): readonly Receipt[] {
    return this.state?.receiver.receipts ?? [];
  }

  supports(script: TestScript): Support {
    const sendsMessages = [...script.setup, ...script.tests.flatMap((t) => t.actions)].some(
      (a) => a.kind === 'operation' && a.operation.origin !== undefined && a.operation.type === 'create',
    );
    const reads = script.tests.some((t) =>
      t.actions.some((a) => a.kind === 'operation' && a.operation.type === 'read'),
    );
    if (!sendsMessages || HOSPITAL_NOTIFICATION_SCENARIOS[script.id] || CARE_COMMUNICATION_SCENARIOS[script.id]) {
      return { supported: true };
    }
    // A script that reads a message and then creates one expects the acknowledgement of what it read.
    if (reads) return { supported: true };
    return { supported: false, reason: `no scenario tells the library what to send in ${script.id}` };
  }

  beginScript(script: TestScript): Promise<void> {
    const seed = `${this.options.seed ?? 'medcom-hub-conformance'}:library:${script.id}`;
    const context: BuildContext = {
      clock: steppingClock(this.options.startTime ?? '2025-03-14T09:00:00Z', 60_000),
      ids: seededIds(seed),
    };
    this.state = {
      context,
      receiver: new Receiver(this.options.validator, context),
      outbox: [],
      careCommunication: new CareCommunicationSender(),
      sends: 0,
    };
    const scenario = HOSPITAL_NOTIFICATION_SCENARIOS[script.id];
    if (scenario) {
      this.state.hospitalNotification = new HospitalNotificationFlow(
        { hospital: HOSPITAL, municipality: MUNICIPALITY, patient: PATIENT },
        scenario.timeline,
        context.ids,
        this.options.hospitalNotification,
      );
    }
    return Promise.resolve();
  }

  async receive(delivery: Delivery, step: StepInfo): Promise<void> {
    const state = this.requireState();
    const condition = step.fixture ? this.options.fixtures.entry(step.fixture.reference)?.condition : undefined;
    // The receive path starts from the bytes, as a real receiver does: decode (JSON or XML), validate, acknowledge.
    const label = step.fixture ? `${step.fixture.id} (${step.fixture.reference})` : `${step.script.id} ${step.group}`;
    const message = parseFhir(delivery.body, label, this.options.definitions).resource;
    const receipt = await state.receiver.receive(message, condition);
    if (receipt.kind === 'acknowledged') state.outbox.push(receipt.acknowledgement);
    const event = (message as { entry?: { resource?: { eventCoding?: { code?: string } } }[] }).entry?.[0]?.resource
      ?.eventCoding?.code;
    if (event === 'care-communication-message') state.careCommunication.receive(message as unknown as MessageBundle);
  }

  send(step: StepInfo): Promise<Submission> {
    const state = this.requireState();
    const index = state.sends++;
    const id = step.script.id;
    let message: MessageBundle;
    const hn = HOSPITAL_NOTIFICATION_SCENARIOS[id];
    const cc = CARE_COMMUNICATION_SCENARIOS[id];
    try {
      if (hn && state.hospitalNotification) {
        const next = hn.steps[index];
        if (!next)
          throw new Error(
            `the scenario of ${id} has ${hn.steps.length} notifications; create number ${index + 1} has none`,
          );
        message = state.hospitalNotification.next(next);
      } else if (cc) {
        const action = cc[index];
        if (!action)
          throw new Error(`the scenario of ${id} has ${cc.length} messages; create number ${index + 1} has none`);
        message = state.careCommunication.perform(action, state.context);
      } else {
        const ack = state.outbox.shift();
        if (!ack)
          throw new Error('no acknowledgement is pending: the system under test has received nothing to acknowledge');
        message = ack;
      }
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return Promise.resolve({ resource: message as unknown as FhirResource, contentType: 'application/fhir+json' });
  }

  endScript(): Promise<void> {
    return Promise.resolve();
  }

  private requireState(): ScriptState {
    if (!this.state) throw new Error('library driver: beginScript was not called');
    return this.state;
  }
}
