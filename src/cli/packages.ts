import type { Command } from 'commander';
import { defaultCacheRoot, PackageCache } from '../fhir/packages/cache.ts';
import { installPackages } from '../fhir/packages/install.ts';
import { formatPackageRef, parsePackageRef } from '../fhir/packages/package-ref.ts';
import { sourceFor } from '../fhir/packages/source.ts';
import type { CliIo } from './io.ts';

export function registerPackages(program: Command, io: CliIo): void {
  const packages = program.command('packages').description('manage the FHIR package cache');
  packages
    .command('install')
    .description('install FHIR packages and their whole dependency closure into the package cache')
    .argument('[packages...]', 'packages as <id>#<version>; none means every package in the --from folder')
    .option('--from <source>', 'a folder of <id>#<version>.tgz files, or a package registry URL')
    .option('--cache <dir>', 'package cache folder', defaultCacheRoot())
    .action(async (names: string[], options: { from?: string; cache: string }) => {
      const cache = new PackageCache(options.cache);
      const report = await installPackages({
        cache,
        requested: names.map(parsePackageRef),
        ...(options.from ? { source: sourceFor(options.from) } : {}),
        onProgress: (line) => io.err(line),
      });
      for (const s of report.substituted) {
        io.err(`note: ${formatPackageRef(s.requested)} is served by ${formatPackageRef(s.served)}: ${s.why}`);
      }
      for (const s of report.skipped) io.err(`skipped ${formatPackageRef(s.ref)}: ${s.why}`);
      io.out(
        `${report.installed.length} installed, ${report.alreadyPresent.length} already present, ${report.missing.length} missing (cache: ${cache.root})`,
      );
      if (report.missing.length > 0) {
        for (const m of report.missing) io.err(`missing: ${formatPackageRef(m.ref)}`);
        io.setExitCode(1);
      }
    });
  packages
    .command('list')
    .description('list the packages in the cache')
    .option('--cache <dir>', 'package cache folder', defaultCacheRoot())
    .action((options: { cache: string }) => {
      for (const ref of new PackageCache(options.cache).installed()) io.out(formatPackageRef(ref));
    });
}
