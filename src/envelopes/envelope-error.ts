// Errors and warnings of the envelope codecs. An error means "this is not a usable envelope" (the receiver answers
// with a negative envelope receipt); a warning means "usable, but not as the standard says" — real traffic has
// plenty of those (non-UUID VANS ids, SBDH samples with the payload in the wrong namespace), and they are reported,
// not fatal.

export class EnvelopeError extends Error {
  constructor(
    /** File or message name. */
    readonly label: string,
    /** XPath of the offending element, or '/' for the document. */
    readonly location: string,
    /** What was found and what was expected. */
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(`${label}: ${location}: ${problem}`, options);
    this.name = 'EnvelopeError';
  }
}

export interface EnvelopeWarning {
  /** Stable code for programs (e.g. `id-not-uuid`). */
  readonly code: string;
  /** XPath of the element concerned. */
  readonly location: string;
  /** Human text; never contains a CPR number. */
  readonly message: string;
}

export function formatWarning(label: string, warning: EnvelopeWarning): string {
  return `${label}: ${warning.location}: ${warning.message} [${warning.code}]`;
}

/** Re-labels an XML-layer error as an envelope error without repeating the label and location in the text. */
export function fromXmlError(
  error: { label: string; xpath: string; line?: number; message: string },
  label: string,
): EnvelopeError {
  const prefix = `${error.label}: ${error.xpath}`;
  const rest = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : `: ${error.message}`;
  const problem = rest.replace(/^ \(line (\d+)\): /, 'line $1: ').replace(/^: /, '');
  return new EnvelopeError(label, error.xpath, problem, { cause: error });
}
