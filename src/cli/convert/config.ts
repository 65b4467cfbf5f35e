// The converter configuration (`medcom-hub convert --config FILE`): the defaults for FHIR data OIOXML does not carry,
// the party table, where the id map lives and where the XSDs are. JSON, checked strictly: an unknown key is an error
// (a misspelt key silently ignored would make the converter fall back to a default nobody chose), and every error
// names the file, the key path and what was expected. Relative paths are relative to the config file's folder.
import { dirname, isAbsolute, resolve } from 'node:path';
import type { Author } from '../../messages/care-communication/model.ts';
import {
  CARE_COMMUNICATION_CATEGORIES,
  isCareCommunicationCategory,
} from '../../messages/care-communication/vocabulary.ts';
import { isGln, isSorCode } from '../../messages/parties.ts';
import { DEFAULT_CONVERSION_DEFAULTS, type ConversionDefaults } from '../../oioxml/convert/context.ts';
import type { PartyEntry } from '../../oioxml/convert/parties.ts';
import { IDENTIFIER_CODES, type IdentifierCode } from '../../oioxml/model.ts';

export interface ConverterConfig {
  readonly defaults: ConversionDefaults;
  readonly parties: readonly PartyEntry[];
  /** SQLite file for the id map and the conversion history; undefined = in memory, for this run only. */
  readonly idMapDatabase?: string;
  /** MedCom data folder with `oioxml/xsd/…` (same meaning as --xsd-dir). */
  readonly xsdDir?: string;
}

export const DEFAULT_CONVERTER_CONFIG: ConverterConfig = { defaults: DEFAULT_CONVERSION_DEFAULTS, parties: [] };

export class ConfigError extends Error {
  constructor(
    readonly label: string,
    /** Key path in the JSON document, e.g. `parties[2].gln`; '' for the document itself. */
    readonly location: string,
    problem: string,
  ) {
    super(`${label}: ${location ? `${location}: ` : ''}${problem}`);
    this.name = 'ConfigError';
  }
}

type Json = unknown;

/** Reads and checks a config document; `file` names it in errors and anchors relative paths. */
export function parseConverterConfig(text: string, file: string): ConverterConfig {
  let document: Json;
  try {
    document = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    throw new ConfigError(file, '', `not valid JSON (${(error as Error).message})`);
  }
  const at = new Checker(file);
  const root = at.object(document, '', [
    'careCommunication',
    'patientFamilyName',
    'parties',
    'idMapDatabase',
    'xsdDir',
  ]);
  const base = dirname(resolve(file));
  const path = (value: string): string => (isAbsolute(value) ? value : resolve(base, value));

  const cc = DEFAULT_CONVERSION_DEFAULTS.careCommunication;
  const ccIn =
    root.careCommunication === undefined
      ? {}
      : at.object(root.careCommunication, 'careCommunication', ['category', 'topic', 'author', 'phone', 'emptyText']);
  const category = ccIn.category === undefined ? cc.category : at.string(ccIn.category, 'careCommunication.category');
  if (!isCareCommunicationCategory(category)) {
    throw new ConfigError(
      file,
      'careCommunication.category',
      `'${category}' is not a CareCommunication category; expected one of ${CARE_COMMUNICATION_CATEGORIES.join(', ')}`,
    );
  }
  const defaults: ConversionDefaults = {
    careCommunication: {
      category,
      topic: ccIn.topic === undefined ? cc.topic : at.text(ccIn.topic, 'careCommunication.topic'),
      author: ccIn.author === undefined ? cc.author : author(at, ccIn.author, 'careCommunication.author'),
      phone: ccIn.phone === undefined ? cc.phone : at.text(ccIn.phone, 'careCommunication.phone'),
      emptyText: ccIn.emptyText === undefined ? cc.emptyText : at.text(ccIn.emptyText, 'careCommunication.emptyText'),
    },
    patientFamilyName:
      root.patientFamilyName === undefined
        ? DEFAULT_CONVERSION_DEFAULTS.patientFamilyName
        : at.text(root.patientFamilyName, 'patientFamilyName'),
  };
  const parties = root.parties === undefined ? [] : at.array(root.parties, 'parties').map((p, i) => party(at, p, i));
  const eans = new Set<string>();
  parties.forEach((p, i) => {
    if (eans.has(p.ean)) throw new ConfigError(file, `parties[${i}].ean`, `EAN ${p.ean} is configured twice`);
    eans.add(p.ean);
  });
  return {
    defaults,
    parties,
    ...(root.idMapDatabase !== undefined ? { idMapDatabase: path(at.text(root.idMapDatabase, 'idMapDatabase')) } : {}),
    ...(root.xsdDir !== undefined ? { xsdDir: path(at.text(root.xsdDir, 'xsdDir')) } : {}),
  };
}

