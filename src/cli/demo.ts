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
import { Validator } from '../validation/validator.ts';
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
    .action((options: { cache: string }) => {
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
      }
      io.out(
        `\nstay: ${stay.entries.length} notifications, latest ${stay.snapshot?.latest ?? '-'}, encounter ${stay.snapshot?.status ?? '-'}`,
      );
      if (failures > 0) io.setExitCode(1);
    });
}
