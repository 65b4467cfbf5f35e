/**
 * The patient of a message. A CPR number is personal data that must never reach logs or error messages, so it lives
 * in a private field of {@link Cpr}: printing, string interpolation, `JSON.stringify` and `util.inspect` all show a
 * mask, and the raw value is only available through the deliberately named `reveal()` — used when writing the message.
 */
import { inspect } from 'node:util';
import { MessageModelError } from './errors.ts';
import type { Identifier, Patient } from './fhir-types.ts';
import { tableNarrative } from './narrative.ts';

export const CPR_SYSTEM = 'urn:oid:1.2.208.176.1.2';
/** National replacement CPR (x-ecpr, dk-core ≥ 3.4.0). */
export const X_ECPR_SYSTEM = 'urn:oid:1.2.208.176.1.6.1.1';
/** Prefix of every replacement-CPR system (national x-ecpr and the regional d-ecpr OIDs). */
const ECPR_SYSTEM_PREFIX = 'urn:oid:1.2.208.176.1.6.';

export const CORE_PATIENT_PROFILE = 'http://medcomfhir.dk/ig/core/StructureDefinition/medcom-core-patient';

const MASK = '******-****';

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * The dk-core `cpr` invariant: DDMMYY with a day that exists in that month, then 4 digits. 29 February is accepted
 * for years divisible by 4 with a 7th digit 0–3 (1900s) and for year 00 with a 7th digit 4–9 (2000). We mirror the
 * published rule rather than the full CPR century table, so we never accept what the validator would reject.
 * (No modulus-11 check: CPR numbers without it have been issued since 2007.)
 */
function isValidCprText(value: string): boolean {
  if (!/^[0-9]{10}$/.test(value)) return false;
  const day = Number(value.slice(0, 2));
  const month = Number(value.slice(2, 4));
  const year = Number(value.slice(4, 6));
  const seventh = Number(value[6]);
  if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]!) return false;
  if (month === 2 && day === 29) {
    if (year === 0) return seventh >= 4;
    return year % 4 === 0 && seventh <= 3;
  }
  return true;
}

export class Cpr {
  readonly #value: string;
  readonly system = CPR_SYSTEM;

  private constructor(value: string) {
    this.#value = value;
  }

  static isValid(value: string): boolean {
    return isValidCprText(value);
  }

  /** Checks and wraps a CPR number. The error message never repeats the input. */
  static parse(value: string): Cpr {
    if (!isValidCprText(value)) {
      throw new RangeError('invalid CPR number (expected DDMMYY + 4 digits with a real day and month; value masked)');
    }
    return new Cpr(value);
  }

  /** The raw number — only for writing it into a message. Never log the result. */
  reveal(): string {
    return this.#value;
  }

  equals(other: Cpr): boolean {
    return this.#value === other.#value;
  }

  toString(): string {
    return MASK;
  }

  toJSON(): string {
    return MASK;
  }

  [inspect.custom](): string {
    return `Cpr(${MASK})`;
  }
}

/**
 * Replacement CPR (erstatnings-CPR) for people without a CPR number. HospitalNotification forbids it (HN-4);
 * CareCommunication allows it. Masked like a CPR number because it identifies a person too.
 */
export class ReplacementCpr {
  readonly #value: string;

  private constructor(
    readonly system: string,
    value: string,
  ) {
    this.#value = value;
  }

  static parse(system: string, value: string): ReplacementCpr {
    // Systems differ by generation (x-ecpr/d-ecpr OIDs in dk-core ≥ 3.4.0, a code-like value in MedCom core 2.0.x),
    // so only emptiness is refused here; the validator checks the binding of the IG at hand.
    if (system === '') throw new RangeError('replacement CPR needs an identifier system');
    if (!/^[0-9A-Za-z]{1,10}$/.test(value)) {
      throw new RangeError('invalid replacement CPR (expected 1–10 letters/digits; value masked)');
    }
    return new ReplacementCpr(system, value);
  }

  reveal(): string {
    return this.#value;
  }

  equals(other: ReplacementCpr): boolean {
    return this.system === other.system && this.#value === other.#value;
  }

  toString(): string {
    return '**********';
  }

  toJSON(): string {
    return this.toString();
  }

