import { readFileSync } from 'node:fs';
import { readEmessage, writeEmessage } from './src/oioxml/emessage.ts';
import { notificationToHospitalNotification } from './src/oioxml/to-fhir/hospital-notification.ts';
import { hospitalNotificationToNotification } from './src/oioxml/from-fhir/notification.ts';
import { DEFAULT_CONVERSION_DEFAULTS } from './src/oioxml/convert/context.ts';
import { memoryIdMap } from './src/oioxml/id-map/memory.ts';
import { Validator } from './src/validation/validator.ts';
import { testStore } from './test/support/shared.ts';
import { glnFrom } from './test/oioxml/support.ts';
const v = new Validator(testStore());
const rd = (f: string) => readEmessage(new Uint8Array(readFileSync('/work/shared/medcom/oioxml/examples/' + f)), { label: f }).emessage;
const ctx = { idMap: memoryIdMap(), defaults: DEFAULT_CONVERSION_DEFAULTS, parties: { entries: [
  { ean: '5790000143054', sor: '265161000016000', identifier: '4202090', identifierCode: 'sygehusafdelingsnummer' as const },
  { ean: '5790000143055', gln: glnFrom('579000014305'), sor: '953741000016009', identifier: '173', identifierCode: 'kommunenummer' as const }] } };
const e20 = rd('xdis20/edifact_converter__DIS20_1.xml');
const c20 = notificationToHospitalNotification({ envelope: e20.envelope, letter: e20.items[0]!.letter as any }, ctx);
console.log(c20.loss.entries.map(e => e.kind + ' ' + e.source + ' -> ' + (e.target ?? '') + ': ' + e.detail).join('\n'));
const r = v.validateMessage(c20.result); console.log('valid', r.valid, r.issues.filter(i => i.severity === 'error').map(i => i.expression + ' ' + i.message));
const back = hospitalNotificationToNotification(c20.result, ctx);
console.log(Buffer.from(writeEmessage(back.result as any)).toString('latin1'));
const e17 = rd('xdis17/edifact_converter__DIS17_1.xml');
const l17 = e17.items[0]!.letter as any;
const l17b = { ...l17, letter: { ...l17.letter, identifier: '24681013' } };
const c17 = notificationToHospitalNotification({ envelope: { ...e17.envelope, identifier: '123456790' }, letter: l17b, previous: c20.result as any }, ctx);
console.log(JSON.stringify(c17.result).slice(0, 300));
const r2 = v.validateMessage(c17.result); console.log('valid', r2.valid, r2.issues.filter(i => i.severity === 'error').map(i => i.expression + ' ' + i.message));
const back17 = hospitalNotificationToNotification(c17.result, ctx);
console.log(Buffer.from(writeEmessage(back17.result as any)).toString('latin1'));
