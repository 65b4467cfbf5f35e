import { officialExamples, HN } from './test/support/shared.ts';
import { parseHospitalNotification } from './src/messages/hospital-notification/parser.ts';
for (const { file, resource } of officialExamples(HN, 'Bundle-')) {
  const hn = parseHospitalNotification(resource);
  console.log(file, hn.code, hn.codeCertain, hn.encounter.encounterClass, hn.encounter.period, hn.episodeOfCare.map(e => e.value).join(','), hn.patient.name.family, hn.provenance.length, hn.predecessor?.target);
}
