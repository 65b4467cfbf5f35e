// The TestScript engine on real scripts and the official IG examples: FHIRPath with the Touchstone shims, `${}`
// substitution, variables, operators, placeholders, paths, and a whole script replayed with an official example.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ReplayDriver } from '../../src/conformance/drivers/replay.ts';
import { FixtureSet } from '../../src/conformance/fixtures/fixture-set.ts';
import { allActions } from '../../src/conformance/results.ts';
import { evaluateAssert } from '../../src/conformance/testscript/asserts.ts';
import { executeScript } from '../../src/conformance/testscript/execute.ts';
import { FhirPathEngine } from '../../src/conformance/testscript/fhirpath.ts';
import { loadSuite, SUITES } from '../../src/conformance/testscript/load.ts';
import type { Assert, TestScript } from '../../src/conformance/testscript/model.ts';
import { evaluatePath } from '../../src/conformance/testscript/path.ts';
import { Sandbox } from '../../src/conformance/testscript/sandbox.ts';
import { TouchstonePlaceholders } from '../../src/conformance/testscript/placeholders.ts';
import { substitute } from '../../src/conformance/testscript/substitution.ts';
import {
  compare,
  compareResults,
  isTruthy,
  renderSubstitution,
  rewriteForSemantics,
} from '../../src/conformance/testscript/touchstone.ts';
import { VariableScope, type SourceLookup } from '../../src/conformance/testscript/variables.ts';
import { fixedClock, steppingClock } from '../../src/messages/clock.ts';
import { seededIds } from '../../src/messages/ids.ts';
import { Validator } from '../../src/validation/validator.ts';
import { CC, HN, officialExamples, testStore } from '../support/shared.ts';

const example = (ref: typeof HN | typeof CC, prefix: string) => officialExamples(ref, prefix)[0]!.resource;
/** HN 3.0.2 examples: a STIN, and a STOR that follows it. */
const STIN = () => example(HN, 'Bundle-a5e5b880');
const STOR = () => example(HN, 'Bundle-d3128d9b');
/** CC 5.0.2: the second message of the example thread (a reply with text and a PDF, 3 segments). */
const CC_REPLY = () => example(CC, 'Bundle-b56549f7');

const script = (suite: keyof typeof SUITES, id: string): TestScript =>
  loadSuite(testStore().cache, SUITES[suite]).find((s) => s.id === id)!;

const publishedExpression = (s: TestScript, pattern: RegExp): string => {
  const found = [...s.setup, ...s.tests.flatMap((t) => t.actions)].find(
    (a) => a.kind === 'assert' && a.assert.expression !== undefined && pattern.test(a.assert.expression),
  );
  assert.ok(found && found.kind === 'assert', `no assert matching ${pattern} in ${s.id}`);
  return found.assert.expression!;
};

