// R4 primitive values in JSON: the JSON kind (string / number / boolean), the lexical rule the R4 package publishes
// for each primitive type (its `regex` extension, e.g. instant needs seconds and a zone), and calendar validity.
import type { IssueDetail } from './outcome.ts';
import { quote } from './outcome.ts';

export interface PrimitiveProblem {
  readonly message: string;
  readonly details: IssueDetail;
  /** Wrong JSON kind (a type error) rather than a bad lexical form. */
  readonly wrongKind: boolean;
}

const INTEGER_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  integer: [-2147483648, 2147483647],
  positiveInt: [1, 2147483647],
  unsignedInt: [0, 2147483647],
};

const DATE_TYPES = new Set(['date', 'dateTime', 'instant', 'time']);

/** Checks one primitive value; `regex` is the anchored lexical rule of the type (undefined: no rule published). */
export function checkPrimitive(code: string, value: unknown, regex: RegExp | undefined): PrimitiveProblem | undefined {
  if (code === 'boolean') {
    return typeof value === 'boolean' ? undefined : wrongKind(code, value, 'a JSON boolean');
  }
  const range = INTEGER_RANGES[code];
  if (range) {
    if (typeof value !== 'number') return wrongKind(code, value, 'a JSON number');
    if (!Number.isInteger(value) || value < range[0] || value > range[1]) {
      return { message: `${quote(value)} is not a valid ${code}`, details: 'MSG_BAD_FORMAT', wrongKind: false };
    }
    return undefined;
  }
  if (code === 'decimal') {
    return typeof value === 'number' && Number.isFinite(value) ? undefined : wrongKind(code, value, 'a JSON number');
  }
  if (typeof value !== 'string') return wrongKind(code, value, 'a JSON string');
  if (code === 'xhtml') return checkXhtml(value);
  if (regex && !regex.test(value)) {
    return {
      message: `${quote(value)} is not a valid ${code}${formatHint(code)}`,
      details: DATE_TYPES.has(code) ? 'MSG_DATE_FORMAT' : code === 'id' ? 'MSG_ID_INVALID' : 'MSG_BAD_FORMAT',
      wrongKind: false,
    };
  }
  if ((code === 'date' || code === 'dateTime' || code === 'instant') && !calendarValid(value)) {
    return { message: `${quote(value)} is not a real calendar date`, details: 'MSG_DATE_FORMAT', wrongKind: false };
  }
  return undefined;
}

function wrongKind(code: string, value: unknown, expected: string): PrimitiveProblem {
  const found = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a JSON ${typeof value}`;
  return {
    message: `a ${code} must be ${expected}, found ${found}`,
    details: 'MSG_Datatype_Wrong',
    wrongKind: true,
  };
}

function formatHint(code: string): string {
  switch (code) {
    case 'instant':
      return ' (an instant needs date, time with seconds, and a zone: YYYY-MM-DDThh:mm:ss[.fff](Z|+hh:mm))';
    case 'dateTime':
      return ' (YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm:ss[.fff](Z|+hh:mm); a time needs a zone)';
    case 'date':
      return ' (YYYY, YYYY-MM or YYYY-MM-DD)';
    case 'id':
      return ' (1-64 characters A-Z a-z 0-9 - .)';
    case 'uuid':
      return ' (urn:uuid: followed by a lower-case UUID)';
    case 'code':
      return ' (no leading, trailing or double whitespace)';
    default:
      return '';
  }
}

function calendarValid(value: string): boolean {
  if (value.length < 10) return true;
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  const days = [
    31,
    year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28,
    31,
    30,
    31,
    30,
    31,
    31,
    30,
    31,
    30,
    31,
  ];
  return day <= days[month - 1]!;
}

/** Narrative: a single xhtml `div` in the XHTML namespace; the HTML content rules are the txt-1/txt-2 invariants. */
function checkXhtml(value: string): PrimitiveProblem | undefined {
  const trimmed = value.trimStart();
  if (
    !trimmed.startsWith('<div') ||
    !/^<div[^>]*\sxmlns\s*=\s*["']http:\/\/www\.w3\.org\/1999\/xhtml["']/.test(trimmed)
  ) {
    return {
      message: 'narrative must be a <div> element in the XHTML namespace (xmlns="http://www.w3.org/1999/xhtml")',
      details: 'MSG_BAD_FORMAT',
      wrongKind: false,
    };
  }
  return undefined;
}

const MIME_TYPE =
  /^[a-zA-Z0-9][a-zA-Z0-9!#$&^_.+-]{0,126}\/[a-zA-Z0-9][a-zA-Z0-9!#$&^_.+-]{0,126}(\s*;\s*[a-zA-Z0-9!#$&^_.+-]+=("[^"]*"|[a-zA-Z0-9!#$&^_.+-]+))*$/;

/** `urn:ietf:bcp:13` is grammar-based: any syntactically valid MIME type is a known code. */
export function isMimeType(value: string): boolean {
  return MIME_TYPE.test(value);
}
