// `medcom-hub envelope wrap|unwrap`: VANSEnvelope 1.0.4 and ehmiSBDH around FHIR messages and OIOXML letters.
//
// XSD folder: see medcom-data.ts. The folder is the MedCom data folder layout: `oioxml/xsd/vans-envelope-1.0.4/`,
// `ehmi-sbdh/ehmiSBDH/`, `ehmi-sbdh/ebbp/`. Wrap checks its output against the schemas (a failure is exit 1);
// unwrap reports schema deviations of its input as warnings (exit 1 with --strict).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { systemContext } from '../envelopes/context.ts';
import { unwrapAny, type Envelope } from '../envelopes/envelope.ts';
import { EnvelopeError, formatWarning, type EnvelopeWarning } from '../envelopes/envelope-error.ts';
import { EnvelopeSchemas, schemaLocationsIn, type SchemaCheck } from '../envelopes/schemas.ts';
import { wrapSbdh } from '../envelopes/sbdh/wrap.ts';
import { wrapVans } from '../envelopes/vans/wrap.ts';
import { isGln } from '../messages/parties.ts';
import { EXIT_INVALID, EXIT_USAGE } from './exit-codes.ts';
import type { CliIo } from './io.ts';
import { defaultXsdDir, XSD_DIR_ENV } from './medcom-data.ts';

function glnArgument(value: string): string {
  if (!isGln(value)) throw new InvalidArgumentError(`${value} is not a GLN (13 digits with a GS1 check digit)`);
  return value;
}

interface CommonOptions {
  out?: string;
  xsdDir: string;
}

