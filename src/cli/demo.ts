import type { Command } from 'commander';
import { defaultCacheRoot } from '../fhir/packages/cache.ts';
import { acknowledge } from '../messages/acknowledgement/builder.ts';
import { verdictFor } from '../messages/acknowledgement/verdict.ts';
import { liveBuildContext } from '../messages/build-context.ts';
import type { MessageBundle } from '../messages/fhir-types.ts';
import { buildHospitalNotification } from '../messages/hospital-notification/builder.ts';
import { parseHospitalNotification } from '../messages/hospital-notification/parser.ts';
import type { NotificationRequest } from '../messages/hospital-notification/requests.ts';
import { StayState } from '../messages/hospital-notification/stay-state.ts';
import { Cpr, toGln, toSorCode, type MessagingParty } from '../messages/parties.ts';
import { unwrapAny } from '../envelopes/envelope.ts';
import { systemContext } from '../envelopes/context.ts';
import { wrapVans } from '../envelopes/vans/wrap.ts';
import { DEFAULT_CONVERSION_DEFAULTS } from '../oioxml/convert/context.ts';
import { isNotRepresentable } from '../oioxml/convert/loss.ts';
import { writeEmessage } from '../oioxml/emessage.ts';
import { hospitalNotificationToNotification } from '../oioxml/from-fhir/notification.ts';
import { memoryIdMap } from '../oioxml/id-map/memory.ts';
import { NS_2005 } from '../oioxml/namespaces.ts';
import { OioxmlSchemas } from '../oioxml/schemas.ts';
import { Validator } from '../validation/validator.ts';
import { oioxmlSchemaConfig } from './convert/oioxml-schemas.ts';
import { defaultXsdDir } from './medcom-data.ts';
import type { CliIo } from './io.ts';
import { openStore } from './message-file.ts';

// Demo parties: SOR/GLN pairs of MedCom's own HospitalNotification examples; the CPR is MedCom's test person.
const HOSPITAL: MessagingParty = {
  sor: toSorCode('265161000016000'),
  gln: toGln('5790000209354'),
  name: 'Hjerteafdelingen, Herlev og Gentofte Hospital',
};
const MUNICIPALITY: MessagingParty = {
  sor: toSorCode('953741000016009'),
  gln: toGln('5790001348120'),
  name: 'Plejecenter Herlev',
};

/** The product's main job until the hub exists: build, validate, acknowledge and track real MedCom messages. */
export function registerDemo(program: Command, io: CliIo): void {
  program
    .command('demo')
    .description('build a hospital stay of HospitalNotifications, validate and acknowledge each, and track the stay')
    .option('--cache <dir>', 'FHIR package cache folder', defaultCacheRoot())
    .option(
      '--xsd-dir <dir>',
      'folder with the MedCom schema sets (default: $MEDCOM_HUB_XSD_DIR, else ../shared/medcom)',
    )
    .action((options: { cache: string; xsdDir?: string }) => {
      const validator = new Validator(openStore(options.cache));
      const context = liveBuildContext();
      const stay = new StayState();
      const hour = 3_600_000;
      const admitted = new Date(Date.now() - 48 * hour);
      const steps: ((previous: MessageBundle | undefined) => NotificationRequest)[] = [
        () => ({
          code: 'STIN',
          start: admitted,
          reportOfAdmission: { requested: true },
          stay: {
            sender: HOSPITAL,
            receiver: MUNICIPALITY,
            patient: { identifier: Cpr.parse('2509479989'), name: { family: 'Elmer', given: ['Bente'] } },
            episodeOfCare: { local: { value: context.ids() } },
          },
        }),
        (previous) => ({ code: 'STOR', previous: previous!, leaveStart: new Date(admitted.getTime() + 20 * hour) }),
        (previous) => ({ code: 'SLOR', previous: previous!, leaveEnd: new Date(admitted.getTime() + 30 * hour) }),
        (previous) => ({ code: 'SLHJ', previous: previous!, end: new Date(admitted.getTime() + 40 * hour) }),
      ];
      let previous: MessageBundle | undefined;
      const sent: MessageBundle[] = [];
      let failures = 0;
      for (const step of steps) {
        const bundle = buildHospitalNotification(step(previous), context);
        const result = validator.validateMessage(bundle);
        const notification = parseHospitalNotification(bundle);
        const classification = stay.receive(notification);
        const ack = acknowledge(bundle, verdictFor(result), context);
        const ackValid = ack.kind === 'acknowledgement' && validator.validateMessage(ack.bundle).valid;
        if (!result.valid || !ackValid) failures++;
        io.out(
          `${notification.code.padEnd(5)} ${result.valid ? 'valid' : 'INVALID'}  encounter ${notification.encounter.status.padEnd(11)} ` +
            `provenances ${notification.provenance.length}  stay: ${classification.verdict}  ` +
            `ack: ${ack.kind === 'acknowledgement' ? `${verdictFor(result).code} (${ackValid ? 'valid' : 'INVALID'})` : ack.reason}`,
        );
        for (const issue of result.issues.filter((i) => i.severity !== 'information')) {
          io.out(`      ${issue.severity} ${issue.expression}: ${issue.message}`);
        }
        previous = bundle;
        sent.push(bundle);
      }
      io.out(
        `\nstay: ${stay.entries.length} notifications, latest ${stay.snapshot?.latest ?? '-'}, encounter ${stay.snapshot?.status ?? '-'}`,
      );
      failures += legacyPath(sent[0]!, options.xsdDir ?? defaultXsdDir(), io);
      if (failures > 0) io.setExitCode(1);
    });
}

/**
 * The same admission for a municipality that still receives OIOXML: STIN → XDIS20, checked against MedCom's XSD,
 * sent in a VANSEnvelope and unwrapped again. Returns the number of failed steps.
 */
function legacyPath(admission: MessageBundle, xsdDir: string, io: CliIo): number {
  const context = { idMap: memoryIdMap(), parties: { entries: [] }, defaults: DEFAULT_CONVERSION_DEFAULTS };
  const conversion = hospitalNotificationToNotification(admission, context);
  if (isNotRepresentable(conversion.result)) {
    io.out(`\nSTIN → XDIS20: not representable: ${conversion.result.reason}`);
    return 1;
  }
  const letter = writeEmessage(conversion.result);
  const xsd = new OioxmlSchemas(oioxmlSchemaConfig(xsdDir)).validate(NS_2005, letter, { label: 'XDIS20' });
  const envelope = wrapVans(
    letter,
    { sender: '5790000209354', receiver: '5790001348120', label: 'XDIS20' },
    systemContext,
  );
  const unwrapped = unwrapAny(envelope.bytes, 'VANSEnvelope');
  const roundTrip = Buffer.compare(Buffer.from(unwrapped.payload?.bytes ?? []), Buffer.from(letter)) === 0;
  io.out(
    `\nSTIN → XDIS20 (${letter.byteLength} bytes, ISO-8859-1): XSD ${xsd.valid ? 'valid' : 'INVALID'}, ` +
      `${conversion.loss.entries.length} loss-report entries; VANSEnvelope ${envelope.bytes.byteLength} bytes, ` +
      `unwrapped ${roundTrip ? 'identical' : 'DIFFERENT'}`,
  );
  for (const issue of xsd.issues) io.out(`      ${issue.message}`);
  return (xsd.valid ? 0 : 1) + (roundTrip ? 0 : 1);
}
