// The validator is not MedCom-specific: base R4 resources without a profile, and the R4 core profiles whose slicing
// other TypeScript validators get wrong (ecosystem.md §3.3) — the blood-pressure profile (nested value
// discriminators code.coding.code/system) and the lipid profile (closed, ordered slicing on resolve().code).
// Instances are the R4 examples shipped in the hl7.fhir.r4.examples npm package.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { Validator } from '../../src/validation/validator.ts';
import { testStore } from '../support/shared.ts';
import { assertIssue, describe as describeIssues, failures, type Json } from './support/breaks.ts';

const R4 = { id: 'hl7.fhir.r4.core', version: '4.0.1' } as const;
const EXAMPLES = dirname(createRequire(import.meta.url).resolve('hl7.fhir.r4.examples/package.json'));
const validator = new Validator(testStore());

function r4Example(file: string): Json {
  return JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8'));
}

const SD = 'http://hl7.org/fhir/StructureDefinition/';

describe('base R4 resources (no profile)', () => {
  test('the R4 example Patient is valid against the base Patient definition', () => {
    const result = validator.validate(r4Example('Patient-example.json'), `${SD}Patient`, R4);
    assert.deepEqual(failures(result), [], describeIssues(result.issues));
  });

  test('base cardinality, bindings and types still apply without a profile', () => {
    const patient = r4Example('Patient-example.json');
    patient.gender = 'unknown-gender';
    patient.active = 'yes';
    patient.contact[0].relationship = { coding: [] };
    const result = validator.validate(patient, `${SD}Patient`, R4);
    assertIssue(result, { code: 'code-invalid', expression: 'Patient.gender', details: 'MSG_VALUESET_VALUE_UNKNOWN' });
    assertIssue(result, { code: 'structure', expression: 'Patient.active', details: 'MSG_Datatype_Wrong' });
    assertIssue(result, {
      code: 'structure',
      expression: 'Patient.contact[0].relationship',
      details: 'MSG_Datatype_Wrong',
    });
  });

  test('MIME types are a grammar-based code system: any well-formed type is in the mimetypes value set', () => {
    const patient = r4Example('Patient-example.json');
    patient.photo = [{ contentType: 'image/x-made-up', data: 'iVBORw0KGgo=' }];
    assert.deepEqual(failures(validator.validate(patient, `${SD}Patient`, R4)), []);
    patient.photo[0].contentType = 'a picture';
    const result = validator.validate(patient, `${SD}Patient`, R4);
    assertIssue(result, { code: 'code-invalid', expression: 'Patient.photo[0].contentType' });
  });

  test('not a resource at all', () => {
    const result = validator.validate('Patient', `${SD}Patient`, R4);
    assert.equal(result.valid, false);
    assertIssue(result, { code: 'structure', expression: 'Resource', details: 'MSG_Datatype_Wrong' });
  });

  test('a contained resource is validated with its own definition, and #id references resolve to it', () => {
    const patient = r4Example('Patient-example.json');
    patient.contained = [{ resourceType: 'Organization', id: 'org1', name: 'Clinic', active: 'true' }];
    patient.managingOrganization = { reference: '#org1' };
    const ok = validator.validate(patient, `${SD}Patient`, R4);
    assertIssue(ok, { code: 'structure', expression: 'Patient.contained[0].active', details: 'MSG_Datatype_Wrong' });
    patient.managingOrganization = { reference: '#org2' };
    const broken = validator.validate(patient, `${SD}Patient`, R4);
    assertIssue(broken, { code: 'not-found', expression: 'Patient.managingOrganization', details: 'MSG_LOCAL_FAIL' });
    assertIssue(broken, { code: 'invariant', rule: 'ref-1', expression: 'Patient.managingOrganization' });
    assertIssue(broken, { code: 'invariant', rule: 'dom-3', expression: 'Patient' });
  });
});

