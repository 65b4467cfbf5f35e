/**
 * The organisations a message passes between. MedCom requires both a SOR code and a GLN (lokationsnummer) on every
 * MedComMessagingOrganization (identifier slices from dk-core, GOV 050), so a `MessagingParty` always has both; the
 * branded types make "some string" impossible where a checked GLN or SOR code is required.
 */
import { MessageModelError } from './errors.ts';
import type { Identifier, Organization } from './fhir-types.ts';
import { tableNarrative } from './narrative.ts';

export type Gln = string & { readonly __brand: 'Gln' };
export type SorCode = string & { readonly __brand: 'SorCode' };

/** GS1 mod-10 check digit over the first 12 digits (weights 1,3,1,3,…), as dk-core invariant gln-modulus-10. */
function glnCheckDigit(first12: string): number {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10;
}

export function isGln(value: string): value is Gln {
  return /^[0-9]{13}$/.test(value) && glnCheckDigit(value) === Number(value[12]);
}

/** Checks and brands a GLN: 13 digits with a valid GS1 check digit. */
export function toGln(value: string): Gln {
  if (!/^[0-9]{13}$/.test(value)) throw new RangeError(`GLN must be 13 digits, got ${JSON.stringify(value)}`);
  if (!isGln(value))
    throw new RangeError(`GLN ${value} has a wrong GS1 check digit (expected ${glnCheckDigit(value)})`);
  return value;
}

/** SOR ids are SNOMED-CT-style numbers of at least 11 digits (dk-core invariant min-digits-sor). */
export function isSorCode(value: string): value is SorCode {
  return /^[0-9]{11,}$/.test(value);
}

export function toSorCode(value: string): SorCode {
  if (!isSorCode(value)) throw new RangeError(`SOR code must be at least 11 digits, got ${JSON.stringify(value)}`);
  return value;
}

export const SOR_SYSTEM = 'urn:oid:1.2.208.176.1.1';

/** GLN system of dk-core ≤ 3.4.0 — every current MedCom message IG (HN 3.0.2, ACK 2.0.3, CC 5.0.2). */
export const GLN_SYSTEM_HTTPS = 'https://www.gs1.org/gln';
/** GLN system from dk-core 3.5.0 (MedCom core 4.0.0, EER). */
export const GLN_SYSTEM_HTTP = 'http://www.gs1.org/gln';
/** Legacy OID alias seen in messaging FSH and old mapping documents; accepted on input only. */
export const GLN_SYSTEM_OID = 'urn:oid:1.3.88';

export type GlnSystem = typeof GLN_SYSTEM_HTTPS | typeof GLN_SYSTEM_HTTP;
const GLN_SYSTEMS_ACCEPTED: readonly string[] = [GLN_SYSTEM_HTTPS, GLN_SYSTEM_HTTP, GLN_SYSTEM_OID];

/** The GLN system a given hl7.fhir.dk.core version fixes in its EAN-ID slice. */
export function glnSystemForDkCore(dkCoreVersion: string): GlnSystem {
  const [major = 0, minor = 0] = dkCoreVersion.split('.').map(Number);
  return major > 3 || (major === 3 && minor >= 5) ? GLN_SYSTEM_HTTP : GLN_SYSTEM_HTTPS;
}

export const MESSAGING_ORGANIZATION_PROFILE =
  'http://medcomfhir.dk/ig/messaging/StructureDefinition/medcom-messaging-organization';

/** SOR-based endpoint URL the examples use for source/destination endpoints and local episode-of-care systems. */
export function sorUrl(sor: SorCode): string {
  return `https://sor2.sum.dsdn.dk/#id=${sor}`;
}

/** A sender or receiver of messages: a SOR unit that has (or inherits) a GLN. */
export interface MessagingParty {
  readonly sor: SorCode;
  readonly gln: Gln;
  readonly name: string;
  /** MessageHeader source/destination endpoint; defaults to {@link sorUrl} of the SOR code. */
  readonly endpoint?: string;
}

export function endpointOf(party: MessagingParty): string {
  return party.endpoint ?? sorUrl(party.sor);
}

/** Two parties denote the same organisation when SOR code and GLN match (names and endpoints may differ). */
export function sameParty(a: MessagingParty, b: MessagingParty): boolean {
  return a.sor === b.sor && a.gln === b.gln;
}

export interface OrganizationOptions {
  readonly id: string;
  /** Defaults to the https form used by every current MedCom message IG. */
  readonly glnSystem?: GlnSystem;
}

/** Builds a MedComMessagingOrganization (GLN first, as in the official examples). */
export function messagingOrganization(party: MessagingParty, options: OrganizationOptions): Organization {
  return {
    resourceType: 'Organization',
    id: options.id,
    meta: { profile: [MESSAGING_ORGANIZATION_PROFILE] },
    text: tableNarrative(`Organization ${party.name || party.sor}`, [
      ['SOR', party.sor],
      ['GLN', party.gln],
    ]),
    identifier: [
      { system: options.glnSystem ?? GLN_SYSTEM_HTTPS, value: party.gln },
      { system: SOR_SYSTEM, value: party.sor },
    ],
    // FHIR strings may not be empty; a received organisation without a name stays without one.
    ...(party.name ? { name: party.name } : {}),
  };
}

