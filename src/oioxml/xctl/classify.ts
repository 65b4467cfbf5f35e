// What a receipt means (oioxml.md §5, §9): XCTL01 comes from the VANS provider — the envelope never reached the
// receiver, a network-level signal equal to a VANSEnvelope NegativeVans receipt, never a FHIR Acknowledgement;
// XCTL02/03 come from the receiving application and correspond to the FHIR Acknowledgement.
import type { Receipt, ReceiptType } from './receipt.ts';

export interface ReceiptClass {
  readonly level: 'network' | 'application';
  readonly positive: boolean;
  readonly type: ReceiptType;
}

export function classifyReceipt(receipt: Receipt): ReceiptClass {
  return {
    type: receipt.type,
    level: receipt.type === 'XCTL01' ? 'network' : 'application',
    positive: receipt.type === 'XCTL03',
  };
}
