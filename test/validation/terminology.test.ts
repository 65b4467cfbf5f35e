// Local value set membership on the real MedCom/DK/HL7 packages, per IG dependency closure.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CodeSystemIndex } from '../../src/validation/code-system-index.ts';
import { Terminology } from '../../src/validation/terminology.ts';
import { ACK, CC, HN, testStore } from '../support/shared.ts';

const VS = 'http://medcomfhir.dk/ig/terminology/ValueSet/';
const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const CATEGORY_CODES = 'http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-careCommunication-categoryCodes';
const ACTIVITY_CODES = 'http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-messaging-activityCodes';
const HL7_OPERATION_OUTCOME = 'http://terminology.hl7.org/CodeSystem/operation-outcome';
const MEDCOM_ACK_ERRORS = 'http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-acknowledgement-error-codes';

const hn = new Terminology(testStore().context(HN));
const cc = new Terminology(testStore().context(CC));
const ack = new Terminology(testStore().context(ACK));

describe('HospitalNotification value sets (HN 3.0.2 closure)', () => {
  it('encounter class: IMP and EMER are members, AMB is not', () => {
    const vs = `${VS}medcom-hospitalNotification-encounterClass`;
    assert.equal(hn.membership(vs, ACT_CODE, 'IMP'), 'member');
    assert.equal(hn.membership(vs, ACT_CODE, 'EMER'), 'member');
    assert.equal(hn.membership(vs, ACT_CODE, 'AMB'), 'not-member');
    assert.equal(hn.membership(vs, 'http://example.org/other-system', 'IMP'), 'not-member');
    assert.equal(hn.expansion(vs)?.size, 2);
  });

  it('encounter status: the four HN statuses, nothing else of the R4 code system', () => {
    const vs = `${VS}medcom-hospitalNotification-encounterStatus`;
    for (const code of ['in-progress', 'onleave', 'finished', 'entered-in-error']) {
      assert.equal(hn.membership(vs, 'http://hl7.org/fhir/encounter-status', code), 'member', code);
    }
    for (const code of ['planned', 'arrived', 'cancelled']) {
      assert.equal(hn.membership(vs, 'http://hl7.org/fhir/encounter-status', code), 'not-member', code);
    }
    // The R4 value set includes the whole code system, so `planned` is a member there.
    assert.equal(
      hn.membership('http://hl7.org/fhir/ValueSet/encounter-status', 'http://hl7.org/fhir/encounter-status', 'planned'),
      'member',
    );
  });

  it('message activities: 18 HN codes, found under both the https (terminology 1.x) and http spelling', () => {
    const https = 'https://medcomfhir.dk/ig/terminology/ValueSet/medcom-hospitalNotification-messageActivities';
    const http = `${VS}medcom-hospitalNotification-messageActivities`;
    assert.equal(hn.expansion(https)?.size, 18);
    assert.equal(hn.expansion(http)?.size, 18, 'http spelling resolves to the https value set in terminology 1.5.0');
    assert.equal(cc.expansion(https)?.size, 18, 'https spelling resolves to the http value set in terminology 2.0.1');
    assert.equal(hn.membership(http, ACTIVITY_CODES, 'admit-inpatient'), 'member');
    assert.equal(hn.membership(http, ACTIVITY_CODES, 'discharge-emergency-home'), 'member');
    assert.equal(hn.membership(http, ACTIVITY_CODES, 'new-message'), 'not-member');
  });

  it('describe() names the value set and the version the closure resolved it to', () => {
    assert.equal(
      hn.describe(`${VS}medcom-hospitalNotification-encounterClass`),
      `MedComHospitalNotificationEncounterClassCodes (${VS}medcom-hospitalNotification-encounterClass|1.5.0)`,
    );
    assert.match(
      hn.describe('http://example.org/ValueSet/nothing'),
      /not found in medcom\.fhir\.dk\.hospitalnotification#3\.0\.2/,
    );
    assert.equal(hn.membership('http://example.org/ValueSet/nothing', 'http://example.org', 'x'), 'unknown');
  });
});

