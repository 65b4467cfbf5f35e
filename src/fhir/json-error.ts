// Errors in FHIR JSON input: a syntax error (with line and column) or a shape the definitions do not allow (with the
// FHIRPath of the offending property). Both name the file or message they came from.

export class FhirJsonError extends Error {
  readonly label: string;
  /** FHIRPath-style location (`Bundle.entry[2].resource.name[0].given`), or '' for syntax errors. */
  readonly expression: string;
  readonly line?: number;
  readonly column?: number;

  constructor(label: string, expression: string, problem: string, position?: { line: number; column: number }) {
    const where = position ? ` (line ${position.line}, column ${position.column})` : '';
    super(`${label}: ${expression || 'JSON'}${where}: ${problem}`);
    this.name = 'FhirJsonError';
    this.label = label;
    this.expression = expression;
    if (position) {
      this.line = position.line;
      this.column = position.column;
    }
  }
}
