// Canonical URLs that MedCom published in two spellings. Each row is data with a reason and a source, so a reviewer
// can see every place where we answer a look-up with something other than the literal URL.

export interface CanonicalAlias {
  /** The spelling found in a package or instance. */
  readonly published: string;
  /** The spelling it stands for. */
  readonly meant: string;
  readonly why: string;
  readonly source: string;
}

/**
 * Code systems referred to under another URL. Membership in a value set that includes `published` also accepts a
 * coding in `meant`, and the other way round.
 */
export const CODE_SYSTEM_ALIASES: readonly CanonicalAlias[] = [
  {
    published: 'http://hl7.org/fhir/ValueSet/operation-outcome',
    meant: 'http://terminology.hl7.org/CodeSystem/operation-outcome',
    why:
      'terminology 1.4.0/1.5.0 include the 28 HL7 MSG_* codes of medcom-acknowledgement-issue-details under the URL ' +
      'of the HL7 value set instead of the code system; terminology 1.8.1/2.0.x use the code system URL',
    source:
      'medcom.fhir.dk.terminology#1.4.0 ValueSet-medcom-acknowledgement-issue-details.json vs #2.0.1; medcom-fhir.md §5',
  },
];

/**
 * Host whose value set canonicals exist under both schemes: `medcom-hospitalNotification-messageActivities` is
 * `https://…` in terminology 1.x and `http://…` from 2.0.1, and HN-3 names a third spelling (medcom-fhir.md §7).
 */
const SCHEME_TOLERANT_HOST = 'medcomfhir.dk/';

/** The canonical itself, then its other-scheme spelling when MedCom is known to have published both. */
export function valueSetCandidates(canonical: string): string[] {
  const http = `http://${SCHEME_TOLERANT_HOST}`;
  const https = `https://${SCHEME_TOLERANT_HOST}`;
  if (canonical.startsWith(http)) return [canonical, https + canonical.slice(http.length)];
  if (canonical.startsWith(https)) return [canonical, http + canonical.slice(https.length)];
  return [canonical];
}

/** Every URL a coding's system may be matched under: itself and its aliases in either direction. */
export function equivalentSystems(system: string): string[] {
  const out = [system];
  for (const alias of CODE_SYSTEM_ALIASES) {
    if (alias.published === system) out.push(alias.meant);
    else if (alias.meant === system) out.push(alias.published);
  }
  return out;
}