describe('CareCommunication categories per terminology generation', () => {
  const vs = `${VS}medcom-careCommunication-categories`;
  const newIn2025 = ['acute-ambulant', 'extended-care-responsibility'];

  it('terminology 2.0.1 (CC 5.0.2 closure) has 18 categories, including the two added in 2025', () => {
    assert.equal(cc.expansion(vs)?.size, 18);
    for (const code of newIn2025) assert.equal(cc.membership(vs, CATEGORY_CODES, code), 'member', code);
  });

  it('terminology 1.x (HN 3.0.2 closure: 1.5.0) has 16 and no acute-ambulant', () => {
    assert.equal(hn.expansion(vs)?.size, 16);
    for (const code of newIn2025) assert.equal(hn.membership(vs, CATEGORY_CODES, code), 'not-member', code);
    for (const code of hn.expansion(vs)!.members.get(CATEGORY_CODES)!) {
      assert.equal(cc.membership(vs, CATEGORY_CODES, code), 'member', `${code} is still a category in 2.0.1`);
    }
  });

  it('a |version picks that release of the value set inside the closure', () => {
    assert.match(cc.describe(`${vs}|1.8.1`), /\|1\.8\.1\)$/);
    assert.match(cc.describe(vs), /\|1\.9\.0\)$/, 'terminology 2.0.1 publishes the value set as version 1.9.0');
  });
});

describe('Acknowledgement issue details (ACK 2.0.3 closure)', () => {
  const vs = `${VS}medcom-acknowledgement-issue-details`;
  const medcomCodes = [
    'MSG_Receiver_Identifier_UNKNOWN',
    'MSG_Receiver_Identifier_MISSING',
    'MSG_RECEIVER_UNABLE_TO_RECEIVE_MSG_TYPE',
    'MSG_VALUESET_VALUE_UNKNOWN',
    'MSG_CodeSystem_VALUE_UNKNOWN',
    'MSG_Element_To_Long',
    'MSG_Datatype_Wrong',
    'MSG_Mailbox_Out_Of_Operation',
    'MSG_Damaged_durin_transport',
  ];

  it('has 37 codes: 28 HL7 MSG_* codes and 9 MedCom codes', () => {
    const expansion = ack.expansion(vs)!;
    assert.equal(expansion.size, 37);
    assert.ok(expansion.closed);
    assert.deepEqual(new Set(expansion.members.get(MEDCOM_ACK_ERRORS)), new Set(medcomCodes));
  });

  it('MedCom codes are matched exactly as published (case and spelling)', () => {
    for (const code of medcomCodes) assert.equal(ack.membership(vs, MEDCOM_ACK_ERRORS, code), 'member', code);
    assert.equal(ack.membership(vs, MEDCOM_ACK_ERRORS, 'MSG_ELEMENT_TO_LONG'), 'not-member');
    assert.equal(ack.membership(vs, MEDCOM_ACK_ERRORS, 'MSG_Damaged_during_transport'), 'not-member');
  });

  it('HL7 codes count under the code system URL and under the value set URL terminology 1.x used as system', () => {
    assert.equal(ack.membership(vs, HL7_OPERATION_OUTCOME, 'MSG_BAD_FORMAT'), 'member');
    assert.equal(ack.membership(vs, 'http://hl7.org/fhir/ValueSet/operation-outcome', 'MSG_BAD_FORMAT'), 'member');
    assert.equal(ack.membership(vs, HL7_OPERATION_OUTCOME, 'MSG_AUTH_REQUIRED'), 'not-member');
    assert.equal(ack.membership(vs, HL7_OPERATION_OUTCOME, 'MSG_Mailbox_Out_Of_Operation'), 'not-member');
    // terminology 2.0.1 (CC closure) publishes the real system; both spellings work there too.
    assert.equal(cc.membership(vs, HL7_OPERATION_OUTCOME, 'MSG_BAD_FORMAT'), 'member');
    assert.equal(cc.membership(vs, 'http://hl7.org/fhir/ValueSet/operation-outcome', 'MSG_BAD_FORMAT'), 'member');
  });
});

