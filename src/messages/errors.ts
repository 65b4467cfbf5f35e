/**
 * The one error type of the message model. Receivers turn it into an Acknowledgement or a validation report, so it
 * carries the pieces those need separately: which message, where in it (a FHIRPath), and what was expected there.
 * Never put a CPR number into any of the fields — use the masked form (`Cpr.toString()`).
 */
export class MessageModelError extends Error {
  override readonly name: string = 'MessageModelError';

  constructor(
    /** What went wrong, in words. */
    readonly problem: string,
    /** FHIRPath of the offending element, e.g. `Bundle.entry[0].resource.eventCoding.code`. */
    readonly location: string,
    /** What the model expected at `location`. */
    readonly expected: string,
    /** The message the problem was found in (Bundle.id or a file name), when known. */
    readonly source?: string,
  ) {
    super(`${source ? `${source}: ` : ''}${problem} at ${location} (expected ${expected})`);
  }
}