describe('bp: nested value discriminators (Observation.component by code.coding.code + system)', () => {
  test('the R4 blood-pressure example conforms', () => {
    const result = validator.validate(r4Example('Observation-blood-pressure.json'), `${SD}bp`, R4);
    assert.deepEqual(failures(result), [], describeIssues(result.issues));
  });

  test('a component whose code no longer names systolic blood pressure leaves slice SystolicBP empty', () => {
    const observation = r4Example('Observation-blood-pressure.json');
    observation.component[0].code.coding[0].code = '8462-4'; // diastolic, twice
    const result = validator.validate(observation, `${SD}bp`, R4);
    assertIssue(result, {
      severity: 'error',
      code: 'required',
      expression: 'Observation.component',
      message: /slice 'SystolicBP' .* requires at least 1/,
    });
    assertIssue(result, {
      code: 'structure',
      expression: 'Observation.component',
      message: /slice 'DiastolicBP' .* at most 1/,
    });
  });

  test('type discriminator on value[x]: a string value where the vital-signs slice wants a Quantity', () => {
    const observation = r4Example('Observation-blood-pressure.json');
    delete observation.component[0].valueQuantity;
    observation.component[0].valueString = '107 mmHg';
    const result = validator.validate(observation, `${SD}bp`, R4);
    assertIssue(result, {
      code: 'structure',
      expression: 'Observation.component[0].valueString',
      details: 'MSG_Datatype_Wrong',
    });
  });
});

describe('lipidprofile: closed, ordered slicing on resolve().code', () => {
  // The R4 Bundle-lipids example does not conform to the lipid profiles as published (panel code, `text` beside the
  // fixed codes, units beside fixed reference ranges); these edits make it conform, then the tests break it.
  function lipids(): Json {
    const bundle = r4Example('Bundle-lipids.json');
    const report = bundle.entry[0].resource;
    report.meta = { profile: [`${SD}lipidprofile`] };
    report.code = {
      coding: [
        { system: 'http://loinc.org', code: '57698-3', display: 'Lipid panel with direct LDL - Serum or Plasma' },
      ],
    };
    for (const entry of bundle.entry.slice(1)) {
      delete entry.resource.code.text;
      for (const range of entry.resource.referenceRange ?? []) {
        for (const bound of ['low', 'high']) if (range[bound]) range[bound] = { value: range[bound].value };
      }
    }
    return bundle;
  }

  test('the conforming lipid report passes: each result resolves to the Observation its slice expects', () => {
    const result = validator.validate(lipids(), `${SD}Bundle`, R4);
    assert.deepEqual(failures(result), [], describeIssues(result.issues));
  });

  test('results out of slice order', () => {
    const bundle = lipids();
    const results = bundle.entry[0].resource.result;
    [results[0], results[1]] = [results[1], results[0]];
    const result = validator.validate(bundle, `${SD}Bundle`, R4);
    assertIssue(result, {
      severity: 'error',
      code: 'structure',
      expression: 'Bundle.entry[0].resource.result[1]',
      message: /out of order: slice 'Cholesterol' must come before slice 'Triglyceride'/,
    });
  });

  test('a result that resolves to an Observation no slice describes (closed slicing)', () => {
    const bundle = lipids();
    bundle.entry[1].resource.code.coding[0].code = '2093-3';
    const result = validator.validate(bundle, `${SD}Bundle`, R4);
    assertIssue(result, { code: 'structure', expression: 'Bundle.entry[0].resource.result[0]', message: /closed/ });
    assertIssue(result, { code: 'required', expression: 'Bundle.entry[0].resource.result', message: /'Cholesterol'/ });
  });

  test('the entry a result points to is validated against the slice target profile (targetProfile)', () => {
    const bundle = lipids();
    delete bundle.entry[0].resource.meta;
    bundle.entry[0].resource.result.pop(); // LDL is optional
    bundle.entry[3].resource.referenceRange[0].low = { value: 9 }; // hdlcholesterol fixes low = 1.5
    const asDeclared = validator.validate(bundle, `${SD}Bundle`, R4);
    assert.deepEqual(failures(asDeclared), [], 'without the lipid profile nothing asks for hdlcholesterol');
    bundle.entry[0].resource.meta = { profile: [`${SD}lipidprofile`] };
    const result = validator.validate(bundle, `${SD}Bundle`, R4);
    assertIssue(result, { code: 'value', expression: 'Bundle.entry[3].resource.referenceRange[0].low' });
  });
});
