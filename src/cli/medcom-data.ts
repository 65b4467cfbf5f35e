// Where the CLI finds the MedCom data folder (XSDs for OIOXML, VANSEnvelope and ehmiSBDH; never shipped with us):
// `--xsd-dir`, else MEDCOM_HUB_XSD_DIR, else `../shared/medcom` from the current directory, else `shared/medcom`
// beside this checkout — so a command run from another directory (a test harness, a cron job) finds the same data.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const XSD_DIR_ENV = 'MEDCOM_HUB_XSD_DIR';

/** The checkout or installation: this file is `<root>/dist/cli/…` (or `<root>/src/cli/…` under tsx). */
const INSTALL_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function defaultXsdDir(): string {
  const fromEnv = process.env[XSD_DIR_ENV];
  if (fromEnv) return fromEnv;
  const besideCwd = resolve(process.cwd(), '..', 'shared', 'medcom');
  if (existsSync(besideCwd)) return besideCwd;
  const besideInstall = resolve(INSTALL_ROOT, '..', 'shared', 'medcom');
  // When neither exists, name the first: the error message then points where a user would look.
  return existsSync(besideInstall) ? besideInstall : besideCwd;
}
