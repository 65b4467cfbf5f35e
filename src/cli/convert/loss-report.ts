// The loss report `convert --loss-report FILE` writes (JSON) and the one-line summary it prints on stderr. The entries
// come from the conversions (src/oioxml/convert/loss.ts), which never put CPR numbers or other patient data in them.
import type { LossEntry, LossKind } from '../../oioxml/convert/loss.ts';

export type ConversionResult = 'converted' | 'not-representable' | 'nothing-to-send' | 'invalid-output';

export interface LossReportDocument {
  readonly input: string;
  /** e.g. `XDIS91 → CareCommunication`. */
  readonly conversion: string;
  readonly result: ConversionResult;
  /** Why there is no output (not representable, nothing to send, output failed validation). */
  readonly reason?: { readonly source?: string; readonly text: string };
  readonly counts: Readonly<Record<LossKind, number>>;
  /** Present in the source, not in the result. */
  readonly notCarried: readonly LossEntry[];
  /** Required by the target, absent from the source: the configured default that was used. */
  readonly defaultsUsed: readonly LossEntry[];
  /** Carried, but not unchanged. */
  readonly changed: readonly LossEntry[];
  /** Taken from state, lookups or the SOR directory. */
  readonly derived: readonly LossEntry[];
}

export function lossReport(
  input: string,
  conversion: string,
  result: ConversionResult,
  entries: readonly LossEntry[],
  reason?: LossReportDocument['reason'],
): LossReportDocument {
  const of = (kind: LossKind) => entries.filter((entry) => entry.kind === kind);
  return {
    input,
    conversion,
    result,
    ...(reason ? { reason } : {}),
    counts: {
      dropped: of('dropped').length,
      default: of('default').length,
      changed: of('changed').length,
      derived: of('derived').length,
    },
    notCarried: of('dropped'),
    defaultsUsed: of('default'),
    changed: of('changed'),
    derived: of('derived'),
  };
}

/** `XDIS91 → CareCommunication: 6 fields not carried, 5 defaults used, 4 changed, 9 derived` */
export function summaryLine(report: LossReportDocument): string {
  const { counts } = report;
  return (
    `${report.conversion}: ${counts.dropped} field(s) not carried, ${counts.default} default(s) used, ` +
    `${counts.changed} changed, ${counts.derived} derived`
  );
}
