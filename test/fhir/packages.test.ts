import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PackageCache } from '../../src/fhir/packages/cache.ts';
import { PackageStore } from '../../src/fhir/packages/context.ts';
import { installPackages } from '../../src/fhir/packages/install.ts';
import { compareVersions, formatPackageRef, parsePackageRef } from '../../src/fhir/packages/package-ref.ts';
import { FolderSource, RegistrySource } from '../../src/fhir/packages/source.ts';
import { PACKAGES_FOLDER, testStore } from '../support/shared.ts';

const MESSAGING_HEADER = 'http://medcomfhir.dk/ig/messaging/StructureDefinition/medcom-messaging-messageHeader';

describe('package references', () => {
  test('parse and format <id>#<version>', () => {
    const ref = parsePackageRef('hl7.fhir.dk.core#3.4.0');
    assert.deepEqual(ref, { id: 'hl7.fhir.dk.core', version: '3.4.0' });
    assert.equal(formatPackageRef(ref), 'hl7.fhir.dk.core#3.4.0');
    assert.throws(() => parsePackageRef('hl7.fhir.dk.core'), /expected <id>#<version>/);
  });

  test('versions order as semver, pre-releases before their release', () => {
    const sorted = ['2.10.0', '2.2.0', '5.3.0-ballot-tc1', '5.3.0', '2.3.0'].sort(compareVersions);
    assert.deepEqual(sorted, ['2.2.0', '2.3.0', '2.10.0', '5.3.0-ballot-tc1', '5.3.0']);
  });
});

describe('packages install', () => {
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'medcom-hub-cache-'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test('installs an IG with its whole closure from a folder of .tgz files', async () => {
    const cache = new PackageCache(root);
    const lines: string[] = [];
    const report = await installPackages({
      cache,
      requested: [parsePackageRef('medcom.fhir.dk.hospitalnotification#3.0.2')],
      source: new FolderSource(PACKAGES_FOLDER),
      onProgress: (line) => lines.push(line),
    });
    const installed = report.installed.map(formatPackageRef).sort();
    for (const expected of [
      'medcom.fhir.dk.hospitalnotification#3.0.2',
      'medcom.fhir.dk.messaging#2.1.0',
      'medcom.fhir.dk.core#2.0.0',
      'medcom.fhir.dk.core#2.3.0',
      'hl7.fhir.dk.core#2.0.0',
      'hl7.fhir.r4.core#4.0.1',
      'hl7.terminology.r4#7.0.1',
      'hl7.fhir.uv.extensions.r4#5.3.0-ballot-tc1',
    ]) {
      assert.ok(installed.includes(expected), `${expected} installed (got ${installed.join(', ')})`);
    }
    assert.deepEqual(report.missing, []);
    assert.ok(lines.some((line) => line.startsWith('installing medcom.fhir.dk.messaging#2.1.0')));
    const substitute = report.substituted.find((s) => s.requested.id === 'hl7.fhir.uv.extensions.r4');
    assert.equal(substitute?.served.version, '5.3.0-ballot-tc1');
    // The R4 core re-pack keeps conformance resources and drops the thousands of examples.
    const r4 = cache.index({ id: 'hl7.fhir.r4.core', version: '4.0.1' }).files;
    assert.ok(r4.some((f) => f.url === 'http://hl7.org/fhir/StructureDefinition/Patient'));
    assert.ok(!r4.some((f) => f.resourceType === 'Patient'));

    const again = await installPackages({
      cache,
      requested: [parsePackageRef('medcom.fhir.dk.hospitalnotification#3.0.2')],
      source: new FolderSource(PACKAGES_FOLDER),
    });
    assert.deepEqual(again.installed, []);
  });

  test('installs from a package registry over HTTP, following dist.tarball', async () => {
    const server: Server = createServer((req, res) => {
      const [, id, version] = decodeURIComponent(req.url ?? '').split('/');
      if (id?.endsWith('.tgz')) {
        res.writeHead(200, { 'content-type': 'application/gzip' });
        res.end(readFileSync(join(PACKAGES_FOLDER, id)));
        return;
      }
      if (id && !version) {
        const versions = Object.fromEntries(
          new FolderSource(PACKAGES_FOLDER)
            .listSync(id)
            .map((v) => [v, { dist: { tarball: `/${encodeURIComponent(`${id}#${v}`)}.tgz` } }]),
        );
        if (Object.keys(versions).length === 0) {
          res.writeHead(404).end();
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ name: id, versions }));
        return;
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const cache = new PackageCache(join(root, 'registry'));
      const report = await installPackages({
        cache,
        requested: [parsePackageRef('medcom.fhir.dk.terminology#2.0.2')],
        source: new RegistrySource(`http://127.0.0.1:${port}`),
      });
      assert.ok(cache.has({ id: 'medcom.fhir.dk.terminology', version: '2.0.2' }));
      assert.deepEqual(report.missing, []);
      await assert.rejects(
        installPackages({
          cache,
          requested: [parsePackageRef('no.such.package#1.0.0')],
          source: new RegistrySource(`http://127.0.0.1:${port}`),
        }).then((r) => {
          if (r.missing.length > 0) throw new Error(`missing ${formatPackageRef(r.missing[0]!.ref)}`);
        }),
        /missing no\.such\.package#1\.0\.0/,
      );
    } finally {
      server.close();
    }
  });
});

describe('canonical resolution per IG closure', () => {
  test('HN and ACK see messaging 2.1.0, CC sees messaging 4.0.2 under the same URL', () => {
    const store = testStore();
    const hn = store.context({ id: 'medcom.fhir.dk.hospitalnotification', version: '3.0.2' });
    const cc = store.context({ id: 'medcom.fhir.dk.carecommunication', version: '5.0.2' });
    const ack = store.context({ id: 'medcom.fhir.dk.acknowledgement', version: '2.0.3' });
    assert.equal(hn.sourceOf(MESSAGING_HEADER)?.version, '2.1.0');
    assert.equal(ack.sourceOf(MESSAGING_HEADER)?.version, '2.1.0');
    assert.equal(cc.sourceOf(MESSAGING_HEADER)?.version, '4.0.2');
    assert.notDeepEqual(hn.resolve(MESSAGING_HEADER), cc.resolve(MESSAGING_HEADER));
  });

  test('two versions of one package in a closure: the newest wins, a |version pin picks its own', () => {
    const hn = testStore().context({ id: 'medcom.fhir.dk.hospitalnotification', version: '3.0.2' });
    const patient = 'http://medcomfhir.dk/ig/core/StructureDefinition/medcom-core-patient';
    assert.equal(hn.sourceOf(patient)?.version, '2.3.0');
    const old = hn.resolve(`${patient}|2.0.0`);
    assert.equal(old?.version, '2.0.0');
  });

  test('a missing IG names the install command', () => {
    const store = new PackageStore(new PackageCache(join(tmpdir(), 'medcom-hub-empty-cache')));
    assert.throws(
      () => store.context({ id: 'medcom.fhir.dk.hospitalnotification', version: '3.0.2' }),
      /not installed .* medcom-hub packages install/,
    );
  });
});
