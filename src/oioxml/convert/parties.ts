// OIOXML Sender/Receiver ⇄ FHIR MessagingParty (SOR code + GLN + name). FHIR requires both a SOR code and a valid GLN
// on every messaging organisation; OIOXML gives an EAN and an Identifier whose meaning IdentifierCode states
// (oioxml.md §7.2). Resolution order, OIOXML → FHIR:
//   1. a configured party entry for the EAN (the "configured defaults": legacy EANs, SOR codes the directory lacks);
//   2. IdentifierCode `sorkode` → Identifier is the SOR code;
//   3. the SOR directory by GLN, narrowed by ydernummer / SHAK when several units share the GLN.
// Otherwise the letter is not representable in FHIR (a message without SOR code would fail validation).
// FHIR → OIOXML writes the configured entry's Identifier/IdentifierCode when there is one, else `sorkode` + SOR.
import { isGln, isSorCode, type Gln, type MessagingParty, type SorCode } from '../../messages/parties.ts';
import type { IdentifierCode, Party } from '../model.ts';
import { toLatin1 } from './latin1.ts';
import { isNotRepresentable, notRepresentable, type LossRecorder, type NotRepresentable } from './loss.ts';

/** One configured party: how an OIOXML EAN appears in FHIR and back. */
export interface PartyEntry {
  /** EANIdentifier as written in OIOXML letters. */
  readonly ean: string;
  /** GLN for FHIR; defaults to `ean`. Needed when legacy data carries an EAN with a wrong GS1 check digit. */
  readonly gln?: string;
  readonly sor: string;
  /** OIOXML Identifier/IdentifierCode to write for this party (e.g. a ydernummer); default `sorkode` + SOR. */
  readonly identifier?: string;
  readonly identifierCode?: IdentifierCode;
  /** Organisation name to use when the letter has none. */
  readonly name?: string;
}

/** The part of a SOR unit resolution needs; `SorDirectory` units fit. */
export interface SorUnitView {
  readonly sorCode: SorCode;
  readonly name: string;
  readonly providerId?: string;
  readonly shakCode?: string;
}

/**
 * GLN → SOR units, as the SOR directory answers it (src/directory `SorDirectory.byGln` fits): every unit reached at
 * the GLN, and those holding it as their own.
 */
export interface SorLookup {
  byGln(gln: Gln): { readonly units: readonly SorUnitView[]; readonly owners: readonly SorUnitView[] };
}

export interface PartyResolution {
  readonly entries: readonly PartyEntry[];
  readonly directory?: SorLookup;
}

/** Organisation name in FHIR: MedCom maps all three OIOXML name elements to Organization.name (oioxml.md §11.7). */
export function joinNames(party: Party): string | undefined {
  const parts = [party.organisationName, party.departmentName, party.unitName].filter((p): p is string => !!p);
  return parts.length ? parts.join(', ') : undefined;
}

