import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { defaultCacheRoot, PackageCache } from '../fhir/packages/cache.ts';
import { PackageStore } from '../fhir/packages/context.ts';
import { writeFhirXml } from '../fhir/xml/fhir-xml.ts';
import { MEDCOM_ERRATA } from '../conformance/errata/medcom-errata.ts';
import { fixtureDocumentation } from '../conformance/fixtures/describe.ts';
import { buildMedComFixtures } from '../conformance/fixtures/medcom-fixtures.ts';
import { runWithLibraryDriver } from '../conformance/library-run.ts';
import { failureLines, formatSummary, progressPrinter } from '../conformance/report/console.ts';
import { htmlReport } from '../conformance/report/html.ts';
import { junitXml } from '../conformance/report/junit.ts';
import { scriptsOf, SUITE_NAMES, SUITES, type SuiteName } from '../conformance/testscript/load.ts';
import { EXIT_INVALID, EXIT_USAGE } from './exit-codes.ts';
import type { CliIo } from './io.ts';

const DRIVERS = ['library'] as const;

interface RunOptions {
  ig: string;
  driver: string;
  report?: string;
  script?: string;
  semantics: string;
  cache: string;
  quiet?: boolean;
}

export function registerConformance(program: Command, io: CliIo): void {
  const conformance = program
    .command('conformance')
    .description("run MedCom's published TestScripts (Touchstone) offline, as published and as intended");
  conformance
    .command('run')
    .description('run the TestScripts against a driver; exit 0 when every script passes as intended')
    .option(
      '--ig <suite>',
      `${SUITE_NAMES.join('|')}|all (MedCom's three suites and the built-in intent scripts)`,
      'all',
    )
    .option('--driver <name>', DRIVERS.join('|'), 'library')
    .option('--report <dir>', 'write conformance.junit.xml, conformance.html and conformance.json to this folder')
    .option('--script <pattern>', 'only scripts whose id matches (`*` is a wildcard)')
    .option(
      '--semantics <mode>',
      "FHIRPath comparisons: 'touchstone' (string forms, as Touchstone) or 'fhirpath'",
      'touchstone',
    )
    .option('--cache <dir>', 'package cache folder', defaultCacheRoot())
    .option('--quiet', 'no progress lines')
    .action(async (options: RunOptions) => {
      const suites = suitesOf(options.ig);
      if (!suites) return usage(io, `--ig must be one of ${SUITE_NAMES.join(', ')}, all; got ${options.ig}`);
      if (!(DRIVERS as readonly string[]).includes(options.driver)) {
        return usage(
          io,
          `--driver must be one of ${DRIVERS.join(', ')} (the http driver is not implemented yet); got ${options.driver}`,
        );
      }
      if (options.semantics !== 'touchstone' && options.semantics !== 'fhirpath') {
        return usage(io, `--semantics must be touchstone or fhirpath; got ${options.semantics}`);
      }
      const store = new PackageStore(new PackageCache(options.cache));
      const only = options.script ? globFilter(options.script) : undefined;
      const total = suites
        .flatMap((s) => scriptsOf(store.cache, s))
        .filter((script) => !only || only(script.id)).length;
      if (total === 0) return usage(io, `no script matches ${options.script ?? ''}`);
      const report = await runWithLibraryDriver({
        store,
        suites,
        semantics: options.semantics,
        ...(only ? { only } : {}),
        ...(options.quiet ? {} : { onProgress: progressPrinter((line) => io.err(line), total) }),
      });
      for (const line of formatSummary(report)) io.out(line);
      if (!report.passed) {
        io.out('failures as intended:');
        for (const line of failureLines(report.asIntended.scripts)) io.out(`  ${line}`);
      }
      if (options.report) {
        const overlays = suites.map((s) => MEDCOM_ERRATA.get(s)).filter((o) => o !== undefined);
        mkdirSync(options.report, { recursive: true });
        writeFileSync(join(options.report, 'conformance.junit.xml'), junitXml(report));
        writeFileSync(join(options.report, 'conformance.html'), htmlReport(report, overlays, new Date()));
        writeFileSync(join(options.report, 'conformance.json'), JSON.stringify(report, null, 1));
        io.err(`reports written to ${options.report}`);
      }
      if (!report.passed) io.setExitCode(EXIT_INVALID);
    });
  conformance
    .command('fixtures')
    .description('write the generated fixture set (Touchstone-style XML templates) and/or its documentation')
    .option('--out <dir>', 'write every fixture as FHIR XML under its Touchstone path in this folder')
    .option('--doc <file>', 'write the fixture documentation (Markdown)')
    .option('--cache <dir>', 'package cache folder', defaultCacheRoot())
    .action((options: { out?: string; doc?: string; cache: string }) => {
      if (!options.out && !options.doc) return usage(io, 'give --out and/or --doc');
      const store = new PackageStore(new PackageCache(options.cache));
      const fixtures = buildMedComFixtures();
      if (options.doc) {
        const scripts = SUITE_NAMES.flatMap((s) => scriptsOf(store.cache, s));
        mkdirSync(dirname(options.doc), { recursive: true });
        writeFileSync(options.doc, fixtureDocumentation(fixtures, scripts));
        io.out(`fixture documentation written to ${options.doc}`);
      }
      if (options.out) {
        const definitions = store.context(SUITES.hospitalnotification.ig);
        for (const entry of fixtures.entries()) {
          const file = join(options.out, fixtureFile(entry.reference));
          mkdirSync(dirname(file), { recursive: true });
          writeFileSync(file, writeFhirXml(entry.template, definitions, { indent: '  ', label: entry.reference }));
        }
        io.out(`${fixtures.entries().length} fixtures written to ${options.out}`);
      }
    });
}

/** `/FHIRSandbox/…` keeps its path; the CC scripts' relative `../Fixtures/…` goes under `carecommunication/`. */
export function fixtureFile(reference: string): string {
  if (reference.startsWith('../')) return join('carecommunication', reference.slice(3));
  return reference.replace(/^\/+/, '');
}

function suitesOf(ig: string): SuiteName[] | undefined {
  if (ig === 'all') return [...SUITE_NAMES];
  return (SUITE_NAMES as readonly string[]).includes(ig) ? [ig as SuiteName] : undefined;
}

function globFilter(pattern: string): (id: string) => boolean {
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return (id) => re.test(id);
}

function usage(io: CliIo, message: string): void {
  io.err(`medcom-hub conformance: ${message}`);
  io.setExitCode(EXIT_USAGE);
}
