/**
 * Applies an errata overlay to one TestScript for one mode. As published, the script is returned unchanged and the
 * errata only mark the actions they explain; as intended, replacements, withdrawals, inserted intent actions and
 * variable changes are applied. The published TestScript object is never mutated.
 */
import type { Mode, ErratumRef } from '../results.ts';
import {
  actionKey,
  type Action,
  type ActionLocation,
  type TestScript,
  type VariableDeclaration,
} from '../testscript/model.ts';
import { parseTestScript } from '../testscript/parse.ts';
import type { ActionSelector, Erratum, ErrataOverlay } from './model.ts';

export interface PreparedScript {
  readonly script: TestScript;
  /** Errata per action key (keys of the published actions; inserted actions use `…/group/+n`). */
  readonly refs: ReadonlyMap<string, readonly ErratumRef[]>;
  /** Actions withdrawn as intended: still reported (status `skipped`) with their erratum. */
  readonly withdrawn: ReadonlyMap<string, Action>;
}

export function prepareScript(script: TestScript, overlay: ErrataOverlay | undefined, mode: Mode): PreparedScript {
  const refs = new Map<string, ErratumRef[]>();
  const withdrawn = new Map<string, Action>();
  const note = (key: string, ref: ErratumRef) => {
    const list = refs.get(key) ?? [];
    list.push(ref);
    refs.set(key, list);
  };
  const errata = overlay?.errata.filter((e) => scriptMatches(e.select, script.id)) ?? [];
  if (mode === 'as-published') {
    for (const erratum of errata) {
      if (!explainsPublished(erratum)) continue;
      for (const action of allActions(script)) {
        if (actionMatches(erratum.select, script.id, action)) {
          note(actionKey(script.id, action.at), { id: erratum.id, title: erratum.title, effect: 'annotated' });
        }
      }
    }
    return { script, refs, withdrawn };
  }

  const rewrite = (actions: readonly Action[], group: string): Action[] => {
    const out: Action[] = [];
    let inserted = 0;
    for (const action of actions) {
      const key = actionKey(script.id, action.at);
      let current: Action = action;
      const after: Action[] = [];
      for (const erratum of errata) {
        if (!actionMatches(erratum.select, script.id, action)) continue;
        const change = erratum.change;
        const ref = (effect: ErratumRef['effect']): ErratumRef => ({ id: erratum.id, title: erratum.title, effect });
        switch (change.kind) {
          case 'replace-assert':
            if (current.kind === 'assert') {
              current = { ...current, assert: reparseAssert({ ...current.assert, ...change.with }, erratum, script) };
              note(key, ref('replaced'));
            }
            break;
          case 'rewrite-expression':
            if (current.kind === 'assert' && current.assert.expression !== undefined) {
              const pattern = new RegExp(change.pattern);
              if (!pattern.test(current.assert.expression)) {
                throw new Error(
                  `erratum ${erratum.id}: pattern does not match ${JSON.stringify(current.assert.expression)} in ${key}`,
                );
              }
              const expression = current.assert.expression.replace(pattern, change.replacement);
              current = { ...current, assert: reparseAssert({ ...current.assert, expression }, erratum, script) };
              note(key, ref('replaced'));
            }
            break;
          case 'replace-operation':
            if (current.kind === 'operation') {
              current = {
                ...current,
                operation: reparseOperation({ ...current.operation, ...change.with }, erratum, script),
              };
              note(key, ref('replaced'));
            }
            break;
          case 'withdraw':
            // Kept in place so keys stay stable; the executor reports it as skipped with this erratum.
            withdrawn.set(key, current);
            note(key, ref('withdrawn'));
            break;
          case 'annotate':
            note(key, ref('annotated'));
            break;
          case 'insert-after':
            for (const json of change.actions) {
              inserted += 1;
              const at: ActionLocation = { section: action.at.section, group, index: -inserted };
              const parsed = parseInserted(json, erratum, script, at);
              after.push(parsed);
              note(actionKey(script.id, at), ref('inserted'));
            }
            break;
          case 'declare':
          case 'rewrite-variables':
            break;
        }
      }
      out.push(current, ...after);
    }
    return out;
  };

  const variables = new Map<string, VariableDeclaration>(script.variables.map((v) => [v.name, v]));
  const profiles = new Map(script.profiles.map((p) => [p.id, p]));
  for (const erratum of errata) {
    const change = erratum.change;
    if (change.kind === 'declare') {
      for (const declared of reparseVariables(change.variables ?? [], erratum, script))
        variables.set(declared.name, declared);
      for (const profile of change.profiles ?? []) profiles.set(profile.id, profile);
    } else if (change.kind === 'rewrite-variables') {
      const names = new RegExp(change.names);
      for (const [name, declared] of variables) {
        if (!names.test(name)) continue;
        const [rewritten] = reparseVariables([{ ...declared, ...change.with }], erratum, script);
        if (rewritten) variables.set(name, rewritten);
      }
    }
  }

  const prepared: TestScript = {
    ...script,
    variables: [...variables.values()],
    profiles: [...profiles.values()],
    setup: rewrite(script.setup, 'setup'),
    tests: script.tests.map((t) => ({ ...t, actions: rewrite(t.actions, t.key) })),
    teardown: rewrite(script.teardown, 'teardown'),
  };
  return { script: prepared, refs, withdrawn };
}

