/**
 * Evaluates one TestScript assert against the last exchange (or a named source). Every check the assert carries is
 * run; the first failing one decides the message. Failures say what was evaluated (the FHIRPath after `${}`
 * substitution), what was expected and what was found, so a report line is enough to start debugging.
 */
import type { PackageRef } from '../../fhir/packages/package-ref.ts';
import { STATUS_NAMES, mimeType, type Exchange, type Source } from './exchange.ts';
import { ExpressionError, type FhirPathEngine } from './fhirpath.ts';
import type { Assert, AssertOperator, ProfileDeclaration } from './model.ts';
import { PathError, evaluatePath } from './path.ts';
import type { ProfileValidator } from './profile-validator.ts';
import { substitute } from './substitution.ts';
import {
  compare,
  compareResults,
  isTruthy,
  renderSubstitution,
  rewriteForSemantics,
  type Semantics,
  type Verdict,
} from './touchstone.ts';
import { findHeader, type SourceLookup, type VariableScope } from './variables.ts';
import { maskCprNumbers } from '../../fhir/cpr-mask.ts';

export type AssertStatus = 'pass' | 'fail' | 'warning' | 'error';

export interface AssertOutcome {
  readonly status: AssertStatus;
  readonly message?: string;
  /** Expressions as evaluated (after substitution and rewrites). */
  readonly evaluated: readonly string[];
  /** Touchstone-compatibility rewrites and variable notes that influenced the result. */
  readonly notes: readonly string[];
}

export interface AssertContext {
  readonly last?: Exchange;
  readonly sources: SourceLookup;
  readonly variables: VariableScope;
  readonly engine: FhirPathEngine;
  readonly semantics: Semantics;
  readonly profiles: readonly ProfileDeclaration[];
  readonly validator?: ProfileValidator;
  /** The IG closure `validateProfileId` resolves a profile reference in. */
  readonly igFor: (profile: string) => PackageRef;
}

interface Subject {
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string>>;
  readonly status?: number;
  readonly label: string;
}

class CheckFailed extends Error {}
class CheckError extends Error {}

// CPR numbers are masked in everything an outcome reports: results end up in consoles, CI logs and archived reports,
// and a failing assert may print the value it found.
export async function evaluateAssert(assert: Assert, ctx: AssertContext): Promise<AssertOutcome> {
  const outcome = await judgeAssert(assert, ctx);
  return {
    status: outcome.status,
    ...(outcome.message !== undefined ? { message: maskCprNumbers(outcome.message) } : {}),
    evaluated: outcome.evaluated.map(maskCprNumbers),
    notes: outcome.notes.map(maskCprNumbers),
  };
}

async function judgeAssert(assert: Assert, ctx: AssertContext): Promise<AssertOutcome> {
  const evaluated: string[] = [];
  const notes: string[] = [];
  const text = (value: string) => {
    const result = substitute(
      value,
      (name) => ctx.variables.lookup(name),
      (s) => renderSubstitution(s, ctx.semantics),
    );
    for (const s of result.substitutions) {
      if (!s.quoted && renderSubstitution(s, ctx.semantics) !== s.value) {
        notes.push(`bare \${${s.name}} = ${s.value} compared as a string (Touchstone compares string forms)`);
      }
    }
    for (const name of result.unresolved) {
      const why = ctx.variables.has(name) ? ctx.variables.evaluate(name).note : 'not declared';
      notes.push(`\${${name}} left as written: ${why}`);
    }
    return result.text;
  };
  try {
    const subject = subjectOf(assert, ctx);
    await runChecks(assert, subject, ctx, text, evaluated, notes);
    return { status: 'pass', evaluated, notes };
  } catch (error) {
    if (error instanceof CheckFailed) {
      return { status: assert.warningOnly ? 'warning' : 'fail', message: error.message, evaluated, notes };
    }
    const message =
      error instanceof CheckError || error instanceof ExpressionError || error instanceof PathError
        ? error.message
        : `unexpected: ${error instanceof Error ? error.message : String(error)}`;
    return { status: assert.warningOnly ? 'warning' : 'error', message, evaluated, notes };
  }
}

