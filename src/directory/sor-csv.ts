// The simple SOR CSV: one unit per row, a header naming the columns. Required: SOR code and name; optional: parent
// SOR code, own GLN, level and the inheritance flag. Aliases let the sample table `sor/sor_units_distinct.csv` and
// similar extracts load as they are. Separator ',' or ';' (SOREntity style), detected from the header line.
import { isGln, isSorCode, type SorCode } from '../messages/parties.ts';
import { parseCsv, type CsvRow } from './csv.ts';
import { sorCodeProblem } from './sor-code-check.ts';
import { parseSorLevel, type SorImport, type SorImportWarning, type SorUnit } from './sor-unit.ts';

type Column = 'sor' | 'parent' | 'name' | 'gln' | 'level' | 'inherits';

const ALIASES: Readonly<Record<Column, readonly string[]>> = {
  sor: ['sor_code', 'sor', 'sor_id', 'sorcode', 'sor-kode'],
  parent: ['parent', 'parent_sor', 'parent_sor_code'],
  name: ['name', 'name(s)', 'entity_name'],
  gln: ['own_gln', 'gln', 'ean_own', 'ean', 'lokationsnummer'],
  level: ['level', 'level(s)'],
  inherits: ['inherits_gln', 'ean_inherited_flag', 'entity_inherited_indicator'],
};

/** Columns the sample tables use for several variants of one value, e.g. `IE | IO` or two names. */
const VARIANT_SEPARATOR = ' | ';

export class SorCsvError extends Error {
  constructor(
    readonly label: string,
    readonly location: string,
    problem: string,
  ) {
    super(`${label}: ${location}: ${problem}`);
    this.name = 'SorCsvError';
  }
}

export function importSorCsv(input: Uint8Array | string, label: string): SorImport {
  const text = typeof input === 'string' ? input : new TextDecoder('utf-8').decode(input);
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const separator = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const rows = parseCsv(text, separator, label);
  const header = rows.shift();
  if (!header) throw new SorCsvError(label, 'line 1', 'empty file; expected a header row naming the columns');
  const index = columnIndex(header, label);

  const units: SorUnit[] = [];
  const warnings: SorImportWarning[] = [];
  const warn = (row: CsvRow, column: Column, message: string): void => {
    warnings.push({ label, location: `line ${row.line}, column ${(index[column] ?? 0) + 1}`, message });
  };
  for (const row of rows) {
    const value = (column: Column): string => {
      const at = index[column];
      return at === undefined ? '' : (row.fields[at] ?? '').trim();
    };
    const sor = value('sor');
    if (!isSorCode(sor)) {
      warn(row, 'sor', `row skipped: SOR code ${JSON.stringify(sor)} is not a number of at least 11 digits`);
      continue;
    }
    const problem = sorCodeProblem(sor);
    if (problem) warn(row, 'sor', `SOR code ${sor}: ${problem}`);
    const parent = value('parent');
    const gln = value('gln');
    const levelText = value('level').split(VARIANT_SEPARATOR)[0] ?? '';
    const level = levelText ? parseSorLevel(levelText) : undefined;
    if (levelText && !level)
      warn(row, 'level', `unknown level ${JSON.stringify(levelText)}; expected IE/SI/OE or IO/HI/OU`);
    if (parent && !isSorCode(parent)) warn(row, 'parent', `parent ${JSON.stringify(parent)} ignored: not a SOR code`);
    if (gln && !isGln(gln))
      warn(row, 'gln', `GLN ${JSON.stringify(gln)} ignored: not 13 digits with a GS1 check digit`);
    const inherits = value('inherits').toLowerCase();
    if (inherits && inherits !== 'true' && inherits !== 'false') {
      warn(row, 'inherits', `inheritance flag ${JSON.stringify(inherits)} read as true; expected true or false`);
    }
    units.push({
      sorCode: sor,
      name: value('name').split(VARIANT_SEPARATOR)[0] ?? '',
      ...(parent && isSorCode(parent) ? { parent: parent as SorCode } : {}),
      ...(level ? { level } : {}),
      ...(gln && isGln(gln) ? { ownGln: gln } : {}),
      inheritsGln: inherits !== 'false',
    });
  }
  return { units, warnings };
}

function columnIndex(header: CsvRow, label: string): Partial<Record<Column, number>> {
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const index: Partial<Record<Column, number>> = {};
  for (const column of Object.keys(ALIASES) as Column[]) {
    const at = names.findIndex((n) => ALIASES[column].includes(n));
    if (at >= 0) index[column] = at;
  }
  for (const required of ['sor', 'name'] as const) {
    if (index[required] === undefined) {
      throw new SorCsvError(
        label,
        `line ${header.line}`,
        `no ${required === 'sor' ? 'SOR code' : 'name'} column; expected one of ${ALIASES[required].join(', ')}`,
      );
    }
  }
  return index;
}
