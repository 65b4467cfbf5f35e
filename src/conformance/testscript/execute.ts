/**
 * Executes one TestScript the way Touchstone does for a client under test. Operations without `origin` are the test
 * engine's own (setup filling its server); operations with `origin` are performed by the system under test through
 * the driver. Asserts judge the last exchange or a named source. If a setup assert fails the tests are skipped, as
 * Touchstone does; inside a test every action runs so a report shows all consequences of one fault.
 */
import type { FhirResource } from '../../fhir/packages/context.ts';
import type { PackageRef } from '../../fhir/packages/package-ref.ts';
import type { Clock } from '../../messages/clock.ts';
import type { IdGenerator } from '../../messages/ids.ts';
import type { Driver, StepInfo } from '../drivers/driver.ts';
import type { ActionResult, ActionStatus, ErratumRef, ScriptResult, TestResult } from '../results.ts';
import { evaluateAssert } from './asserts.ts';
import { mimeType, type Exchange, type HttpRequest, type Source } from './exchange.ts';
import type { FhirPathEngine } from './fhirpath.ts';
import { igForProfile } from './load.ts';
import { actionKey, type Action, type Assert, type Operation, type TestScript } from './model.ts';
import { TouchstonePlaceholders, type PlaceholderSource } from './placeholders.ts';
import type { ProfileValidator } from './profile-validator.ts';
import { Sandbox } from './sandbox.ts';
import { substitute } from './substitution.ts';
import type { Semantics } from './touchstone.ts';
import { VariableScope, type SourceLookup } from './variables.ts';

/** Writes a resource the way the sandbox serves it: FHIR JSON or FHIR XML bytes. */
export interface FhirEncoder {
  encode(resource: FhirResource, format: 'json' | 'xml'): Uint8Array;
}

/** Fixture files by their Touchstone path; `load` returns a fresh copy with placeholders expanded. */
export interface FixtureProvider {
  has(reference: string): boolean;
  load(reference: string, placeholders: PlaceholderSource): FhirResource;
}

export type ProgressEvent =
  | { readonly type: 'script-start'; readonly script: TestScript }
  | { readonly type: 'action'; readonly script: TestScript; readonly result: ActionResult }
  | { readonly type: 'script-end'; readonly script: TestScript; readonly result: ScriptResult };

export interface ExecutionOptions {
  readonly suite: string;
  readonly driver: Driver;
  readonly fixtures: FixtureProvider;
  readonly engine: FhirPathEngine;
  readonly semantics: Semantics;
  readonly validator?: ProfileValidator;
  /** IG closure for `validateProfileId` of profiles that are not current MedCom message profiles. */
  readonly ig: PackageRef;
  /** Encodes what the system under test fetches; without one it gets JSON whatever it asked for. */
  readonly encoder?: FhirEncoder;
  /** Seeds Touchstone's per-user placeholders (`${D6}` …). */
  readonly user: string;
  readonly ids: IdGenerator;
  readonly clock: Clock;
  /** Errata touching each action key, reported with the action. */
  readonly refs?: ReadonlyMap<string, readonly ErratumRef[]>;
  /** Action keys withdrawn by an erratum: reported as skipped, not executed. */
  readonly withdrawn?: ReadonlyMap<string, Action>;
  readonly onProgress?: (event: ProgressEvent) => void;
}

export async function executeScript(script: TestScript, options: ExecutionOptions): Promise<ScriptResult> {
  const started = Date.now();
  options.onProgress?.({ type: 'script-start', script });
  const support = options.driver.supports(script);
  if (!support.supported) {
    const result: ScriptResult = {
      id: script.id,
      ...(script.title ? { title: script.title } : {}),
      suite: options.suite,
      status: 'not-applicable',
      reason: `driver ${options.driver.name}: ${support.reason}`,
      setup: [],
      tests: [],
      teardown: [],
      durationMs: Date.now() - started,
    };
    options.onProgress?.({ type: 'script-end', script, result });
    return result;
  }
  const execution = new ScriptExecution(script, options);
  await options.driver.beginScript(script);
  let result: ScriptResult;
  try {
    result = await execution.run(started);
  } finally {
    await options.driver.endScript(script);
  }
  options.onProgress?.({ type: 'script-end', script, result });
  return result;
}