/**
 * Reads a received Organization into a party. Accepts all three GLN systems; refuses organisations without a valid
 * SOR code or GLN because a message to or from them cannot be routed or acknowledged.
 */
export function partyFromOrganization(
  organization: unknown,
  location: string,
  endpoint?: string,
  source?: string,
): MessagingParty {
  const { org, identifiers } = receivedOrganization(organization, location, source);
  const glnIndex = identifiers.findIndex(
    (i) => typeof i?.system === 'string' && GLN_SYSTEMS_ACCEPTED.includes(i.system),
  );
  const sor = requiredSorCode(identifiers, location, source);
  const gln = identifiers[glnIndex]?.value;
  if (typeof gln !== 'string' || !isGln(gln)) {
    const where = glnIndex < 0 ? `${location}.identifier` : `${location}.identifier[${glnIndex}].value`;
    throw new MessageModelError(
      'missing or invalid GLN',
      where,
      'a GS1 GLN: 13 digits with a valid check digit',
      source,
    );
  }
  return {
    sor,
    gln,
    name: typeof org.name === 'string' ? org.name : '',
    ...(endpoint !== undefined ? { endpoint } : {}),
  };
}

export const CORE_ORGANIZATION_PROFILE = 'http://medcomfhir.dk/ig/core/StructureDefinition/medcom-core-organization';

/**
 * An organisation that is not a message endpoint — e.g. HN `Encounter.serviceProvider`, a lower SOR unit of the
 * sender — so a SOR code suffices (MedComCoreOrganization). Every `MessagingParty` is also a `CareOrganization`.
 */
export interface CareOrganization {
  readonly sor: SorCode;
  readonly name: string;
  readonly gln?: Gln;
}

/** Builds a MedComCoreOrganization (SOR, plus GLN when known). */
export function coreOrganization(unit: CareOrganization, options: OrganizationOptions): Organization {
  return {
    resourceType: 'Organization',
    id: options.id,
    meta: { profile: [CORE_ORGANIZATION_PROFILE] },
    text: tableNarrative(`Organization ${unit.name || unit.sor}`, [
      ['SOR', unit.sor],
      ['GLN', unit.gln],
    ]),
    identifier: [
      ...(unit.gln ? [{ system: options.glnSystem ?? GLN_SYSTEM_HTTPS, value: unit.gln }] : []),
      { system: SOR_SYSTEM, value: unit.sor },
    ],
    ...(unit.name ? { name: unit.name } : {}),
  };
}

/** Reads an Organization that must have a SOR code; a GLN is kept when present and valid. */
export function careOrganizationFromResource(
  organization: unknown,
  location: string,
  source?: string,
): CareOrganization {
  const { org, identifiers } = receivedOrganization(organization, location, source);
  const sor = requiredSorCode(identifiers, location, source);
  const gln = identifiers.find((i) => typeof i?.system === 'string' && GLN_SYSTEMS_ACCEPTED.includes(i.system))?.value;
  return {
    sor,
    name: typeof org.name === 'string' ? org.name : '',
    ...(typeof gln === 'string' && isGln(gln) ? { gln } : {}),
  };
}

/** A received resource that must be an Organization, with its identifiers (none when absent or malformed). */
function receivedOrganization(
  organization: unknown,
  location: string,
  source: string | undefined,
): { org: Partial<Organization>; identifiers: Identifier[] } {
  const org = organization as Partial<Organization> | undefined;
  if (org?.resourceType !== 'Organization') {
    throw new MessageModelError('not an Organization', location, 'a bundled Organization', source);
  }
  return { org, identifiers: Array.isArray(org.identifier) ? org.identifier : [] };
}

/** Both kinds of organisation need a SOR code; the error points at the offending identifier when there is one. */
function requiredSorCode(identifiers: readonly Identifier[], location: string, source: string | undefined): SorCode {
  const sorIndex = identifiers.findIndex((i) => i?.system === SOR_SYSTEM);
  const sor = identifiers[sorIndex]?.value;
  if (typeof sor !== 'string' || !isSorCode(sor)) {
    const where = sorIndex < 0 ? `${location}.identifier` : `${location}.identifier[${sorIndex}].value`;
    throw new MessageModelError(
      'missing or invalid SOR code',
      where,
      `an identifier ${SOR_SYSTEM} of ≥11 digits`,
      source,
    );
  }
  return sor;
}

// The patient model is part of the parties API (CPR, replacement CPR, PatientInfo); it lives in its own file.
export * from './patient.ts';
