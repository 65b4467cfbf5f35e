/**
 * Maps TestScript JSON onto the runner's model. Like a strict compiler it rejects what the runner cannot execute
 * (unknown operation codes, rules/rulesets, dynamic fixtures) with the file and element path, instead of loading a
 * script whose unsupported parts would later pass silently.
 */
import type { PackageRef } from '../../fhir/packages/package-ref.ts';
import {
  ASSERT_OPERATORS,
  SUPPORTED_OPERATIONS,
  type Action,
  type ActionLocation,
  type Assert,
  type AssertOperator,
  type FixtureDeclaration,
  type Operation,
  type OperationType,
  type ProfileDeclaration,
  type TestCase,
  type TestScript,
  type VariableDeclaration,
} from './model.ts';

export class TestScriptError extends Error {
  constructor(
    readonly file: string,
    readonly path: string,
    message: string,
  ) {
    super(`${file}: ${path}: ${message}`);
    this.name = 'TestScriptError';
  }
}

type Json = Record<string, unknown>;

export function parseTestScript(json: unknown, source: { package?: PackageRef; file: string }): TestScript {
  const file = source.file;
  const fail = (path: string, message: string): never => {
    throw new TestScriptError(file, path, message);
  };
  if (!isObject(json) || json.resourceType !== 'TestScript') fail('TestScript', 'not a TestScript resource');
  const root = json as Json;
  const id = str(root.id) ?? fail('TestScript.id', 'missing');
  if (root.rule !== undefined || root.ruleset !== undefined) {
    fail('TestScript.rule', 'rules and rulesets (STU3) are not supported');
  }

  const fixtures = arr(root.fixture).map((f, i): FixtureDeclaration => {
    const at = `TestScript.fixture[${i}]`;
    if (!isObject(f)) return fail(at, 'not an object');
    const reference = str((f.resource as Json | undefined)?.reference);
    if (!reference) return fail(`${at}.resource.reference`, 'only fixtures by reference are supported');
    return {
      id: str(f.id) ?? fail(`${at}.id`, 'missing'),
      reference,
      autocreate: f.autocreate === true,
      autodelete: f.autodelete === true,
    };
  });

  const profiles = arr(root.profile).map((p, i): ProfileDeclaration => ({
    id: str((p as Json).id) ?? fail(`TestScript.profile[${i}].id`, 'missing'),
    reference: str((p as Json).reference) ?? fail(`TestScript.profile[${i}].reference`, 'missing'),
  }));

  const variables = arr(root.variable).map((v, i): VariableDeclaration => {
    const at = `TestScript.variable[${i}]`;
    if (!isObject(v)) return fail(at, 'not an object');
    const name = str(v.name) ?? fail(`${at}.name`, 'missing');
    const sources = ['expression', 'headerField', 'path'].filter((k) => str(v[k]) !== undefined);
    if (sources.length > 1) fail(at, `variable ${name} has more than one of expression, headerField and path`);
    return compact({
      name,
      expression: str(v.expression),
      headerField: str(v.headerField),
      path: str(v.path),
      sourceId: str(v.sourceId),
      defaultValue: str(v.defaultValue),
      hint: str(v.hint),
    });
  });

  const actions = (list: unknown, section: ActionLocation['section'], group: string, at: string): Action[] =>
    arr(list).map((a, index): Action => {
      const path = `${at}.action[${index}]`;
      if (!isObject(a)) return fail(path, 'not an object');
      const location: ActionLocation = { section, group, index };
      if (isObject(a.operation)) {
        if (section === 'teardown' && a.assert !== undefined) fail(path, 'teardown has no asserts');
        return { kind: 'operation', at: location, operation: parseOperation(a.operation, `${path}.operation`, fail) };
      }
      if (isObject(a.assert)) {
        if (section === 'teardown') fail(`${path}.assert`, 'teardown has no asserts');
        return { kind: 'assert', at: location, assert: parseAssert(a.assert, `${path}.assert`, fail) };
      }
      return fail(path, 'an action needs an operation or an assert');
    });

  const setupJson = root.setup as Json | undefined;
  const teardownJson = root.teardown as Json | undefined;
  const seenTestKeys = new Set<string>();
  const tests = arr(root.test).map((t, i): TestCase => {
    const at = `TestScript.test[${i}]`;
    if (!isObject(t)) return fail(at, 'not an object');
    let key = str(t.id) ?? `test[${i}]`;
    // Test ids are unique in every published script; the index keeps keys stable if one ever repeats.
    if (seenTestKeys.has(key)) key = `${key}[${i}]`;
    seenTestKeys.add(key);
    return compact({
      key,
      name: str(t.name),
      description: str(t.description),
      actions: actions(t.action, 'test', key, at),
    }) as TestCase;
  });

  return compact({
    id,
    url: str(root.url),
    version: str(root.version),
    title: str(root.title),
    description: str(root.description),
    source,
    fixtures,
    profiles,
    variables,
    setup: setupJson ? actions(setupJson.action, 'setup', 'setup', 'TestScript.setup') : [],
    tests,
    teardown: teardownJson ? actions(teardownJson.action, 'teardown', 'teardown', 'TestScript.teardown') : [],
  }) as TestScript;
}