/** Errata that correct or annotate a published assert, and so explain its failure as published. */
export function explainsPublished(erratum: Erratum): boolean {
  const kind = erratum.change.kind;
  return kind === 'replace-assert' || kind === 'rewrite-expression' || kind === 'withdraw' || kind === 'annotate';
}

/** Whether an erratum is about actions (as opposed to declarations). */
export function touchesActions(erratum: Erratum): boolean {
  return erratum.change.kind !== 'declare' && erratum.change.kind !== 'rewrite-variables';
}

export function allActions(script: TestScript): Action[] {
  return [...script.setup, ...script.tests.flatMap((t) => t.actions), ...script.teardown];
}

export function scriptMatches(select: ActionSelector, scriptId: string): boolean {
  return !select.scripts || select.scripts.some((p) => glob(p, scriptId));
}

export function actionMatches(select: ActionSelector, scriptId: string, action: Action): boolean {
  if (!scriptMatches(select, scriptId)) return false;
  if (select.tests && !select.tests.some((p) => glob(p, action.at.group))) return false;
  if (select.index !== undefined && select.index !== action.at.index) return false;
  if (select.kind && select.kind !== action.kind) return false;
  if (action.kind === 'assert') {
    const a = action.assert;
    if (select.operationType !== undefined || select.bySystemUnderTest !== undefined) return false;
    if (select.expression !== undefined && a.expression !== select.expression) return false;
    if (
      select.expressionPattern !== undefined &&
      !(a.expression && new RegExp(select.expressionPattern).test(a.expression))
    ) {
      return false;
    }
    if (select.operator !== undefined && a.operator !== select.operator) return false;
    if (select.value !== undefined && a.value !== select.value) return false;
    if (select.validateProfileId !== undefined && a.validateProfileId !== select.validateProfileId) return false;
    return true;
  }
  const op = action.operation;
  if (
    select.expression !== undefined ||
    select.expressionPattern !== undefined ||
    select.validateProfileId !== undefined
  ) {
    return false;
  }
  if (select.operator !== undefined || select.value !== undefined) return false;
  if (select.operationType !== undefined && op.type !== select.operationType) return false;
  if (select.bySystemUnderTest !== undefined && (op.origin !== undefined) !== select.bySystemUnderTest) return false;
  return true;
}

function glob(pattern: string, text: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`);
  return re.test(text);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// Corrected actions go through the same parser as published ones, so an erratum cannot smuggle in a construct the
// runner would not accept from MedCom.
function miniScript(
  erratum: Erratum,
  script: TestScript,
  action: Record<string, unknown>,
  variables: readonly unknown[] = [],
) {
  return parseTestScript(
    { resourceType: 'TestScript', id: script.id, variable: variables, test: [{ id: 'erratum', action: [action] }] },
    { file: `erratum ${erratum.id} for ${script.id}` },
  );
}

function reparseAssert(fields: Record<string, unknown>, erratum: Erratum, script: TestScript) {
  const parsed = miniScript(erratum, script, { assert: fields }).tests[0]!.actions[0]!;
  if (parsed.kind !== 'assert') throw new Error(`erratum ${erratum.id}: replacement is not an assert`);
  return parsed.assert;
}

function reparseOperation(fields: Record<string, unknown>, erratum: Erratum, script: TestScript) {
  const type = typeof fields.type === 'string' ? { code: fields.type } : fields.type;
  const parsed = miniScript(erratum, script, { operation: { ...fields, type } }).tests[0]!.actions[0]!;
  if (parsed.kind !== 'operation') throw new Error(`erratum ${erratum.id}: replacement is not an operation`);
  return parsed.operation;
}

function parseInserted(
  json: Record<string, unknown>,
  erratum: Erratum,
  script: TestScript,
  at: ActionLocation,
): Action {
  const parsed = miniScript(erratum, script, json as Record<string, unknown>).tests[0]!.actions[0]!;
  return { ...parsed, at } as Action;
}

function reparseVariables(json: readonly unknown[], erratum: Erratum, script: TestScript): VariableDeclaration[] {
  return [...miniScript(erratum, script, { assert: { resource: 'Bundle' } }, json).variables];
}