/** OIOXML → FHIR. `path` is the XPath of the Sender/Receiver element. */
export function messagingPartyOf(
  party: Party,
  path: string,
  resolution: PartyResolution,
  loss: LossRecorder,
  target: string,
): MessagingParty | NotRepresentable {
  const entry = resolution.entries.find((e) => e.ean === party.ean);
  let gln: Gln;
  let sor: SorCode;
  let directoryName: string | undefined;
  if (entry) {
    const configuredGln = entry.gln ?? entry.ean;
    if (!isGln(configuredGln) || !isSorCode(entry.sor)) {
      return notRepresentable(path, `configured party for EAN ${party.ean} has an invalid GLN or SOR code`);
    }
    gln = configuredGln;
    sor = entry.sor;
    if (configuredGln !== party.ean) {
      loss.changed(
        `${path}/EANIdentifier`,
        `${target}.identifier[EAN-ID]`,
        `EAN ${party.ean} is written as configured GLN ${gln}`,
      );
    }
    loss.derived(
      `${target}.identifier[SOR-ID]`,
      `SOR code ${sor} from the configured party for EAN ${party.ean}`,
      path,
    );
  } else {
    if (!isGln(party.ean)) {
      return notRepresentable(
        `${path}/EANIdentifier`,
        `EAN ${party.ean} is not a valid GLN (13 digits with a GS1 check digit), which FHIR requires; configure a party entry for it`,
      );
    }
    gln = party.ean;
    if (party.identifierCode === 'sorkode' && isSorCode(party.identifier)) {
      sor = party.identifier;
    } else {
      const found = resolution.directory ? unitFor(resolution.directory, gln, party) : undefined;
      if (!found) {
        return notRepresentable(
          path,
          `no SOR code known for EAN ${party.ean} (${party.identifierCode} ${party.identifier}); FHIR requires one`,
        );
      }
      if ('candidates' in found) {
        const codes = found.candidates.map((u) => `${u.sorCode} (${u.name})`).join(', ');
        return notRepresentable(
          path,
          `EAN ${party.ean} (${party.identifierCode} ${party.identifier}) is ambiguous in the SOR directory: ` +
            `${found.candidates.length} units could be meant: ${codes}; configure a party entry for the EAN`,
        );
      }
      const unit = found.unit;
      sor = unit.sorCode;
      directoryName = unit.name;
      loss.derived(`${target}.identifier[SOR-ID]`, `SOR code ${sor} from the SOR directory (GLN ${gln})`, path);
    }
  }
  if (party.identifierCode !== 'sorkode' && party.identifierCode !== 'lokationsnummer') {
    loss.dropped(
      `${path}/Identifier`,
      `${party.identifierCode} ${party.identifier} has no place in a FHIR messaging Organization`,
    );
  }
  let name = joinNames(party);
  if (name && (party.departmentName || party.unitName)) {
    loss.changed(
      `${path}/OrganisationName`,
      `${target}.name`,
      'OrganisationName, DepartmentName and UnitName joined with ", "',
    );
  }
  if (!name) {
    name = entry?.name ?? directoryName ?? `Lokationsnummer ${party.ean}`;
    loss.defaulted(`${target}.name`, `the letter names no organisation; "${name}" used`, path);
  }
  for (const [field, element] of [
    ['streetName', 'StreetName'],
    ['suburbName', 'SuburbName'],
    ['districtName', 'DistrictName'],
    ['postCodeIdentifier', 'PostCodeIdentifier'],
    ['telephoneSubscriberIdentifier', 'TelephoneSubscriberIdentifier'],
    ['medicalSpecialityCode', 'MedicalSpecialityCode'],
  ] as const) {
    if (party[field] !== undefined)
      loss.dropped(`${path}/${element}`, `${element} has no place in a FHIR messaging Organization`);
  }
  return { sor, gln, name };
}

/**
 * The SOR unit a letter's party means: the only unit at the GLN, else the one the letter's ydernummer/SHAK code picks,
 * else the only unit holding the GLN as its own. Several left: the candidates, never a guess.
 */
function unitFor(
  directory: SorLookup,
  gln: Gln,
  party: Party,
): { readonly unit: SorUnitView } | { readonly candidates: readonly SorUnitView[] } | undefined {
  const lookup = directory.byGln(gln);
  if (lookup.units.length === 0) return undefined;
  const byIdentifier =
    party.identifierCode === 'ydernummer'
      ? lookup.units.filter((u) => u.providerId === party.identifier)
      : party.identifierCode === 'sygehusafdelingsnummer'
        ? lookup.units.filter((u) => u.shakCode === party.identifier)
        : [];
  if (byIdentifier.length === 1) return { unit: byIdentifier[0]! };
  if (lookup.owners.length === 1) return { unit: lookup.owners[0]! };
  if (lookup.units.length === 1) return { unit: lookup.units[0]! };
  return { candidates: lookup.owners.length > 1 ? lookup.owners : lookup.units };
}

/** Which OIOXML name elements a letter type has room for. */
export type NameSlots = 'organisation' | 'organisation-department-unit';

/**
 * FHIR → OIOXML for a message's MessageHeader sender and primary receiver; `base` is the letter's XPath. The sender
 * always has room for all three names; how many the receiver has depends on the letter type.
 */
