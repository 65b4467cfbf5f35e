import { NS_2006, type OioxmlNamespace } from './namespaces.ts';
import { XsdSchemaSet, type XsdReport, type XsdValidateOptions } from './xsd.ts';

/** Where the schema sets live; supplied by configuration, never baked in. */
export interface OioxmlSchemaConfig {
  /** Folder of the 2006/07/01 set (XDIS91) and its entry schema relative to it (default `EMessage.xsd`). */
  readonly ns2006: { readonly folder: string; readonly entry?: string };
  /** Folder of the 2005/08/07 set (XDIS20, XDIS17, XCTL01–03). */
  readonly ns2005: { readonly folder: string; readonly entry?: string };
}

/**
 * The OIOXML schema sets by namespace. Each set is compiled on first use and kept; a caller validating only
 * receipts never pays for the XDIS91 set.
 */
export class OioxmlSchemas {
  private readonly compiled = new Map<OioxmlNamespace, XsdSchemaSet>();

  constructor(private readonly config: OioxmlSchemaConfig) {}

  set(namespace: OioxmlNamespace): XsdSchemaSet {
    let set = this.compiled.get(namespace);
    if (!set) {
      const { folder, entry } = namespace === NS_2006 ? this.config.ns2006 : this.config.ns2005;
      set = XsdSchemaSet.fromFolder(folder, entry ?? 'EMessage.xsd');
      this.compiled.set(namespace, set);
    }
    return set;
  }

  validate(namespace: OioxmlNamespace, document: Uint8Array, options: XsdValidateOptions): XsdReport {
    return this.set(namespace).validate(document, options);
  }

  dispose(): void {
    for (const set of this.compiled.values()) set.dispose();
    this.compiled.clear();
  }
}
