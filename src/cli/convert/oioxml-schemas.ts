// Where `convert` finds the OIOXML XSD sets: the MedCom data folder layout (`shared/medcom`), as for `envelope`.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { OioxmlSchemaConfig } from '../../oioxml/schemas.ts';

/** The 2006/07/01 (XDIS91) and 2005/08/07 (XDIS20/17, XCTL) sets below `<dataDir>/oioxml/xsd/`. */
export function oioxmlSchemaConfig(dataDir: string): OioxmlSchemaConfig {
  const xsd = join(resolve(dataDir), 'oioxml', 'xsd');
  return {
    ns2006: { folder: join(xsd, 'medcom-2006-07-01_edifact_converter') },
    ns2005: { folder: join(xsd, 'medcom-2005-08-07_edifact_converter') },
  };
}

/** The schema folders that are missing (empty when the layout is complete). */
export function missingSchemaFolders(config: OioxmlSchemaConfig): string[] {
  return [config.ns2006.folder, config.ns2005.folder].filter((folder) => !existsSync(join(folder, 'EMessage.xsd')));
}
