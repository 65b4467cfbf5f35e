// Every envelope codec reads its bytes with the hardened XML reader; a failure there must surface as an
// EnvelopeError (the receiver answers it with a negative envelope receipt), not as an XML-layer error.
import { readXml, type XmlDocument, type XmlReadOptions } from '../xml/read.ts';
import { XmlError } from '../xml/xml-error.ts';
import { fromXmlError } from './envelope-error.ts';

/** `readXml`, with an `XmlError` re-thrown as an `EnvelopeError` under `options.label`. */
export function readEnvelopeXml(bytes: Uint8Array, options: XmlReadOptions): XmlDocument {
  try {
    return readXml(bytes, options);
  } catch (error) {
    if (error instanceof XmlError) throw fromXmlError(error, options.label);
    throw error;
  }
}
