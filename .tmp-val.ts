import { testStore, officialExamples, HN } from './test/support/shared.ts';
import { Validator } from './src/validation/validator.ts';
const v = new Validator(testStore());
const p = 'http://medcomfhir.dk/ig/hospitalnotification/StructureDefinition/medcom-hospitalNotification-message';
for (const ex of officialExamples(HN, 'Bundle-a5e5')) {
  for (const ver of ['3.0.1','3.0.2']) {
    const r = v.validate(ex.resource, p, { id: HN.id, version: ver });
    console.log(ver, r.valid, r.issues.filter(i=>i.severity==='error').slice(0,3).map(i=>i.expression+': '+i.message.slice(0,200)));
  }
}
