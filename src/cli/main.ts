import { Command, CommanderError } from 'commander';
import { EXIT_USAGE } from './exit-codes.ts';
import type { CliIo } from './io.ts';
import { registerAck } from './ack.ts';
import { registerConformance } from './conformance.ts';
import { registerConvert } from './convert.ts';
import { registerDemo } from './demo.ts';
import { registerEnvelope } from './envelope.ts';
import { registerPackages } from './packages.ts';
import { registerValidate } from './validate.ts';

export async function main(argv: readonly string[]): Promise<number> {
  let exitCode = 0;
  const io: CliIo = {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    setExitCode: (code) => {
      exitCode = Math.max(exitCode, code);
    },
  };
  const program = new Command('medcom-hub')
    .description('MedCom FHIR and OIOXML messaging: validate, build, convert and route messages')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
  registerPackages(program, io);
  registerValidate(program, io);
  registerAck(program, io);
  registerDemo(program, io);
  registerEnvelope(program, io);
  registerConformance(program, io);
  registerConvert(program, io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    process.stderr.write(`medcom-hub: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_USAGE;
  }
  return exitCode;
}
