// Negative suite, rule by rule: an official example (valid, see qa-agreement.test.ts) with exactly one rule broken,
// and the exact issue that break must produce — severity, FHIR issue code, FHIRPath location, and the MedCom ack
// detail code or the invariant key.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { Validator } from '../../src/validation/validator.ts';
import { ACK, CC, HN, testStore } from '../support/shared.ts';
import { assertIssue, describe as describeIssues, example, failures, type Json } from './support/breaks.ts';

const validator = new Validator(testStore());

const HN_STIN = 'Bundle-a5e5b880'; // STIN: MessageHeader, Patient, Encounter, 2 Organizations, Provenance
const HN_STOR = 'Bundle-d3128d9b'; // STOR: Encounter onleave with the leave-period extension
const CC_FIRST = 'Bundle-add5e7e2'; // MessageHeader, Patient, Communication, PractitionerRole, Practitioner, 2 Orgs, Provenance
const ACK_FATAL = 'Bundle-bc9535ef'; // fatal-error with OperationOutcome

function hn(file = HN_STIN): Json {
  return example(HN, file);
}
function cc(): Json {
  return example(CC, CC_FIRST);
}

before(() => {
  for (const message of [hn(), hn(HN_STOR), cc(), example(ACK, ACK_FATAL)]) {
    const result = validator.validateMessage(message);
    assert.deepEqual(failures(result), [], `baseline must be valid:\n${describeIssues(result.issues)}`);
  }
});

describe('types and JSON shape', () => {
  test('a complex element given as a string: MSG_Datatype_Wrong at the element', () => {
    const message = hn();
    message.entry[2].resource.period = '2022-12-07T12:00:00+02:00';
    const result = validator.validateMessage(message);
    assert.equal(result.valid, false);
    assertIssue(result, {
      severity: 'error',
      code: 'structure',
      expression: 'Bundle.entry[2].resource.period',
      details: 'MSG_Datatype_Wrong',
    });
  });

  test('a choice type the extension does not allow (valueString for a boolean extension)', () => {
    const message = hn();
    message.entry[0].resource.extension[0] = {
      url: message.entry[0].resource.extension[0].url,
      valueString: 'true',
    };
    const result = validator.validateMessage(message);
    assertIssue(result, {
      severity: 'error',
      code: 'structure',
      expression: 'Bundle.entry[0].resource.extension[0].valueString',
      details: 'MSG_Datatype_Wrong',
    });
  });

  test('a boolean given as a JSON string', () => {
    const message = hn('Bundle-g099bbf3'); // MORS: Patient.deceasedBoolean
    message.entry[1].resource.deceasedBoolean = 'true';
    const result = validator.validateMessage(message);
    assertIssue(result, {
      code: 'structure',
      expression: 'Bundle.entry[1].resource.deceased.ofType(boolean)',
      details: 'MSG_Datatype_Wrong',
    });
  });

  test('a single-valued element given as an array, and a repeating one given as an object', () => {
    const message = hn();
    message.entry[2].resource.status = ['in-progress'];
    message.entry[1].resource.name = message.entry[1].resource.name[0];
    const result = validator.validateMessage(message);
    assertIssue(result, {
      code: 'structure',
      expression: 'Bundle.entry[2].resource.status',
      details: 'MSG_Datatype_Wrong',
    });
    assertIssue(result, {
      code: 'structure',
      expression: 'Bundle.entry[1].resource.name',
      details: 'MSG_Datatype_Wrong',
    });
  });

  test('an unknown property', () => {
    const message = hn();
    message.entry[2].resource.admittedBy = 'someone';
    const result = validator.validateMessage(message);
    assertIssue(result, {
      severity: 'error',
      code: 'structure',
      expression: 'Bundle.entry[2].resource.admittedBy',
      details: 'MSG_BAD_SYNTAX',
      message: /unknown property 'admittedBy'/,
    });
    assert.equal(failures(result).length, 1, describeIssues(result.issues));
  });

  test('an unknown modifier extension is an error; an unknown extension only informs', () => {
    const message = hn();
    message.entry[2].resource.modifierExtension = [
      { url: 'http://example.org/fhir/StructureDefinition/unknown', valueBoolean: true },
    ];
    message.entry[1].resource.extension = [
      { url: 'http://example.org/fhir/StructureDefinition/other', valueString: 'x' },
    ];
    const result = validator.validateMessage(message);
    assertIssue(result, {
      severity: 'error',
      code: 'structure',
      expression: 'Bundle.entry[2].resource.modifierExtension[0]',
    });
    assertIssue(result, {
      severity: 'information',
      code: 'not-supported',
      expression: 'Bundle.entry[1].resource.extension[0]',
    });
    assert.equal(failures(result).length, 1, describeIssues(result.issues));
  });

  test('pathologically deep nesting is refused, not a stack overflow', () => {
    const message = hn();
    let extension: Json = { url: 'http://example.org/deep', valueString: 'bottom' };
    for (let i = 0; i < 5000; i++) extension = { url: 'http://example.org/deep', extension: [extension] };
    message.entry[2].resource.extension = [extension];
    const result = validator.validateMessage(message);
    assertIssue(result, { severity: 'fatal', code: 'structure', message: /nested deeper than/ });
  });

  test('the _ part of a primitive is checked too (id/extension only)', () => {
    const message = hn();
    message.entry[2].resource._status = { note: 'x' };
    const result = validator.validateMessage(message);
    assertIssue(result, {
      code: 'structure',
      expression: 'Bundle.entry[2].resource.status.note',
      details: 'MSG_BAD_SYNTAX',
    });
  });
});