  [inspect.custom](): string {
    return `ReplacementCpr(${this.system}, **********)`;
  }
}

export type PersonIdentifier = Cpr | ReplacementCpr;

export interface PatientName {
  readonly family: string;
  readonly given?: readonly string[];
}

export interface PatientInfo {
  readonly identifier: PersonIdentifier;
  readonly name: PatientName;
  /** Only HospitalNotification uses it (MORS); absent means "not stated". */
  readonly deceased?: boolean;
}

/** A patient with a real CPR number — the only kind HospitalNotification may carry. */
export interface CprPatientInfo extends PatientInfo {
  readonly identifier: Cpr;
}

export function formatPatientName(name: PatientName): string {
  return [...(name.given ?? []), name.family].join(' ');
}

export interface PatientOptions {
  readonly id: string;
  readonly profile?: string;
}

/** Builds a MedComCorePatient. The narrative shows the name only: the CPR number is in the identifier, once. */
export function patientResource(info: PatientInfo, options: PatientOptions): Patient {
  const identifier: Identifier =
    info.identifier instanceof Cpr
      ? { system: CPR_SYSTEM, value: info.identifier.reveal() }
      : { use: 'temp', system: info.identifier.system, value: info.identifier.reveal() };
  const given = info.name.given?.filter((g) => g !== '');
  return {
    resourceType: 'Patient',
    id: options.id,
    meta: { profile: [options.profile ?? CORE_PATIENT_PROFILE] },
    text: tableNarrative('Patient', [
      ['Name', formatPatientName(info.name)],
      ['Deceased', info.deceased === undefined ? undefined : String(info.deceased)],
    ]),
    identifier: [identifier],
    name: [{ use: 'official', family: info.name.family, ...(given?.length ? { given } : {}) }],
    ...(info.deceased !== undefined ? { deceasedBoolean: info.deceased } : {}),
  };
}

/** Reads a received Patient. Errors point at the identifier element but never contain its value. */
export function patientFromResource(resource: unknown, location: string, source?: string): PatientInfo {
  const patient = resource as Partial<Patient> | undefined;
  if (patient?.resourceType !== 'Patient') {
    throw new MessageModelError('not a Patient', location, 'a bundled Patient', source);
  }
  const identifiers = Array.isArray(patient.identifier) ? patient.identifier : [];
  let identifier: PersonIdentifier | undefined;
  const cprIndex = identifiers.findIndex((i) => i?.system === CPR_SYSTEM);
  if (cprIndex >= 0) {
    const value = identifiers[cprIndex]?.value;
    if (typeof value !== 'string' || !Cpr.isValid(value)) {
      throw new MessageModelError(
        'invalid CPR number (value masked)',
        `${location}.identifier[${cprIndex}].value`,
        'DDMMYY + 4 digits with a real day and month (dk-core cpr)',
        source,
      );
    }
    identifier = Cpr.parse(value);
  } else {
    const index = identifiers.findIndex(
      (i) => typeof i?.system === 'string' && (i.system.startsWith(ECPR_SYSTEM_PREFIX) || i.use === 'temp'),
    );
    const found = identifiers[index];
    if (found?.system && typeof found.value === 'string') {
      try {
        identifier = ReplacementCpr.parse(found.system, found.value);
      } catch (error) {
        throw new MessageModelError(
          (error as Error).message,
          `${location}.identifier[${index}].value`,
          'a replacement CPR',
          source,
        );
      }
    }
  }
  if (!identifier) {
    throw new MessageModelError(
      'patient has neither a CPR number nor a replacement CPR',
      `${location}.identifier`,
      `an identifier with system ${CPR_SYSTEM} (or a replacement-CPR system)`,
      source,
    );
  }
  const names = Array.isArray(patient.name) ? patient.name : [];
  const official = names.find((n) => n?.use === 'official') ?? names[0];
  const family = typeof official?.family === 'string' ? official.family : '';
  const given = Array.isArray(official?.given) ? official.given.filter((g): g is string => typeof g === 'string') : [];
  return {
    identifier,
    name: { family, ...(given.length ? { given } : {}) },
    ...(typeof patient.deceasedBoolean === 'boolean' ? { deceased: patient.deceasedBoolean } : {}),
  };
}
