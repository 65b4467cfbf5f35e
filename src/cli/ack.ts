import { Option, type Command } from 'commander';
import { defaultCacheRoot } from '../fhir/packages/cache.ts';
import { acknowledge } from '../messages/acknowledgement/builder.ts';
import type { AcknowledgementOutcome } from '../messages/acknowledgement/codes.ts';
import { verdictFor } from '../messages/acknowledgement/verdict.ts';
import { liveBuildContext } from '../messages/build-context.ts';
import { Validator } from '../validation/validator.ts';
import { EXIT_INVALID, EXIT_USAGE } from './exit-codes.ts';
import type { CliIo } from './io.ts';
import { baseContext, openStore, readMessageFile } from './message-file.ts';

type Code = AcknowledgementOutcome['code'];

export function registerAck(program: Command, io: CliIo): void {
  program
    .command('ack')
    .description('print the Acknowledgement Bundle (JSON) for a received message')
    .addOption(
      new Option('--code <code>', 'the verdict')
        .choices(['ok', 'transient-error', 'fatal-error'])
        .makeOptionMandatory(),
    )
    .option('--text <text>', 'free-text explanation for a transient-error or fatal-error')
    .option('--cache <dir>', 'FHIR package cache folder', defaultCacheRoot())
    .argument('<file>', 'the received message (FHIR JSON or XML)')
    .action((file: string, options: { code: Code; text?: string; cache: string }) => {
      const store = openStore(options.cache);
      const read = readMessageFile(file, baseContext(store));
      if (read.kind !== 'parsed') {
        io.err(read.problem);
        io.setExitCode(read.kind === 'unreadable' ? EXIT_USAGE : EXIT_INVALID);
        return;
      }
      const outcome = outcomeFor(options.code, read.resource, new Validator(store), options.text);
      const result = acknowledge(read.resource, outcome, liveBuildContext());
      if (result.kind === 'refused') {
        io.err(`${file}: no acknowledgement: ${result.problem}`);
        io.setExitCode(EXIT_INVALID);
        return;
      }
      io.out(JSON.stringify(result.bundle, null, 2));
    });
}

/**
 * `fatal-error` carries the validator's findings, so the sender learns what to fix; `transient-error` says the
 * fault is the receiver's (KR4). Both need at least one issue (ACK-1).
 */
function outcomeFor(code: Code, received: unknown, validator: Validator, text?: string): AcknowledgementOutcome {
  if (code === 'ok') return { code };
  if (code === 'transient-error') {
    return {
      code,
      issues: [
        {
          severity: 'error',
          code: 'transient',
          detail: 'MSG_LOCAL_FAIL',
          text: text ?? 'temporary technical error at the receiver; the message may be sent again',
        },
      ],
    };
  }
  const verdict = verdictFor(validator.validateMessage(received));
  if (verdict.code === 'fatal-error')
    return text ? { code, issues: [{ ...verdict.issues[0], text }, ...verdict.issues.slice(1)] } : verdict;
  return {
    code,
    issues: [{ severity: 'error', code: 'processing', text: text ?? 'the receiver rejected the message' }],
  };
}
