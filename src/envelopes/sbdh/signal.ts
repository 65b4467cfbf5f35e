// The ebBP 2.0.4 signal inside an ehmiSBDH envelope receipt (hub.md §5.4; schema ehmi-sbdh/ebbp/ebbp-signals-2.0.4.xsd):
// ReceiptAcknowledgement = "passed the structure/schema check", Exception/ReceiptException = "rejected; the
// transaction ends". Element order follows SignalIdentificationInformation.
import { childElements, el, firstChild, textOf, type XmlElement } from '../../xml/element.ts';
import { writeXml } from '../../xml/write.ts';
import { EnvelopeError } from '../envelope-error.ts';
import { readEnvelopeXml } from '../read-envelope-xml.ts';
import { PARTICIPANT_AUTHORITY } from './model.ts';

export const EBBP_NS = 'http://docs.oasis-open.org/ebxml-bp/ebbp-signals-2.0';

export type ReceiptExceptionType = 'Syntax' | 'Authorization' | 'Signature' | 'Sequence';

export interface SignalIdentification {
  /** The requesting ehmiSBDH InstanceIdentifier (⚠ one MedCom example uses the MessageHeader.id instead). */
  readonly originalMessageIdentifier: string;
  /** DOCUMENTID of the requesting envelope. */
  readonly originalDocumentIdentifier?: string;
  readonly originalMessageDateTime: string;
  readonly thisMessageDateTime: string;
  /** `0088:<GLN>` of the original receiver, who sends the signal. */
  readonly fromParty?: string;
  readonly toParty?: string;
  readonly collaborationIdentifier?: string;
}

export type EbbpSignal =
  | ({ readonly kind: 'ReceiptAcknowledgement' } & SignalIdentification)
  | ({
      readonly kind: 'ReceiptException';
      readonly exceptionType: ReceiptExceptionType | string;
      readonly reason: string;
      readonly exceptionMessage?: string;
    } & SignalIdentification);

export function signalToXml(signal: EbbpSignal): XmlElement {
  const e = (name: string, children: readonly (XmlElement | string)[] = [], attributes?: Record<string, string>) =>
    el(`bpssignal:${name}`, EBBP_NS, attributes, children);
  const party = (name: string, value: string | undefined) =>
    value ? [e(name, [value], { type: PARTICIPANT_AUTHORITY })] : [];
  const identification = [
    e('OriginalMessageIdentifier', [signal.originalMessageIdentifier]),
    ...(signal.originalDocumentIdentifier
      ? [e('OriginalDocumentIdentifier', [signal.originalDocumentIdentifier])]
      : []),
    e('OriginalMessageDateTime', [signal.originalMessageDateTime]),
    e('ThisMessageDateTime', [signal.thisMessageDateTime]),
    ...party('FromPartyInfo', signal.fromParty),
    ...party('ToPartyInfo', signal.toParty),
    ...(signal.collaborationIdentifier ? [e('CollaborationIdentifier', [signal.collaborationIdentifier])] : []),
  ];
  if (signal.kind === 'ReceiptAcknowledgement') return e('ReceiptAcknowledgement', identification);
  return e('Exception', [
    ...identification,
    e('ExceptionType', [e('ReceiptException', [signal.exceptionType])]),
    e('Reason', [signal.reason]),
    ...(signal.exceptionMessage ? [e('ExceptionMessage', [signal.exceptionMessage])] : []),
  ]);
}

export function writeSignal(signal: EbbpSignal): Uint8Array {
  return writeXml(signalToXml(signal), { encoding: 'UTF-8', declaration: true, indent: '  ' });
}

/** Reads a signal; values are trimmed because the published samples pad them with line breaks. */
export function parseSignal(bytes: Uint8Array, label: string): EbbpSignal {
  const { root } = readEnvelopeXml(bytes, { label, maxDepth: 16 });
  if (root.ns !== EBBP_NS || (root.name !== 'ReceiptAcknowledgement' && root.name !== 'Exception')) {
    throw new EnvelopeError(
      label,
      `/${root.name}`,
      `expected an ebBP ReceiptAcknowledgement or Exception in namespace ${EBBP_NS}`,
    );
  }
  const at = `/${root.name}`;
  const text = (name: string): string | undefined => {
    const e = firstChild(root, name, EBBP_NS);
    const value = e ? textOf(e).trim() : '';
    return value === '' ? undefined : value;
  };
  const required = (name: string): string => {
    const value = text(name);
    if (value === undefined) throw new EnvelopeError(label, `${at}/${name}`, 'required element is missing or empty');
    return value;
  };
  const optional = (name: string, key: keyof SignalIdentification) => {
    const value = text(name);
    return value !== undefined ? { [key]: value } : {};
  };
  const identification: SignalIdentification = {
    originalMessageIdentifier: required('OriginalMessageIdentifier'),
    ...optional('OriginalDocumentIdentifier', 'originalDocumentIdentifier'),
    originalMessageDateTime: required('OriginalMessageDateTime'),
    thisMessageDateTime: required('ThisMessageDateTime'),
    ...optional('FromPartyInfo', 'fromParty'),
    ...optional('ToPartyInfo', 'toParty'),
    ...optional('CollaborationIdentifier', 'collaborationIdentifier'),
  };
  if (root.name === 'ReceiptAcknowledgement') return { kind: 'ReceiptAcknowledgement', ...identification };
  const exceptionType = firstChild(root, 'ExceptionType', EBBP_NS);
  const kind = exceptionType ? childElements(exceptionType)[0] : undefined;
  if (!kind) throw new EnvelopeError(label, `${at}/ExceptionType`, 'required element is missing');
  if (kind.name !== 'ReceiptException') {
    throw new EnvelopeError(
      label,
      `${at}/ExceptionType/${kind.name}`,
      `an envelope receipt carries a ReceiptException, not ${kind.name}`,
    );
  }
  const message = text('ExceptionMessage');
  return {
    kind: 'ReceiptException',
    ...identification,
    exceptionType: textOf(kind).trim(),
    reason: required('Reason'),
    ...(message ? { exceptionMessage: message } : {}),
  };
}
