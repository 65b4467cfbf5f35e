// `medcom-hub convert --to fhir|oioxml [--out FILE] [--loss-report FILE] [--sor FILE]... [--config FILE] INPUT`
//
// OIOXML letters (XDIS91, XDIS20, XDIS17, XCTL02/03) to MedCom FHIR messages and back, bare or inside a VANSEnvelope
// or an ehmiSBDH. Every OIOXML input and output is checked against the MedCom XSDs, every FHIR input and output
// against the IG profiles: an invalid result is never written. The conversions themselves live in src/oioxml; this
// command reads, checks, picks the conversion, keeps the history later conversions need, and writes. Several
// letters in one Emessage (or one receipt covering several) give several FHIR messages, written as a JSON array.
//
// Exit codes: 0 converted (or, for an `ok` Acknowledgement of a letter that asked for no receipt, nothing to send);
// 1 the input is invalid or cannot be represented in the target format (nothing written); 2 usage error (unknown
// --to, unreadable file, bad config, missing XSD folder).
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { CsvError } from '../directory/csv.ts';
import { SorCsvError, importSorCsv } from '../directory/sor-csv.ts';
import { SorDirectory } from '../directory/sor-directory.ts';
import type { SorUnit } from '../directory/sor-unit.ts';
import { importSorXml } from '../directory/sor-xml.ts';
import { formatWarning } from '../envelopes/envelope-error.ts';
import { firstSignificantByte } from '../envelopes/payload.ts';
import { parseFhir } from '../fhir/format.ts';
import { FhirJsonError } from '../fhir/json-error.ts';
import { defaultCacheRoot } from '../fhir/packages/cache.ts';
import type { PackageStore } from '../fhir/packages/context.ts';
import type { MessageBundle } from '../messages/fhir-types.ts';
import type { ConversionContext } from '../oioxml/convert/context.ts';
import type { LossEntry, NotRepresentable } from '../oioxml/convert/loss.ts';
import { readEmessage, writeEmessage, type Emessage } from '../oioxml/emessage.ts';
import type { IdMap } from '../oioxml/id-map/id-map.ts';
import { memoryIdMap } from '../oioxml/id-map/memory.ts';
import { openSqliteIdMap } from '../oioxml/id-map/sqlite.ts';
import { OioxmlSchemas } from '../oioxml/schemas.ts';
import type { XsdReport } from '../oioxml/xsd.ts';
import { Validator } from '../validation/validator.ts';
import { XmlError } from '../xml/xml-error.ts';
import { ConfigError, DEFAULT_CONVERTER_CONFIG, parseConverterConfig, type ConverterConfig } from './convert/config.ts';
import { memoryHistory, openSqliteHistory, type ConversionHistory } from './convert/history.ts';
import { classifyInput, InputError, type ConvertInput } from './convert/input.ts';
import { lossReport, summaryLine, type ConversionResult, type LossReportDocument } from './convert/loss-report.ts';
import { missingSchemaFolders, oioxmlSchemaConfig } from './convert/oioxml-schemas.ts';
import { emessageToFhir } from './convert/to-fhir.ts';
import { fhirToOioxml } from './convert/to-oioxml.ts';
import { defaultXsdDir, XSD_DIR_ENV } from './medcom-data.ts';
import { EXIT_INVALID, EXIT_USAGE } from './exit-codes.ts';
import { maskCprNumbers } from '../fhir/cpr-mask.ts';
import type { CliIo } from './io.ts';
import { baseContext, openStore } from './message-file.ts';

