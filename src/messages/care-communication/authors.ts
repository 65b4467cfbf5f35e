/**
 * People and teams in a CareCommunication: segment authors and the sender/recipient actors. An author is a
 * Practitioner (with a name, CC-4/CC-8) in a PractitionerRole (role code xor text, CC-7; `practitioner` set, CC-13).
 * The role's `organization` is set to the organisation the person acts for, which CC-11/CC-12 compare with the
 * MessageHeader sender/receiver when the role is used as `extension:sender` / `recipient`.
 */
import { messageName, referenceTo, resolveReference } from '../bundle.ts';
import { MessageModelError } from '../errors.ts';
import type { CodeableConcept, DomainResource, MessageBundle, Organization, Reference } from '../fhir-types.ts';
import { tableNarrative } from '../narrative.ts';
import { partyFromOrganization, type MessagingParty } from '../parties.ts';
import type { Author, ReadActor, ReadAuthor } from './model.ts';
import { CC_PROFILE, PRACTITIONER_ROLE_SYSTEM } from './vocabulary.ts';

export interface Practitioner extends DomainResource {
  resourceType: 'Practitioner';
  name: { family: string; given?: string[] }[];
}

export interface PractitionerRole extends DomainResource {
  resourceType: 'PractitionerRole';
  practitioner: Reference;
  organization?: Reference;
  code: CodeableConcept[];
}

export interface CareTeam extends DomainResource {
  resourceType: 'CareTeam';
  name: string;
  managingOrganization?: Reference[];
}

/** Refuses an author the profiles would reject, naming the element the value would go to. */
export function checkAuthor(author: Author, location: string): void {
  if (typeof author.name?.family !== 'string' || author.name.family.trim() === '') {
    throw new MessageModelError(
      'author has no family name',
      `${location}.name.family`,
      'a non-empty family name (CC-4)',
    );
  }
  const role = author.role as { code?: unknown; text?: unknown };
  const hasCode = typeof role.code === 'string' && role.code !== '';
  const hasText = typeof role.text === 'string' && role.text.trim() !== '';
  if (hasCode === hasText) {
    throw new MessageModelError(
      hasCode ? 'author role has both a code and a text' : 'author role has neither a code nor a text',
      `${location}.code`,
      'a role code or a role text, not both (CC-7)',
    );
  }
}

function roleConcept(author: Author): CodeableConcept {
  const role = author.role;
  if ('text' in role) return { text: role.text };
  return {
    coding: [
      {
        system: role.system ?? PRACTITIONER_ROLE_SYSTEM.sks,
        code: role.code,
        ...(role.display ? { display: role.display } : {}),
      },
    ],
  };
}

function personName(author: Author): string {
  return [...(author.name.given ?? []), author.name.family].join(' ');
}

/** Practitioner + PractitionerRole for an author acting for the organisation entry `organizationId`. */
export function authorResources(
  author: Author,
  ids: { readonly practitioner: string; readonly role: string },
  organizationId: string,
): { practitioner: Practitioner; role: PractitionerRole } {
  const given = author.name.given?.filter((g) => g !== '');
  const practitioner: Practitioner = {
    resourceType: 'Practitioner',
    id: ids.practitioner,
    meta: { profile: [CC_PROFILE.practitioner] },
    text: tableNarrative('Practitioner', [['Name', personName(author)]]),
    name: [{ family: author.name.family, ...(given?.length ? { given: [...given] } : {}) }],
  };
  const concept = roleConcept(author);
  const role: PractitionerRole = {
    resourceType: 'PractitionerRole',
    id: ids.role,
    meta: { profile: [CC_PROFILE.practitionerRole] },
    text: tableNarrative('PractitionerRole', [
      ['Practitioner', personName(author)],
      ['Role', concept.text ?? concept.coding?.[0]?.code],
    ]),
    practitioner: referenceTo(practitioner),
    organization: { reference: `Organization/${organizationId}` },
    code: [concept],
  };
  return { practitioner, role };
}

export function careTeamResource(name: string, id: string, organizationId: string): CareTeam {
  return {
    resourceType: 'CareTeam',
    id,
    meta: { profile: [CC_PROFILE.careTeam] },
    text: tableNarrative('CareTeam', [['Name', name]]),
    name,
    managingOrganization: [{ reference: `Organization/${organizationId}` }],
  };
}

/** A stable key for "the same author", so one message bundles one PractitionerRole per distinct author. */
export function authorKey(author: Author): string {
  return JSON.stringify([author.name.family, author.name.given ?? [], author.role]);
}

function readOrganization(bundle: MessageBundle, reference: Reference | undefined): MessagingParty | undefined {
  const found = resolveReference<Organization>(bundle, reference);
  if (!found || found.resource.resourceType !== 'Organization') return undefined;
  try {
    return partyFromOrganization(found.resource, found.location, undefined, messageName(bundle));
  } catch {
    // An owning organisation without SOR/GLN is still an organisation we can show; it is just not a messaging party.
    return undefined;
  }
}

/** Reads the PractitionerRole at `reference` (and its Practitioner); a dangling reference is an error. */
export function readAuthor(bundle: MessageBundle, reference: Reference | undefined, location: string): ReadAuthor {
  const found = resolveReference<PractitionerRole>(bundle, reference);
  if (!found || found.resource.resourceType !== 'PractitionerRole') {
    throw new MessageModelError(
      'author reference does not resolve to a bundled PractitionerRole',
      `${location}.reference`,
      'a bundled PractitionerRole',
      messageName(bundle),
    );
  }
  const role = found.resource;
  const practitioner = resolveReference<Practitioner>(bundle, role.practitioner)?.resource;
  const name =
    practitioner?.resourceType === 'Practitioner' && Array.isArray(practitioner.name)
      ? practitioner.name[0]
      : undefined;
  const concept = Array.isArray(role.code) ? role.code[0] : undefined;
  const coding = concept?.coding?.[0];
  const organization = readOrganization(bundle, role.organization);
  return {
    name: {
      ...(typeof name?.family === 'string' ? { family: name.family } : {}),
      ...(Array.isArray(name?.given) ? { given: name.given.filter((g): g is string => typeof g === 'string') } : {}),
    },
    role: {
      ...(typeof coding?.code === 'string' ? { code: coding.code } : {}),
      ...(typeof coding?.system === 'string' ? { system: coding.system } : {}),
      ...(typeof concept?.text === 'string' ? { text: concept.text } : {}),
    },
    ...(organization ? { organization } : {}),
  };
}

/** Reads `extension:sender` / `recipient`: a PractitionerRole or a CareTeam. */
export function readActor(bundle: MessageBundle, reference: Reference | undefined, location: string): ReadActor {
  const found = resolveReference(bundle, reference);
  if (found?.resource.resourceType === 'CareTeam') {
    const team = found.resource as Partial<CareTeam>;
    const organization = readOrganization(bundle, team.managingOrganization?.[0]);
    return {
      kind: 'careTeam',
      ...(typeof team.name === 'string' ? { name: team.name } : {}),
      ...(organization ? { organization } : {}),
    };
  }
  return { kind: 'practitioner', author: readAuthor(bundle, reference, location) };
}
