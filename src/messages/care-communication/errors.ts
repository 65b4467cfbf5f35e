/**
 * The two CareCommunication refusals a caller is expected to handle specifically (show the user a choice), as
 * subclasses of the model's one error type so generic handlers still see location and expectation.
 */
import { MessageModelError } from '../errors.ts';

/** The assembled message exceeds the configured size limit (CC clinical guidelines: whole message ≤ 50 MB). */
export class MessageTooLargeError extends MessageModelError {
  override readonly name = 'MessageTooLargeError';

  constructor(
    readonly actualBytes: number,
    readonly limitBytes: number,
    source?: string,
  ) {
    super(
      `message is ${actualBytes} bytes as JSON, over the limit of ${limitBytes} bytes; remove or shrink attachments, or send a link instead`,
      'Bundle',
      `at most ${limitBytes} bytes`,
      source,
    );
  }
}

/**
 * A reply was requested to a message that is no longer the latest of its thread. MedCom forbids it (CC governance):
 * the user must start a new thread (a new message, or a forward of the message they meant).
 */
export class NotLatestInThreadError extends MessageModelError {
  override readonly name = 'NotLatestInThreadError';

  constructor(
    readonly threadId: string,
    readonly messageHeaderId: string,
    readonly latestMessageHeaderId: string,
  ) {
    super(
      `cannot reply to MessageHeader ${messageHeaderId}: it is not the latest message of thread ${threadId} ` +
        `(latest is ${latestMessageHeaderId}); reply to the latest message, or start a new thread (new message or forward)`,
      'Bundle.entry[0].resource.id',
      `the latest MessageHeader of thread ${threadId}`,
    );
  }
}
