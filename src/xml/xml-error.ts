// The one error type of the XML layer: names the input (file or message), where in it (XPath, line) and what was
// expected, so a rejected letter can be reported back to its sender without a stack trace.

export class XmlError extends Error {
  readonly label: string;
  readonly xpath: string;
  readonly line?: number;

  constructor(label: string, xpath: string, problem: string, line?: number, options?: { cause?: unknown }) {
    super(`${label}: ${xpath || '/'}${line !== undefined ? ` (line ${line})` : ''}: ${problem}`, options);
    this.name = 'XmlError';
    this.label = label;
    this.xpath = xpath || '/';
    if (line !== undefined) this.line = line;
  }
}