class ScriptExecution implements SourceLookup {
  private readonly placeholders: TouchstonePlaceholders;
  private readonly sandbox: Sandbox;
  private readonly variables: VariableScope;
  private readonly fixtures = new Map<string, Source>();
  private readonly named = new Map<string, Source>();
  private readonly fixtureErrors = new Map<string, string>();
  private last: Exchange | undefined;

  constructor(
    private readonly script: TestScript,
    private readonly options: ExecutionOptions,
  ) {
    this.placeholders = new TouchstonePlaceholders({ user: options.user, ids: options.ids, clock: options.clock });
    this.sandbox = new Sandbox(options.ids);
    this.variables = new VariableScope(script.variables, this, options.engine, this.placeholders);
  }

  // --- SourceLookup -------------------------------------------------------------------------------------------
  source(id: string): Source | undefined {
    return this.named.get(id) ?? this.fixtures.get(id);
  }

  lastResponse(): Source | undefined {
    const response = this.last?.response;
    return response ? { body: response.body, headers: response.headers, origin: 'the last response' } : undefined;
  }

  // --- execution ----------------------------------------------------------------------------------------------
  async run(started: number): Promise<ScriptResult> {
    this.loadFixtures();
    const setup = await this.runActions(this.script.setup);
    const setupFailed = setup.some((r) => r.status === 'fail' || r.status === 'error');
    const tests: TestResult[] = [];
    for (const test of this.script.tests) {
      const actions = setupFailed
        ? test.actions.map((a) => this.skipped(a, 'setup failed'))
        : await this.runActions(test.actions);
      tests.push({ key: test.key, ...(test.name ? { name: test.name } : {}), actions });
    }
    const teardown = await this.runActions(this.script.teardown);
    const all = [...setup, ...tests.flatMap((t) => t.actions), ...teardown];
    const failed = all.some((r) => r.status === 'fail' || r.status === 'error');
    return {
      id: this.script.id,
      ...(this.script.title ? { title: this.script.title } : {}),
      suite: this.options.suite,
      status: failed ? 'fail' : 'pass',
      ...(setupFailed ? { reason: 'setup failed; tests skipped' } : {}),
      setup,
      tests,
      teardown,
      durationMs: Date.now() - started,
    };
  }

