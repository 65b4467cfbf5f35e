// Runs the real `medcom-hub` bin (compiled dist/, as users run it) in a child process.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/shared.ts';

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: readonly string[], cwd = REPO_ROOT): CliRun {
  const result = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'medcom-hub.js'), ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
