// Builders for the simple OIOXML elements every letter codec writes.
import { el, type XmlElement } from '../../xml/element.ts';
import type { OioDateTime } from '../model.ts';

export function textElement(ns: string, name: string, value: string): XmlElement {
  return el(name, ns, undefined, value ? [value] : []);
}

/** The element when the value is present, nothing otherwise (spread into a children list). */
export function optionalElement(ns: string, name: string, value: string | undefined): XmlElement[] {
  return value === undefined ? [] : [textElement(ns, name, value)];
}

/** DateTimeType (Date + Time, hh:mm) or DateTimeWithSecType (Date + TimeWithSec, hh:mm:ss). */
export function dateTimeElement(
  ns: string,
  name: string,
  value: OioDateTime,
  timeName: 'Time' | 'TimeWithSec',
): XmlElement {
  return el(name, ns, undefined, [textElement(ns, 'Date', value.date), textElement(ns, timeName, value.time)]);
}