describe('FHIRPath for TestScripts', () => {
  test('needs the R4 model: event.as(Coding) and the reportOfAdmission flag (choice types)', () => {
    const engine = new FhirPathEngine();
    const stin = script('hospitalnotification', 'hospitalnotification-send-stin');
    const event = publishedExpression(stin, /event\.as\(Coding\)/);
    assert.deepEqual(engine.evaluate(event, STIN()), [true]);
    const flag = publishedExpression(stin, /reportOfAdmissionExtension'\)\.value$/);
    assert.deepEqual(engine.evaluate(flag, STIN()), [true]);
  });

  test('resolve() stays inside the Bundle (HN 3.0.3 sender.reference.resolve())', () => {
    const engine = new FhirPathEngine();
    const sor = engine.evaluate(
      "Bundle.entry[0].resource.sender.reference.resolve().identifier.where(system = 'urn:oid:1.2.208.176.1.1').value",
      STIN(),
    );
    assert.deepEqual(sor, ['265161000016000']);
  });

  test('compiles each expression text once and remembers syntax errors', () => {
    const engine = new FhirPathEngine();
    const expression = 'Bundle.entry.resource.ofType(Provenance).count()';
    engine.evaluate(expression, STIN());
    engine.evaluate(expression, STOR());
    assert.equal(engine.compiledCount, 1);
    const row51 = publishedExpression(
      script('hospitalnotification', 'hospitalnotification-PF-send-tec-04'),
      /period\.end\.\(/,
    );
    assert.throws(() => engine.compile(row51), /syntax error: .* in FHIRPath/);
    assert.throws(() => engine.compile(row51), /syntax error/);
    assert.equal(engine.compiledCount, 2);
  });

  test('runtime errors become expression errors (matches() on two identifiers)', () => {
    const twoIds = example(HN, 'Bundle-n73ccf30');
    const engine = new FhirPathEngine();
    const regexAssert = publishedExpression(
      script('hospitalnotification', 'hospitalnotification-send-stin'),
      /matches\(/,
    );
    assert.throws(() => engine.evaluate(regexAssert, twoIds), /evaluation failed/);
  });
});

describe('Touchstone semantics', () => {
  test("payload.count() = '3' passes with Touchstone's string comparison, fails under the FHIRPath rules", () => {
    const engine = new FhirPathEngine();
    const published = "Bundle.entry.resource.ofType(Communication).payload.count() = '3'";
    assert.deepEqual(engine.evaluate(published, CC_REPLY()), [false]);
    const rewritten = rewriteForSemantics(published, 'touchstone');
    assert.equal(rewritten.text, 'Bundle.entry.resource.ofType(Communication).payload.count() = 3');
    assert.equal(rewritten.notes.length, 1);
    assert.deepEqual(engine.evaluate(rewritten.text, CC_REPLY()), [true]);
    assert.equal(rewriteForSemantics(published, 'fhirpath').text, published);
  });

  test('a bare numeric substitution compares as a string (PF-send-imp-05 sender SOR)', () => {
    const expression = publishedExpression(
      script('hospitalnotification', 'hospitalnotification-PF-send-imp-05'),
      /urn:oid:1\.2\.208\.176\.1\.1/,
    );
    const lookup = (name: string) => (name === 'hospitalSOR-STIN' ? '265161000016000' : undefined);
    const asTouchstone = substitute(expression, lookup, (s) => renderSubstitution(s, 'touchstone'));
    const asFhirPath = substitute(expression, lookup, (s) => renderSubstitution(s, 'fhirpath'));
    assert.equal(asTouchstone.substitutions[0]!.quoted, false);
    assert.ok(asTouchstone.text.endsWith("!= '265161000016000'"));
    assert.ok(asFhirPath.text.endsWith('!= 265161000016000'));
    // The published variable looks the sender up by fullUrl = reference; resolve() finds it, and "differs" is false.
    const engine = new FhirPathEngine();
    const resolved = asTouchstone.text.replace(
      'Bundle.entry.where(fullUrl = %resource.entry.resource[0].sender.reference).resource',
      'Bundle.entry[0].resource.sender.reference.resolve()',
    );
    assert.deepEqual(engine.evaluate(resolved, STIN()), [false]);
    assert.deepEqual(
      engine.evaluate(
        asFhirPath.text.replace(
          /Bundle\.entry\.where\([^)]*\)\.resource/,
          'Bundle.entry[0].resource.sender.reference.resolve()',
        ),
        STIN(),
      ),
      [true],
    );
  });

  test('operators: equals must hold for every item, in takes a list, no operator needs a non-false result', () => {
    const engine = new FhirPathEngine();
    const roles = engine.evaluate('Bundle.entry.resource.ofType(Provenance).entity.role', STOR());
    assert.deepEqual(roles, ['revision']);
    assert.equal(compare(['revision', 'removal'], 'equals', 'removal').pass, false);
    assert.match(
      compare(['revision', 'removal'], 'equals', 'removal').reason!,
      /expected "removal" but was "revision", "removal"/,
    );
    assert.equal(compare(['201'], 'in', '200,201').pass, true);
    assert.equal(compare(['404'], 'in', '200,201').pass, false);
    assert.equal(compare([true], 'equals', 'true').pass, true);
    assert.equal(compare([2], 'greaterThan', '1').pass, true);
    assert.equal(compare([], 'notEquals', 'x').pass, true);
    assert.equal(isTruthy([]), false);
    assert.equal(isTruthy([false]), false);
    assert.equal(isTruthy([{ contentString: 'x' }]), true);
    assert.equal(compareResults(['a'], ['a'], 'notEquals').pass, false);
    assert.equal(compareResults(['a'], [], 'notEquals').pass, true);
  });
});

describe('substitution and placeholders', () => {
  test('undefined names stay literal; $name without braces is not a reference', () => {
    const expression = publishedExpression(
      script('carecommunication', 'carecommunication-send-forward-changetopic'),
      /hospitalSOR-new-message\}'/,
    );
    const result = substitute(expression, () => undefined);
    assert.equal(result.text, expression);
    assert.deepEqual(result.unresolved, ['hospitalSOR-new-message']);
    assert.equal(
      substitute('?message.destination-uri=$destinationUri-new-message', () => 'x').text,
      '?message.destination-uri=$destinationUri-new-message',
    );
  });

  test('Touchstone placeholders are deterministic for a seed', () => {
    const make = () =>
      new TouchstonePlaceholders({ user: 'vendor-1', ids: seededIds('p'), clock: fixedClock('2025-03-10T08:00:00Z') });
    const a = make();
    const first = a.value('UUID');
    assert.notEqual(a.value('UUID'), first, '${UUID} is new at every occurrence');
    assert.equal(a.value('UUID-ST'), a.value('UUID-ST'));
    assert.match(a.value('D6')!, /^[0-9]{6}$/);
    assert.equal(a.value('D6'), make().value('D6'));
    assert.notEqual(
      a.value('D6'),
      new TouchstonePlaceholders({
        user: 'vendor-2',
        ids: seededIds('p'),
        clock: fixedClock('2025-03-10T08:00:00Z'),
      }).value('D6'),
    );
    assert.match(a.value('C8')!, /^[A-Z]{8}$/);
    assert.equal(a.value('UUID-NODASH')!.length, 32);
    assert.equal(a.value('CURRENTDATETIME'), '2025-03-10T09:00:00+01:00');
    assert.equal(a.value('CURRENTDATE, d, -1'), '2025-03-09');
    assert.equal(a.value('CURRENTDATETIME, H, 2, m, 30'), '2025-03-10T11:30:00+01:00');
    assert.equal(a.value('D21'), undefined);
    assert.equal(a.value('messageHeaderid-STIN'), undefined);
  });
});

describe('variables and paths', () => {
  const sources = (map: Record<string, unknown>): SourceLookup => ({
    source: (id) =>
      id in map ? { body: map[id], headers: { location: 'Bundle/1' }, origin: `source ${id}` } : undefined,
    lastResponse: () => undefined,
  });
  const placeholders = new TouchstonePlaceholders({
    user: 'u',
    ids: seededIds('v'),
    clock: fixedClock('2025-01-01T00:00:00Z'),
  });

  test('are evaluated lazily on their source, first value, empty when nothing is found', () => {
    const s = script('hospitalnotification', 'hospitalnotification-PF-send-imp-04');
    const current: Record<string, unknown> = {};
    const scope = new VariableScope(s.variables, sources(current), new FhirPathEngine(), placeholders);
    assert.equal(scope.lookup('messageHeaderid-STOR'), undefined, 'no STOR sent yet');
    current['create-message-STOR'] = STOR();
    assert.equal(
      scope.lookup('messageHeaderid-STOR'),
      STOR().entry && (STOR().entry as { fullUrl: string }[])[0]!.fullUrl,
    );
    assert.equal(scope.lookup('D6'), placeholders.value('D6'), 'placeholders answer for undeclared names');
    current['create-message-STOR'] = { resourceType: 'Bundle', type: 'message' };
    assert.equal(scope.lookup('episodeOfCareID-STOR'), '');
    assert.equal(scope.evaluate('episodeOfCareID-STOR').note, 'nothing found in source create-message-STOR');
  });

  test('headerField and path variables', () => {
    const scope = new VariableScope(
      [
        { name: 'where', headerField: 'Location', sourceId: 'r' },
        { name: 'first-fullUrl', path: '/fhir:Bundle/fhir:entry[1]/fhir:fullUrl/@value', sourceId: 'r' },
        { name: 'bundle-id', path: '$.id', sourceId: 'r' },
      ],
      sources({ r: STIN() }),
      new FhirPathEngine(),
      placeholders,
    );
    assert.equal(scope.lookup('where'), 'Bundle/1');
    assert.equal(scope.lookup('first-fullUrl'), (STIN().entry as { fullUrl: string }[])[0]!.fullUrl);
    assert.equal(scope.lookup('bundle-id'), STIN().id);
    assert.deepEqual(evaluatePath('$.entry[1].resource.resourceType', STIN()), [
      (STIN().entry as { resource: { resourceType: string } }[])[1]!.resource.resourceType,
    ]);
    assert.throws(() => evaluatePath('//fhir:entry[fullUrl]', STIN()), /unsupported XPath step/);
  });
});

describe('asserts and whole scripts', () => {
  test('a failing assert reports the evaluated expression, the expectation and what was found', async () => {
    const s = script('hospitalnotification', 'hospitalnotification-send-stor');
    const roleAssert: Assert = {
      expression: 'Bundle.entry.resource.ofType(Encounter).status',
      operator: 'equals',
      value: 'onleave',
      direction: 'request',
      warningOnly: false,
    };
    const scope = new VariableScope(
      s.variables,
      { source: () => undefined, lastResponse: () => undefined },
      new FhirPathEngine(),
      new TouchstonePlaceholders({ user: 'u', ids: seededIds('a'), clock: fixedClock('2025-01-01T00:00:00Z') }),
    );
    const ctx = {
      last: {
        operation: { type: 'create' as const },
        bySystemUnderTest: true,
        request: { method: 'POST' as const, url: '/Bundle', headers: {}, body: STIN() },
      },
      sources: { source: () => undefined, lastResponse: () => undefined },
      variables: scope,
      engine: new FhirPathEngine(),
      semantics: 'touchstone' as const,
      profiles: s.profiles,
      igFor: () => SUITES.hospitalnotification.ig,
    };
    const failed = await evaluateAssert(roleAssert, ctx);
    assert.equal(failed.status, 'fail');
    assert.match(failed.message!, /Encounter\)\.status: expected "onleave" but was "in-progress"/);
    const warning = await evaluateAssert({ ...roleAssert, warningOnly: true }, ctx);
    assert.equal(warning.status, 'warning');
    const passed = await evaluateAssert({ ...roleAssert, value: 'in-progress' }, ctx);
    assert.equal(passed.status, 'pass');
    // A failing check on the patient must not print the CPR number it found.
    const cpr = await evaluateAssert(
      {
        expression: 'Bundle.entry.resource.ofType(Patient).identifier.value',
        operator: 'equals',
        value: 'x',
        direction: 'request',
        warningOnly: false,
      },
      ctx,
    );
    assert.equal(cpr.status, 'fail');
    assert.match(cpr.message!, /but was "\*{10}"/);
    assert.doesNotMatch(JSON.stringify(cpr), /2509479989/);
  });

  test('send-stin replayed with the official STIN example: only the fullUrl defect (§5 #4) fails as published', async () => {
    const s = script('hospitalnotification', 'hospitalnotification-send-stin');
    const result = await executeScript(s, {
      suite: 'hospitalnotification',
      driver: new ReplayDriver(new Map([[s.id, [STIN()]]])),
      fixtures: new FixtureSet([]),
      engine: new FhirPathEngine(),
      semantics: 'touchstone',
      validator: new Validator(testStore()),
      ig: SUITES.hospitalnotification.ig,
      user: 'u',
      ids: seededIds('replay'),
      clock: steppingClock('2025-01-01T00:00:00Z'),
    });
    const failed = allActions(result).filter((a) => a.status !== 'pass');
    assert.deepEqual(
      failed.map((a) => a.summary),
      ['Bundle.entry.resource.ofType(Provenance).where(target.reference = %resource.entry[0].fullUrl).exists()'],
    );
    assert.equal(result.status, 'fail');
    const validation = allActions(result).find((a) => a.summary === 'validateProfileId hospitalnotification');
    assert.equal(validation?.status, 'pass');
  });
});

