// XSD checks for envelopes, over the project's one XSD validator (src/oioxml/xsd.ts). The schema files are read
// from a configured folder at run time — never copied into the repository — with two documented local changes,
// made in memory only:
//  1. ehmiDocumentIdentification.xsd enumerates only the pilot Standards; hub.md §5.2 says "extend locally for
//     CC/HN", so the Standards in LOCAL_STANDARDS are added to that enumeration.
//  2. ebbp-signals-2.0.4.xsd imports the XLink and XML-DSig schemas from the web. Validation must not touch the
//     network, so those imports point at two minimal stand-ins declaring just what the signal schema references
//     (xlink:type/href; ds:Signature/ds:Reference with lax content). Signals the hub writes use neither.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { XsdSchemaSet, type XsdIssue } from '../oioxml/xsd.ts';
import { LOCAL_STANDARDS } from './sbdh/conventions.ts';

export interface EnvelopeSchemaLocations {
  /** Folder holding VANSEnvelope.xsd. */
  readonly vans: string;
  /** Folder holding ehmiStandardBusinessDocumentHeader.xsd and its includes. */
  readonly sbdh: string;
  /** Folder holding ebbp-signals-2.0.4.xsd. */
  readonly ebbp: string;
}

/** The layout of the MedCom data folder (`shared/medcom`): the default the CLI derives from `--xsd-dir`. */
export function schemaLocationsIn(medcomDir: string): EnvelopeSchemaLocations {
  return {
    vans: join(medcomDir, 'oioxml', 'xsd', 'vans-envelope-1.0.4'),
    sbdh: join(medcomDir, 'ehmi-sbdh', 'ehmiSBDH'),
    ebbp: join(medcomDir, 'ehmi-sbdh', 'ebbp'),
  };
}

export interface SchemaCheck {
  /** No errors left after the tolerated deviations are set aside. */
  readonly valid: boolean;
  readonly errors: readonly XsdIssue[];
  /** Violations accepted on purpose (non-UUID VANS ids, hub.md §4) — still worth reporting. */
  readonly tolerated: readonly XsdIssue[];
}

const VANS_ID_ELEMENTS = new Set(['EnvelopeIdentifier', 'Identifier', 'OriginalEnvelopeIdentifier']);

/** VANS UUIDType violations on id elements: real hospital envelopes carry their OIOXML numbers there. */
function isToleratedVansIssue(issue: XsdIssue): boolean {
  return (
    issue.element !== undefined &&
    VANS_ID_ELEMENTS.has(issue.element) &&
    (/\[facet 'pattern'\]/.test(issue.message) || /UUIDType/.test(issue.message))
  );
}

const XLINK_STAND_IN = `<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="http://www.w3.org/1999/xlink">
  <xs:attribute name="type" type="xs:string"/>
  <xs:attribute name="href" type="xs:anyURI"/>
</xs:schema>
`;

const XMLDSIG_STAND_IN = `<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:ds="http://www.w3.org/2000/09/xmldsig#"
  targetNamespace="http://www.w3.org/2000/09/xmldsig#" elementFormDefault="qualified">
  <xs:complexType name="Opaque">
    <xs:sequence><xs:any namespace="##any" processContents="lax" minOccurs="0" maxOccurs="unbounded"/></xs:sequence>
    <xs:anyAttribute namespace="##any" processContents="lax"/>
  </xs:complexType>
  <xs:element name="Signature" type="ds:Opaque"/>
  <xs:element name="Reference" type="ds:Opaque"/>
</xs:schema>
`;

const EBBP_IMPORTS: Readonly<Record<string, { file: string; text: string }>> = {
  'http://www.oasis-open.org/committees/ebxml-msg/schema/xlink.xsd': {
    file: 'xlink.stand-in.xsd',
    text: XLINK_STAND_IN,
  },
  'http://www.w3.org/TR/xmldsig-core/xmldsig-core-schema.xsd': { file: 'xmldsig.stand-in.xsd', text: XMLDSIG_STAND_IN },
};

