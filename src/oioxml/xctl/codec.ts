// XCTL01/02/03 element codec (PositiveReceipt.xsd, NegativeReceipt.xsd, NegativeVansReceipt.xsd, 2005/08/07).
import { el, type XmlElement } from '../../xml/element.ts';
import type { ElementReader } from '../codec/element-reader.ts';
import { optionalElement, textElement } from '../codec/elements.ts';
import { decodeBreakableText, encodeFormattedText } from '../formatted-text.ts';
import { compact } from '../model.ts';
import {
  RECEIPT_ELEMENT,
  RECEIPT_VERSION_CODE,
  REFUSE_CODES,
  type OriginalLetter,
  type Receipt,
  type ReceiptType,
  type Refusal,
} from './receipt.ts';

export function readReceipt(reader: ElementReader, type: ReceiptType): Receipt {
  const negative = type !== 'XCTL03';
  const letterReader = reader.required('Letter');
  const letter = {
    identifier: letterReader.text('Identifier', { maxLength: 14 }),
    versionCode: letterReader.fixed('VersionCode', RECEIPT_VERSION_CODE[type]),
    statisticalCode: letterReader.text('StatisticalCode', { maxLength: 8 }),
  };
  letterReader.finish();
  const senderEan = onlyEan(reader.required('Sender'));
  const receiverEan = onlyEan(reader.required('Receiver'));

  const original = reader.required('OriginalEmessage');
  const envelopeIdentifier = original.text('OriginalEnvelopeIdentifier', { maxLength: 14 });
  const originalSender = onlyEan(original.required('OriginalSender'));
  const originalReceiver = onlyEan(original.required('OriginalReceiver'));
  const refusal = negative ? readRefusal(original) : undefined;
  const letters = original.many('OriginalLetter', 99).map((item): OriginalLetter => {
    const result = compact({
      identifier: item.text('OriginalLetterIdentifier', { maxLength: 14 }),
      versionCode: item.text('OriginalVersionCode', { maxLength: 7 }),
      refusal: negative ? readRefusal(item) : undefined,
    });
    item.finish();
    return result;
  });
  original.finish();
  reader.finish();

  return {
    type,
    letter: { identifier: letter.identifier, statisticalCode: letter.statisticalCode },
    senderEan,
    receiverEan,
    original: compact({
      envelopeIdentifier,
      senderEan: originalSender,
      receiverEan: originalReceiver,
      refusal,
      letters,
    }),
  };
}

function onlyEan(reader: ElementReader): string {
  const ean = reader.text('EANIdentifier', { maxLength: 35 });
  reader.finish();
  return ean;
}

function readRefusal(reader: ElementReader): Refusal | undefined {
  const code = reader.optionalCode('RefuseCode', REFUSE_CODES);
  const textReader = reader.optional('RefuseText');
  const text = textReader
    ? decodeBreakableText(textReader.element, textReader.path, reader.label, reader.ns)
    : undefined;
  return code === undefined && text === undefined ? undefined : compact({ code, text });
}

export function writeReceipt(receipt: Receipt, ns: string): XmlElement {
  const negative = receipt.type !== 'XCTL03';
  const ean = (name: string, value: string): XmlElement =>
    el(name, ns, undefined, [textElement(ns, 'EANIdentifier', value)]);
  const refusal = (value: Refusal | undefined): XmlElement[] => {
    if (!value) return [];
    if (!negative) throw new RangeError('a PositiveReceipt (XCTL03) cannot carry RefuseCode or RefuseText');
    return [
      ...optionalElement(ns, 'RefuseCode', value.code),
      ...(value.text ? [el('RefuseText', ns, undefined, encodeFormattedText(value.text, ns))] : []),
    ];
  };
  const { original } = receipt;
  return el(RECEIPT_ELEMENT[receipt.type], ns, undefined, [
    el('Letter', ns, undefined, [
      textElement(ns, 'Identifier', receipt.letter.identifier),
      textElement(ns, 'VersionCode', RECEIPT_VERSION_CODE[receipt.type]),
      textElement(ns, 'StatisticalCode', receipt.letter.statisticalCode),
    ]),
    ean('Sender', receipt.senderEan),
    ean('Receiver', receipt.receiverEan),
    el('OriginalEmessage', ns, undefined, [
      textElement(ns, 'OriginalEnvelopeIdentifier', original.envelopeIdentifier),
      ean('OriginalSender', original.senderEan),
      ean('OriginalReceiver', original.receiverEan),
      ...refusal(original.refusal),
      ...original.letters.map((letter) =>
        el('OriginalLetter', ns, undefined, [
          textElement(ns, 'OriginalLetterIdentifier', letter.identifier),
          textElement(ns, 'OriginalVersionCode', letter.versionCode),
          ...refusal(letter.refusal),
        ]),
      ),
    ]),
  ]);
}