function author(at: Checker, value: Json, where: string): Author {
  const input = at.object(value, where, ['name', 'role']);
  if (input.name === undefined) throw new ConfigError(at.file, `${where}.name`, 'missing; expected {"family": …}');
  if (input.role === undefined) throw new ConfigError(at.file, `${where}.role`, 'missing; expected {"text": …}');
  const name = at.object(input.name, `${where}.name`, ['family', 'given']);
  const family = at.text(name.family, `${where}.name.family`);
  const given =
    name.given === undefined
      ? undefined
      : at.array(name.given, `${where}.name.given`).map((g, i) => at.text(g, `${where}.name.given[${i}]`));
  const role = at.object(input.role, `${where}.role`, ['text', 'code', 'system', 'display']);
  // CC-7: a role is a code or free text, never both.
  if ((role.text === undefined) === (role.code === undefined)) {
    throw new ConfigError(at.file, `${where}.role`, 'expected either "text" or "code" (with optional system, display)');
  }
  if (role.text !== undefined) {
    if (role.system !== undefined || role.display !== undefined) {
      throw new ConfigError(at.file, `${where}.role`, '"system" and "display" belong to a coded role, not to "text"');
    }
    return { name: { family, ...(given ? { given } : {}) }, role: { text: at.text(role.text, `${where}.role.text`) } };
  }
  return {
    name: { family, ...(given ? { given } : {}) },
    role: {
      code: at.text(role.code, `${where}.role.code`),
      ...(role.system !== undefined ? { system: at.text(role.system, `${where}.role.system`) } : {}),
      ...(role.display !== undefined ? { display: at.text(role.display, `${where}.role.display`) } : {}),
    },
  };
}

function party(at: Checker, value: Json, index: number): PartyEntry {
  const where = `parties[${index}]`;
  const input = at.object(value, where, ['ean', 'gln', 'sor', 'identifier', 'identifierCode', 'name']);
  const ean = at.text(input.ean, `${where}.ean`);
  if (ean.length > 35)
    throw new ConfigError(at.file, `${where}.ean`, 'longer than the 35 characters EANIdentifier allows');
  const gln = input.gln === undefined ? undefined : at.text(input.gln, `${where}.gln`);
  if (gln !== undefined && !isGln(gln)) {
    throw new ConfigError(at.file, `${where}.gln`, `'${gln}' is not a GLN; expected 13 digits with a GS1 check digit`);
  }
  if (gln === undefined && !isGln(ean)) {
    throw new ConfigError(
      at.file,
      `${where}.gln`,
      `missing: EAN ${ean} is not a valid GLN (13 digits, GS1 check digit), so FHIR needs a "gln" to use instead`,
    );
  }
  const sor = at.text(input.sor, `${where}.sor`);
  if (!isSorCode(sor)) {
    throw new ConfigError(at.file, `${where}.sor`, `'${sor}' is not a SOR code; expected at least 11 digits`);
  }
  const identifier = input.identifier === undefined ? undefined : at.text(input.identifier, `${where}.identifier`);
  if (identifier !== undefined && identifier.length > 17) {
    throw new ConfigError(at.file, `${where}.identifier`, 'longer than the 17 characters Identifier allows');
  }
  const code =
    input.identifierCode === undefined ? undefined : at.text(input.identifierCode, `${where}.identifierCode`);
  if (code !== undefined && !(IDENTIFIER_CODES as readonly string[]).includes(code)) {
    throw new ConfigError(
      at.file,
      `${where}.identifierCode`,
      `'${code}' is not an OIOXML IdentifierCode; expected one of ${IDENTIFIER_CODES.join(', ')}`,
    );
  }
  if ((identifier === undefined) !== (code === undefined)) {
    throw new ConfigError(at.file, where, '"identifier" and "identifierCode" go together (give both or neither)');
  }
  const name = input.name === undefined ? undefined : at.text(input.name, `${where}.name`);
  return {
    ean,
    ...(gln !== undefined ? { gln } : {}),
    sor,
    ...(identifier !== undefined ? { identifier, identifierCode: code as IdentifierCode } : {}),
    ...(name !== undefined ? { name } : {}),
  };
}

/** Type checks with the error wording shared by every key. */
class Checker {
  constructor(readonly file: string) {}

  object(value: Json, where: string, keys: readonly string[]): Record<string, Json> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new ConfigError(this.file, where, `expected a JSON object, got ${describe(value)}`);
    }
    for (const key of Object.keys(value)) {
      if (!keys.includes(key)) {
        throw new ConfigError(
          this.file,
          where ? `${where}.${key}` : key,
          `unknown key; expected one of ${keys.join(', ')}`,
        );
      }
    }
    return value as Record<string, Json>;
  }

  array(value: Json, where: string): Json[] {
    if (!Array.isArray(value)) throw new ConfigError(this.file, where, `expected a JSON array, got ${describe(value)}`);
    return value;
  }

  string(value: Json, where: string): string {
    if (typeof value !== 'string') {
      throw new ConfigError(this.file, where, `expected a string, got ${describe(value)}`);
    }
    return value;
  }

  /** A string with at least one non-space character. */
  text(value: Json, where: string): string {
    const text = this.string(value, where);
    if (text.trim() === '') throw new ConfigError(this.file, where, 'must not be empty');
    return text;
  }
}

function describe(value: Json): string {
  if (value === undefined) return 'nothing (the key is missing)';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}
