/**
 * Errata for medcom.fhir.dk.hospitalnotificationtestscripts#3.0.1 (conformance.md §5). Corrections prefer the forms
 * of MedCom's unpublished 3.0.3 source (`medcomdk/dk-medcom-hospitalnotification-testscripts`, tag v.3.0.3); where
 * 3.0.3 has no fix, the reason says what the correction rests on.
 */
import { GLN_SYSTEM_HTTPS as GLN_SYSTEM, SOR_SYSTEM } from '../../messages/parties.ts';
import { CURRENT_PROVENANCE } from '../intent/acknowledgement-checks.ts';
import { entityRoleErratum, predecessorReferenceErrata, provenanceTargetErratum } from './messaging-errata.ts';
import type { ErrataOverlay, Erratum } from './model.ts';
import { acknowledgeEveryFetch } from './receiver-intent.ts';

const HN = 'hospitalnotification-';
const SEND = [`${HN}send-*`, `${HN}PF-send-*`];
const RECEIVE = [`${HN}receive-*`, `${HN}PF-receive-*`];
const V303 = 'medcomdk/dk-medcom-hospitalnotification-testscripts v.3.0.3 input/fsh/Asserts.fsh';

export const HOSPITAL_NOTIFICATION_ERRATA: ErrataOverlay = {
  version: '2025.1',
  scripts: { id: 'medcom.fhir.dk.hospitalnotificationtestscripts', version: '3.0.1' },
  errata: [
    provenanceTargetErratum('HN-01', SEND),
    ...predecessorReferenceErrata('HN-02a', 'HN-02b', SEND),
    entityRoleErratum('HN-03', SEND),
    {
      id: 'HN-04',
      defect: 1,
      title: 'non-existent activity discharge-patient-home',
      reason:
        'PF-send-imp-01/02 expect activity discharge-patient-home, which is not in medcom-messaging-activityCodes; a ' +
        'discharge of an admitted patient is discharge-inpatient-home.',
      source: 'medcom.fhir.dk.terminology CodeSystem medcom-messaging-activityCodes; HN 3.0.3 scripts',
      select: {
        scripts: [`${HN}PF-send-imp-01`, `${HN}PF-send-imp-02`],
        kind: 'assert',
        expression:
          "Bundle.entry.resource.ofType(Provenance).where(activity.coding.code = 'discharge-patient-home').exists()",
      },
      change: {
        kind: 'replace-assert',
        with: {
          expression:
            "Bundle.entry.resource.ofType(Provenance).where(activity.coding.code = 'discharge-inpatient-home').exists()",
        },
      },
    },
    {
      id: 'HN-05',
      defect: 2,
      title: 'invalid FHIRPath comparing time zones',
      reason:
        "`period.end.(substring(19,3) = …).exists().not` is not FHIRPath (a bare parenthesis after '.' and `.not` without " +
        '`()`), so no engine can evaluate it. Intended: the offset of the discharge time differs from that of the arrival.',
      source: 'conformance.md §4.4 (rewrite of row 51); not fixed in 3.0.3',
      select: {
        scripts: [`${HN}PF-send-tec-04`],
        kind: 'assert',
        expressionPattern: '^Bundle\\.entry\\.resource\\.ofType\\(Encounter\\)\\.period\\.end\\.\\(',
      },
      change: {
        kind: 'replace-assert',
        with: {
          expression:
            "Bundle.entry.resource.ofType(Encounter).period.end.substring(19,3) != '${encounterTimeZone-STIN}'",
        },
      },
    },
    ...(['SOR', 'GLN'] as const).map((kind): Erratum => ({
      id: `HN-06a-${kind}`,
      defect: 3,
      title: `sender ${kind} variable looks up the sender by fullUrl`,
      reason:
        `hospital${kind} finds the sender with Bundle.entry.where(fullUrl = sender.reference), which finds nothing ` +
        'when the fullUrl is absolute and the reference relative; the variable is then empty. As intended the sender ' +
        'reference is resolved inside the Bundle.',
      source: `${V303} (assertSender${kind} uses sender.reference.resolve())`,
      select: { scripts: [`${HN}PF-send-imp-05`, `${HN}PF-send-emer-01`] },
      change: {
        kind: 'rewrite-variables',
        names: `^hospital${kind}-`,
        with: {
          expression: `Bundle.entry[0].resource.sender.reference.resolve().identifier.where(system = '${kind === 'SOR' ? SOR_SYSTEM : GLN_SYSTEM}').value`,
        },
      },
    })),
    {
      id: 'HN-06b',
      defect: 3,
      title: 'sender SOR/GLN compared unquoted',
      reason:
        'The SOR code and GLN are substituted without quotes, so the comparison is string ≠ integer (always true in ' +
        'FHIRPath) or, with an empty variable, a syntax error. As intended: the resolved sender identifier differs from ' +
        "the first message's, compared as strings.",
      source: `${V303} (assertSenderSOR, assertSenderGLN), with the substitution quoted`,
      select: {
        scripts: [`${HN}PF-send-imp-05`, `${HN}PF-send-emer-01`],
        kind: 'assert',
        expressionPattern:
          '^Bundle\\.entry\\.where\\(fullUrl = %resource\\.entry\\.resource\\[0\\]\\.sender\\.reference\\)',
      },
      change: {
        kind: 'rewrite-expression',
        pattern:
          "^Bundle\\.entry\\.where\\(fullUrl = %resource\\.entry\\.resource\\[0\\]\\.sender\\.reference\\)\\.resource\\.identifier\\.where\\(system = ('[^']+')\\)\\.value != \\$\\{([^}]+)\\}$",
        replacement:
          "Bundle.entry[0].resource.sender.reference.resolve().identifier.where(system = $1).value != '$${$2}'",
      },
    },
    {
      id: 'HN-07',
      defect: 3,
      title: 'admission time compared unquoted',
      reason:
        'period.start != ${encounterDateTime-…} substitutes a dateTime without quotes, which is a FHIRPath syntax error. ' +
        'As intended: the corrected arrival is another moment than the first one.',
      source: `${V303} (assertEncounterDateTime quotes the value); compared as dateTime, because a dateTime never equals a string`,
      select: {
        scripts: [`${HN}PF-send-imp-06`, `${HN}PF-send-emer-02`],
        kind: 'assert',
        expressionPattern: '^Bundle\\.entry\\.resource\\.ofType\\(Encounter\\)\\.period\\.start != \\$\\{',
      },
      change: {
        kind: 'rewrite-expression',
        pattern: '^(Bundle\\.entry\\.resource\\.ofType\\(Encounter\\)\\.period\\.start) != \\$\\{([^}]+)\\}$',
        replacement: "$1 != '$${$2}'.toDateTime()",
      },
    },
    {
      id: 'HN-08',
      defect: 7,
      title: 'episode-of-care identifier checked with an unanchored lower-case regex',
      reason:
        'matches() is a partial match and errors on more than one identifier; upper-case UUIDs and LPR3 identifiers ' +
        '(urn:uuid: + UUIDv5) are legal. As intended: every identifier is a UUIDv4 or an LPR3 identifier.',
      source: `${V303} (assertStructureEpisodeOfCareID), applied per identifier`,
      select: {
        scripts: SEND,
        kind: 'assert',
        expression:
          "Bundle.entry.resource.ofType(Encounter).episodeOfCare.identifier.value.matches('[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}')",
      },
      change: {
        kind: 'replace-assert',
        with: {
          expression:
            "Bundle.entry.resource.ofType(Encounter).episodeOfCare.identifier.all(value.matches('^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-4[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$') or system = 'https://www.esundhed.dk/Registre/Landspatientregisteret')",
        },
      },
    },
    {
      id: 'HN-09',
      title: 'death on arrival: Encounter.status in-progress',
      reason:
        'For a patient dead on arrival (S7) the script expects status in-progress, while the IG text says finished with ' +
        'start = end (medcom-fhir.md §3.2 note 4). The library follows the IG.',
      source: 'HospitalNotification 3.0.2 IG, MORS; medcom-fhir.md §3.2 note 4',
      needsDecision:
        'Which status MedCom wants for MORS of a patient dead on arrival: finished (IG) or in-progress (S7 script).',
      select: {
        scripts: [`${HN}send-mors`, `${HN}send-re-mors`, `${HN}send-an-mors`],
        // RE_MORS keeps the status of the MORS it corrects.
        tests: [`${HN}create-MORS-01`, `${HN}create-RE-MORS-02`],
        kind: 'assert',
        expression: 'Bundle.entry.resource.ofType(Encounter).status',
        value: 'in-progress',
      },
      change: { kind: 'replace-assert', with: { value: 'finished' } },
    },
    {
      id: 'HN-10a',
      defect: 11,
      title: 'resend without acknowledgement expected as a new, chained message',
      reason:
        'PF-send-tec-03 expects the resent STIN to carry a new Provenance that points at the first one (2, then 3 ' +
        'Provenances). Reliable messaging says a resend is the same message (same MessageHeader.id, same Provenances) in ' +
        'a new transmission (new Bundle.id and timestamp, new send time). The chain checks are withdrawn.',
      source: 'GOV 043 Reliable Messaging; medcom-fhir.md §2.6 (MR7)',
      needsDecision:
        'Whether MedCom wants a resend to keep the MessageHeader.id (governance) or to be a new message (tec-03).',
      select: {
        scripts: [`${HN}PF-send-tec-03`],
        tests: [`${HN}create-STIN2-02`, `${HN}create-STIN3-03`],
        kind: 'assert',
        expressionPattern:
          '^Bundle\\.entry\\.resource\\.ofType\\(Provenance\\)\\.(where\\(entity|entity\\.role$|count\\(\\)$)',
      },
      change: { kind: 'withdraw' },
    },
    {
      id: 'HN-10b',
      defect: 11,
      title: 'resend: the first transmission',
      reason: 'Variables for the resend checks: the Bundle.id and timestamp of the first transmission.',
      source: 'GOV 043 Reliable Messaging',
      select: { scripts: [`${HN}PF-send-tec-03`] },
      change: {
        kind: 'declare',
        variables: [
          { name: 'first-bundle-id', expression: 'Bundle.id', sourceId: 'create-message-STIN-request' },
          { name: 'first-timestamp', expression: 'Bundle.timestamp', sourceId: 'create-message-STIN-request' },
        ],
      },
    },
    {
      id: 'HN-10c',
      defect: 11,
      title: 'resend: keep the first transmission',
      reason: 'The first create also stores its request under its own name, for the comparison.',
      source: 'GOV 043 Reliable Messaging',
      select: {
        scripts: [`${HN}PF-send-tec-03`],
        tests: [`${HN}create-STIN-01`],
        kind: 'operation',
        operationType: 'create',
      },
      change: { kind: 'replace-operation', with: { requestId: 'create-message-STIN-request' } },
    },
    {
      id: 'HN-10d',
      defect: 11,
      title: 'resend: same message, new transmission',
      reason:
        'As intended, a resend has the MessageHeader.id and Provenances of the first transmission, and a new Bundle.id ' +
        'and Bundle.timestamp.',
      source: 'GOV 043 Reliable Messaging; medcom-fhir.md §2.6',
      select: {
        scripts: [`${HN}PF-send-tec-03`],
        tests: [`${HN}create-STIN2-02`, `${HN}create-STIN3-03`],
        kind: 'operation',
        operationType: 'create',
      },
      change: {
        kind: 'insert-after',
        actions: [
          {
            assert: {
              direction: 'request',
              warningOnly: false,
              expression: "Bundle.entry[0].resource.id = '${messageHeaderid-STIN}'",
            },
          },
          { assert: { direction: 'request', warningOnly: false, expression: "Bundle.id != '${first-bundle-id}'" } },
          {
            assert: {
              direction: 'request',
              warningOnly: false,
              expression: "Bundle.timestamp.toString() != '${first-timestamp}'",
            },
          },
          {
            assert: {
              direction: 'request',
              warningOnly: false,
              expression: 'Bundle.entry.resource.ofType(Provenance).count() = 1',
            },
          },
        ],
      },
    },
    {
      id: 'HN-11',
      defect: 6,
      title: 'RE_STIN in PF-send-tec-01 expects the activity of the original STIN',
      reason:
        'A correction of an admission carries activity revise-admit-inpatient; the published assert looks for ' +
        'admit-inpatient anywhere in the chain, which the copied STIN Provenance always satisfies. As intended: the own ' +
        'Provenance has activity revise-admit-inpatient (as PF-send-imp-05/06 expect).',
      source: 'medcom-fhir.md §3.2 (RE_STIN); PF-send-imp-05/06',
      select: {
        scripts: [`${HN}PF-send-tec-01`],
        tests: [`${HN}create-RE-STIN-02`],
        kind: 'assert',
        expression: "Bundle.entry.resource.ofType(Provenance).where(activity.coding.code = 'admit-inpatient').exists()",
      },
      change: {
        kind: 'replace-assert',
        with: { expression: `${CURRENT_PROVENANCE}.activity.coding.code = 'revise-admit-inpatient'` },
      },
    },
    {
      id: 'HN-12',
      defect: 12,
      title: 'second leave start checks the admission instead of the end of the first leave',
      reason:
        'In PF-send-imp-04 the second STOR follows the first SLOR, so its own Provenance must point at the SLOR; the ' +
        'published assert checks the STIN, which the copied chain always satisfies.',
      source: 'medcom-fhir.md §2.5 (chain semantics); conformance.md §5 #12',
      select: {
        scripts: [`${HN}PF-send-imp-04`],
        tests: [`${HN}create-STOR-04`],
        kind: 'assert',
        expression:
          "Bundle.entry.resource.ofType(Provenance).where(entity.what.reference = '${messageHeaderid-STIN}').count() = 1",
      },
      change: {
        kind: 'replace-assert',
        with: {
          expression: `${CURRENT_PROVENANCE}.where(entity.what.reference.contains('\${messageHeaderid-SLOR}')).count() = 1`,
        },
      },
    },
    {
      id: 'HN-13',
      defect: 6,
      title: 'activity checked anywhere in the Provenance chain',
      reason:
        'where(activity.coding.code = …).exists() is satisfied by any Provenance of the chain, including copied ones ' +
        '(a MORS passes on the STIN Provenance). Kept as published: the activity of the own Provenance follows from the ' +
        'other asserts only together with the builder; noted as a weak check.',
      source: 'conformance.md §5 #6',
      select: {
        scripts: SEND,
        kind: 'assert',
        expressionPattern:
          "^Bundle\\.entry\\.resource\\.ofType\\(Provenance\\)\\.where\\(activity\\.coding\\.code = '[^']+'\\)\\.exists\\(\\)$",
      },
      change: { kind: 'annotate' },
    },
    ...acknowledgeEveryFetch('HN-20', RECEIVE),
  ],
};
