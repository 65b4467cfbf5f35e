/**
 * Plays the municipality's CareCommunication client for the library driver: turns a scenario action into a builder
 * call, remembering what it received and sent in the current script so replies and forwards have their predecessor.
 */
import type { BuildContext } from '../../../messages/build-context.ts';
import { buildForward, buildNewCareCommunication, buildReply } from '../../../messages/care-communication/build.ts';
import type { SegmentInput } from '../../../messages/care-communication/model.ts';
import type { CareCommunicationCategory } from '../../../messages/care-communication/vocabulary.ts';
import { focusedCommunication, parseCareCommunication } from '../../../messages/care-communication/parse.ts';
import { segmentIdOf } from '../../../messages/care-communication/segments.ts';
import type { MessageBundle } from '../../../messages/fhir-types.ts';
import { PATIENT_WITH_REPLACEMENT_CPR, THIRD_UNIT } from '../../cast.ts';
import {
  fileSegment,
  followUpInOwnThread,
  hospitalMessage,
  municipalityNewMessage,
  textSegment,
} from '../../flows/care-communication-messages.ts';
import type { Addition, CareCommunicationAction } from './care-communication-scenarios.ts';

export class CareCommunicationSender {
  private received: MessageBundle | undefined;
  private sent: MessageBundle | undefined;

  /** A CareCommunication the system under test read. */
  receive(message: MessageBundle): void {
    this.received = message;
  }

  perform(action: CareCommunicationAction, context: BuildContext): MessageBundle {
    const message = this.build(action, context);
    this.sent = message;
    return message;
  }

  private build(action: CareCommunicationAction, context: BuildContext): MessageBundle {
    switch (action.kind) {
      case 'new': {
        const patient = action.variant === 'replacement-cpr' ? PATIENT_WITH_REPLACEMENT_CPR : undefined;
        return buildNewCareCommunication(municipalityNewMessage(action.variant, context.ids(), patient), { context });
      }
      case 'reply': {
        if (action.to === 'own') {
          return followUpInOwnThread(
            this.require(this.sent, 'a message this system sent'),
            { segments: segmentsFor(action.add) },
            context,
          );
        }
        const previous = this.require(this.received, 'a received CareCommunication');
        return buildReply(
          previous,
          { segments: segmentsFor(action.add), ...changesFrom(previous, action.change) },
          { context },
        );
      }
      case 'forward': {
        // "earlier": the hospital's message the system received before the script started.
        const previous =
          action.of === 'earlier'
            ? hospitalMessage(context)
            : this.require(this.received, 'a received CareCommunication');
        const textIds = action.onlyText ? textSegmentIds(previous) : undefined;
        return buildForward(
          previous,
          {
            receiver: THIRD_UNIT,
            segments: segmentsFor(action.add),
            ...changesFrom(previous, action.change),
            ...(textIds ? { selectedSegmentIds: textIds } : {}),
          },
          { context },
        );
      }
    }
  }

  private require(message: MessageBundle | undefined, what: string): MessageBundle {
    if (!message) throw new Error(`the scenario needs ${what}, but there is none in this script`);
    return message;
  }
}

function segmentsFor(add: Addition | undefined): SegmentInput[] {
  const text = textSegment('Tak for beskeden. Vi følger op i morgen.');
  return add === 'text-and-two-attachments' ? [text, fileSegment('application/pdf'), fileSegment('image/png')] : [text];
}

/** A category and a topic other than the previous message's. */
function changesFrom(
  previous: MessageBundle,
  change: 'category' | 'topic' | undefined,
): { category?: CareCommunicationCategory; topic?: string } {
  if (!change) return {};
  const message = parseCareCommunication(previous);
  if (change === 'category') return { category: message.category === 'medicine' ? 'training' : 'medicine' };
  return { topic: message.topic === 'Opfølgning på medicin' ? 'Opfølgning' : 'Opfølgning på medicin' };
}

function textSegmentIds(message: MessageBundle): string[] {
  const { resource } = focusedCommunication(message);
  return (resource.payload ?? []).filter((p) => typeof p.contentString === 'string').map((p) => segmentIdOf(p) ?? '');
}