/** Reads an input file; a missing or unreadable file is a usage/read error (exit 2), reported without a stack. */
function readInput(file: string, io: CliIo): Uint8Array | undefined {
  try {
    return new Uint8Array(readFileSync(file));
  } catch (error) {
    io.err(
      `medcom-hub envelope: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
    io.setExitCode(EXIT_USAGE);
    return undefined;
  }
}

function schemasFor(xsdDir: string, io: CliIo): EnvelopeSchemas | undefined {
  const dir = resolve(xsdDir);
  if (!existsSync(dir)) {
    io.err(`warning: schema check skipped: ${dir} not found (use --xsd-dir or ${XSD_DIR_ENV})`);
    return undefined;
  }
  return new EnvelopeSchemas(schemaLocationsIn(dir));
}

/** Tolerated deviations (non-UUID VANS ids) are not repeated here: the envelope warnings already name them. */
function reportSchema(label: string, check: SchemaCheck, io: CliIo, prefix: string): void {
  for (const issue of check.errors) io.err(`${prefix}${label}:${issue.line}: ${issue.message}`);
}

function reportWarnings(label: string, warnings: readonly EnvelopeWarning[], io: CliIo): void {
  for (const warning of warnings) io.err(`warning: ${formatWarning(label, warning)}`);
}

function writeOutput(bytes: Uint8Array, out: string | undefined, io: CliIo): void {
  if (out) {
    writeFileSync(out, bytes);
    return;
  }
  const text = new TextDecoder('utf-8').decode(bytes);
  io.out(text.endsWith('\n') ? text.slice(0, -1) : text);
}

export function registerEnvelope(program: Command, io: CliIo): void {
  const envelope = program
    .command('envelope')
    .description('wrap messages in, and unwrap them from, VANSEnvelope 1.0.4 and ehmiSBDH transport envelopes');
  const xsdOption = () =>
    new Option(
      '--xsd-dir <dir>',
      `MedCom data folder with the envelope XSDs (env ${XSD_DIR_ENV}; default ../shared/medcom)`,
    );

  envelope
    .command('wrap')
    .description('wrap a FHIR message (JSON or XML) or an OIOXML letter; prints the envelope unless --out is given')
    .addOption(new Option('--type <type>', 'envelope kind').choices(['vans', 'sbdh']).makeOptionMandatory())
    .requiredOption('--sender <gln>', 'GLN of the sending mailbox', glnArgument)
    .requiredOption('--receiver <gln>', 'GLN of the receiving mailbox', glnArgument)
    .option('--out <file>', 'write the envelope to this file')
    .addOption(xsdOption())
    .argument('<file>', 'the message to wrap')
    .action((file: string, options: CommonOptions & { type: 'vans' | 'sbdh'; sender: string; receiver: string }) => {
      const payload = readInput(file, io);
      if (!payload) return;
      const schemas = schemasFor(options.xsdDir ?? defaultXsdDir(), io);
      try {
        const common = { sender: options.sender, receiver: options.receiver, label: file };
        const wrapped =
          options.type === 'vans' ? wrapVans(payload, common, systemContext) : wrapSbdh(payload, common, systemContext);
        reportWarnings(file, wrapped.envelope.warnings, io);
        if (schemas) {
          const check =
            options.type === 'vans'
              ? schemas.checkVans(wrapped.bytes, 'envelope')
              : schemas.checkSbdh(wrapped.bytes, 'envelope');
          reportSchema('envelope', check, io, 'error: envelope not schema-valid: ');
          if (!check.valid) {
            io.setExitCode(EXIT_INVALID);
            return;
          }
        }
        writeOutput(wrapped.bytes, options.out, io);
      } catch (error) {
        if (error instanceof EnvelopeError || error instanceof RangeError) {
          io.err(`error: ${error.message}`);
          io.setExitCode(EXIT_INVALID);
          return;
        }
        throw error;
      } finally {
        schemas?.dispose();
      }
    });

  envelope
    .command('unwrap')
    .description('read a VANSEnvelope or an ehmiSBDH; writes the payload (stdout unless --out), warnings to stderr')
    .option('--out <file>', 'write the payload bytes, unchanged, to this file')
    .option('--strict', 'treat schema deviations of the envelope as errors (exit 1)')
    .addOption(xsdOption())
    .argument('<file>', 'the envelope')
    .action((file: string, options: CommonOptions & { strict?: boolean }) => {
      const bytes = readInput(file, io);
      if (!bytes) return;
      let envelope: Envelope;
      try {
        envelope = unwrapAny(bytes, file);
      } catch (error) {
        if (error instanceof EnvelopeError) {
          io.err(`error: ${error.message}`);
          io.setExitCode(EXIT_INVALID);
          return;
        }
        throw error;
      }
      const schemas = schemasFor(options.xsdDir ?? defaultXsdDir(), io);
      try {
        if (schemas) {
          const check = envelope.kind === 'vans' ? schemas.checkVans(bytes, file) : schemas.checkSbdh(bytes, file);
          reportSchema(file, check, io, options.strict ? 'error: ' : 'warning: schema: ');
          if (options.strict && !check.valid) io.setExitCode(EXIT_INVALID);
        } else if (options.strict) {
          io.err('error: --strict needs the envelope schemas');
          io.setExitCode(EXIT_USAGE);
        }
      } finally {
        schemas?.dispose();
      }
      reportWarnings(file, envelope.warnings, io);
      io.err(describe(envelope));
      if (envelope.payload) writePayload(envelope.payload, options.out, io);
    });
}

function describe(envelope: Envelope): string {
  const what = envelope.receipt
    ? `${envelope.receipt.positive ? 'positive' : 'negative'} envelope receipt (${envelope.receipt.kind}) for envelope ${envelope.receipt.originalEnvelopeId ?? '?'}`
    : `${envelope.messageType} message ${envelope.messageId ?? '?'}`;
  const payload = envelope.payload
    ? `; payload ${envelope.payload.mime}, ${envelope.payload.bytes.byteLength} bytes`
    : '; no payload';
  return `${envelope.kind} envelope ${envelope.id} from ${envelope.senderGln} to ${envelope.receiverGln}: ${what}${payload}`;
}

function writePayload(payload: NonNullable<Envelope['payload']>, out: string | undefined, io: CliIo): void {
  if (out) {
    writeFileSync(out, payload.bytes);
    return;
  }
  // stdout is text: bytes that are not UTF-8 (Latin-1 OIOXML) are shown decoded; --out keeps the original bytes.
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(payload.bytes);
    io.out(text.endsWith('\n') ? text.slice(0, -1) : text);
  } catch {
    io.err('note: the payload is not UTF-8; it is shown decoded as ISO-8859-1 — use --out for the original bytes');
    io.out(new TextDecoder('latin1').decode(payload.bytes));
  }
}
