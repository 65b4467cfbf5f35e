/** Canonical URLs and code systems of Acknowledgement 2.0.3. */

export const ACK_IG = 'acknowledgement';

export const ACK_MESSAGE_PROFILE =
  'http://medcomfhir.dk/ig/acknowledgement/StructureDefinition/medcom-messaging-acknowledgement';
export const ACK_HEADER_PROFILE =
  'http://medcomfhir.dk/ig/acknowledgement/StructureDefinition/medcom-messaging-acknowledgementHeader';
export const ACK_OPERATION_OUTCOME_PROFILE =
  'http://medcomfhir.dk/ig/acknowledgement/StructureDefinition/medcom-acknowledgement-operationoutcome';

export const MEDCOM_ISSUE_SYSTEM = 'http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-acknowledgement-error-codes';
/** Where the HL7 `MSG_*` codes really live. */
export const HL7_ISSUE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/operation-outcome';
/**
 * ⚠ The system the ACK 2.0.3 closure's `medcom-acknowledgement-issue-details` (terminology 1.4.0 and 1.5.0) includes
 * the HL7 codes under — a ValueSet URL used as a code system. Terminology 1.8.1+ fixed it to {@link HL7_ISSUE_SYSTEM}.
 * We emit what the bound ValueSet literally contains so the required binding holds for ACK 2.0.3; readers accept both.
 */
export const HL7_ISSUE_SYSTEM_ACK_2_0 = 'http://hl7.org/fhir/ValueSet/operation-outcome';
