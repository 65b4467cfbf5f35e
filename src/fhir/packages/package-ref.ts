/** A FHIR package coordinate, `<id>#<version>`, as the FHIR tool chain writes it in cache folder names. */
export interface PackageRef {
  readonly id: string;
  readonly version: string;
}

const REF = /^([a-z0-9][a-z0-9._-]*)#([0-9A-Za-z.+-]+)$/i;

export function parsePackageRef(text: string): PackageRef {
  const match = REF.exec(text.trim());
  if (!match)
    throw new Error(`"${text}" is not a package reference; expected <id>#<version>, e.g. hl7.fhir.dk.core#3.4.0`);
  return { id: match[1]!, version: match[2]! };
}

export function formatPackageRef(ref: PackageRef): string {
  return `${ref.id}#${ref.version}`;
}

export function samePackage(a: PackageRef, b: PackageRef): boolean {
  return a.id === b.id && a.version === b.version;
}

/** Semver order; a pre-release (`5.3.0-ballot-tc1`) sorts before its release, as in npm. */
export function compareVersions(a: string, b: string): number {
  const [coreA = '', preA] = splitPre(a);
  const [coreB = '', preB] = splitPre(b);
  const partsA = coreA.split('.').map(Number);
  const partsB = coreB.split('.').map(Number);
  for (let i = 0; i < Math.max(partsA.length, partsB.length); i++) {
    const diff = (partsA[i] ?? 0) - (partsB[i] ?? 0);
    if (diff !== 0) return Math.sign(diff);
  }
  if (preA === preB) return 0;
  if (preA === undefined) return 1;
  if (preB === undefined) return -1;
  return preA < preB ? -1 : 1;
}

function splitPre(version: string): [string, string | undefined] {
  const dash = version.indexOf('-');
  return dash < 0 ? [version, undefined] : [version.slice(0, dash), version.slice(dash + 1)];
}