describe('primitive formats (R4 regexes from the package)', () => {
  test('an instant without seconds', () => {
    const message = hn();
    message.timestamp = '2022-12-07T12:00+02:00';
    const result = validator.validateMessage(message);
    assertIssue(result, {
      severity: 'error',
      code: 'value',
      expression: 'Bundle.timestamp',
      details: 'MSG_DATE_FORMAT',
    });
    assert.equal(failures(result).length, 1, describeIssues(result.issues));
  });

  test('an instant without a zone', () => {
    const message = hn();
    message.entry[5].resource.recorded = '2022-12-07T12:00:00';
    const result = validator.validateMessage(message);
    assertIssue(result, { code: 'value', expression: 'Bundle.entry[5].resource.recorded', details: 'MSG_DATE_FORMAT' });
  });

  test('a dateTime with a time but no zone, and an impossible date', () => {
    const message = hn();
    message.entry[2].resource.period.start = '2022-12-07T12:00:00';
    message.entry[5].resource.occurredDateTime = '2022-02-30';
    const result = validator.validateMessage(message);
    assertIssue(result, {
      code: 'value',
      expression: 'Bundle.entry[2].resource.period.start',
      details: 'MSG_DATE_FORMAT',
    });
    assertIssue(result, {
      code: 'value',
      expression: 'Bundle.entry[5].resource.occurred.ofType(dateTime)',
      details: 'MSG_DATE_FORMAT',
    });
  });

  test('a resource id with characters an id does not allow', () => {
    const message = hn();
    message.id = 'not an id!';
    const result = validator.validateMessage(message);
    assertIssue(result, { code: 'value', expression: 'Bundle.id', details: 'MSG_ID_INVALID' });
  });

  test('a code with leading whitespace', () => {
    const message = hn();
    message.entry[2].resource.status = ' in-progress';
    const result = validator.validateMessage(message);
    assertIssue(result, { code: 'value', expression: 'Bundle.entry[2].resource.status', details: 'MSG_BAD_FORMAT' });
  });
});

