// A HospitalNotification's place in its stay, for the conversion history: the stay is named by the episode-of-care
// UUID (the local one when there are two, as the converters use it), the step by the MessageHeader.id.
import { MessageModelError } from '../../messages/errors.ts';
import type { MessageBundle } from '../../messages/fhir-types.ts';
import { preferredEpisodeId } from '../../messages/hospital-notification/episode-of-care.ts';
import { parseHospitalNotification } from '../../messages/hospital-notification/parser.ts';
import { messageTypeOf } from '../../validation/message-types.ts';
import { bareEpisodeUuid } from '../../oioxml/id-map/episode-of-care.ts';
import type { StayStep } from './history.ts';

/** The stay step of a HospitalNotification; undefined for any other message (or one without an episode id). */
export function stayOf(bundle: MessageBundle): StayStep | undefined {
  if (messageTypeOf(bundle) !== 'hospital-notification-message') return undefined;
  try {
    const hn = parseHospitalNotification(bundle);
    const episode = preferredEpisodeId(hn.episodeOfCare);
    return episode ? { episode: bareEpisodeUuid(episode.value), messageHeaderId: hn.messageHeaderId } : undefined;
  } catch (error) {
    if (error instanceof MessageModelError) return undefined;
    throw error;
  }
}