function subjectOf(assert: Assert, ctx: AssertContext): Subject {
  if (assert.sourceId !== undefined) {
    const source = ctx.sources.source(assert.sourceId);
    if (!source) throw new CheckError(`source ${assert.sourceId} does not exist`);
    return fromSource(source);
  }
  const last = ctx.last;
  if (!last) throw new CheckError('no operation has run before this assert');
  if ((assert.direction ?? 'response') === 'request') {
    return { body: last.request.body, headers: last.request.headers, label: `request of ${describe(last)}` };
  }
  if (!last.response) throw new CheckError(`${describe(last)} has no response: ${last.error ?? 'not performed'}`);
  return {
    body: last.response.body,
    headers: last.response.headers,
    status: last.response.status,
    label: `response of ${describe(last)}`,
  };
}

function fromSource(source: Source): Subject {
  return { body: source.body, headers: source.headers, label: source.origin };
}

function describe(exchange: Exchange): string {
  return `${exchange.request.method} ${exchange.request.url}`;
}

async function runChecks(
  a: Assert,
  subject: Subject,
  ctx: AssertContext,
  text: (value: string) => string,
  evaluated: string[],
  notes: string[],
): Promise<void> {
  const operator: AssertOperator | undefined = a.operator;
  const value = a.value === undefined ? undefined : text(a.value);
  const judge = (verdict: Verdict, what: string) => {
    if (!verdict.pass) throw new CheckFailed(`${what}: ${verdict.reason ?? 'failed'}`);
  };

  if (a.responseCode !== undefined) {
    if (subject.status === undefined) throw new CheckError(`${subject.label} has no status code`);
    judge(compare([String(subject.status)], operator ?? 'equals', text(a.responseCode)), 'response code');
  }
  if (a.response !== undefined) {
    const code = STATUS_NAMES[a.response];
    if (code === undefined) throw new CheckError(`unknown response name ${a.response}`);
    if (subject.status === undefined) throw new CheckError(`${subject.label} has no status code`);
    judge(compare([String(subject.status)], operator ?? 'equals', String(code)), `response ${a.response}`);
  }
  if (a.contentType !== undefined) {
    const header = findHeader(subject.headers, 'content-type') ?? '';
    judge(compare([header.split(';')[0]!.trim()], operator ?? 'equals', mimeType(a.contentType)), 'content type');
  }
  if (a.headerField !== undefined) {
    const header = findHeader(subject.headers, a.headerField);
    judge(
      compare(header === undefined ? [] : [header], operator ?? (value === undefined ? 'notEmpty' : 'equals'), value),
      `header ${a.headerField}`,
    );
  }
  if (a.resource !== undefined) {
    const type = (subject.body as { resourceType?: unknown } | undefined)?.resourceType;
    judge(
      compare(type === undefined ? [] : [type], operator ?? 'equals', a.resource),
      `resource type of ${subject.label}`,
    );
  }
  if (a.requestMethod !== undefined) {
    if (!ctx.last) throw new CheckError('no request to check');
    judge(
      compare([ctx.last.request.method.toLowerCase()], operator ?? 'equals', a.requestMethod.toLowerCase()),
      'request method',
    );
  }
  if (a.requestURL !== undefined) {
    if (!ctx.last) throw new CheckError('no request to check');
    judge(compare([ctx.last.request.url], operator ?? 'equals', text(a.requestURL)), 'request URL');
  }
  if (a.navigationLinks !== undefined) {
    const links = (subject.body as { link?: unknown[] } | undefined)?.link ?? [];
    const present = Array.isArray(links) && links.length > 0;
    if (present !== a.navigationLinks) {
      throw new CheckFailed(`navigation links: expected ${a.navigationLinks ? 'present' : 'absent'}`);
    }
  }
  if (a.minimumId !== undefined) {
    const minimum = ctx.sources.source(a.minimumId);
    if (!minimum) throw new CheckError(`minimum fixture ${a.minimumId} does not exist`);
    const missing = firstMissing(minimum.body, subject.body, '');
    if (missing !== undefined) throw new CheckFailed(`minimumId ${a.minimumId}: ${subject.label} lacks ${missing}`);
  }
  if (a.expression !== undefined || a.path !== undefined) {
    const results = evaluateSelector(a.expression, a.path, subject.body, ctx, text, evaluated, notes);
    if (a.compareToSourceId !== undefined) {
      const source = ctx.sources.source(a.compareToSourceId);
      if (!source) throw new CheckError(`compareToSourceId ${a.compareToSourceId} does not exist`);
      const sourceResults = evaluateSelector(
        a.compareToSourceExpression,
        a.compareToSourcePath,
        source.body,
        ctx,
        text,
        evaluated,
        notes,
      );
      judge(
        compareResults(results, sourceResults, operator ?? 'equals'),
        `${evaluated[0]} compared to ${source.origin}`,
      );
    } else if (operator !== undefined || value !== undefined) {
      judge(compare(results, operator ?? 'equals', value), evaluated[0]!);
    } else if (!isTruthy(results)) {
      throw new CheckFailed(
        `${evaluated[0]}: expected true but was ${results.length === 0 ? 'empty' : JSON.stringify(results)}`,
      );
    }
  }
  if (a.validateProfileId !== undefined) {
    const declared = ctx.profiles.find((p) => p.id === a.validateProfileId);
    if (!declared) throw new CheckError(`profile id ${a.validateProfileId} is not declared in TestScript.profile`);
    if (!ctx.validator) throw new CheckError('no validator configured for validateProfileId');
    const verdict = await ctx.validator.validate(subject.body, declared.reference, ctx.igFor(declared.reference));
    if (!verdict.valid) {
      const errors = verdict.issues.filter((i) => i.severity === 'error' || i.severity === 'fatal');
      const first = errors.slice(0, 3).map((i) => {
        const where = Array.isArray(i.expression) ? i.expression.join(', ') : i.expression;
        return where ? `${where}: ${i.message}` : i.message;
      });
      throw new CheckFailed(
        `${subject.label} does not conform to ${declared.reference}: ${errors.length} error(s)${first.length ? `; ${first.join('; ')}` : ''}`,
      );
    }
  }
}

