// Import of the SOR XML export, v1.0.0 (`urn:oio:sundhedsstyrelsen:organisation:1.0.0`; samples in
// `shared/medcom/sor/sor-xml-v1-samples/`). The hierarchy is given by nesting:
//   SorTree/InstitutionOwnerEntity/{InstitutionOwner, HealthInstitutionEntity*}
//   HealthInstitutionEntity/{HealthInstitution, OrganizationalUnitEntity*}
//   OrganizationalUnitEntity/{OrganizationalUnit, OrganizationalUnitEntity*}   (OEs nest)
// Each unit may carry its own GLN (`EanLocationCodeEntity/EanLocationCode`) and, on SI/OE, the inheritance flag
// `OptionalEanLocationCode/EntityInheritedIndicator` (hub.md §7.1, §7.3).
import { isGln, isSorCode, type Gln, type SorCode } from '../messages/parties.ts';
import { childElements, firstChild, textOf, type XmlElement } from '../xml/element.ts';
import { readXml } from '../xml/read.ts';
import { XmlError } from '../xml/xml-error.ts';
import { sorCodeProblem } from './sor-code-check.ts';
import type { SorImport, SorImportWarning, SorLevel, SorUnit } from './sor-unit.ts';

const NAMESPACE_PREFIX = 'urn:oio:sundhedsstyrelsen:organisation:';

/** A full SOR snapshot is large; the default read limit of the XML layer is raised for it. */
const DEFAULT_MAX_BYTES = 1024 * 1024 * 1024;

export interface SorXmlOptions {
  readonly maxBytes?: number;
}

/** Reads a SOR XML export into units (parents before children) and warnings; throws XmlError if unreadable. */
export function importSorXml(input: Uint8Array | string, label: string, options: SorXmlOptions = {}): SorImport {
  const { root } = readXml(input, { label, maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES, maxDepth: 256 });
  if (root.name !== 'SorTree' || !root.ns.startsWith(NAMESPACE_PREFIX)) {
    throw new XmlError(
      label,
      `/${root.name}`,
      `expected a SorTree element in namespace ${NAMESPACE_PREFIX}1.0.0`,
      root.line,
    );
  }
  const importer = new Importer(label, root.ns);
  for (const owner of childElements(root, 'InstitutionOwnerEntity', root.ns)) {
    importer.entity(owner, ['/SorTree', xpathStep(root, owner)], undefined);
  }
  const snapshot = firstChild(root, 'SnapshotDate', root.ns);
  return {
    units: importer.units,
    warnings: importer.warnings,
    ...(snapshot ? { snapshotDate: textOf(snapshot).trim() } : {}),
  };
}

/** Entity wrapper element → the unit element inside it, its level, and the child entity wrappers it may hold. */
const ENTITIES: Readonly<Record<string, { unit: string; level: SorLevel; children: readonly string[] }>> = {
  InstitutionOwnerEntity: { unit: 'InstitutionOwner', level: 'IE', children: ['HealthInstitutionEntity'] },
  HealthInstitutionEntity: { unit: 'HealthInstitution', level: 'SI', children: ['OrganizationalUnitEntity'] },
  OrganizationalUnitEntity: { unit: 'OrganizationalUnit', level: 'OE', children: ['OrganizationalUnitEntity'] },
};

function xpathStep(parent: XmlElement, child: XmlElement): string {
  const same = childElements(parent, child.name, child.ns);
  return same.length > 1 ? `${child.name}[${same.indexOf(child) + 1}]` : child.name;
}

class Importer {
  readonly units: SorUnit[] = [];
  readonly warnings: SorImportWarning[] = [];

  constructor(
    private readonly label: string,
    private readonly ns: string,
  ) {}

  entity(wrapper: XmlElement, path: readonly string[], parent: SorCode | undefined): void {
    const shape = ENTITIES[wrapper.name]!;
    const unitElement = firstChild(wrapper, shape.unit, this.ns);
    if (!unitElement) {
      this.warn(path, `no ${shape.unit} element; the entity and everything below it is skipped`);
      return;
    }
    const unitPath = [...path, shape.unit];
    const unit = this.unit(unitElement, unitPath, shape.level, parent);
    if (!unit) return;
    this.units.push(unit);
    for (const name of shape.children) {
      for (const child of childElements(wrapper, name, this.ns)) {
        this.entity(child, [...path, xpathStep(wrapper, child)], unit.sorCode);
      }
    }
  }

  private unit(
    e: XmlElement,
    path: readonly string[],
    level: SorLevel,
    parent: SorCode | undefined,
  ): SorUnit | undefined {
    const sor = this.text(e, 'SorIdentifier');
    if (sor === undefined || !isSorCode(sor)) {
      this.warn(
        [...path, 'SorIdentifier'],
        `unit skipped: expected a SOR code of at least 11 digits, got ${JSON.stringify(sor ?? '')}`,
      );
      return undefined;
    }
    const problem = sorCodeProblem(sor);
    if (problem) this.warn([...path, 'SorIdentifier'], `SOR code ${sor}: ${problem}`);
    const ownGln = this.ownGln(e, path);
    const indicator = this.text(firstChild(e, 'OptionalEanLocationCode', this.ns), 'EntityInheritedIndicator');
    const shak = this.text(e, 'ShakIdentifier');
    const provider = this.text(e, 'ProviderIdentifier');
    return {
      sorCode: sor,
      name: this.text(e, 'EntityName') ?? '',
      ...(parent ? { parent } : {}),
      level,
      ...(ownGln ? { ownGln } : {}),
      // An IE has no parent to inherit from; an SI/OE without the indicator follows the SOR default (inherit).
      inheritsGln: level !== 'IE' && indicator !== 'false',
      ...(shak ? { shakCode: shak } : {}),
      ...(provider ? { providerId: provider } : {}),
    };
  }

  /** The active own GLN; SOR keeps deactivated lokationsnumre with NonActiveIndicator=true. */
  private ownGln(e: XmlElement, path: readonly string[]): Gln | undefined {
    const entities = childElements(e, 'EanLocationCodeEntity', this.ns);
    const active: Gln[] = [];
    entities.forEach((entity, i) => {
      const where = [...path, entities.length > 1 ? `EanLocationCodeEntity[${i + 1}]` : 'EanLocationCodeEntity'];
      const code = this.text(entity, 'EanLocationCode');
      if (code === undefined || !isGln(code)) {
        this.warn(
          [...where, 'EanLocationCode'],
          `ignored: ${JSON.stringify(code ?? '')} is not a GLN (13 digits, GS1 check digit)`,
        );
        return;
      }
      if (this.text(entity, 'NonActiveIndicator') === 'true') return;
      active.push(code);
    });
    if (active.length > 1) {
      this.warn(path, `${active.length} active GLNs (${active.join(', ')}); the first is used as the unit's own GLN`);
    }
    return active[0];
  }

  private text(e: XmlElement | undefined, name: string): string | undefined {
    const child = e ? firstChild(e, name, this.ns) : undefined;
    const value = child ? textOf(child).trim() : '';
    return value === '' ? undefined : value;
  }

  private warn(path: readonly string[], message: string): void {
    this.warnings.push({ label: this.label, location: path.join('/'), message });
  }
}
