/**
 * What one operation left behind: the request and the response as the test engine saw them. Asserts with
 * `direction: request` judge the request body (what the system under test sent), `response` the status and body.
 * Named sources (fixture ids, `requestId`, `responseId`) resolve to the body that asserts and variables read.
 */
import type { Operation } from './model.ts';

export interface HttpRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path relative to the server base, e.g. `/Bundle/123` or `/Bundle?message.destination-uri=…`. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

export interface Exchange {
  readonly operation: Operation;
  /** True when the system under test performed the operation (it has an `origin`). */
  readonly bySystemUnderTest: boolean;
  readonly request: HttpRequest;
  /** Missing when the operation could not be carried out; `error` then says why. */
  readonly response?: HttpResponse;
  readonly error?: string;
}

/** A body available under a source id, with the headers that came with it (fixtures have none). */
export interface Source {
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string>>;
  /** Where the body came from, for messages: `fixture …`, `request of …`, `response of …`. */
  readonly origin: string;
}

export const STATUS_NAMES: Readonly<Record<string, number>> = {
  okay: 200,
  created: 201,
  noContent: 204,
  notModified: 304,
  bad: 400,
  forbidden: 403,
  notFound: 404,
  methodNotAllowed: 405,
  conflict: 409,
  gone: 410,
  preconditionFailed: 412,
  unprocessable: 422,
};

/** FHIR short content types used by TestScript (`xml`, `json`) to MIME types. */
export function mimeType(short: string | undefined): string {
  switch (short) {
    case undefined:
    case 'json':
      return 'application/fhir+json';
    case 'xml':
      return 'application/fhir+xml';
    case 'ttl':
      return 'text/turtle';
    case 'none':
      return '';
    default:
      return short;
  }
}