export function oioxmlLetterPartiesOf(
  message: {
    readonly sender: { readonly party: MessagingParty };
    readonly receiver: { readonly party: MessagingParty };
  },
  base: string,
  resolution: PartyResolution,
  loss: LossRecorder,
  receiverSlots: NameSlots,
): { sender: Party; receiver: Party } {
  const sender = oioxmlPartyOf(
    message.sender.party,
    'MessageHeader.sender.resolve()',
    resolution,
    loss,
    `${base}/Sender`,
    'organisation-department-unit',
  );
  const receiver = oioxmlPartyOf(
    message.receiver.party,
    'MessageHeader.destination[primary].receiver.resolve()',
    resolution,
    loss,
    `${base}/Receiver`,
    receiverSlots,
  );
  return { sender, receiver };
}

/** FHIR → OIOXML. Names longer than 35 characters are cut to 34 + `*` (the Region H convention, oioxml.md §2.3). */
export function oioxmlPartyOf(
  party: MessagingParty,
  source: string,
  resolution: PartyResolution,
  loss: LossRecorder,
  target: string,
  slots: NameSlots,
): Party {
  const entry = resolution.entries.find((e) => (e.gln ?? e.ean) === party.gln && e.sor === party.sor);
  const ean = entry?.ean ?? party.gln;
  if (ean !== party.gln)
    loss.changed(
      `${source}.identifier[EAN-ID]`,
      `${target}/EANIdentifier`,
      `GLN ${party.gln} written as configured EAN ${ean}`,
    );
  let identifier = entry?.identifier ?? party.sor;
  let identifierCode: IdentifierCode = entry?.identifierCode ?? 'sorkode';
  if (identifier.length > 17) {
    // Identifier is String_1_17; SOR codes (SCTIDs) may have up to 18 digits.
    loss.changed(
      `${source}.identifier[SOR-ID]`,
      `${target}/Identifier`,
      `SOR code ${party.sor} is longer than 17 characters; lokationsnummer ${ean} written instead`,
    );
    identifier = ean;
    identifierCode = 'lokationsnummer';
  } else if (!entry?.identifier) {
    loss.defaulted(
      `${target}/IdentifierCode`,
      `sorkode with the SOR code ${party.sor}`,
      `${source}.identifier[SOR-ID]`,
    );
  }

  const fullName = party.name || entry?.name || `SOR ${party.sor}`;
  const latin = toLatin1(fullName);
  if (latin.replaced.length)
    loss.changed(`${source}.name`, `${target}/OrganisationName`, 'characters outside ISO-8859-1 replaced');
  const parts = slots === 'organisation' ? [latin.text] : splitName(latin.text);
  const [organisationName, departmentName, unitName] = parts.map((p) =>
    cut35(p, `${source}.name`, `${target}/…Name`, loss),
  );
  return {
    ean,
    identifier,
    identifierCode,
    organisationName: organisationName!,
    ...(departmentName ? { departmentName } : {}),
    ...(unitName ? { unitName } : {}),
  };
}

/** Inverse of joinNames: "Org, Dept, Unit" → up to three parts; the last part keeps any further commas. */
function splitName(name: string): string[] {
  const parts = name.split(', ');
  return parts.length <= 3 ? parts : [parts[0]!, parts[1]!, parts.slice(2).join(', ')];
}

function cut35(value: string, source: string, target: string, loss: LossRecorder): string {
  if (value.length <= 35) return value;
  loss.changed(source, target, `name longer than 35 characters cut to 34 + "*"`);
  return `${value.slice(0, 34)}*`;
}

/** A letter's Sender and Receiver as the MessageHeader's sender and primary receiver; `base` is the letter's XPath. */
export function letterPartiesOf(
  letter: { readonly sender: Party; readonly receiver: Party },
  base: string,
  resolution: PartyResolution,
  loss: LossRecorder,
): { sender: MessagingParty; receiver: MessagingParty } | NotRepresentable {
  const sender = messagingPartyOf(letter.sender, `${base}/Sender`, resolution, loss, 'MessageHeader.sender.resolve()');
  if (isNotRepresentable(sender)) return sender;
  const receiver = messagingPartyOf(
    letter.receiver,
    `${base}/Receiver`,
    resolution,
    loss,
    'MessageHeader.destination[primary].receiver.resolve()',
  );
  if (isNotRepresentable(receiver)) return receiver;
  return { sender, receiver };
}
