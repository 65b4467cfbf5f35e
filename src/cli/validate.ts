import type { Command } from 'commander';
import { defaultCacheRoot } from '../fhir/packages/cache.ts';
import type { ValidationIssue } from '../validation/outcome.ts';
import { Validator, type ValidationResult } from '../validation/validator.ts';
import { EXIT_INVALID, EXIT_USAGE } from './exit-codes.ts';
import type { CliIo } from './io.ts';
import { baseContext, openStore, readMessageFile } from './message-file.ts';

/** One element of `validate --format json`: a contract that acceptance tests read. */
interface FileVerdict {
  file: string;
  valid: boolean;
  messageType: ValidationResult['messageType'];
  issues: Pick<ValidationIssue, 'severity' | 'code' | 'expression' | 'message' | 'details'>[];
}

export function registerValidate(program: Command, io: CliIo): void {
  program
    .command('validate')
    .description('validate MedCom FHIR messages (JSON or XML Bundles) against their IG profiles')
    .argument('<files...>', 'message files')
    .option('--format <format>', 'text or json', 'text')
    .option('--cache <dir>', 'FHIR package cache folder', defaultCacheRoot())
    .action((files: string[], options: { format: string; cache: string }) => {
      if (options.format !== 'text' && options.format !== 'json') {
        io.err(`--format must be text or json, not "${options.format}"`);
        io.setExitCode(EXIT_USAGE);
        return;
      }
      const store = openStore(options.cache);
      const context = baseContext(store);
      const validator = new Validator(store);
      const verdicts: FileVerdict[] = [];
      for (const file of files) {
        const read = readMessageFile(file, context);
        if (read.kind === 'unreadable') {
          io.err(read.problem);
          io.setExitCode(EXIT_USAGE);
          return;
        }
        verdicts.push(
          read.kind === 'parsed'
            ? verdict(file, validator.validateMessage(read.resource))
            : syntaxVerdict(file, read.problem),
        );
      }
      if (options.format === 'json') io.out(JSON.stringify(verdicts, null, 2));
      else for (const v of verdicts) io.out(formatText(v));
      if (verdicts.some((v) => !v.valid)) io.setExitCode(EXIT_INVALID);
    });
}

function verdict(file: string, result: ValidationResult): FileVerdict {
  return {
    file,
    valid: result.valid,
    messageType: result.messageType,
    issues: result.issues.map(({ severity, code, expression, message, details }) => ({
      severity,
      code,
      expression,
      message,
      ...(details ? { details } : {}),
    })),
  };
}

function syntaxVerdict(file: string, problem: string): FileVerdict {
  return {
    file,
    valid: false,
    messageType: 'unknown',
    issues: [{ severity: 'fatal', code: 'structure', expression: '', message: problem, details: 'MSG_BAD_SYNTAX' }],
  };
}

function formatText(v: FileVerdict): string {
  const head = `${v.file}: ${v.valid ? 'valid' : 'INVALID'} (${v.messageType})`;
  const lines = v.issues.map(
    (i) =>
      `  ${i.severity} [${i.code}] ${i.expression || '(message)'}: ${i.message}${i.details ? ` {${i.details}}` : ''}`,
  );
  return [head, ...lines].join('\n');
}
