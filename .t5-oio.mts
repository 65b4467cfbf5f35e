import { readFileSync } from 'node:fs';
import { readEmessage } from './src/oioxml/emessage.ts';
import { clinicalEmailToCareCommunication } from './src/oioxml/to-fhir/care-communication.ts';
import { DEFAULT_CONVERSION_DEFAULTS } from './src/oioxml/convert/context.ts';
import { memoryIdMap } from './src/oioxml/id-map/memory.ts';
import { Validator } from './src/validation/validator.ts';
import { testStore } from './test/support/shared.ts';
const f = '/work/shared/medcom/oioxml/examples/xdis91/edifact_converter__DIS91_2.xml';
const { emessage } = readEmessage(new Uint8Array(readFileSync(f)), { label: 'x' });
const ctx = { idMap: memoryIdMap(), defaults: DEFAULT_CONVERSION_DEFAULTS, parties: { entries: [
  { ean: '5790000121526', sor: '265161000016000' }, { ean: '5790000120314', sor: '953741000016009' }] } };
const conv = clinicalEmailToCareCommunication({ envelope: emessage.envelope, letter: emessage.items[0]!.letter as any }, ctx);
console.log(JSON.stringify(conv.loss, null, 1));
const b = conv.result as any;
console.log(JSON.stringify(b).slice(0, 3000));
const v = new Validator(testStore());
const t0 = Date.now();
const r = v.validateMessage(b);
console.log(Date.now() - t0, r.valid, r.issues.filter(i => i.severity !== 'information').map(i => `${i.severity} ${i.expression} ${i.message}`));