function parseOperation(op: Json, at: string, fail: (path: string, message: string) => never): Operation {
  const code = str((op.type as Json | undefined)?.code);
  if (!code) return fail(`${at}.type`, 'operation type missing');
  if (!SUPPORTED_OPERATIONS.includes(code as OperationType)) {
    return fail(`${at}.type`, `operation "${code}" is not supported (supported: ${SUPPORTED_OPERATIONS.join(', ')})`);
  }
  return compact({
    type: code as OperationType,
    resource: str(op.resource),
    description: str(op.description),
    accept: str(op.accept),
    contentType: str(op.contentType),
    origin: typeof op.origin === 'number' ? op.origin : undefined,
    destination: typeof op.destination === 'number' ? op.destination : undefined,
    params: str(op.params),
    url: str(op.url),
    sourceId: str(op.sourceId),
    targetId: str(op.targetId),
    requestId: str(op.requestId),
    responseId: str(op.responseId),
    encodeRequestUrl: typeof op.encodeRequestUrl === 'boolean' ? op.encodeRequestUrl : undefined,
    requestHeader: Array.isArray(op.requestHeader)
      ? op.requestHeader.map((h: Json) => ({ field: String(h.field), value: String(h.value) }))
      : undefined,
  }) as Operation;
}

function parseAssert(a: Json, at: string, fail: (path: string, message: string) => never): Assert {
  const operator = str(a.operator);
  if (operator !== undefined && !ASSERT_OPERATORS.includes(operator as AssertOperator)) {
    fail(`${at}.operator`, `unknown operator "${operator}"`);
  }
  const direction = str(a.direction);
  if (direction !== undefined && direction !== 'request' && direction !== 'response') {
    fail(`${at}.direction`, `unknown direction "${direction}"`);
  }
  const assert = compact({
    label: str(a.label),
    description: str(a.description),
    direction: direction as Assert['direction'],
    compareToSourceId: str(a.compareToSourceId),
    compareToSourceExpression: str(a.compareToSourceExpression),
    compareToSourcePath: str(a.compareToSourcePath),
    contentType: str(a.contentType),
    expression: str(a.expression),
    headerField: str(a.headerField),
    minimumId: str(a.minimumId),
    navigationLinks: typeof a.navigationLinks === 'boolean' ? a.navigationLinks : undefined,
    operator: operator as AssertOperator | undefined,
    path: str(a.path),
    requestMethod: str(a.requestMethod),
    requestURL: str(a.requestURL),
    resource: str(a.resource),
    response: str(a.response),
    responseCode: str(a.responseCode),
    sourceId: str(a.sourceId),
    validateProfileId: str(a.validateProfileId),
    value: str(a.value),
    warningOnly: a.warningOnly === true,
  }) as Assert;
  if (!assertHasCheck(assert)) fail(at, 'the assert checks nothing the runner knows');
  return assert;
}

/** True when the assert carries at least one check the runner evaluates. */
export function assertHasCheck(a: Assert): boolean {
  return (
    a.expression !== undefined ||
    a.path !== undefined ||
    a.resource !== undefined ||
    a.responseCode !== undefined ||
    a.response !== undefined ||
    a.validateProfileId !== undefined ||
    a.contentType !== undefined ||
    a.minimumId !== undefined ||
    a.headerField !== undefined ||
    a.navigationLinks !== undefined ||
    a.requestMethod !== undefined ||
    a.requestURL !== undefined
  );
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Drops undefined fields so `'x' in obj` and JSON output tell absent from present. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