describe('compose features on real value sets', () => {
  it('descendent-of filter, extra concept and exclude (medcom-core-encounter-class, terminology 2.0.1)', () => {
    const vs = `${VS}medcom-core-encounter-class`;
    assert.equal(cc.membership(vs, ACT_CODE, 'AMB'), 'member');
    assert.equal(cc.membership(vs, ACT_CODE, 'IMP'), 'member');
    assert.equal(cc.membership(vs, ACT_CODE, 'OBSENC'), 'not-member', 'excluded');
    assert.equal(cc.membership(vs, ACT_CODE, '_ActEncounterCode'), 'not-member', 'descendent-of excludes the root');
    assert.equal(cc.membership(vs, ACT_CODE, 'ACCTRECEIVABLE'), 'not-member', 'not an encounter code');
    assert.equal(
      cc.membership(vs, 'http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-core-encounter-act-codes', 'other'),
      'member',
    );
  });

  it('value set import minus exclude (dk-core-priority-codes, dk-core 3.4.0)', () => {
    const vs = 'http://hl7.dk/fhir/core/ValueSet/dk-core-priority-codes';
    const system = 'http://hl7.org/fhir/request-priority';
    assert.equal(cc.membership(vs, system, 'routine'), 'member');
    assert.equal(cc.membership(vs, system, 'asap'), 'member');
    assert.equal(cc.membership(vs, system, 'urgent'), 'not-member');
    assert.equal(cc.membership(vs, system, 'stat'), 'not-member');
    assert.equal(cc.expansion(vs)?.size, 2);
  });

  it('whole-system include counts nested concepts (R4 issue-type)', () => {
    const vs = 'http://hl7.org/fhir/ValueSet/issue-type';
    for (const code of ['invalid', 'structure', 'invariant', 'business-rule', 'informational']) {
      assert.equal(cc.membership(vs, 'http://hl7.org/fhir/issue-type', code), 'member', code);
    }
    assert.equal(cc.membership(vs, 'http://hl7.org/fhir/issue-type', 'nonsense'), 'not-member');
  });

  it('code system filters on concept properties and the hierarchy (index level)', () => {
    const context = testStore().context(CC);
    const tho = testStore().context({ id: 'hl7.terminology.r4', version: '7.0.1' });
    const v2_0066 = CodeSystemIndex.of(tho.resolve('http://terminology.hl7.org/CodeSystem/v2-0066')!);
    assert.deepEqual([...v2_0066.select({ property: 'v2-table-deprecated', op: '=', value: '2.9' })!].sort(), [
      '...',
      'D',
      'F',
      'P',
    ]);
    assert.deepEqual([...v2_0066.select({ property: 'status', op: '=', value: 'deprecated' })!], ['...']);
    const issueType = CodeSystemIndex.of(context.resolve('http://hl7.org/fhir/issue-type')!);
    assert.deepEqual([...issueType.select({ property: 'concept', op: 'is-a', value: 'invalid' })!].sort(), [
      'invalid',
      'invariant',
      'required',
      'structure',
      'value',
    ]);
    assert.deepEqual([...issueType.select({ property: 'concept', op: 'generalizes', value: 'value' })!].sort(), [
      'invalid',
      'value',
    ]);
    assert.equal(issueType.select({ property: 'concept', op: 'child-of', value: 'invalid' }), undefined);
  });

  it('imported value sets resolve to their hl7.terminology.r4 7.0.1 edition, not the older R4 core copy', () => {
    // THO 7.0.1 (which MedCom pins) re-bases v2-0136 on code system v2-0532; R4 core 4.0.1 still had v2-0136 codes.
    const vs = 'http://hl7.org/fhir/ValueSet/yesnodontknow';
    assert.ok(cc.expansion(vs)!.size >= 3);
    assert.equal(cc.membership(vs, 'http://terminology.hl7.org/CodeSystem/v2-0532', 'Y'), 'member');
    assert.equal(cc.membership(vs, 'http://terminology.hl7.org/CodeSystem/v2-0136', 'Y'), 'not-member');
    assert.equal(
      cc.membership(vs, 'http://terminology.hl7.org/CodeSystem/data-absent-reason', 'asked-unknown'),
      'member',
    );
    assert.equal(cc.membership(vs, 'http://terminology.hl7.org/CodeSystem/v2-0532', 'maybe'), 'not-member');
  });
});

