// Slicing constructs that no profile in the MedCom closure or R4 core uses — `exists`, `pattern` and `profile`
// discriminators, `@default` slices, openAtEnd, reslicing — on profiles derived here from the real R4 Patient and
// Identifier snapshots (the way a snapshot generator writes them), validated against the R4 example Patient.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import type { FhirResource } from '../../src/fhir/packages/context.ts';
import { ProfileCompileError } from '../../src/validation/registry.ts';
import { Validator } from '../../src/validation/validator.ts';
import { HN, testStore } from '../support/shared.ts';
import { assertIssue, describe as describeIssues, failures, type Json } from './support/breaks.ts';

const EXAMPLES = dirname(createRequire(import.meta.url).resolve('hl7.fhir.r4.examples/package.json'));
const CPR_IDENTIFIER = 'http://hl7.dk/fhir/core/StructureDefinition/dk-core-cpr-identifier';
const CPR = 'urn:oid:1.2.208.176.1.2';

interface SliceSpec {
  name: string;
  min: number;
  max: string;
  /** Overrides of the slice's Identifier children, by child name (`system`: { fixedUri: … }). */
  children?: Record<string, Json>;
  profile?: string;
  slicing?: Json;
}

/** A Patient profile whose `identifier` is sliced as given; the slices spelled out as a snapshot generator does. */
function patientProfile(name: string, slicing: Json, slices: SliceSpec[]): FhirResource {
  const context = testStore().context(HN);
  const sd = structuredClone(context.typeDefinition('Patient')) as Json;
  const identifierChildren = (context.typeDefinition('Identifier') as Json).snapshot.element.slice(1);
  const elements: Json[] = sd.snapshot.element;
  const at = elements.findIndex((e) => e.id === 'Patient.identifier');
  const base = elements[at];
  base.slicing = slicing;
  const inserted: Json[] = [];
  for (const spec of slices) {
    const id = `Patient.identifier:${spec.name}`;
    const slice = { ...structuredClone(base), id, sliceName: spec.name, min: spec.min, max: spec.max };
    delete slice.slicing;
    if (spec.slicing) slice.slicing = spec.slicing;
    if (spec.profile) slice.type = [{ code: 'Identifier', profile: [spec.profile] }];
    inserted.push(slice);
    if (spec.children) {
      for (const element of identifierChildren) {
        const child = structuredClone(element);
        const rest = child.path.slice('Identifier.'.length);
        child.path = `Patient.identifier.${rest}`;
        child.id = `${id}.${rest}`;
        Object.assign(child, spec.children[rest] ?? {});
        inserted.push(child);
      }
    }
  }
  elements.splice(at + 1, 0, ...inserted);
  return {
    ...sd,
    id: name,
    url: `http://example.org/fhir/StructureDefinition/${name}`,
    version: '1.0.0',
    name,
    derivation: 'constraint',
    baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Patient',
  } as FhirResource;
}

function patient(identifiers: Json[]): Json {
  const resource = JSON.parse(readFileSync(join(EXAMPLES, 'Patient-example.json'), 'utf8'));
  resource.identifier = identifiers;
  return resource;
}

const MR = JSON.parse(readFileSync(join(EXAMPLES, 'Patient-example.json'), 'utf8')).identifier[0];
const cpr = (value = '2509479989', use = 'official'): Json => ({ use, system: CPR, value });

function check(sd: FhirResource, resource: Json) {
  const validator = new Validator(testStore());
  validator.addProfile(sd, HN, { strict: true });
  return validator.validate(resource, String(sd.url), HN);
}

describe('discriminator types beyond value', () => {
  test('exists: identifiers with and without a period fall into different slices', () => {
    const sd = patientProfile(
      'exists-slicing',
      { discriminator: [{ type: 'exists', path: 'period' }], rules: 'closed' },
      [
        { name: 'withPeriod', min: 0, max: '1', children: { period: { min: 1 } } },
        { name: 'withoutPeriod', min: 1, max: '*', children: { period: { max: '0' } } },
      ],
    );
    const noPeriod = { ...MR, period: undefined };
    delete noPeriod.period;
    assert.deepEqual(failures(check(sd, patient([MR, noPeriod]))), []);
    const result = check(sd, patient([MR, MR]));
    assertIssue(result, {
      code: 'structure',
      expression: 'Patient.identifier',
      message: /slice 'withPeriod' .* at most 1/,
    });
    assertIssue(result, {
      code: 'required',
      expression: 'Patient.identifier',
      message: /slice 'withoutPeriod' .* at least 1/,
    });
  });

  test('pattern: the slice matches by partial CodeableConcept match', () => {
    const type = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] };
    const sd = patientProfile(
      'pattern-slicing',
      { discriminator: [{ type: 'pattern', path: 'type' }], rules: 'open' },
      [{ name: 'medicalRecord', min: 1, max: '1', children: { type: { patternCodeableConcept: type } } }],
    );
    const withDisplay = structuredClone(MR);
    withDisplay.type.coding[0].display = 'Medical record number';
    assert.deepEqual(failures(check(sd, patient([withDisplay]))), []);
    const other = structuredClone(MR);
    other.type.coding[0].code = 'SS';
    assertIssue(check(sd, patient([other])), { code: 'required', message: /slice 'medicalRecord' .* at least 1/ });
  });

  test('profile: an identifier belongs to the slice when it conforms to dk-core-cpr-identifier', () => {
    const sd = patientProfile(
      'profile-slicing',
      { discriminator: [{ type: 'profile', path: '$this' }], rules: 'open' },
      [{ name: 'cpr', min: 0, max: '1', profile: CPR_IDENTIFIER }],
    );
    // A malformed CPR does not conform, so it is not in the slice: open slicing lets it pass as an other identifier.
    assert.deepEqual(failures(check(sd, patient([MR, cpr(), cpr('3213479989')]))), []);
    const result = check(sd, patient([cpr(), cpr('0101010101')]));
    assertIssue(result, {
      code: 'structure',
      expression: 'Patient.identifier',
      message: /slice 'cpr' .* at most 1 item\(s\), found 2/,
    });
  });
});