describe('cardinality', () => {
  test('a required element missing (min 1)', () => {
    const message = hn();
    delete message.entry[2].resource.status;
    const result = validator.validateMessage(message);
    assertIssue(result, {
      severity: 'error',
      code: 'required',
      expression: 'Bundle.entry[2].resource.status',
      details: 'MSG_RESOURCE_REQUIRED',
    });
  });

  test('a required child of a datatype missing (Encounter.period.start)', () => {
    const message = hn();
    message.entry[2].resource.period = { end: '2022-12-08T12:00:00+02:00' };
    const result = validator.validateMessage(message);
    assertIssue(result, {
      code: 'required',
      expression: 'Bundle.entry[2].resource.period.start',
      details: 'MSG_RESOURCE_REQUIRED',
    });
  });

  test('too many values (MessageHeader.focus max 1)', () => {
    const message = hn();
    message.entry[0].resource.focus.push({ ...message.entry[0].resource.focus[0] });
    const result = validator.validateMessage(message);
    assertIssue(result, {
      severity: 'error',
      code: 'structure',
      expression: 'Bundle.entry[0].resource.focus',
      message: /at most 1 item\(s\), found 2/,
    });
  });

  test('a prohibited element (HN Encounter.hospitalization max 0)', () => {
    const message = hn();
    message.entry[2].resource.hospitalization = { preAdmissionIdentifier: { value: 'x' } };
    const result = validator.validateMessage(message);
    assertIssue(result, {
      severity: 'error',
      code: 'structure',
      expression: 'Bundle.entry[2].resource.hospitalization',
      message: /not allowed \(max 0\)/,
    });
  });
});

describe('fixed and pattern values', () => {
  test('fixed: a CPR identifier with use other than official (fixed by dk-core-cpr-identifier via the cpr slice)', () => {
    const message = hn();
    message.entry[1].resource.identifier[0].use = 'usual';
    const result = validator.validateMessage(message);
    assertIssue(result, {
      severity: 'error',
      code: 'value',
      expression: 'Bundle.entry[1].resource.identifier[0].use',
      message: /must be exactly 'official'/,
    });
  });

  test('pattern: Bundle.type collection in a message', () => {
    const message = hn();
    message.type = 'collection';
    const result = validator.validateMessage(message);
    assertIssue(result, {
      severity: 'error',
      code: 'value',
      expression: 'Bundle.type',
      message: /must match the pattern 'message'; found 'collection'/,
    });
  });

  test('pattern inside a type slice: a CareCommunication author contact that is not a phone', () => {
    const message = cc();
    const contact = message.entry[2].resource.payload[0].extension.find((e: Json) => e.valueContactPoint);
    const index = message.entry[2].resource.payload[0].extension.indexOf(contact);
    contact.valueContactPoint.system = 'email';
    const result = validator.validateMessage(message);
    assertIssue(result, {
      code: 'value',
      expression: `Bundle.entry[2].resource.payload[0].extension[${index}].value.ofType(ContactPoint).system`,
      message: /must match the pattern 'phone'/,
    });
  });

  test('pattern with partial match: extra properties in the instance are allowed (eventCoding with a display)', () => {
    const message = hn();
    message.entry[0].resource.eventCoding.display = 'Advis om sygehusophold';
    assert.deepEqual(failures(validator.validateMessage(message)), []);
  });
});

