import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from './run-cli.ts';

test('the quick-start demo builds, validates, acknowledges, converts and envelopes a hospital stay', () => {
  const run = runCli(['demo']);
  assert.equal(run.status, 0, run.stderr + run.stdout);
  const codes = [...run.stdout.matchAll(/^(STIN|STOR|SLOR|SLHJ)\s+valid .* stay: legal {2}ack: ok \(valid\)$/gm)];
  assert.deepEqual(
    codes.map((m) => m[1]),
    ['STIN', 'STOR', 'SLOR', 'SLHJ'],
    run.stdout,
  );
  assert.match(run.stdout, /provenances 4 /);
  assert.match(run.stdout, /STIN → XDIS20 \(\d+ bytes, ISO-8859-1\): XSD valid, .* unwrapped identical/);
  assert.doesNotMatch(run.stdout, /2509479989/, 'the CPR number never reaches the output');
});
