/**
 * The system under test, as the runner sees it. Touchstone plays a FHIR server; the system under test is always its
 * client. Only two client actions matter to MedCom's scripts:
 * - `read`: the system under test fetches a message Touchstone holds — it *receives* that message;
 * - `create`/`update`: the system under test posts a message — it *sends* one (a notification, a reply, an Ack).
 *
 * A driver connects those two actions to an implementation:
 * - `library` (this project, in-process): `receive` hands the message to the library's receive path (validate,
 *   then acknowledge); `send` asks a scenario adapter to call the builders, or returns the pending Acknowledgement.
 * - `http` (push mode, later): `receive` POSTs the message to a hub's `/fhir/$process-message` and keeps the
 *   Acknowledgement from the response or a callback; `send` returns that Acknowledgement. Scripts in which the
 *   system must originate a HospitalNotification are then `supports() = false`.
 * Asserts never reach into a driver: they judge only what the driver sent, exactly as Touchstone does.
 */
import type { FhirResource } from '../../fhir/packages/context.ts';
import type { Operation, TestScript } from '../testscript/model.ts';

export interface StepInfo {
  readonly script: TestScript;
  /** Test key (test id) or `setup`. */
  readonly group: string;
  readonly actionIndex: number;
  readonly operation: Operation;
  /** The fixture the operation names as `sourceId`, with its Touchstone path. */
  readonly fixture?: { readonly id: string; readonly reference: string };
}

/** A message as the system under test fetched it: the bytes on the wire and the resource they encode. */
export interface Delivery {
  readonly resource: FhirResource;
  readonly body: Uint8Array;
  /** `application/fhir+xml` or `application/fhir+json`, as the read asked for (`accept`). */
  readonly contentType: string;
}

/** What the system under test sent. */
export interface Submission {
  readonly resource: FhirResource;
  /** MIME type of the request as sent (the library sends JSON). */
  readonly contentType: string;
}

export type Support = { readonly supported: true } | { readonly supported: false; readonly reason: string };

export interface Driver {
  readonly name: string;
  /** Whether this driver can play `script` at all; unsupported scripts are reported "not applicable". */
  supports(script: TestScript): Support;
  /** Called before the first action of a script; drivers reset per-script state here. */
  beginScript(script: TestScript): Promise<void>;
  /** The system under test reads (receives) a message. Failures to process are the driver's own business. */
  receive(delivery: Delivery, step: StepInfo): Promise<void>;
  /** The system under test sends its next message for `step`. Throws when it cannot. */
  send(step: StepInfo): Promise<Submission>;
  endScript(script: TestScript): Promise<void>;
}
