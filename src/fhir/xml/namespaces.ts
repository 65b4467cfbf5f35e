// Namespaces of FHIR XML: resources and datatypes, and the XHTML narrative inside them.
export const FHIR_NS = 'http://hl7.org/fhir';
export const XHTML_NS = 'http://www.w3.org/1999/xhtml';
