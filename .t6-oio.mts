import { readFileSync } from 'node:fs';
import { readEmessage, writeEmessage } from './src/oioxml/emessage.ts';
import { clinicalEmailToCareCommunication } from './src/oioxml/to-fhir/care-communication.ts';
import { careCommunicationToClinicalEmail } from './src/oioxml/from-fhir/clinical-email.ts';
import { DEFAULT_CONVERSION_DEFAULTS } from './src/oioxml/convert/context.ts';
import { memoryIdMap } from './src/oioxml/id-map/memory.ts';
const f = '/work/shared/medcom/oioxml/examples/xdis91/edifact_converter__DIS91_2.xml';
const { emessage } = readEmessage(new Uint8Array(readFileSync(f)), { label: 'x' });
const ctx = { idMap: memoryIdMap(), defaults: DEFAULT_CONVERSION_DEFAULTS, parties: { entries: [
  { ean: '5790000121526', sor: '265161000016000', identifier: '200106', identifierCode: 'ydernummer' as const }, { ean: '5790000120314', sor: '953741000016009', identifier: '091034', identifierCode: 'ydernummer' as const }] } };
const conv = clinicalEmailToCareCommunication({ envelope: emessage.envelope, letter: emessage.items[0]!.letter as any }, ctx);
const back = careCommunicationToClinicalEmail(conv.result, ctx);
console.log(JSON.stringify(back.loss.entries.map(e=>e.kind+' '+e.source+' '+e.detail), null, 1));
console.log(Buffer.from(writeEmessage((back.result as any).emessage)).toString('latin1'));
console.log(Buffer.from(readFileSync(f)).toString('latin1'));
