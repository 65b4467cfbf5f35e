/**
 * Touchstone's FHIR server, in memory: the store that setup operations fill and the system under test reads from
 * and posts to. It knows the interactions the MedCom scripts use on `Bundle` — create, read, update/updateCreate,
 * conditional delete and search by `message.destination-uri` — plus `_id`. State lives in one instance per script
 * execution, so scripts never see each other's messages.
 */
import type { IdGenerator } from '../../messages/ids.ts';
import type { HttpRequest, HttpResponse } from './exchange.ts';

type Resource = { resourceType?: string; id?: string; [key: string]: unknown };

const JSON_TYPE = { 'content-type': 'application/fhir+json' };

export class Sandbox {
  private readonly store = new Map<string, Resource>();
  /** Which fixture a stored resource came from, so a read by the system under test can name it. */
  private readonly tags = new Map<string, string>();

  constructor(private readonly ids: IdGenerator) {}

  /** The resource stored under `type/id`, for drivers and reports. */
  get(type: string, id: string): Resource | undefined {
    return this.store.get(`${type}/${id}`);
  }

  /** The tag given when `type/id` was stored (the runner tags resources it stores from fixtures). */
  tagOf(type: string, id: string): string | undefined {
    return this.tags.get(`${type}/${id}`);
  }

  handle(request: HttpRequest, tag?: string): HttpResponse {
    const { type, id, query } = parseUrl(request.url);
    if (!type) return outcome(400, `no resource type in ${request.url}`);
    switch (request.method) {
      case 'POST': {
        const body = asResource(request.body);
        if (!body || body.resourceType !== type) return outcome(400, `body is not a ${type}`);
        // A server assigns the id of a created resource (FHIR RESTful create).
        const stored = { ...body, id: this.ids() };
        this.put(`${type}/${stored.id}`, stored, tag);
        return { status: 201, headers: { ...JSON_TYPE, location: `${type}/${stored.id}` }, body: stored };
      }
      case 'PUT': {
        const body = asResource(request.body);
        if (!id) return outcome(400, 'update needs an id');
        if (!body || body.resourceType !== type) return outcome(400, `body is not a ${type}`);
        if (body.id !== undefined && body.id !== id) return outcome(400, `body id ${String(body.id)} is not ${id}`);
        const existed = this.store.has(`${type}/${id}`);
        const stored = { ...body, id };
        this.put(`${type}/${id}`, stored, tag);
        return { status: existed ? 200 : 201, headers: JSON_TYPE, body: stored };
      }
      case 'GET': {
        if (id) {
          const found = this.store.get(`${type}/${id}`);
          return found ? { status: 200, headers: JSON_TYPE, body: found } : outcome(404, `${type}/${id} not found`);
        }
        const matches = this.search(type, query);
        return {
          status: 200,
          headers: JSON_TYPE,
          body: {
            resourceType: 'Bundle',
            type: 'searchset',
            total: matches.length,
            link: [{ relation: 'self', url: request.url }],
            entry: matches.map((resource) => ({ fullUrl: `${type}/${resource.id}`, resource })),
          },
        };
      }
      case 'DELETE': {
        if (id) {
          this.remove(`${type}/${id}`);
          return { status: 204, headers: {} };
        }
        // Conditional delete: every match goes (Touchstone's setup clears earlier runs of the same user).
        for (const resource of this.search(type, query)) this.remove(`${type}/${resource.id}`);
        return { status: 204, headers: {} };
      }
    }
  }

  private put(key: string, resource: Resource, tag: string | undefined): void {
    this.store.set(key, resource);
    if (tag === undefined) this.tags.delete(key);
    else this.tags.set(key, tag);
  }

  private remove(key: string): void {
    this.store.delete(key);
    this.tags.delete(key);
  }

  private search(type: string, query: URLSearchParams): Resource[] {
    const all = [...this.store.entries()].filter(([key]) => key.startsWith(`${type}/`)).map(([, r]) => r);
    return all.filter((resource) => {
      for (const [name, value] of query) {
        if (!matchesParameter(resource, name, value)) return false;
      }
      return true;
    });
  }
}

function matchesParameter(resource: Resource, name: string, value: string): boolean {
  switch (name) {
    case '_id':
      return resource.id === value;
    case 'message.destination-uri': {
      const header = (resource.entry as { resource?: Resource }[] | undefined)?.[0]?.resource;
      const destinations = (header?.destination as { endpoint?: string }[] | undefined) ?? [];
      return destinations.some((d) => d.endpoint === value);
    }
    default:
      // An unknown parameter matches nothing rather than everything: a conditional delete must not wipe the store.
      return false;
  }
}

function parseUrl(url: string): { type?: string; id?: string; query: URLSearchParams } {
  const [path = '', search = ''] = url.split('?', 2);
  const parts = path.split('/').filter((p) => p.length > 0);
  return { type: parts[0], id: parts[1], query: new URLSearchParams(search) };
}

function asResource(body: unknown): Resource | undefined {
  return body && typeof body === 'object' && !Array.isArray(body) ? (body as Resource) : undefined;
}

function outcome(status: number, text: string): HttpResponse {
  return {
    status,
    headers: JSON_TYPE,
    body: {
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: status === 404 ? 'not-found' : 'invalid', diagnostics: text }],
    },
  };
}