describe('the sandbox server and the less used checks', () => {
  test('stores, reads, searches by destination and deletes conditionally, as the setup sections need', () => {
    const sandbox = new Sandbox(seededIds('sandbox'));
    const stin = STIN();
    const created = sandbox.handle({ method: 'POST', url: '/Bundle', headers: {}, body: stin });
    assert.equal(created.status, 201);
    assert.notEqual((created.body as { id: string }).id, stin.id, 'the server assigns the id of a create');
    assert.equal(
      sandbox.handle({ method: 'PUT', url: `/Bundle/${stin.id as string}`, headers: {}, body: stin }).status,
      201,
    );
    assert.equal(
      sandbox.handle({ method: 'PUT', url: `/Bundle/${stin.id as string}`, headers: {}, body: stin }).status,
      200,
    );
    assert.equal(sandbox.handle({ method: 'GET', url: `/Bundle/${stin.id as string}`, headers: {} }).status, 200);
    const endpoint = (stin.entry as { resource: { destination: { endpoint: string }[] } }[])[0]!.resource
      .destination[0]!.endpoint;
    const search = sandbox.handle({ method: 'GET', url: `/Bundle?message.destination-uri=${endpoint}`, headers: {} });
    assert.equal((search.body as { total: number }).total, 2);
    assert.equal(
      (sandbox.handle({ method: 'GET', url: '/Bundle?unknown=1', headers: {} }).body as { total: number }).total,
      0,
    );
    assert.equal(
      sandbox.handle({ method: 'DELETE', url: `/Bundle?message.destination-uri=${endpoint}`, headers: {} }).status,
      204,
    );
    assert.equal(sandbox.handle({ method: 'GET', url: `/Bundle/${stin.id as string}`, headers: {} }).status, 404);
  });

  test('contentType, headerField, response, requestMethod and minimumId asserts', async () => {
    const stin = STIN();
    const s = script('hospitalnotification', 'hospitalnotification-send-stin');
    const minimum = {
      resourceType: 'Bundle',
      type: 'message',
      entry: [{ resource: { resourceType: 'MessageHeader' } }],
    };
    const sources: SourceLookup = {
      source: (id) => (id === 'minimum' ? { body: minimum, headers: {}, origin: 'fixture minimum' } : undefined),
      lastResponse: () => undefined,
    };
    const ctx = {
      last: {
        operation: { type: 'create' as const },
        bySystemUnderTest: true,
        request: {
          method: 'POST' as const,
          url: '/Bundle',
          headers: { 'content-type': 'application/fhir+json' },
          body: stin,
        },
        response: {
          status: 201,
          headers: { 'Content-Type': 'application/fhir+xml; charset=utf-8', location: 'Bundle/1' },
          body: stin,
        },
      },
      sources,
      variables: new VariableScope(
        [],
        sources,
        new FhirPathEngine(),
        new TouchstonePlaceholders({ user: 'u', ids: seededIds('c'), clock: fixedClock('2025-01-01T00:00:00Z') }),
      ),
      engine: new FhirPathEngine(),
      semantics: 'touchstone' as const,
      profiles: s.profiles,
      igFor: () => SUITES.hospitalnotification.ig,
    };
    const status = async (a: Assert) => (await evaluateAssert(a, ctx)).status;
    assert.equal(await status({ contentType: 'xml', warningOnly: false }), 'pass');
    assert.equal(await status({ contentType: 'json', warningOnly: false }), 'fail');
    assert.equal(await status({ headerField: 'Location', value: 'Bundle/1', warningOnly: false }), 'pass');
    assert.equal(await status({ response: 'created', warningOnly: false }), 'pass');
    assert.equal(await status({ response: 'okay', warningOnly: false }), 'fail');
    assert.equal(await status({ requestMethod: 'post', warningOnly: false }), 'pass');
    assert.equal(await status({ minimumId: 'minimum', direction: 'request', warningOnly: false }), 'pass');
    const lacking = await evaluateAssert(
      { minimumId: 'minimum', direction: 'request', warningOnly: false },
      {
        ...ctx,
        last: { ...ctx.last, request: { ...ctx.last.request, body: { resourceType: 'Bundle', type: 'message' } } },
      },
    );
    assert.equal(lacking.status, 'fail');
    assert.match(lacking.message!, /lacks entry/);
  });
});
