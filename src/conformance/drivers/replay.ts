/**
 * A driver that replays recorded messages: for each script, the Bundles the system under test sent, in order.
 * Useful to check messages captured from a vendor system against the scripts offline, and to exercise the runner
 * with the official IG examples. Received messages are only recorded.
 */
import type { FhirResource } from '../../fhir/packages/context.ts';
import type { TestScript } from '../testscript/model.ts';
import type { Delivery, Driver, StepInfo, Submission, Support } from './driver.ts';

export class ReplayDriver implements Driver {
  readonly name = 'replay';
  /** Messages the system under test received in the current script, in order. */
  readonly received: FhirResource[] = [];
  private queue: FhirResource[] = [];

  constructor(private readonly recordings: ReadonlyMap<string, readonly FhirResource[]>) {}

  supports(script: TestScript): Support {
    return this.recordings.has(script.id)
      ? { supported: true }
      : { supported: false, reason: 'no recording for this script' };
  }

  beginScript(script: TestScript): Promise<void> {
    this.queue = [...(this.recordings.get(script.id) ?? [])];
    this.received.length = 0;
    return Promise.resolve();
  }

  receive(delivery: Delivery): Promise<void> {
    this.received.push(delivery.resource);
    return Promise.resolve();
  }

  send(step: StepInfo): Promise<Submission> {
    const next = this.queue.shift();
    if (!next) return Promise.reject(new Error(`no recorded message left for ${step.script.id} ${step.group}`));
    return Promise.resolve({ resource: structuredClone(next), contentType: 'application/fhir+json' });
  }

  endScript(): Promise<void> {
    return Promise.resolve();
  }
}