describe('slicing', () => {
  test('value discriminator on $this.extension.value (messaging 2.1.0): only a cc destination', () => {
    const message = hn();
    message.entry[0].resource.destination[0].extension[0].valueCoding.code = 'cc';
    const result = validator.validateMessage(message);
    assertIssue(result, {
      severity: 'error',
      code: 'required',
      expression: 'Bundle.entry[0].resource.destination',
      details: 'MSG_RESOURCE_REQUIRED',
      message: /slice 'primary' of MessageHeader.destination .* requires at least 1/,
    });
    assertIssue(result, {
      code: 'structure',
      expression: 'Bundle.entry[0].resource.destination',
      message: /slice 'cc' of MessageHeader.destination .* allows at most 0/,
    });
    assertIssue(result, { rule: 'medcom-hospitalNotification-5', code: 'invariant', expression: 'Bundle' });
  });

  test("value discriminator on extension('…').value.code (messaging 4.0.2): only a cc destination", () => {
    const message = cc();
    message.entry[0].resource.destination[0].extension[0].valueCoding.code = 'cc';
    const result = validator.validateMessage(message);
    assertIssue(result, {
      code: 'required',
      expression: 'Bundle.entry[0].resource.destination',
      message: /slice 'primary' .* requires at least 1/,
    });
  });

  test('closed slicing (value on role): a Provenance entity with a role no slice allows', () => {
    const message = cc();
    message.entry[7].resource.entity[0].role = 'derivation';
    const result = validator.validateMessage(message);
    assertIssue(result, {
      severity: 'error',
      code: 'structure',
      expression: 'Bundle.entry[7].resource.entity[0]',
      message: /does not match any slice .* closed/,
    });
  });

  test('type discriminator on $this.content: an attachment payload must have a title', () => {
    const message = cc();
    const payload = message.entry[2].resource.payload[0];
    delete payload.contentString;
    payload.contentAttachment = { contentType: 'application/pdf', data: 'JVBERi0xLjQK' };
    const result = validator.validateMessage(message);
    assertIssue(result, {
      code: 'required',
      expression: 'Bundle.entry[2].resource.payload[0].content.ofType(Attachment).title',
      details: 'MSG_RESOURCE_REQUIRED',
    });
    assertIssue(result, {
      code: 'required',
      expression: 'Bundle.entry[2].resource.payload',
      message: /slice 'string'/,
    });
  });

  test('type discriminator on value[x]: the leave period is a Period, so its start is required', () => {
    const message = hn(HN_STOR);
    const encounter = message.entry[2].resource;
    encounter.extension[0].valuePeriod = { end: encounter.extension[0].valuePeriod.start };
    const result = validator.validateMessage(message);
    assertIssue(result, {
      code: 'required',
      expression: 'Bundle.entry[2].resource.extension[0].value.ofType(Period).start',
      details: 'MSG_RESOURCE_REQUIRED',
    });
    assertIssue(result, { rule: 'medcom-hospitalNotification-6', expression: 'Bundle.entry[2].resource' });
  });

  test('value discriminator on system with a type profile: the cpr slice applies dk-core-cpr-identifier', () => {
    const message = hn();
    message.entry[1].resource.identifier[0].value = '25094799891';
    const result = validator.validateMessage(message);
    assertIssue(result, {
      severity: 'error',
      code: 'too-long',
      expression: 'Bundle.entry[1].resource.identifier[0].value',
      details: 'MSG_Element_To_Long',
    });
    assertIssue(result, { rule: 'cpr', code: 'invariant', expression: 'Bundle.entry[1].resource.identifier[0].value' });
  });

  test('slice max: two CPR identifiers', () => {
    const message = hn();
    message.entry[1].resource.identifier.push({ ...message.entry[1].resource.identifier[0] });
    const result = validator.validateMessage(message);
    assertIssue(result, {
      code: 'structure',
      expression: 'Bundle.entry[1].resource.identifier',
      message: /slice 'cpr' .* allows at most 1 item\(s\), found 2/,
    });
  });
});

