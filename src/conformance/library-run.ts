/**
 * The wiring of a conformance run with the library driver — validator, fixtures, errata and driver — shared by the
 * CLI and the tests, so both run exactly the same thing.
 */
import type { PackageStore } from '../fhir/packages/context.ts';
import { Validator } from '../validation/validator.ts';
import { LibraryDriver } from './drivers/library/library-driver.ts';
import { MEDCOM_ERRATA } from './errata/medcom-errata.ts';
import type { FixtureSet } from './fixtures/fixture-set.ts';
import { buildMedComFixtures } from './fixtures/medcom-fixtures.ts';
import { runConformance, type ConformanceOptions, type ConformanceReport } from './runner.ts';
import { SUITES, type SuiteName } from './testscript/load.ts';

export interface LibraryRunOptions {
  readonly store: PackageStore;
  readonly suites: readonly SuiteName[];
  readonly only?: (scriptId: string) => boolean;
  readonly semantics?: ConformanceOptions['semantics'];
  readonly seed?: string;
  readonly onProgress?: ConformanceOptions['onProgress'];
  /** Reuse an existing validator (compiled profiles are kept per IG). */
  readonly validator?: Validator;
  readonly fixtures?: FixtureSet;
}

export async function runWithLibraryDriver(options: LibraryRunOptions): Promise<ConformanceReport> {
  const validator = options.validator ?? new Validator(options.store);
  const fixtures = options.fixtures ?? buildMedComFixtures();
  const definitions = options.store.context(SUITES.hospitalnotification.ig);
  return runConformance({
    store: options.store,
    suites: options.suites,
    driver: () =>
      new LibraryDriver({
        validator,
        fixtures,
        definitions,
        ...(options.seed ? { seed: options.seed } : {}),
      }),
    fixtures,
    errata: MEDCOM_ERRATA,
    validator,
    ...(options.semantics ? { semantics: options.semantics } : {}),
    ...(options.seed ? { seed: options.seed } : {}),
    ...(options.only ? { only: options.only } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
}
