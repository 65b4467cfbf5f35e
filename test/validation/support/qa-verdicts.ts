// Test support: the HL7 validator's verdicts on an IG's own examples, read from the IG Publisher QA files in
// ../shared/medcom/qa/<ig>-<version>/ — qa.json holds the totals, qa.txt one line per message grouped by file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MEDCOM } from '../../support/shared.ts';

export interface QaMessage {
  readonly severity: 'ERROR' | 'WARNING' | 'INFORMATION';
  /** The FHIRPath location the HL7 validator names (`Encounter.subject`, `Bundle.entry[2].resource…`). */
  readonly path: string;
  readonly text: string;
}

export interface QaReport {
  readonly totals: { errs: number; warnings: number; hints: number };
  /** Per example file name (`Bundle-a5e5….json`), the messages the validator gave it. */
  readonly byFile: ReadonlyMap<string, QaMessage[]>;
  /** Every message, including those about the IG's own definitions. */
  readonly all: readonly QaMessage[];
}

/** `hospitalnotification-3.0.2` etc.: the QA folder name of an IG. */
export function readQa(folder: string): QaReport {
  const dir = join(MEDCOM, 'qa', folder);
  const json = JSON.parse(readFileSync(join(dir, 'qa.json'), 'utf8')) as {
    errs: number;
    warnings: number;
    hints: number;
  };
  const byFile = new Map<string, QaMessage[]>();
  const all: QaMessage[] = [];
  let current: QaMessage[] | undefined;
  for (const line of readFileSync(join(dir, 'qa.txt'), 'utf8').split(/\r?\n/)) {
    const section = /^== (.*) ==$/.exec(line);
    if (section) {
      const name = section[1]!.slice(section[1]!.lastIndexOf('/') + 1);
      current = [];
      byFile.set(name, current);
      continue;
    }
    const message = /^(ERROR|WARNING|INFORMATION): (.*)$/.exec(line);
    if (!message) continue;
    const parsed = parseMessage(message[1] as QaMessage['severity'], message[2]!);
    all.push(parsed);
    current?.push(parsed);
  }
  return { totals: { errs: json.errs, warnings: json.warnings, hints: json.hints }, byFile, all };
}

/** `Encounter/x: Encounter.subject: Reference is external …` → path `Encounter.subject`. */
function parseMessage(severity: QaMessage['severity'], rest: string): QaMessage {
  const withSubject = /^[A-Za-z]+\/[^:\s]+: ([^\s:]+(?:\([^)]*\))?[^\s:]*): (.*)$/.exec(rest);
  if (withSubject) return { severity, path: withSubject[1]!, text: withSubject[2]! };
  const plain = /^([^\s:]+): (.*)$/.exec(rest);
  return plain ? { severity, path: plain[1]!, text: plain[2]! } : { severity, path: '', text: rest };
}
