// Bindings: required → error, extensible → warning when the code is not in the value set, preferred/example → not
// checked. Membership comes from the Terminology (local expansions); the CodeSystem look-up here only chooses the
// MedCom ack detail code (value unknown to the value set vs. unknown to the code system itself).
import type { PackageContext } from '../fhir/packages/context.ts';
import type { IssueDetail, IssueSeverity } from './outcome.ts';
import { quote } from './outcome.ts';
import { isMimeType } from './primitives.ts';
import type { Binding } from './structure.ts';
import type { Membership, Terminology } from './terminology.ts';

export interface BindingFinding {
  readonly severity: IssueSeverity;
  readonly code: 'code-invalid' | 'not-supported';
  readonly message: string;
  readonly details?: IssueDetail;
}

interface Coding {
  system?: unknown;
  code?: unknown;
}

const MIME_VALUE_SET = 'http://hl7.org/fhir/ValueSet/mimetypes';

export class BindingChecker {
  private readonly codeSystems = new Map<string, ReadonlySet<string> | null>();

  constructor(
    private readonly terminology: Terminology,
    private readonly context: PackageContext,
  ) {}

  /** Checks a `code`/`string`/`uri`, Coding, CodeableConcept or Quantity value against a binding. */
  check(value: unknown, typeCode: string, binding: Binding, profile: string): BindingFinding | undefined {
    if (binding.strength !== 'required' && binding.strength !== 'extensible') return undefined;
    const codings = this.codingsOf(value, typeCode);
    if (codings === undefined) return undefined;
    const usable = codings.filter((c) => typeof c.code === 'string');
    if (usable.length === 0) {
      if (binding.strength !== 'required') return undefined;
      return {
        severity: 'error',
        code: 'code-invalid',
        message: `no code given, but a code from value set ${this.name(binding.valueSet)} is required (profile ${profile})`,
        details: 'MSG_VALUESET_VALUE_UNKNOWN',
      };
    }
    let unknown = false;
    for (const coding of usable) {
      const membership = this.membership(binding.valueSet, coding);
      if (membership === 'member') return undefined;
      if (membership === 'unknown') unknown = true;
    }
    if (unknown) {
      return {
        severity: binding.strength === 'required' ? 'warning' : 'information',
        code: 'not-supported',
        message: `value set ${this.name(binding.valueSet)} cannot be expanded locally, so ${describeCodings(usable)} was not checked (${binding.strength} binding, profile ${profile})`,
      };
    }
    const first = usable[0]!;
    const system = typeof first.system === 'string' ? first.system : undefined;
    const notInSystem = system !== undefined && this.codeSystemLacks(system, String(first.code));
    return {
      severity: binding.strength === 'required' ? 'error' : 'warning',
      code: 'code-invalid',
      message: `${describeCodings(usable)} is not in value set ${this.name(binding.valueSet)}${
        notInSystem ? ` (the code is not defined in code system ${system})` : ''
      }; the ${binding.strength} binding of profile ${profile} ${
        binding.strength === 'required' ? 'requires a code from it' : 'expects a code from it when one fits'
      }`,
      details: notInSystem ? 'MSG_CodeSystem_VALUE_UNKNOWN' : 'MSG_VALUESET_VALUE_UNKNOWN',
    };
  }

  private codingsOf(value: unknown, typeCode: string): Coding[] | undefined {
    switch (typeCode) {
      case 'code':
      case 'string':
      case 'uri':
        return typeof value === 'string' ? [{ code: value }] : undefined;
      case 'Coding':
      case 'Quantity':
        return value && typeof value === 'object' ? [value as Coding] : undefined;
      case 'CodeableConcept': {
        const coding = (value as { coding?: unknown } | null)?.coding;
        // Malformed items are reported by the walk; here they simply carry no code.
        return Array.isArray(coding) ? (coding.filter((c) => c && typeof c === 'object') as Coding[]) : [];
      }
      default:
        return undefined;
    }
  }

  private membership(valueSet: string, coding: Coding): Membership {
    const system = typeof coding.system === 'string' ? coding.system : undefined;
    const code = String(coding.code);
    const membership = this.terminology.membership(valueSet, system, code);
    // MIME types are grammar-based (urn:ietf:bcp:13): a well-formed type is a known code.
    if (membership === 'unknown' && valueSet.split('|')[0] === MIME_VALUE_SET) {
      return isMimeType(code) ? 'member' : 'not-member';
    }
    return membership;
  }

  private name(valueSet: string): string {
    return this.terminology.describe(valueSet) || valueSet;
  }

  /** True only when the system is a complete CodeSystem in the closure that does not define the code. */
  private codeSystemLacks(system: string, code: string): boolean {
    let codes = this.codeSystems.get(system);
    if (codes === undefined) {
      const resource = this.context.resolve(system);
      codes =
        resource?.resourceType === 'CodeSystem' && resource.content === 'complete'
          ? new Set(collectCodes(resource.concept))
          : null;
      this.codeSystems.set(system, codes);
    }
    return codes !== null && !codes.has(code);
  }
}

function collectCodes(concepts: unknown, into: string[] = []): string[] {
  if (!Array.isArray(concepts)) return into;
  for (const c of concepts as { code?: unknown; concept?: unknown }[]) {
    if (typeof c.code === 'string') into.push(c.code);
    collectCodes(c.concept, into);
  }
  return into;
}

function describeCodings(codings: Coding[]): string {
  return codings
    .map((c) => (typeof c.system === 'string' ? `${c.system}#${String(c.code)}` : `code ${quote(c.code)}`))
    .join(', ');
}
