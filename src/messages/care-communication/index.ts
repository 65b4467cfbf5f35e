/**
 * CareCommunication 5.0.x ("korrespondancemeddelelse"): builders for new messages, replies, forwards and replies to
 * OIOXML letters; a parser into domain terms; and the thread model receivers display.
 */
export {
  buildForward,
  buildNewCareCommunication,
  buildOioxmlLetterReply,
  buildReply,
  type BuildOptions,
  type FollowUpOptions,
} from './build.ts';
export { MessageTooLargeError, NotLatestInThreadError } from './errors.ts';
export type {
  Actor,
  AttachmentSegmentInput,
  Author,
  AuthorRole,
  CareCommunicationForward,
  CareCommunicationMessage,
  CareCommunicationReply,
  EpisodeOfCareInput,
  NewCareCommunication,
  OioxmlLetterReply,
  ReadActor,
  ReadAttachment,
  ReadAuthor,
  Segment,
  SegmentInput,
  TextSegmentInput,
} from './model.ts';
export { parseCareCommunication } from './parse.ts';
export {
  DEFAULT_CC_SIZE_LIMIT,
  enforceSizeLimit,
  jsonByteLength,
  sizeLimit,
  type MessageSizeLimit,
} from './size-limit.ts';
export { Thread, Threads, threadKey, type AddOutcome, type ThreadSegment } from './thread.ts';
export {
  ATTACHMENT_MIME_TYPES,
  CARE_COMMUNICATION_ACTIVITIES,
  CARE_COMMUNICATION_CATEGORIES,
  CARE_COMMUNICATION_PRIORITIES,
  CC_MESSAGE_DEFINITION,
  CC_PROFILE,
  type AttachmentMimeType,
  type CareCommunicationActivity,
  type CareCommunicationCategory,
  type CareCommunicationPriority,
} from './vocabulary.ts';