describe('bindings', () => {
  test('required binding: Encounter.class AMB is not IMP/EMER', () => {
    const message = hn();
    message.entry[2].resource.class.code = 'AMB';
    const result = validator.validateMessage(message);
    assertIssue(result, {
      severity: 'error',
      code: 'code-invalid',
      expression: 'Bundle.entry[2].resource.class',
      details: 'MSG_VALUESET_VALUE_UNKNOWN',
    });
    assert.equal(failures(result).length, 1, describeIssues(result.issues));
  });

  test('required binding with a code its code system does not define: MSG_CodeSystem_VALUE_UNKNOWN', () => {
    const message = cc();
    message.entry[2].resource.category[0].coding[0].code = 'gossip';
    const result = validator.validateMessage(message);
    assertIssue(result, {
      severity: 'error',
      code: 'code-invalid',
      expression: 'Bundle.entry[2].resource.category[0]',
      details: 'MSG_CodeSystem_VALUE_UNKNOWN',
    });
  });

  test('required binding on a code: Encounter.status planned is not an HN status', () => {
    const message = hn();
    message.entry[2].resource.status = 'planned';
    const result = validator.validateMessage(message);
    assertIssue(result, {
      code: 'code-invalid',
      expression: 'Bundle.entry[2].resource.status',
      details: 'MSG_VALUESET_VALUE_UNKNOWN',
    });
  });

  test('required binding on a MIME type: an attachment type MedCom does not allow', () => {
    const message = example(CC, 'Bundle-b56549f7'); // reply with a PDF attachment
    const communication = message.entry.findIndex((e: Json) => e.resource.resourceType === 'Communication');
    const payload = message.entry[communication].resource.payload.findIndex((p: Json) => p.contentAttachment);
    message.entry[communication].resource.payload[payload].contentAttachment.contentType = 'video/mp4';
    const result = validator.validateMessage(message);
    assertIssue(result, {
      severity: 'error',
      code: 'code-invalid',
      expression: `Bundle.entry[${communication}].resource.payload[${payload}].content.ofType(Attachment).contentType`,
      details: 'MSG_VALUESET_VALUE_UNKNOWN',
    });
  });

  test('extensible binding: a code outside the value set is a warning, not an error', () => {
    const message = hn();
    message.entry[1].resource.identifier[0].type = {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'NOT-A-TYPE' }],
    };
    const result = validator.validateMessage(message);
    assertIssue(result, {
      severity: 'warning',
      code: 'code-invalid',
      expression: 'Bundle.entry[1].resource.identifier[0].type',
    });
    assert.equal(result.valid, true, describeIssues(result.issues));
  });

  test('a bogus event code: unknown message type, and the binding error from the declared profile', () => {
    const message = hn();
    message.entry[0].resource.eventCoding.code = 'bogus-message';
    const result = validator.validateMessage(message);
    assert.equal(result.messageType, 'unknown');
    assertIssue(result, {
      severity: 'fatal',
      code: 'not-supported',
      expression: 'Bundle.entry[0].resource.event.ofType(Coding).code',
      details: 'MSG_UNKNOWN_TYPE',
    });
    assertIssue(result, {
      severity: 'error',
      code: 'code-invalid',
      expression: 'Bundle.entry[0].resource.event.ofType(Coding)',
      details: 'MSG_CodeSystem_VALUE_UNKNOWN',
    });
  });
});

describe('invariants', () => {
  test('HN-2: a HospitalNotification without its Patient', () => {
    const message = hn();
    message.entry.splice(1, 1);
    const result = validator.validateMessage(message);
    assertIssue(result, {
      severity: 'error',
      code: 'invariant',
      expression: 'Bundle',
      rule: 'medcom-hospitalNotification-2',
    });
  });

  test('HN-4 (published and intent): a Patient identified by a replacement CPR system', () => {
    const message = hn();
    message.entry[1].resource.identifier[0].system = 'urn:oid:1.2.208.176.1.6.1.1';
    const result = validator.validateMessage(message);
    assertIssue(result, { code: 'invariant', expression: 'Bundle', rule: 'medcom-hospitalNotification-4' });
    assertIssue(result, { code: 'invariant', expression: 'Bundle', rule: 'medcom-hospitalNotification-4#intent' });
  });

  test('HN-6: onleave without a leave period start', () => {
    const message = hn(HN_STOR);
    message.entry[2].resource.extension = [];
    delete message.entry[2].resource.extension;
    const result = validator.validateMessage(message);
    assertIssue(result, {
      code: 'invariant',
      expression: 'Bundle.entry[2].resource',
      rule: 'medcom-hospitalNotification-6',
    });
  });

  test('CC-5: a priority on a category other than regarding-referral', () => {
    const message = cc();
    message.entry[2].resource.priority = 'asap';
    const result = validator.validateMessage(message);
    assertIssue(result, {
      code: 'invariant',
      expression: 'Bundle.entry[2].resource',
      rule: 'medcom-careCommunication-5',
    });
  });

  test('uuidv5: an LPR3 episode-of-care id that is a version-4 UUID', () => {
    const message = hn();
    message.entry[2].resource.episodeOfCare.push({
      identifier: {
        system: 'https://www.esundhed.dk/Registre/Landspatientregisteret',
        value: 'urn:uuid:0c6a7f3e-1e7b-4a4b-9d3c-2b1f4e5d6a7b',
      },
    });
    const result = validator.validateMessage(message);
    assertIssue(result, {
      code: 'invariant',
      expression: 'Bundle.entry[2].resource.episodeOfCare[1].identifier.value',
      rule: 'uuidv5',
    });
    assertIssue(result, {
      expression: 'Bundle.entry[2].resource.episodeOfCare[1].identifier.value',
      rule: 'uuidv5#intent',
    });
  });

  test('ACK-1: a fatal-error acknowledgement without its OperationOutcome', () => {
    const message = example(ACK, ACK_FATAL);
    message.entry.splice(5, 1);
    delete message.entry[0].resource.response.details;
    const result = validator.validateMessage(message);
    assertIssue(result, { code: 'invariant', expression: 'Bundle', rule: 'medcom-acknowledgement-1' });
  });
});

