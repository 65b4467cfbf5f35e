/**
 * The library's receive path as the conformance runner drives it: validate the message, then acknowledge it
 * (ACK 2.0.3, GOV 043).
 * - a valid message gets `ok`, an invalid one `fatal-error` with the validation errors in the OperationOutcome;
 * - while the receiver is temporarily unavailable (a fixture condition) the answer is `transient-error`, and the
 *   message is not recorded, so a resend is processed normally;
 * - a message whose MessageHeader.id was already acknowledged is a duplicate: it gets the same acknowledgement
 *   content again under a new Bundle.id, MessageHeader.id and time, and is not processed twice;
 * - an Acknowledgement is recorded, never acknowledged (KR2); a repeated one is recorded as a duplicate.
 */
import { acknowledge, reissueAcknowledgement } from '../../../messages/acknowledgement/builder.ts';
import type { AcknowledgementIssue, IssueType } from '../../../messages/acknowledgement/codes.ts';
import type { BuildContext } from '../../../messages/build-context.ts';
import type { MessageBundle } from '../../../messages/fhir-types.ts';
import type { ReceiverCondition } from '../../fixtures/fixture-set.ts';

export interface MessageVerdict {
  readonly valid: boolean;
  readonly issues: readonly {
    readonly severity: string;
    readonly code?: string;
    readonly expression?: readonly string[] | string;
    readonly message: string;
  }[];
}

/** What the receive path needs from a validator: judge a message Bundle by its own event code. */
export interface MessageValidator {
  validateMessage(bundle: unknown): MessageVerdict | Promise<MessageVerdict>;
}

export type Receipt =
  | {
      readonly kind: 'acknowledged';
      readonly messageHeaderId: string;
      readonly code: 'ok' | 'transient-error' | 'fatal-error';
      readonly duplicate: boolean;
      readonly acknowledgement: MessageBundle;
    }
  | { readonly kind: 'acknowledgement-recorded'; readonly messageHeaderId: string; readonly duplicate: boolean }
  | { readonly kind: 'refused'; readonly problem: string };

const MAX_ISSUES = 20;

const ISSUE_TYPES: ReadonlySet<string> = new Set<IssueType>([
  'invalid',
  'structure',
  'required',
  'value',
  'invariant',
  'code-invalid',
  'extension',
  'business-rule',
  'not-supported',
  'processing',
]);

export class Receiver {
  /** Final acknowledgements by acknowledged MessageHeader.id. */
  private readonly acknowledged = new Map<string, MessageBundle>();
  private readonly acknowledgementsSeen = new Set<string>();
  /** Everything received, in order, for intent checks and reports. */
  readonly receipts: Receipt[] = [];

  constructor(
    private readonly validator: MessageValidator,
    private readonly context: BuildContext,
  ) {}

  async receive(message: unknown, condition?: ReceiverCondition): Promise<Receipt> {
    const receipt = await this.process(message, condition);
    this.receipts.push(receipt);
    return receipt;
  }

  private async process(message: unknown, condition: ReceiverCondition | undefined): Promise<Receipt> {
    const header = (message as { entry?: { resource?: { id?: unknown; eventCoding?: { code?: unknown } } }[] })
      ?.entry?.[0]?.resource;
    const headerId = typeof header?.id === 'string' ? header.id : undefined;
    if (!headerId) return { kind: 'refused', problem: 'no MessageHeader id at Bundle.entry[0].resource.id' };
    if (header?.eventCoding?.code === 'acknowledgement-message') {
      const duplicate = this.acknowledgementsSeen.has(headerId);
      this.acknowledgementsSeen.add(headerId);
      return { kind: 'acknowledgement-recorded', messageHeaderId: headerId, duplicate };
    }
    const earlier = this.acknowledged.get(headerId);
    if (earlier) {
      return {
        kind: 'acknowledged',
        messageHeaderId: headerId,
        code: responseCode(earlier),
        duplicate: true,
        acknowledgement: reissueAcknowledgement(earlier, this.context),
      };
    }
    if (condition === 'temporarily-unavailable') {
      const issue: AcknowledgementIssue = {
        severity: 'error',
        code: 'transient',
        text: 'The receiving system is temporarily unavailable; send the message again later.',
      };
      return this.answer(message, headerId, { code: 'transient-error', issues: [issue] }, false);
    }
    const verdict = await this.validator.validateMessage(message);
    if (verdict.valid) return this.answer(message, headerId, { code: 'ok' }, true);
    const issues = verdict.issues
      .filter((i) => i.severity === 'error' || i.severity === 'fatal')
      .slice(0, MAX_ISSUES)
      .map((i): AcknowledgementIssue => ({
        severity: 'error',
        code: i.code && ISSUE_TYPES.has(i.code) ? (i.code as IssueType) : 'invalid',
        text: i.message,
        ...(i.expression ? { expression: Array.isArray(i.expression) ? i.expression : [i.expression as string] } : {}),
      }));
    const [first, ...rest] = issues.length
      ? issues
      : [
          {
            severity: 'error',
            code: 'invalid',
            text: 'the message does not conform to its profile',
          } as AcknowledgementIssue,
        ];
    return this.answer(message, headerId, { code: 'fatal-error', issues: [first!, ...rest] }, true);
  }

  private answer(
    message: unknown,
    headerId: string,
    outcome: Parameters<typeof acknowledge>[1],
    record: boolean,
  ): Receipt {
    const result = acknowledge(message, outcome, this.context);
    if (result.kind === 'refused') return { kind: 'refused', problem: result.problem };
    // A transient error is not the final answer: the resend must be processed, not treated as a duplicate.
    if (record) this.acknowledged.set(headerId, result.bundle);
    return {
      kind: 'acknowledged',
      messageHeaderId: headerId,
      code: outcome.code,
      duplicate: false,
      acknowledgement: result.bundle,
    };
  }
}

function responseCode(ack: MessageBundle): 'ok' | 'transient-error' | 'fatal-error' {
  const code = (ack.entry[0]?.resource as { response?: { code?: string } }).response?.code;
  return code === 'transient-error' || code === 'fatal-error' ? code : 'ok';
}
