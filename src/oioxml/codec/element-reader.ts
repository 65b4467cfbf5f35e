// Strict, location-aware reading of one OIOXML element: every child must be consumed by the codec, so an unknown or
// misplaced element is reported with its XPath instead of being silently dropped. Errors are XmlError (label, XPath,
// line, what was expected). Values of personal fields are never echoed into messages (CPR numbers must not reach logs).
import { isElement, xpathStep, type XmlElement } from '../../xml/element.ts';
import { XmlError } from '../../xml/xml-error.ts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class ElementReader {
  private readonly consumed = new Set<XmlElement>();
  private knownPath: string | undefined;

  constructor(
    readonly element: XmlElement,
    /** XPath of `element`, e.g. `/Emessage/ClinicalEmail/Letter`; computed from `parent` when not given. */
    path: string | undefined,
    readonly label: string,
    /** Namespace every child must be in. */
    readonly ns: string,
    private readonly parent?: ElementReader,
  ) {
    this.knownPath = path;
  }

  static root(element: XmlElement, label: string, ns: string): ElementReader {
    return new ElementReader(element, `/${xpathStep(element)}`, label, ns);
  }

  /**
   * XPath of the element. Built on first use only: locations are needed for errors, and building every child's path
   * eagerly (a sibling scan and a string per element) was a measurable part of reading a letter.
   */
  get path(): string {
    this.knownPath ??= `${this.parent!.path}/${xpathStep(this.element, this.parent!.element)}`;
    return this.knownPath;
  }

  fail(problem: string, at: XmlElement = this.element, path: string = this.path): never {
    throw new XmlError(this.label, path, problem, at.line || undefined);
  }

  private childPath(child: XmlElement): string {
    return `${this.path}/${xpathStep(child, this.element)}`;
  }

  private child(element: XmlElement): ElementReader {
    return new ElementReader(element, undefined, this.label, this.ns, this);
  }

  /** Rejects a child called `name` in another namespace: codecs read every child in the letter's namespace. */
  private checkNamespace(child: XmlElement): void {
    if (child.ns !== this.ns) {
      this.fail(
        `element ${child.name} is in namespace '${child.ns}'; expected '${this.ns}'`,
        child,
        this.childPath(child),
      );
    }
  }

  private matching(name: string): XmlElement[] {
    const found: XmlElement[] = [];
    for (const child of this.element.children) {
      if (isElement(child) && child.name === name) {
        this.checkNamespace(child);
        found.push(child);
      }
    }
    return found;
  }

  optional(name: string): ElementReader | undefined {
    // One pass without collecting: most lookups are of 0..1 elements among a handful of siblings.
    let first: XmlElement | undefined;
    let count = 0;
    let second: XmlElement | undefined;
    for (const child of this.element.children) {
      if (!isElement(child) || child.name !== name) continue;
      this.checkNamespace(child);
      count++;
      if (first === undefined) first = child;
      else second ??= child;
    }
    if (second !== undefined) {
      this.fail(`${name} occurs ${count} times; expected at most once`, second, this.childPath(second));
    }
    if (first === undefined) return undefined;
    this.consumed.add(first);
    return this.child(first);
  }

  required(name: string): ElementReader {
    return this.optional(name) ?? this.fail(`required element ${name} is missing`);
  }

  many(name: string, max: number): ElementReader[] {
    const found = this.matching(name);
    if (found.length > max)
      this.fail(
        `${name} occurs ${found.length} times; expected at most ${max}`,
        found[max]!,
        this.childPath(found[max]!),
      );
    return found.map((child) => {
      this.consumed.add(child);
      return this.child(child);
    });
  }

  /** The element's own text; element children are an error (simple content). */
  value(): string {
    let out = '';
    for (const child of this.element.children) {
      if (isElement(child))
        this.fail(
          `unexpected element ${child.name} inside ${this.element.name}; expected text only`,
          child,
          this.childPath(child),
        );
      else out += child.text;
    }
    return out;
  }

  /** Non-empty simple text of a child element. `personal` keeps the value out of error messages. */
  text(name: string, options: { maxLength?: number; personal?: boolean } = {}): string {
    return this.required(name).nonEmpty(options);
  }

  optionalText(name: string, options: { maxLength?: number; personal?: boolean } = {}): string | undefined {
    return this.optional(name)?.nonEmpty(options);
  }

  nonEmpty(options: { maxLength?: number; personal?: boolean } = {}): string {
    const value = this.value();
    if (value.length === 0) this.fail(`${this.element.name} is empty; expected at least one character`);
    if (options.maxLength !== undefined && value.length > options.maxLength) {
      const shown = options.personal ? '' : ` '${value}'`;
      this.fail(`${this.element.name}${shown} has ${value.length} characters; expected at most ${options.maxLength}`);
    }
    return value;
  }

  code<T extends string>(name: string, allowed: readonly T[]): T {
    return this.required(name).codeValue(allowed);
  }

  optionalCode<T extends string>(name: string, allowed: readonly T[]): T | undefined {
    return this.optional(name)?.codeValue(allowed);
  }

  codeValue<T extends string>(allowed: readonly T[]): T {
    const value = this.value();
    if (!(allowed as readonly string[]).includes(value)) {
      this.fail(`${this.element.name} '${value}' is not allowed; expected one of ${allowed.join(', ')}`);
    }
    return value as T;
  }

  /** A fixed code such as VersionCode XD9134L. */
  fixed(name: string, expected: string): string {
    const reader = this.required(name);
    const value = reader.value();
    if (value !== expected) reader.fail(`${name} is '${value}'; expected '${expected}'`);
    return value;
  }

  date(name: string): string {
    const reader = this.required(name);
    const value = reader.value().trim();
    if (!DATE.test(value)) reader.fail(`${name} '${value}' is not a date; expected YYYY-MM-DD`);
    return value;
  }

  /** hh:mm, or hh:mm:ss with `seconds`. */
  time(name: string, seconds: boolean): string {
    const reader = this.required(name);
    const value = reader.value().trim();
    const pattern = seconds ? /^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/ : /^([01]\d|2[0-3]):[0-5]\d$/;
    if (!pattern.test(value))
      reader.fail(`${name} '${value}' is not a time; expected ${seconds ? 'hh:mm:ss' : 'hh:mm'}`);
    return value;
  }

  /** Rejects non-whitespace text (element-only content) and any child element the codec did not read. */
  finish(): void {
    for (const child of this.element.children) {
      if (isElement(child)) {
        if (!this.consumed.has(child)) {
          this.fail(`unexpected element ${child.name} in ${this.element.name}`, child, this.childPath(child));
        }
      } else if (/\S/.test(child.text)) {
        this.fail(`unexpected text inside ${this.element.name}; expected elements only`);
      }
    }
  }
}