describe('entries and references', () => {
  test('entry profile from a reference: without meta.profile the focus still demands the HN Encounter', () => {
    const message = hn();
    delete message.entry[2].resource.meta;
    message.entry[2].resource.class.code = 'AMB';
    const result = validator.validateMessage(message);
    assertIssue(result, { code: 'code-invalid', expression: 'Bundle.entry[2].resource.class' });
  });

  test('an unresolved bundled reference', () => {
    const message = hn();
    message.entry[0].resource.sender.reference = 'Organization/not-in-this-bundle';
    const result = validator.validateMessage(message);
    assertIssue(result, {
      severity: 'error',
      code: 'not-found',
      expression: 'Bundle.entry[0].resource.sender',
      details: 'MSG_LOCAL_FAIL',
      message: /aggregation mode\(s\) \(bundled\)/,
    });
  });

  test('a reference to a resource of the wrong type', () => {
    const message = hn();
    message.entry[2].resource.subject.reference = message.entry[0].resource.sender.reference;
    const result = validator.validateMessage(message);
    assertIssue(result, {
      code: 'structure',
      expression: 'Bundle.entry[2].resource.subject',
      details: 'MSG_RESOURCE_TYPE_MISMATCH',
    });
  });

  test('urn:uuid fullUrls and references resolve as well as RESTful ones', () => {
    const message = hn();
    const urnOf = new Map<string, string>();
    for (const entry of message.entry) {
      const urn = `urn:uuid:${['0', '1', '2', '3', '4', '5'][message.entry.indexOf(entry)]}0f1c3a2-6d7e-4f80-9a1b-2c3d4e5f6a7b`;
      urnOf.set(`${entry.resource.resourceType}/${entry.resource.id}`, urn);
      entry.fullUrl = urn;
    }
    const rewrite = (node: Json): void => {
      if (Array.isArray(node)) node.forEach(rewrite);
      else if (node && typeof node === 'object') {
        if (typeof node.reference === 'string' && urnOf.has(node.reference)) node.reference = urnOf.get(node.reference);
        Object.values(node).forEach(rewrite);
      }
    };
    rewrite(message.entry);
    const result = validator.validateMessage(message);
    assert.deepEqual(failures(result), [], describeIssues(result.issues));
  });

  test('a declared profile from another IG is reported as not checked (a warning, not a pass)', () => {
    const message = hn();
    message.entry[2].resource.meta.profile = [
      'http://medcomfhir.dk/ig/carecommunication/StructureDefinition/medcom-careCommunication-communication',
    ];
    const result = validator.validateMessage(message);
    assertIssue(result, {
      severity: 'warning',
      code: 'not-supported',
      expression: 'Bundle.entry[2].resource.meta.profile[0]',
    });
  });

  test('a RESTful fullUrl that names another resource', () => {
    const message = hn();
    message.entry[2].fullUrl = message.entry[2].fullUrl.replace('Encounter/', 'Encounter/x');
    const result = validator.validateMessage(message);
    assertIssue(result, { code: 'invalid', expression: 'Bundle.entry[2].fullUrl' });
  });
});