describe('systems no package enumerates', () => {
  it('MIME types: type/subtype grammar with IANA top-level types (R4 mimetypes includes all of urn:ietf:bcp:13)', () => {
    const vs = 'http://hl7.org/fhir/ValueSet/mimetypes';
    for (const code of ['application/pdf', 'image/png', 'application/fhir+json', 'text/plain; charset=utf-8']) {
      assert.equal(cc.membership(vs, undefined, code), 'member', code);
      assert.equal(cc.membership(vs, 'urn:ietf:bcp:13', code), 'member', code);
    }
    for (const code of ['pdf', 'application/', 'foo/bar', 'application pdf', '/png']) {
      assert.equal(cc.membership(vs, undefined, code), 'not-member', code);
    }
  });

  it('the MedCom attachment value set enumerates its six MIME types', () => {
    const vs = `${VS}medcom-core-attachmentMimeTypes`;
    for (const code of ['application/pdf', 'image/gif', 'image/jpeg', 'image/png', 'image/tiff', 'image/bmp']) {
      assert.equal(cc.membership(vs, undefined, code), 'member', code);
    }
    assert.equal(cc.membership(vs, undefined, 'text/plain'), 'not-member');
  });

  it('languages: malformed tags are rejected, well-formed ones cannot be decided without the registry', () => {
    const all = 'http://hl7.org/fhir/ValueSet/all-languages';
    assert.equal(cc.membership(all, 'urn:ietf:bcp:47', 'da'), 'unknown');
    assert.equal(cc.membership(all, 'urn:ietf:bcp:47', 'en-GB'), 'unknown');
    assert.equal(cc.membership(all, 'urn:ietf:bcp:47', 'not a tag'), 'not-member');
    // The common-languages value set lists its codes, so it is decidable.
    assert.equal(cc.membership('http://hl7.org/fhir/ValueSet/languages', 'urn:ietf:bcp:47', 'da'), 'member');
  });

  it('UCUM units are checked with the UCUM library fhirpath ships', () => {
    const vs = 'http://hl7.org/fhir/ValueSet/ucum-units';
    assert.equal(cc.membership(vs, 'http://unitsofmeasure.org', 'mg/dL'), 'member');
    assert.equal(cc.membership(vs, 'http://unitsofmeasure.org', 'mmol/L'), 'member');
    assert.equal(cc.membership(vs, 'http://unitsofmeasure.org', 'furlongs'), 'not-member');
  });

  it('a code system outside the closure (SNOMED CT) makes filtered parts unknown, never not-member', () => {
    const vs = 'http://hl7.dk/fhir/core/ValueSet/dk-core-SCTBasicObservation';
    const context = testStore().context({ id: 'hl7.fhir.dk.core', version: '3.2.0' });
    const terminology = new Terminology(context);
    assert.equal(terminology.membership(vs, 'http://snomed.info/sct', '271649006'), 'member', 'listed explicitly');
    assert.equal(terminology.membership(vs, 'http://snomed.info/sct', '38341003'), 'unknown', 'maybe under an is-a');
    assert.equal(terminology.membership(vs, 'http://loinc.org', '8480-6'), 'not-member', 'no LOINC part at all');
  });
});