const CONFIG_HELP = `
Configuration (--config FILE, JSON; every key optional, unknown keys are an error; relative paths are relative to
the config file):
  careCommunication.category    Communication.category for XDIS91 letters, which have none (default "other")
  careCommunication.topic       topic when the category needs one and the letter has no Subject
                                (default "Korrespondancebrev (XDIS91)")
  careCommunication.author      author of the letter text: {"name": {"family": "…", "given": ["…"]},
                                "role": {"text": "…"} or {"code": "…", "system": "…", "display": "…"}}
                                (default family "Ukendt", role text "Afsender af OIOXML-korrespondance"); text
                                by this author goes back to XDIS91 without a generated signature line
  careCommunication.phone       author contact when the Sender has no phone number (default "00000000")
  careCommunication.emptyText   text for a letter without ClinicalInformation (default "(brevet har ingen tekst)")
  patientFamilyName             Patient.name.family for XDIS20/17, which carry only the CPR number (default "Ukendt")
  parties                       party table, one entry per OIOXML EAN: {"ean": "…", "gln": "…", "sor": "…",
                                "identifier": "…", "identifierCode": "…", "name": "…"}
                                  ean             EANIdentifier as written in letters (required)
                                  gln             GLN for FHIR (required when ean is not a valid GLN)
                                  sor             SOR code for FHIR (required)
                                  identifier, identifierCode
                                                  Identifier/IdentifierCode to write in OIOXML (default sorkode + SOR)
                                  name            organisation name when a letter has none
  idMapDatabase                 SQLite file for the OIOXML ⇄ FHIR id map and the conversion history (default: in
                                memory, for this run only). With a file, a discharge (XDIS17) finds its admission,
                                a receipt finds the message its letter came from, and ids stay stable across runs.
                                The file holds messages, CPR numbers included: protect it like a message store.
  xsdDir                        MedCom data folder with oioxml/xsd/… (like --xsd-dir, which wins over it)

Party resolution (OIOXML → FHIR): a party table entry for the EAN, else IdentifierCode "sorkode", else the SOR
directory (--sor FILE, SOR XML export or CSV; repeatable) by GLN; without a SOR code a letter is not representable.
`;

interface ConvertOptions {
  to: 'fhir' | 'oioxml';
  out?: string;
  lossReport?: string;
  sor: string[];
  config?: string;
  xsdDir?: string;
  cache: string;
}

