/**
 * What the municipality's system does in each CareCommunication send script, in the order of the script's `create`
 * tests (conformance.md §3.2). Replies and forwards answer the message the system last received (the script's
 * `read`), or — in reply-new and reply-forward — continue a thread the system itself sent.
 */
import type { NewMessageVariant } from '../../flows/care-communication-messages.ts';

/** What a reply or forward adds besides the earlier segments. */
export type Addition = 'text' | 'text-and-two-attachments';

export type CareCommunicationAction =
  | { readonly kind: 'new'; readonly variant: NewMessageVariant }
  | {
      readonly kind: 'reply';
      /** `received`: the message read last; `own`: a follow-up in the thread this system sent last. */
      readonly to: 'received' | 'own';
      readonly add?: Addition;
      readonly change?: 'category' | 'topic';
    }
  | {
      readonly kind: 'forward';
      /** `received`: the message read last; `earlier`: a message received before the script started. */
      readonly of: 'received' | 'earlier';
      readonly add?: Addition;
      readonly change?: 'category' | 'topic';
      /** Forward only the text of the received message, not its attachments. */
      readonly onlyText?: boolean;
    };

const newMessage = (variant: NewMessageVariant): CareCommunicationAction[] => [{ kind: 'new', variant }];
const reply = (extra: Partial<Extract<CareCommunicationAction, { kind: 'reply' }>> = {}): CareCommunicationAction[] => [
  { kind: 'reply', to: 'received', ...extra },
];
const forward = (
  extra: Partial<Extract<CareCommunicationAction, { kind: 'forward' }>> = {},
): CareCommunicationAction[] => [{ kind: 'forward', of: 'received', ...extra }];

export const CARE_COMMUNICATION_SCENARIOS: Readonly<Record<string, readonly CareCommunicationAction[]>> = {
  'carecommunication-send-new-message': newMessage('message'),
  'carecommunication-send-new-topic': newMessage('topic'),
  'carecommunication-send-new-category-other': newMessage('category-other'),
  'carecommunication-send-new-priority': newMessage('priority'),
  'carecommunication-send-new-attachment-pdf': newMessage({ attachment: 'application/pdf' }),
  'carecommunication-send-new-attachment-png': newMessage({ attachment: 'image/png' }),
  'carecommunication-send-new-attachment-jpeg': newMessage({ attachment: 'image/jpeg' }),
  'carecommunication-send-new-attachment-gif': newMessage({ attachment: 'image/gif' }),
  'carecommunication-send-new-attachment-bmp': newMessage({ attachment: 'image/bmp' }),
  'carecommunication-send-new-attachment-tiff': newMessage({ attachment: 'image/tiff' }),
  'carecommunication-send-new-attachment-link': newMessage('link'),
  'carecommunication-send-new-attachment-multiple': newMessage('multiple'),
  'carecommunication-send-new-attachment-structured': newMessage('structured'),
  'carecommunication-send-tec-02': newMessage('sender-and-recipient'),
  'carecommunication-send-tec-03': newMessage('cpr'),
  'carecommunication-send-tec-04': newMessage('replacement-cpr'),
  'carecommunication-send-tec-05': newMessage('episode-of-care'),

  'carecommunication-send-reply-message': reply(),
  'carecommunication-send-reply-attachment': reply(),
  'carecommunication-send-reply-add-attachment': reply({ add: 'text-and-two-attachments' }),
  'carecommunication-send-reply-changecategory': reply({ change: 'category' }),
  'carecommunication-send-reply-changetopic': reply({ change: 'topic' }),
  'carecommunication-send-tec-01': reply(),
  'carecommunication-send-tec-06': reply(),
  'carecommunication-send-reply-new': [
    { kind: 'new', variant: 'message' },
    { kind: 'reply', to: 'own' },
  ],
  'carecommunication-send-reply-forward': [
    { kind: 'forward', of: 'earlier' },
    { kind: 'reply', to: 'own' },
  ],

  'carecommunication-send-forward-message': forward(),
  'carecommunication-send-forward-attachment': forward(),
  'carecommunication-send-forward-add-attachment': forward({ add: 'text-and-two-attachments' }),
  'carecommunication-send-forward-changecategory': forward({ change: 'category' }),
  'carecommunication-send-forward-changetopic': forward({ change: 'topic' }),
  'carecommunication-send-forward-partialthread': forward({ onlyText: true }),
};
