/**
 * Runs MedCom's TestScript suites twice — as published and as intended (errata applied) — against one driver, and
 * checks the errata bookkeeping: every failure as published must be explained by an erratum, and every erratum
 * must touch at least one action (a stale erratum is reported). Each script gets its own seeded id generator and
 * clock, so results do not depend on the order or selection of scripts.
 */
import type { PackageStore } from '../fhir/packages/context.ts';
import { writeFhirXml } from '../fhir/xml/fhir-xml.ts';
import { steppingClock } from '../messages/clock.ts';
import { seededIds } from '../messages/ids.ts';
import type { Driver } from './drivers/driver.ts';
import {
  actionMatches,
  allActions as scriptActions,
  prepareScript,
  scriptMatches,
  touchesActions,
} from './errata/apply.ts';
import type { ErrataOverlay } from './errata/model.ts';
import {
  allActions,
  countResults,
  explainedBy,
  isFailure,
  type ActionResult,
  type Mode,
  type RunResult,
  type ScriptResult,
} from './results.ts';
import { executeScript, type FhirEncoder, type FixtureProvider, type ProgressEvent } from './testscript/execute.ts';
import { FhirPathEngine } from './testscript/fhirpath.ts';
import { SUITES, scriptsOf, suiteIg, type SuiteName } from './testscript/load.ts';
import type { TestScript } from './testscript/model.ts';
import type { ProfileValidator } from './testscript/profile-validator.ts';
import type { Semantics } from './testscript/touchstone.ts';

export interface ConformanceOptions {
  readonly store: PackageStore;
  readonly suites: readonly SuiteName[];
  /** A fresh driver per mode, so the second run starts from a clean system under test. */
  readonly driver: (mode: Mode) => Driver;
  readonly fixtures: FixtureProvider;
  readonly errata: ReadonlyMap<SuiteName, ErrataOverlay>;
  readonly validator?: ProfileValidator;
  readonly semantics?: Semantics;
  /** Seed for ids and Touchstone's per-user placeholders; the same seed gives the same messages. */
  readonly seed?: string;
  /** Start of each script's clock (message timestamps), ISO instant. */
  readonly startTime?: string;
  /** Only scripts whose id passes this filter run (the suites' other scripts are not loaded into results). */
  readonly only?: (scriptId: string) => boolean;
  readonly onProgress?: (mode: Mode, event: ProgressEvent) => void;
}

export interface ErratumUse {
  readonly id: string;
  readonly suite: SuiteName;
  readonly title: string;
  readonly actions: number;
}

export interface ConformanceReport {
  readonly asPublished: RunResult;
  readonly asIntended: RunResult;
  /** Failures as published that no erratum explains: our defects or missing errata. Must be empty. */
  readonly unexplained: readonly { script: string; action: ActionResult }[];
  /** Errata and how many actions each touched in the selected scripts. */
  readonly errata: readonly ErratumUse[];
  /** Errata that touched nothing in a full suite (they would hide nothing; remove or fix them). */
  readonly stale: readonly ErratumUse[];
  /** True when every script passes as intended. */
  readonly passed: boolean;
}

export async function runConformance(options: ConformanceOptions): Promise<ConformanceReport> {
  const engine = new FhirPathEngine();
  const semantics = options.semantics ?? 'touchstone';
  const seed = options.seed ?? 'medcom-hub-conformance';
  const scripts: { suite: SuiteName; script: TestScript }[] = [];
  for (const suite of options.suites) {
    for (const script of scriptsOf(options.store.cache, suite)) {
      if (!options.only || options.only(script.id)) scripts.push({ suite, script });
    }
  }

  const encoder = fhirEncoder(options.store);

  const run = async (mode: Mode): Promise<RunResult> => {
    const driver = options.driver(mode);
    const results: ScriptResult[] = [];
    for (const { suite, script } of scripts) {
      const overlay = options.errata.get(suite);
      const prepared = prepareScript(script, overlay, mode);
      results.push(
        await executeScript(prepared.script, {
          suite,
          driver,
          fixtures: options.fixtures,
          encoder,
          engine,
          semantics,
          ...(options.validator ? { validator: options.validator } : {}),
          ig: suiteIg(suite),
          user: seed,
          ids: seededIds(`${seed}:${script.id}`),
          clock: steppingClock(options.startTime ?? '2025-03-10T08:00:00Z', 1000),
          refs: prepared.refs,
          withdrawn: prepared.withdrawn,
          ...(options.onProgress ? { onProgress: (event: ProgressEvent) => options.onProgress!(mode, event) } : {}),
        }),
      );
    }
    const versions = [...new Set(options.suites.map((s) => options.errata.get(s)?.version).filter((v) => v))];
    return {
      mode,
      driver: driver.name,
      semantics,
      ...(versions.length ? { errataVersion: versions.join(', ') } : {}),
      scripts: results,
      counts: countResults(mode, results),
    };
  };

  const asPublished = await run('as-published');
  const asIntended = await run('as-intended');

  const unexplained = asPublished.scripts.flatMap((script) =>
    allActions(script)
      .filter((action) => isFailure(action) && explainedBy(action).length === 0)
      .map((action) => ({ script: script.id, action })),
  );

  const errata: ErratumUse[] = [];
  for (const suite of options.suites) {
    const overlay = options.errata.get(suite);
    if (!overlay) continue;
    const suiteScripts = scripts.filter((s) => s.suite === suite).map((s) => s.script);
    for (const erratum of overlay.errata) {
      let actions = 0;
      for (const script of suiteScripts) {
        if (!touchesActions(erratum)) {
          // Declarations count once per script they apply to (a rewrite: per variable it changes).
          if (!scriptMatches(erratum.select, script.id)) continue;
          const change = erratum.change;
          actions +=
            change.kind === 'rewrite-variables'
              ? script.variables.filter((v) => new RegExp(change.names).test(v.name)).length
              : 1;
          continue;
        }
        actions += scriptActions(script).filter((a) => actionMatches(erratum.select, script.id, a)).length;
      }
      errata.push({ id: erratum.id, suite, title: erratum.title, actions });
    }
  }
  const fullSuites = !options.only;
  return {
    asPublished,
    asIntended,
    unexplained,
    errata,
    stale: fullSuites ? errata.filter((e) => e.actions === 0) : [],
    passed: asIntended.scripts.every((s) => s.status !== 'fail'),
  };
}

/** JSON or XML bytes; XML is written with the R4 base definitions (the same in every MedCom IG closure). */
export function fhirEncoder(store: PackageStore): FhirEncoder {
  const definitions = store.context(SUITES.hospitalnotification.ig);
  return {
    encode: (resource, format) =>
      format === 'xml' ? writeFhirXml(resource, definitions) : new TextEncoder().encode(JSON.stringify(resource)),
  };
}