/** `stdout` receives raw bytes: an OIOXML letter on standard output stays ISO-8859-1. */
export function registerConvert(
  program: Command,
  io: CliIo,
  stdout: (bytes: Uint8Array) => void = (bytes) => process.stdout.write(bytes),
): void {
  program
    .command('convert')
    .description(
      'convert OIOXML letters (XDIS91, XDIS20, XDIS17, XCTL02/03) to MedCom FHIR messages and back; the input may ' +
        'be enveloped (VANSEnvelope, ehmiSBDH)',
    )
    .addOption(new Option('--to <format>', 'target format').choices(['fhir', 'oioxml']).makeOptionMandatory())
    .option('--out <file>', 'write the result here (default: standard output)')
    .option('--loss-report <file>', 'write the loss report (JSON): fields not carried, defaults used, changes')
    .option('--sor <file>', 'SOR XML export or SOR CSV for resolving SOR codes and GLNs (repeatable)', collect, [])
    .option('--config <file>', 'converter configuration (JSON; keys below)')
    .addOption(
      new Option(
        '--xsd-dir <dir>',
        `MedCom data folder with oioxml/xsd/… (env ${XSD_DIR_ENV}; default ../shared/medcom)`,
      ),
    )
    .option('--cache <dir>', 'FHIR package cache folder', defaultCacheRoot())
    .argument('<input>', 'the message to convert (OIOXML, FHIR JSON/XML, or an envelope around one)')
    .addHelpText('after', CONFIG_HELP)
    .action((input: string, options: ConvertOptions) => {
      const run = new ConvertRun(input, options, io, stdout);
      try {
        run.execute();
      } finally {
        run.close();
      }
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function reasonOf(problem: NotRepresentable): LossReportDocument['reason'] {
  return { source: problem.source, text: problem.reason };
}

class ConvertRun {
  private idMap: IdMap | undefined;
  private history: ConversionHistory | undefined;
  private schemas: OioxmlSchemas | undefined;
  private validator: Validator | undefined;
  private readonly store: PackageStore;

  constructor(
    private readonly input: string,
    private readonly options: ConvertOptions,
    private readonly io: CliIo,
    private readonly stdout: (bytes: Uint8Array) => void,
  ) {
    this.store = openStore(options.cache);
  }

  execute(): void {
    const bytes = this.read(this.input, 'input');
    if (!bytes) return;
    const config = this.config();
    if (!config) return;
    const directory = this.directory();
    if (directory === null) return;
    if (!this.openSchemas(config) || !this.openState(config)) return;
    const context: ConversionContext = {
      idMap: this.idMap!,
      parties: { entries: config.parties, ...(directory ? { directory } : {}) },
      defaults: config.defaults,
    };

    let input: ConvertInput;
    try {
      input = classifyInput(bytes, this.input);
    } catch (error) {
      if (error instanceof InputError) return this.invalid(error.message);
      throw error;
    }
    if (input.envelope) {
      const e = input.envelope;
      this.io.err(`note: ${e.kind} envelope ${e.id} from ${e.senderGln} to ${e.receiverGln} unwrapped`);
      for (const warning of e.warnings) this.io.err(`warning: ${formatWarning(this.input, warning)}`);
    }
    if (this.options.to === 'fhir') {
      if (input.kind !== 'oioxml') {
        return this.invalid(`${this.input}: is a FHIR message already; --to fhir converts OIOXML letters`);
      }
      this.toFhir(input, context);
    } else {
      if (input.kind !== 'fhir') {
        return this.invalid(`${this.input}: is an OIOXML letter; --to oioxml converts FHIR messages`);
      }
      this.toOioxml(input, context);
    }
  }

  close(): void {
    this.schemas?.dispose();
    this.history?.close();
    this.idMap?.close();
  }

  // --- set-up ---------------------------------------------------------------------------------------------------------

  private read(file: string, what: string): Uint8Array | undefined {
    try {
      return new Uint8Array(readFileSync(file));
    } catch (error) {
      this.usage(`cannot read ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      return undefined;
    }
  }

  private config(): ConverterConfig | undefined {
    if (!this.options.config) return DEFAULT_CONVERTER_CONFIG;
    const bytes = this.read(this.options.config, 'config');
    if (!bytes) return undefined;
    try {
      return parseConverterConfig(new TextDecoder('utf-8').decode(bytes), this.options.config);
    } catch (error) {
      if (error instanceof ConfigError) {
        this.usage(`bad config: ${error.message}`);
        return undefined;
      }
      throw error;
    }
  }

  /** The SOR directory from --sor files; undefined when none were given, null after an error. */
  private directory(): SorDirectory | undefined | null {
    if (this.options.sor.length === 0) return undefined;
    const units: SorUnit[] = [];
    for (const file of this.options.sor) {
      const bytes = this.read(file, 'SOR file');
      if (!bytes) return null;
      try {
        const imported = firstSignificantByte(bytes) === 0x3c ? importSorXml(bytes, file) : importSorCsv(bytes, file);
        units.push(...imported.units);
        if (imported.warnings.length) {
          const first = imported.warnings[0]!;
          this.io.err(
            `note: ${file}: ${imported.units.length} SOR units, ${imported.warnings.length} import warning(s), first: ${first.location}: ${first.message}`,
          );
        }
      } catch (error) {
        if (error instanceof XmlError || error instanceof SorCsvError || error instanceof CsvError) {
          this.usage(`bad SOR file: ${error.message}`);
          return null;
        }
        throw error;
      }
    }
    return SorDirectory.from(units);
  }

  private openSchemas(config: ConverterConfig): boolean {
    const dir = resolve(this.options.xsdDir ?? config.xsdDir ?? defaultXsdDir());
    const schemaConfig = oioxmlSchemaConfig(dir);
    const missing = missingSchemaFolders(schemaConfig);
    if (missing.length) {
      this.usage(
        `the OIOXML XSDs are not in ${dir} (missing ${missing.join(', ')}); use --xsd-dir, the config key xsdDir or ${XSD_DIR_ENV}`,
      );
      return false;
    }
    this.schemas = new OioxmlSchemas(schemaConfig);
    return true;
  }

  private openState(config: ConverterConfig): boolean {
    if (!config.idMapDatabase) {
      this.idMap = memoryIdMap();
      this.history = memoryHistory();
      return true;
    }
    try {
      this.idMap = openSqliteIdMap(config.idMapDatabase);
      this.history = openSqliteHistory(config.idMapDatabase);
      return true;
    } catch (error) {
      this.usage(`cannot open the id map database ${config.idMapDatabase}: ${(error as Error).message}`);
      return false;
    }
  }

  // --- OIOXML → FHIR ----------------------------------------------------------------------------------------------------

  private toFhir(input: ConvertInput, context: ConversionContext): void {
    let emessage: Emessage;
    try {
      emessage = readEmessage(input.bytes, {
        label: this.input,
        ...(input.encodingHint ? { encodingHint: input.encodingHint } : {}),
      }).emessage;
    } catch (error) {
      if (error instanceof XmlError) return this.invalid(`invalid OIOXML: ${maskCprNumbers(error.message)}`);
      throw error;
    }
    const check = this.schemas!.validate(emessage.namespace, input.bytes, {
      label: this.input,
      ...(input.encodingHint ? { encoding: input.encodingHint } : {}),
    });
    if (!check.valid) return this.schemaInvalid('the input letter', check);

    const outcome = emessageToFhir(emessage, context, this.history!);
    if (outcome.kind === 'not-representable') {
      this.report(outcome.conversion, 'not-representable', outcome.loss, reasonOf(outcome.problem));
      return this.invalid(`not representable in FHIR: ${outcome.problem.source}: ${outcome.problem.reason}`);
    }
    for (const bundle of outcome.messages) {
      const issues = this.failures(bundle);
      if (issues.length) {
        this.report(outcome.conversion, 'invalid-output', outcome.loss, {
          text: 'the converted message does not validate',
        });
        return this.invalid(`the converted message does not validate (nothing written):\n${issues.join('\n')}`);
      }
    }
    const [only] = outcome.messages;
    const text = JSON.stringify(outcome.messages.length === 1 ? only : outcome.messages, null, 2);
    this.write(new TextEncoder().encode(`${text}\n`), text);
    this.history!.remember(outcome.record);
    this.report(outcome.conversion, 'converted', outcome.loss);
  }

  // --- FHIR → OIOXML ----------------------------------------------------------------------------------------------------

  private toOioxml(input: ConvertInput, context: ConversionContext): void {
    let resource: unknown;
    try {
      resource = parseFhir(input.bytes, this.input, baseContext(this.store)).resource;
    } catch (error) {
      if (error instanceof FhirJsonError || error instanceof XmlError) return this.invalid(error.message);
      throw error;
    }
    const issues = this.failures(resource);
    if (issues.length) return this.invalid(`${this.input}: not a valid MedCom message:\n${issues.join('\n')}`);

    const outcome = fhirToOioxml(resource as MessageBundle, context, this.history!);
    if (outcome.kind === 'not-representable') {
      this.report(outcome.conversion, 'not-representable', outcome.loss, reasonOf(outcome.problem));
      return this.invalid(`not representable in OIOXML: ${outcome.problem.source}: ${outcome.problem.reason}`);
    }
    if (outcome.kind === 'nothing-to-send') {
      this.report(outcome.conversion, 'nothing-to-send', outcome.loss, { text: outcome.reason });
      this.io.err(`note: nothing written: ${outcome.reason}`);
      return;
    }
    const bytes = writeEmessage(outcome.emessage);
    const check = this.schemas!.validate(outcome.emessage.namespace, bytes, { label: 'converted letter' });
    if (!check.valid) {
      this.report(outcome.conversion, 'invalid-output', outcome.loss, {
        text: 'the converted letter is not XSD-valid',
      });
      return this.schemaInvalid('the converted letter (nothing written)', check);
    }
    for (const note of outcome.notes) this.io.err(`note: ${note}`);
    this.write(bytes);
    this.history!.remember(outcome.record);
    this.report(outcome.conversion, 'converted', outcome.loss);
  }

  // --- shared steps ------------------------------------------------------------------------------------------------------

  /** Error and fatal issues of a FHIR message, one line each (the validator already masks CPR-shaped values). */
  private failures(resource: unknown): string[] {
    this.validator ??= new Validator(this.store);
    const result = this.validator.validateMessage(resource);
    if (result.valid) return [];
    return result.issues
      .filter((issue) => issue.severity === 'error' || issue.severity === 'fatal')
      .map((issue) => `  ${issue.severity} ${issue.expression || '(message)'}: ${issue.message}`);
  }

  /** Writes the result: `text` is used on standard output when given (FHIR JSON), the bytes otherwise (OIOXML). */
  private write(bytes: Uint8Array, text?: string): void {
    if (this.options.out) {
      writeFileSync(this.options.out, bytes);
      return;
    }
    if (text !== undefined) this.io.out(text);
    else this.stdout(bytes);
  }

  private report(
    conversion: string,
    result: ConversionResult,
    entries: readonly LossEntry[],
    reason?: LossReportDocument['reason'],
  ): void {
    const document = lossReport(this.input, conversion, result, entries, reason);
    if (this.options.lossReport) {
      writeFileSync(this.options.lossReport, `${JSON.stringify(document, null, 2)}\n`);
    }
    if (result === 'converted' || result === 'nothing-to-send') {
      const where = this.options.lossReport ? `details in ${this.options.lossReport}` : 'details: --loss-report FILE';
      this.io.err(`${summaryLine(document)} (${where})`);
    }
  }

  private schemaInvalid(what: string, check: XsdReport): void {
    const lines = check.issues.map((issue) => `  ${issue.label}:${issue.line}: ${maskCprNumbers(issue.message)}`);
    this.invalid(`${what} is not valid against the MedCom XSD:\n${lines.join('\n')}`);
  }

  private invalid(message: string): void {
    this.io.err(`error: ${message}`);
    this.io.setExitCode(EXIT_INVALID);
  }

  private usage(message: string): void {
    this.io.err(`medcom-hub convert: ${message}`);
    this.io.setExitCode(EXIT_USAGE);
  }
}
