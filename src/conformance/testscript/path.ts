/**
 * `path` in TestScript variables and asserts is XPath (XML fixtures) or JSONPath (JSON). The runner holds every body
 * as FHIR JSON, so both are read as navigation over the JSON model: the subset that addresses elements
 * (`/fhir:Bundle/fhir:entry[1]/fhir:fullUrl/@value`, `$.entry[0].fullUrl`). Predicates, axes and functions are
 * refused with an error rather than guessed.
 */

export class PathError extends Error {
  constructor(path: string, message: string) {
    super(`${message} in path ${JSON.stringify(path)}`);
    this.name = 'PathError';
  }
}

type Step = { readonly name: string; readonly index?: number };

export function evaluatePath(path: string, body: unknown): unknown[] {
  const steps = path.trim().startsWith('$') ? jsonPathSteps(path) : xpathSteps(path);
  let current: unknown[] = [body];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const node of current) {
      if (node === null || typeof node !== 'object') continue;
      const value = (node as Record<string, unknown>)[step.name];
      if (value === undefined) continue;
      const items = Array.isArray(value) ? value : [value];
      if (step.index === undefined) next.push(...items);
      else if (items[step.index] !== undefined) next.push(items[step.index]);
    }
    current = next;
  }
  return current;
}

function jsonPathSteps(path: string): Step[] {
  const steps: Step[] = [];
  const re = /\.([A-Za-z_][\w-]*)|\[(\d+)\]|\['([^']+)'\]/gy;
  let rest = path.trim().slice(1);
  re.lastIndex = 0;
  let consumed = 0;
  for (let m = re.exec(rest); m; m = re.exec(rest)) {
    consumed = re.lastIndex;
    if (m[1] !== undefined || m[3] !== undefined) steps.push({ name: (m[1] ?? m[3])! });
    else {
      const last = steps.pop();
      if (!last) throw new PathError(path, 'an index needs an element before it');
      steps.push({ name: last.name, index: Number(m[2]) });
    }
  }
  rest = rest.slice(consumed);
  if (rest.length > 0) throw new PathError(path, `unsupported JSONPath syntax at ${JSON.stringify(rest)}`);
  return steps;
}

function xpathSteps(path: string): Step[] {
  const parts = path
    .trim()
    .split('/')
    .filter((p) => p.length > 0);
  if (parts.length === 0) throw new PathError(path, 'empty XPath');
  const steps: Step[] = [];
  parts.forEach((part, i) => {
    if (part === '@value') {
      if (i !== parts.length - 1) throw new PathError(path, '@value must be the last step');
      return;
    }
    const m = /^(?:[A-Za-z]+:)?([A-Za-z][\w]*)(?:\[(\d+)\])?$/.exec(part);
    if (!m) throw new PathError(path, `unsupported XPath step ${JSON.stringify(part)}`);
    // The first step names the resource type, which is the JSON root itself.
    if (i === 0 && /^[A-Z]/.test(m[1]!)) return;
    steps.push(m[2] === undefined ? { name: m[1]! } : { name: m[1]!, index: Number(m[2]) - 1 });
  });
  return steps;
}