  /** Touchstone loads every static fixture when the script starts; placeholders are expanded then. */
  private loadFixtures(): void {
    for (const fixture of this.script.fixtures) {
      if (!this.options.fixtures.has(fixture.reference)) {
        this.fixtureErrors.set(fixture.id, `fixture ${fixture.id} (${fixture.reference}) is not in the fixture set`);
        continue;
      }
      try {
        const body = this.options.fixtures.load(fixture.reference, this.placeholders);
        this.fixtures.set(fixture.id, { body, headers: {}, origin: `fixture ${fixture.id} (${fixture.reference})` });
      } catch (error) {
        this.fixtureErrors.set(
          fixture.id,
          `fixture ${fixture.id}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }

  private async runActions(actions: readonly Action[]): Promise<ActionResult[]> {
    const results: ActionResult[] = [];
    for (const action of actions) {
      const key = actionKey(this.script.id, action.at);
      const result = this.options.withdrawn?.has(key)
        ? this.skipped(action, 'withdrawn by erratum')
        : action.kind === 'operation'
          ? await this.runOperation(action.operation, action)
          : await this.runAssert(action.assert, action);
      results.push(result);
      this.options.onProgress?.({ type: 'action', script: this.script, result });
    }
    return results;
  }

  private base(action: Action, status: ActionStatus, summary: string, description?: string) {
    const key = actionKey(this.script.id, action.at);
    return {
      key,
      at: action.at,
      kind: action.kind,
      status,
      summary,
      ...(description ? { description } : {}),
      errata: this.options.refs?.get(key) ?? [],
    };
  }

  private skipped(action: Action, why: string): ActionResult {
    const summary = action.kind === 'assert' ? summarizeAssert(action.assert) : summarizeOperation(action.operation);
    return { ...this.base(action, 'skipped', summary), message: why };
  }

  private async runAssert(assert: Assert, action: Action): Promise<ActionResult> {
    const outcome = await evaluateAssert(assert, {
      ...(this.last ? { last: this.last } : {}),
      sources: this,
      variables: this.variables,
      engine: this.options.engine,
      semantics: this.options.semantics,
      profiles: this.script.profiles,
      ...(this.options.validator ? { validator: this.options.validator } : {}),
      igFor: (profile) => igForProfile(profile, this.options.ig),
    });
    return {
      ...this.base(action, outcome.status, summarizeAssert(assert), assert.description),
      ...(outcome.message ? { message: outcome.message } : {}),
      ...(outcome.evaluated.length ? { evaluated: outcome.evaluated } : {}),
      ...(outcome.notes.length ? { notes: outcome.notes } : {}),
    };
  }

  private async runOperation(op: Operation, action: Action): Promise<ActionResult> {
    const bySut = op.origin !== undefined;
    const summary = summarizeOperation(op);
    const step: StepInfo = {
      script: this.script,
      group: action.at.group,
      actionIndex: action.at.index,
      operation: op,
      ...(op.sourceId
        ? {
            fixture: {
              id: op.sourceId,
              reference: this.script.fixtures.find((f) => f.id === op.sourceId)?.reference ?? '',
            },
          }
        : {}),
    };
    let request: HttpRequest;
    try {
      request = await this.buildRequest(op, step, bySut);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.last = {
        operation: op,
        bySystemUnderTest: bySut,
        request: { method: methodOf(op), url: '', headers: {} },
        error: message,
      };
      return { ...this.base(action, 'error', summary, op.description), message };
    }
    // Resources the engine stores from a fixture are tagged with it, so a later read can tell the driver which
    // fixture it is receiving (a fixture may describe receiver conditions, e.g. a transient failure).
    const handled = this.sandbox.handle(request, !bySut && op.sourceId ? op.sourceId : undefined);
    // Touchstone serves what the read accepts (MedCom's reads ask for XML), so the receiver decodes real bytes.
    const servesXml = bySut && request.method === 'GET' && op.accept === 'xml' && this.options.encoder !== undefined;
    const response = servesXml
      ? { ...handled, headers: { ...handled.headers, 'content-type': 'application/fhir+xml' } }
      : handled;
    const exchange: Exchange = { operation: op, bySystemUnderTest: bySut, request, response };
    this.last = exchange;
    const origin = `${request.method} ${request.url}`;
    if (op.requestId)
      this.named.set(op.requestId, { body: request.body, headers: request.headers, origin: `request of ${origin}` });
    if (op.responseId)
      this.named.set(op.responseId, {
        body: response.body,
        headers: response.headers,
        origin: `response of ${origin}`,
      });
    if (bySut && request.method === 'GET' && response.status === 200 && isMessage(response.body)) {
      const stored = response.body as FhirResource & { id?: string };
      const fixtureId = stored.id ? this.sandbox.tagOf(stored.resourceType, stored.id) : undefined;
      const readStep: StepInfo = fixtureId
        ? {
            ...step,
            fixture: {
              id: fixtureId,
              reference: this.script.fixtures.find((f) => f.id === fixtureId)?.reference ?? '',
            },
          }
        : step;
      const body =
        this.options.encoder?.encode(stored, servesXml ? 'xml' : 'json') ??
        new TextEncoder().encode(JSON.stringify(stored));
      try {
        await this.options.driver.receive(
          { resource: stored, body, contentType: servesXml ? 'application/fhir+xml' : 'application/fhir+json' },
          readStep,
        );
      } catch (error) {
        const message = `system under test failed to receive: ${error instanceof Error ? error.message : String(error)}`;
        return { ...this.base(action, 'error', summary, op.description), message };
      }
    }
    return { ...this.base(action, 'pass', summary, op.description), message: `${origin} → ${response.status}` };
  }

  private async buildRequest(op: Operation, step: StepInfo, bySut: boolean): Promise<HttpRequest> {
    const method = methodOf(op);
    const type = op.resource ?? 'Bundle';
    const text = (value: string) => substitute(value, (name) => this.variables.lookup(name)).text;
    const headers: Record<string, string> = {};
    if (op.accept) headers.accept = mimeType(op.accept);
    for (const h of op.requestHeader ?? []) headers[h.field] = text(h.value);
    let body: unknown;
    if (method === 'POST' || method === 'PUT') {
      if (bySut) {
        const submission = await this.options.driver.send(step);
        body = submission.resource;
        headers['content-type'] = submission.contentType;
      } else {
        if (!op.sourceId) throw new Error(`${op.type} needs a sourceId`);
        const fixture = this.fixtures.get(op.sourceId);
        if (!fixture) throw new Error(this.fixtureErrors.get(op.sourceId) ?? `fixture ${op.sourceId} is not declared`);
        body = fixture.body;
        headers['content-type'] = mimeType(op.contentType);
      }
    }
    let url: string;
    if (op.url) url = text(op.url);
    else if (op.params) url = `/${type}${text(op.params)}`;
    else if (method === 'PUT' || op.type === 'read' || op.type === 'vread') {
      const id = this.targetId(op) ?? (body as { id?: string } | undefined)?.id;
      if (!id) throw new Error(`${op.type} needs params, a url or a targetId`);
      url = `/${type}/${id}`;
    } else url = `/${type}`;
    return { method, url, headers, ...(body === undefined ? {} : { body }) };
  }

  private targetId(op: Operation): string | undefined {
    if (!op.targetId) return undefined;
    const body = this.source(op.targetId)?.body as { id?: string } | undefined;
    return body?.id;
  }
}

function methodOf(op: Operation): HttpRequest['method'] {
  switch (op.type) {
    case 'create':
      return 'POST';
    case 'update':
    case 'updateCreate':
      return 'PUT';
    case 'delete':
      return 'DELETE';
    default:
      return 'GET';
  }
}

function isMessage(body: unknown): boolean {
  const b = body as { resourceType?: unknown; type?: unknown } | undefined;
  return b?.resourceType === 'Bundle' && b.type === 'message';
}

export function summarizeOperation(op: Operation): string {
  const who = op.origin !== undefined ? 'system under test' : 'test engine';
  const target = op.params ?? op.url ?? (op.sourceId ? ` ${op.sourceId}` : '');
  return `${op.type} ${op.resource ?? ''}${target} (${who})`.replace(/\s+/g, ' ');
}

export function summarizeAssert(a: Assert): string {
  if (a.expression !== undefined) {
    const op = a.compareToSourceId
      ? ` ${a.operator ?? 'equals'} ${a.compareToSourceId}:${a.compareToSourceExpression ?? a.compareToSourcePath ?? ''}`
      : a.operator || a.value !== undefined
        ? ` ${a.operator ?? 'equals'} ${JSON.stringify(a.value ?? '')}`
        : '';
    return `${a.expression}${op}`;
  }
  if (a.validateProfileId !== undefined) return `validateProfileId ${a.validateProfileId}`;
  if (a.responseCode !== undefined) return `responseCode ${a.operator ?? 'equals'} ${a.responseCode}`;
  if (a.resource !== undefined) return `resource = ${a.resource}`;
  if (a.response !== undefined) return `response = ${a.response}`;
  if (a.path !== undefined) return `path ${a.path}`;
  if (a.contentType !== undefined) return `contentType = ${a.contentType}`;
  if (a.minimumId !== undefined) return `minimumId ${a.minimumId}`;
  if (a.headerField !== undefined) return `header ${a.headerField}`;
  return 'assert';
}