describe('slicing rules', () => {
  const bySystem = { discriminator: [{ type: 'value', path: 'system' }] };
  const cprSlice: SliceSpec = { name: 'cpr', min: 0, max: '1', children: { system: { fixedUri: CPR } } };

  test('@default: closed slicing sends unmatched items to the default slice, whose cardinality applies', () => {
    const sd = patientProfile('default-slicing', { ...bySystem, rules: 'closed' }, [
      cprSlice,
      { name: '@default', min: 0, max: '1' },
    ]);
    assert.deepEqual(failures(check(sd, patient([cpr(), MR]))), []);
    const result = check(sd, patient([MR, { ...MR, value: '6789' }]));
    assertIssue(result, {
      code: 'structure',
      expression: 'Patient.identifier',
      message: /slice '@default' .* at most 1/,
    });
    assert.equal(
      result.issues.some((i) => /closed/.test(i.message)),
      false,
      describeIssues(result.issues),
    );
  });

  test('openAtEnd: unmatched items may only follow the sliced ones', () => {
    const sd = patientProfile('open-at-end', { ...bySystem, rules: 'openAtEnd' }, [cprSlice]);
    assert.deepEqual(failures(check(sd, patient([cpr(), MR]))), []);
    assertIssue(check(sd, patient([MR, cpr()])), {
      code: 'structure',
      expression: 'Patient.identifier[1]',
      message: /open only at the end/,
    });
  });

  test('closed: an identifier of another system', () => {
    const sd = patientProfile('closed-slicing', { ...bySystem, rules: 'closed' }, [cprSlice]);
    assertIssue(check(sd, patient([cpr(), MR])), {
      code: 'structure',
      expression: 'Patient.identifier[1]',
      message: /does not match any slice .* closed/,
    });
  });

  test('reslicing: the cpr slice is itself sliced by use (closed), each reslice with its own cardinality', () => {
    const useSlice = (name: string, use: string): SliceSpec => ({
      name: `cpr/${name}`,
      min: 0,
      max: '1',
      children: { system: { fixedUri: CPR }, use: { fixedCode: use } },
    });
    const sd = patientProfile('reslicing', { ...bySystem, rules: 'open' }, [
      { ...cprSlice, max: '*', slicing: { discriminator: [{ type: 'value', path: 'use' }], rules: 'closed' } },
      useSlice('official', 'official'),
      useSlice('temporary', 'temp'),
    ]);
    assert.deepEqual(failures(check(sd, patient([cpr(), cpr('0101010101', 'temp'), MR]))), []);
    const twice = check(sd, patient([cpr(), cpr('0101010101')]));
    assertIssue(twice, { code: 'structure', message: /slice 'cpr\/official' .* at most 1/ });
    const unknownUse = check(sd, patient([cpr('2509479989', 'usual')]));
    assertIssue(unknownUse, {
      code: 'structure',
      expression: 'Patient.identifier[0]',
      message: /does not match any slice of Patient.identifier:cpr/,
    });
  });
});

describe('strict compilation', () => {
  test('a slice that fixes nothing at its discriminator path is refused, naming the slice', () => {
    const sd = patientProfile(
      'unmatchable',
      { ...{ discriminator: [{ type: 'value', path: 'system' }] }, rules: 'open' },
      [{ name: 'anything', min: 0, max: '1' }],
    );
    const validator = new Validator(testStore());
    assert.throws(
      () => validator.addProfile(sd, HN, { strict: true }),
      (error: unknown) =>
        error instanceof ProfileCompileError &&
        /Patient.identifier:anything \(discriminator value 'system'\)/.test(error.message),
    );
  });

  test('without strict the profile is used, the slice matches nothing, and results carry a not-supported warning', () => {
    const sd = patientProfile(
      'unmatchable-lenient',
      { discriminator: [{ type: 'value', path: 'system' }], rules: 'open' },
      [{ name: 'anything', min: 1, max: '1' }],
    );
    const validator = new Validator(testStore());
    validator.addProfile(sd, HN);
    const result = validator.validate(patient([MR]), String(sd.url), HN);
    assertIssue(result, { severity: 'warning', code: 'not-supported', message: /only partly checked/ });
    assertIssue(result, { code: 'required', message: /slice 'anything' .* at least 1/ });
  });
});
