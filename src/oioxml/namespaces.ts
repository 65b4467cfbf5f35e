// The two MedCom OIOXML namespaces this project reads and writes (oioxml.md §0.2). XDIS91 lives in 2006/07/01;
// XDIS20, XDIS17 and every receipt — even a receipt for a 2006/07/01 letter — in 2005/08/07.
export const NS_2006 = 'http://rep.oio.dk/sundcom.dk/medcom.dk/xml/schemas/2006/07/01/';
export const NS_2005 = 'http://rep.oio.dk/sundcom.dk/medcom.dk/xml/schemas/2005/08/07/';

export type OioxmlNamespace = typeof NS_2006 | typeof NS_2005;

export function isOioxmlNamespace(ns: string | null | undefined): ns is OioxmlNamespace {
  return ns === NS_2006 || ns === NS_2005;
}
