// XSD validation of OIOXML documents over libxml2-wasm, for schema SETS spread over many files (xs:include/xs:import).
//
// libxml2 resolves includes through "input callbacks"; libxml2-wasm offers a process-wide table of them with room for
// only ~9 providers. Registering one provider per schema set would exhaust it (and collide with other users of
// libxml2-wasm in the process), so this module registers ONE provider, lazily, whose buffers are filled only for the
// duration of a single synchronous schema compilation and emptied again in `finally`. That table is a property of the
// C library, not of this project; the adapter keeps it invisible to callers.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ParseOption,
  XmlBufferInputProvider,
  XmlDocument,
  XmlLibError,
  xmlRegisterInputProvider,
  XsdValidator,
  type ErrorDetail,
} from 'libxml2-wasm';

/** One schema violation (or a well-formedness error met while parsing the instance). */
export interface XsdIssue {
  /** The document label the caller gave (file name, message id …). */
  readonly label: string;
  readonly line: number;
  readonly column: number;
  /** Local name of the element the message is about, when libxml2 names one. */
  readonly element?: string;
  readonly message: string;
}

export interface XsdReport {
  readonly valid: boolean;
  readonly issues: readonly XsdIssue[];
}

export interface XsdValidateOptions {
  /** Names the document in every issue. */
  readonly label: string;
  /**
   * Encoding to assume when the document has no XML declaration (OIOXML letters often arrive as Latin-1 without one,
   * the encoding stated only by the outer envelope — oioxml.md §2.4). Without a hint, bytes that are not valid UTF-8
   * are read as ISO-8859-1.
   */
  readonly encoding?: string;
}

/** Largest document accepted for validation; OIOXML letters are a few kB, a VANS payload at most 100 MB. */
const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;

// No network, no external entities, no entity substitution, no DTD loading: the XSD is the only grammar.
const INSTANCE_PARSE_OPTIONS = ParseOption.XML_PARSE_NONET | ParseOption.XML_PARSE_NO_XXE;

class SchemaInputs {
  private provider: XmlBufferInputProvider | undefined;

  /** Runs `compile` with `files` (url → bytes) visible to libxml2's include resolution, and only then. */
  during<T>(files: ReadonlyMap<string, Uint8Array>, compile: () => T): T {
    if (!this.provider) {
      const provider = new XmlBufferInputProvider({});
      if (!xmlRegisterInputProvider(provider)) {
        throw new Error('libxml2-wasm input callback table is full; cannot register the XSD schema provider');
      }
      this.provider = provider;
    }
    const provider = this.provider;
    for (const [url, bytes] of files) provider.addBuffer(url, bytes);
    try {
      return compile();
    } finally {
      for (const url of files.keys()) provider.removeBuffer(url);
    }
  }
}

const schemaInputs = new SchemaInputs();

/**
 * A compiled XSD schema set. Compile once (≈100–200 ms for the MedCom sets), validate many times (≈0.1 ms per letter).
 * Holds wasm memory: call {@link dispose} when the set is no longer needed.
 */
export class XsdSchemaSet {
  private constructor(
    private readonly validator: XsdValidator,
    /** The entry schema, for messages. */
    readonly entry: string,
    private readonly maxBytes: number,
  ) {}

  /**
   * Compiles a schema set from in-memory files. Keys are absolute paths (or `file:` URLs); includes are resolved
   * relative to the entry's path, so the keys must mirror the folder layout the schemas refer to.
   */
  static fromFiles(
    files: ReadonlyMap<string, Uint8Array>,
    entryPath: string,
    options: { maxBytes?: number } = {},
  ): XsdSchemaSet {
    const byUrl = new Map<string, Uint8Array>();
    for (const [path, bytes] of files) byUrl.set(toFileUrl(path), bytes);
    const entryUrl = toFileUrl(entryPath);
    const entryBytes = byUrl.get(entryUrl);
    if (!entryBytes) throw new Error(`XSD entry ${entryPath} is not among the ${files.size} schema files given`);
    const validator = schemaInputs.during(byUrl, () => {
      const doc = XmlDocument.fromBuffer(entryBytes, { url: entryUrl, option: INSTANCE_PARSE_OPTIONS });
      try {
        return XsdValidator.fromDoc(doc);
      } catch (error) {
        throw new Error(`XSD ${entryPath} does not compile: ${describeLibError(error)}`, { cause: error });
      } finally {
        doc.dispose();
      }
    });
    return new XsdSchemaSet(validator, entryPath, options.maxBytes ?? DEFAULT_MAX_BYTES);
  }