function readXsdFolder(folder: string): Map<string, Uint8Array> {
  const root = resolve(folder);
  const files = new Map<string, Uint8Array>();
  for (const name of readdirSync(root).sort()) {
    const path = join(root, name);
    if (name.toLowerCase().endsWith('.xsd') && statSync(path).isFile()) files.set(path, readFileSync(path));
  }
  if (files.size === 0) throw new Error(`no .xsd files in the configured schema folder ${root}`);
  return files;
}

function patchText(files: Map<string, Uint8Array>, path: string, patch: (text: string) => string): void {
  const bytes = files.get(path);
  if (!bytes) throw new Error(`schema ${path} is missing from the configured folder`);
  files.set(path, new TextEncoder().encode(patch(new TextDecoder('utf-8').decode(bytes))));
}

export class EnvelopeSchemas {
  private vansSet?: XsdSchemaSet;
  private sbdhSet?: XsdSchemaSet;
  private ebbpSet?: XsdSchemaSet;

  constructor(private readonly locations: EnvelopeSchemaLocations) {}

  checkVans(bytes: Uint8Array, label: string): SchemaCheck {
    this.vansSet ??= XsdSchemaSet.fromFolder(this.locations.vans, 'VANSEnvelope.xsd');
    return split(this.vansSet.validate(bytes, { label }).issues, isToleratedVansIssue);
  }

  checkSbdh(bytes: Uint8Array, label: string): SchemaCheck {
    this.sbdhSet ??= this.compileSbdh();
    return split(this.sbdhSet.validate(bytes, { label }).issues, () => false);
  }

  checkSignal(bytes: Uint8Array, label: string): SchemaCheck {
    this.ebbpSet ??= this.compileEbbp();
    return split(this.ebbpSet.validate(bytes, { label }).issues, () => false);
  }

  dispose(): void {
    for (const set of [this.vansSet, this.sbdhSet, this.ebbpSet]) set?.dispose();
    this.vansSet = this.sbdhSet = this.ebbpSet = undefined;
  }

  private compileSbdh(): XsdSchemaSet {
    const folder = resolve(this.locations.sbdh);
    const files = readXsdFolder(folder);
    const anchor = '<xs:enumeration value="ehmisbdh-acknowledgement"/>';
    patchText(files, join(folder, 'ehmiDocumentIdentification.xsd'), (text) => {
      if (!text.includes(anchor))
        throw new Error(`cannot extend ehmiDocumentIdentification.xsd locally: ${anchor} not found`);
      const added = LOCAL_STANDARDS.map((s) => `\n      <xs:enumeration value="${s}"/>`).join('');
      return text.replace(anchor, anchor + added);
    });
    return XsdSchemaSet.fromFiles(files, join(folder, 'ehmiStandardBusinessDocumentHeader.xsd'));
  }

  private compileEbbp(): XsdSchemaSet {
    const folder = resolve(this.locations.ebbp);
    const files = readXsdFolder(folder);
    patchText(files, join(folder, 'ebbp-signals-2.0.4.xsd'), (text) => {
      let patched = text;
      for (const [url, standIn] of Object.entries(EBBP_IMPORTS)) {
        if (!patched.includes(`schemaLocation="${url}"`))
          throw new Error(`ebbp-signals-2.0.4.xsd no longer imports ${url}`);
        patched = patched.replace(`schemaLocation="${url}"`, `schemaLocation="${standIn.file}"`);
      }
      return patched;
    });
    for (const standIn of Object.values(EBBP_IMPORTS))
      files.set(join(folder, standIn.file), new TextEncoder().encode(standIn.text));
    return XsdSchemaSet.fromFiles(files, join(folder, 'ebbp-signals-2.0.4.xsd'));
  }
}

function split(issues: readonly XsdIssue[], tolerated: (issue: XsdIssue) => boolean): SchemaCheck {
  const errors = issues.filter((i) => !tolerated(i));
  return { valid: errors.length === 0, errors, tolerated: issues.filter(tolerated) };
}