function evaluateSelector(
  expression: string | undefined,
  path: string | undefined,
  body: unknown,
  ctx: AssertContext,
  text: (value: string) => string,
  evaluated: string[],
  notes: string[],
): unknown[] {
  if (expression !== undefined) {
    const rewritten = rewriteForSemantics(text(expression), ctx.semantics);
    notes.push(...rewritten.notes);
    evaluated.push(rewritten.text);
    return ctx.engine.evaluate(rewritten.text, body);
  }
  if (path !== undefined) {
    const p = text(path);
    evaluated.push(p);
    return evaluatePath(p, body);
  }
  throw new CheckError('compareToSourceId needs compareToSourceExpression or compareToSourcePath');
}

/** The first element of `minimum` that `actual` lacks (TestScript `minimumId` semantics), as a dotted path. */
function firstMissing(minimum: unknown, actual: unknown, at: string): string | undefined {
  if (minimum === null || typeof minimum !== 'object') {
    return minimum === actual ? undefined : `${at || 'value'} = ${JSON.stringify(minimum)}`;
  }
  if (Array.isArray(minimum)) {
    if (!Array.isArray(actual)) return at || 'array';
    for (const [i, item] of minimum.entries()) {
      if (!actual.some((candidate) => firstMissing(item, candidate, '') === undefined)) return `${at}[${i}]`;
    }
    return undefined;
  }
  if (actual === null || typeof actual !== 'object') return at || 'object';
  for (const [key, value] of Object.entries(minimum)) {
    const missing = firstMissing(value, (actual as Record<string, unknown>)[key], at ? `${at}.${key}` : key);
    if (missing !== undefined) return missing;
  }
  return undefined;
}
