/**
 * Errata for RuleSets that the HospitalNotification and Acknowledgement script packages share (both were generated
 * from MedCom's messaging RuleSets in May 2023), as factories so each package's overlay lists them with its own ids.
 */
import { CURRENT_PROVENANCE } from '../intent/acknowledgement-checks.ts';
import type { Erratum } from './model.ts';

const PROVENANCE_TARGET_PUBLISHED =
  'Bundle.entry.resource.ofType(Provenance).where(target.reference = %resource.entry[0].fullUrl).exists()';

/** conformance.md §5 #4: the own Provenance is found only when fullUrl and reference are the same string. */
export function provenanceTargetErratum(id: string, scripts?: readonly string[]): Erratum {
  return {
    id,
    defect: 4,
    title: 'Provenance.target compared with the fullUrl as a string',
    reason:
      'The assert demands target.reference = entry[0].fullUrl. Every current IG example (and this library) writes an ' +
      'absolute fullUrl and a relative reference (MessageHeader/<id>), which denote the same resource, so the check ' +
      'fails for conformant messages. As intended: the target reference contains the MessageHeader id.',
    source:
      'medcomdk/dk-medcom-hospitalnotification-testscripts v.3.0.3 input/fsh/Asserts.fsh (assertProvenanceTarget)',
    select: { ...(scripts ? { scripts } : {}), kind: 'assert', expression: PROVENANCE_TARGET_PUBLISHED },
    change: { kind: 'replace-assert', with: { expression: `${CURRENT_PROVENANCE}.exists()` } },
  };
}

/** §5 #4, second half: the previous message is found only when its fullUrl equals the entity reference. */
export function predecessorReferenceErrata(
  idVariables: string,
  idAsserts: string,
  scripts?: readonly string[],
): Erratum[] {
  const scope = scripts ? { scripts } : {};
  return [
    {
      id: idVariables,
      defect: 4,
      title: 'messageHeaderid variables hold the fullUrl, not the MessageHeader id',
      reason:
        'The variables read Bundle.entry[0].fullUrl, which Provenance.entity.what.reference (MessageHeader/<id>) never ' +
        'equals when the fullUrl is absolute. As intended the variables hold the MessageHeader id.',
      source: 'conformance.md §5 #4; HN 3.0.3 compares with contains()',
      select: scope,
      change: {
        kind: 'rewrite-variables',
        names: '^messageHeaderid-',
        with: { expression: 'Bundle.entry[0].resource.id' },
      },
    },
    {
      id: idAsserts,
      defect: 4,
      title: 'previous message compared with entity.what.reference as a string',
      reason:
        'entity.what.reference = <fullUrl of the previous message> fails for an absolute fullUrl and a relative reference. ' +
        'As intended: exactly one Provenance has an entity whose reference contains the previous MessageHeader id.',
      source:
        'medcomdk/dk-medcom-hospitalnotification-testscripts v.3.0.3 input/fsh/Asserts.fsh (assertMessageHeaderid)',
      select: {
        ...scope,
        kind: 'assert',
        expressionPattern:
          "^Bundle\\.entry\\.resource\\.ofType\\(Provenance\\)\\.where\\(entity\\.what\\.reference = '\\$\\{messageHeaderid-[^}]+\\}'\\)\\.count\\(\\) = 1$",
      },
      change: {
        kind: 'rewrite-expression',
        pattern: "entity\\.what\\.reference = '(\\$\\{[^}]+\\})'",
        replacement: "entity.what.reference.contains('$1')",
      },
    },
  ];
}

/** §5 #5: `entity.role` over every Provenance of the chain, compared with one value. */
export function entityRoleErratum(id: string, scripts?: readonly string[]): Erratum {
  return {
    id,
    defect: 5,
    title: 'entity.role of every Provenance compared with one value',
    reason:
      'The expression collects the roles of all Provenances, and a chain carries the roles of earlier messages too ' +
      '(a cancellation after a correction has revision and removal). As intended: the role of the entity of this ' +
      "message's own Provenance.",
    source:
      'medcomdk/dk-medcom-hospitalnotification-testscripts v.3.0.3 input/fsh/Asserts.fsh (assertProvenanceEntityRole)',
    select: {
      ...(scripts ? { scripts } : {}),
      kind: 'assert',
      expression: 'Bundle.entry.resource.ofType(Provenance).entity.role',
    },
    change: { kind: 'replace-assert', with: { expression: `${CURRENT_PROVENANCE}.entity.role` } },
  };
}