  /** Reads every `.xsd` below `folder` (the configured schema location) and compiles `entry` (default EMessage.xsd). */
  static fromFolder(folder: string, entry = 'EMessage.xsd', options: { maxBytes?: number } = {}): XsdSchemaSet {
    const root = resolve(folder);
    const files = new Map<string, Uint8Array>();
    for (const path of xsdFilesBelow(root)) files.set(path, readFileSync(path));
    if (files.size === 0) throw new Error(`no .xsd files found below the configured schema folder ${root}`);
    return XsdSchemaSet.fromFiles(files, join(root, entry), options);
  }

  validate(document: Uint8Array, options: XsdValidateOptions): XsdReport {
    const { label } = options;
    if (document.byteLength > this.maxBytes) {
      return invalid({
        label,
        line: 0,
        column: 0,
        message: `document is ${document.byteLength} bytes; the limit is ${this.maxBytes}`,
      });
    }
    let doc: XmlDocument;
    try {
      const encoding = declaresEncoding(document) ? undefined : (options.encoding ?? guessEncoding(document));
      doc = XmlDocument.fromBuffer(document, {
        option: INSTANCE_PARSE_OPTIONS,
        ...(encoding ? { encoding } : {}),
      });
    } catch (error) {
      return invalid(...issuesOf(error, label, 'not well-formed XML'));
    }
    try {
      // OIOXML never carries a DTD; one here is either a mistake or an entity attack, and libxml2's validator
      // fails with an opaque internal error on unexpanded entity references.
      if (doc.dtd !== null) {
        return invalid({ label, line: 1, column: 1, message: 'a DOCTYPE/DTD is not allowed in an OIOXML document' });
      }
      this.validator.validate(doc);
      return { valid: true, issues: [] };
    } catch (error) {
      return invalid(...issuesOf(error, label, `not valid against ${this.entry}`));
    } finally {
      doc.dispose();
    }
  }

  dispose(): void {
    this.validator.dispose();
  }
}

function invalid(...issues: XsdIssue[]): XsdReport {
  return { valid: false, issues };
}

function issuesOf(error: unknown, label: string, fallback: string): XsdIssue[] {
  if (error instanceof XmlLibError && error.details.length > 0) {
    return error.details.map((detail) => issueOf(detail, label));
  }
  // Anything else is an infrastructure failure (wasm, disposed validator): surface it, don't dress it as invalidity.
  if (!(error instanceof XmlLibError)) throw error;
  return [{ label, line: 0, column: 0, message: `${fallback}: ${error.message.trim()}` }];
}

function issueOf(detail: ErrorDetail, label: string): XsdIssue {
  const message = detail.message.trim();
  // libxml2 names the element as "Element '{namespace}Local'" (or without the namespace part).
  const named = /Element '(?:\{[^}]*\})?([^']+)'/.exec(message);
  return {
    label,
    line: detail.line,
    column: detail.col,
    ...(named?.[1] ? { element: named[1] } : {}),
    message,
  };
}

function describeLibError(error: unknown): string {
  if (error instanceof XmlLibError) {
    return error.details.map((d) => `${d.file ?? ''}:${d.line}: ${d.message.trim()}`).join('; ') || error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/** True when the document starts with an XML declaration that names an encoding (then libxml2 honours it). */
function declaresEncoding(bytes: Uint8Array): boolean {
  // The declaration is ASCII by definition, so reading the first bytes as Latin-1 is exact for this purpose.
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
  const declaration = /^(?:\uFEFF|\xEF\xBB\xBF)?<\?xml[^?]*\?>/.exec(head);
  return declaration !== null && /\sencoding\s*=/.test(declaration[0]);
}

function guessEncoding(bytes: Uint8Array): string | undefined {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return undefined;
  } catch {
    return 'ISO-8859-1';
  }
}

function toFileUrl(path: string): string {
  return path.startsWith('file:') ? path : pathToFileURL(resolve(path)).href;
}

function xsdFilesBelow(folder: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(folder).sort()) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) found.push(...xsdFilesBelow(path));
    else if (name.toLowerCase().endsWith('.xsd')) found.push(path);
  }
  return found;
}
