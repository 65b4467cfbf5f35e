// What a conversion could not carry, and what it had to make up. Every OIOXML ⇄ FHIR conversion returns one: the two
// formats do not cover each other (oioxml.md §0.4–5), so a converter that hid its losses would be lying to the
// receiver. Entries never contain CPR numbers or other patient data — only locations, codes and configured values.

export type LossKind =
  /** Present in the source, absent from the result. */
  | 'dropped'
  /** Required by the target, absent from the source: a configured default was used. */
  | 'default'
  /** Carried, but not unchanged (truncated, transliterated, formatting removed, time zone added …). */
  | 'changed'
  /** Required by the target and obtained from state or lookups (id map, SOR directory, earlier messages). */
  | 'derived';

export interface LossEntry {
  readonly kind: LossKind;
  /** Location in the source: an XPath for OIOXML, a FHIRPath for FHIR; '' when the value has no source. */
  readonly source: string;
  /** Location in the result, when something was written there. */
  readonly target?: string;
  readonly detail: string;
}

export interface LossReport {
  readonly entries: readonly LossEntry[];
}

/** Collects entries while a converter runs; one per conversion, never shared. */
export class LossRecorder {
  private readonly entries: LossEntry[] = [];

  dropped(source: string, detail: string): void {
    this.entries.push({ kind: 'dropped', source, detail });
  }

  defaulted(target: string, detail: string, source = ''): void {
    this.entries.push({ kind: 'default', source, target, detail });
  }

  changed(source: string, target: string, detail: string): void {
    this.entries.push({ kind: 'changed', source, target, detail });
  }

  derived(target: string, detail: string, source = ''): void {
    this.entries.push({ kind: 'derived', source, target, detail });
  }

  report(): LossReport {
    return { entries: [...this.entries] };
  }

  /** The conversion's outcome, with the report of everything recorded until now. */
  conversion<T>(result: T | NotRepresentable): Conversion<T> {
    return { result, loss: this.report() };
  }
}

/** A message the target format cannot express at all — returned instead of a wrong letter or message. */
export interface NotRepresentable {
  readonly kind: 'not-representable';
  /** Where in the source the obstacle is. */
  readonly source: string;
  readonly reason: string;
}

export function notRepresentable(source: string, reason: string): NotRepresentable {
  return { kind: 'not-representable', source, reason };
}

export function isNotRepresentable(value: unknown): value is NotRepresentable {
  return (value as NotRepresentable | undefined)?.kind === 'not-representable';
}

/** The outcome of every conversion: the converted value (or why there is none) and the loss report. */
export interface Conversion<T> {
  readonly result: T | NotRepresentable;
  readonly loss: LossReport;
}
