// One contract suite, run against the in-memory map and against SQLite on a real temporary file.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { episodeOfCareFhirId, episodeOfCareOioxmlId } from '../../src/oioxml/id-map/episode-of-care.ts';
import { IdMapConflictError, deriveFhirId, type IdMap, type OioxmlId } from '../../src/oioxml/id-map/id-map.ts';
import { memoryIdMap } from '../../src/oioxml/id-map/memory.ts';
import {
  messageHeaderIdForReference,
  parsePrecedingReference,
  referenceForMessageHeader,
} from '../../src/oioxml/id-map/preceding-reference.ts';
import { openSqliteIdMap } from '../../src/oioxml/id-map/sqlite.ts';
import { fromCompactUuid, isUuid, toCompactUuid } from '../../src/messages/ids.ts';
import { childElements, firstChild, textOf, type XmlElement } from '../../src/xml/element.ts';
import { readXml } from '../../src/xml/read.ts';
import { CC, MEDCOM, officialExamples } from '../support/shared.ts';

/** Envelope/letter ids and the sender EAN of every real OIOXML example letter. */
interface RealLetter {
  file: string;
  senderGln: string;
  envelopeId: string;
  letterId: string;
  episodeId?: string;
}

function descendant(e: XmlElement, name: string): XmlElement | undefined {
  for (const child of childElements(e)) {
    if (child.name === name) return child;
    const found = descendant(child, name);
    if (found) return found;
  }
  return undefined;
}

function realLetters(): RealLetter[] {
  const out: RealLetter[] = [];
  for (const kind of ['xdis91', 'xdis20', 'xdis17']) {
    const folder = join(MEDCOM, 'oioxml', 'examples', kind);
    for (const file of readdirSync(folder).filter((f) => f.endsWith('.xml'))) {
      const { root } = readXml(readFileSync(join(folder, file)), { label: file });
      const envelope = firstChild(root, 'Envelope')!;
      const letterElement = childElements(root).find((e) => e.name !== 'Envelope')!;
      const letter = firstChild(letterElement, 'Letter')!;
      const sender = firstChild(letterElement, 'Sender')!;
      const episode =
        descendant(letterElement, 'EpisodeOfCareIdentifier') ?? descendant(letterElement, 'NotificationIdentifier');
      out.push({
        file,
        senderGln: textOf(descendant(sender, 'EANIdentifier')!).trim(),
        envelopeId: textOf(firstChild(envelope, 'Identifier')!).trim(),
        letterId: textOf(firstChild(letter, 'Identifier')!).trim(),
        ...(episode ? { episodeId: textOf(episode).trim() } : {}),
      });
    }
  }
  return out;
}

describe('episode id forms', () => {
  test('hyphenate and unhyphenate are inverse on the real episode id of DIS91_2', () => {
    const letter = realLetters().find((l) => l.file.includes('DIS91_2'))!;
    assert.ok(letter.episodeId);
    const hyphenated = fromCompactUuid(letter.episodeId);
    assert.ok(isUuid(hyphenated));
    assert.equal(toCompactUuid(hyphenated), letter.episodeId);
  });
});

const backends: { name: string; open: () => { map: IdMap; reopen?: () => IdMap; cleanup: () => void } }[] = [
  { name: 'memory', open: () => ({ map: memoryIdMap(), cleanup: () => {} }) },
  {
    name: 'sqlite',
    open: () => {
      const dir = mkdtempSync(join(tmpdir(), 'medcom-hub-idmap-'));
      const file = join(dir, 'ids.sqlite');
      return {
        map: openSqliteIdMap(file),
        reopen: () => openSqliteIdMap(file),
        cleanup: () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
];

for (const backend of backends) {
  describe(`IdMap contract (${backend.name})`, () => {
    let map: IdMap;
    let reopen: (() => IdMap) | undefined;
    let cleanup: () => void;
    const letters = realLetters();

    before(() => {
      ({ map, reopen, cleanup } = (() => {
        const opened = backend.open();
        return { map: opened.map, reopen: opened.reopen, cleanup: opened.cleanup };
      })());
    });
    after(() => {
      map.close();
      cleanup();
    });

    test('the real example letters are found and carry ids of at most 14 characters', () => {
      assert.ok(letters.length >= 6, `found ${letters.length} letters`);
      for (const l of letters) assert.ok(l.letterId.length >= 1 && l.letterId.length <= 14, l.file);
    });

    test('same letter → same UUIDs, in this map and in any fresh map (deterministic)', () => {
      const fresh = memoryIdMap();
      for (const l of letters) {
        const letter: OioxmlId = { kind: 'letter', gln: l.senderGln, id: l.letterId };
        const envelope: OioxmlId = { kind: 'envelope', gln: l.senderGln, id: l.envelopeId };
        const first = map.fhirIdFor(letter);
        assert.ok(isUuid(first), first);
        assert.equal(map.fhirIdFor(letter), first);
        assert.equal(fresh.fhirIdFor(letter), first);
        assert.notEqual(map.fhirIdFor(envelope), first, 'envelope and letter ids live in different spaces');
        assert.deepEqual(map.findOioxmlId('letter', first), letter);
      }
      fresh.close();
    });

    test('the issuing EAN is part of the key: the same letter id from two senders gives two UUIDs', () => {
      const a = map.fhirIdFor({ kind: 'letter', gln: '5790000120314', id: 'BrevNr00129' });
      const b = map.fhirIdFor({ kind: 'letter', gln: '5790000121526', id: 'BrevNr00129' });
      assert.notEqual(a, b);
    });

    test('a resend (same letter id, new envelope id) keeps MessageHeader.id and changes Bundle.id', () => {
      const l = letters[0]!;
      const header1 = map.fhirIdFor({ kind: 'letter', gln: l.senderGln, id: l.letterId });
      const bundle1 = map.fhirIdFor({ kind: 'envelope', gln: l.senderGln, id: l.envelopeId });
      const header2 = map.fhirIdFor({ kind: 'letter', gln: l.senderGln, id: l.letterId });
      const bundle2 = map.fhirIdFor({ kind: 'envelope', gln: l.senderGln, id: `${l.envelopeId.slice(0, 12)}R1` });
      assert.equal(header1, header2);
      assert.notEqual(bundle1, bundle2);
    });

    test('FHIR → OIOXML: a 14-character id, stable, and found again from both sides', () => {
      const cc = officialExamples(CC, 'Bundle-').map(
        (e) => e.resource as unknown as { id: string; entry: { resource: { id: string } }[] },
      );
      const seen = new Set<string>();
      for (const bundle of cc) {
        const headerId = bundle.entry[0]!.resource.id;
        const out = map.oioxmlIdFor('letter', '5790001348120', headerId);
        assert.equal(out.id.length, 14);
        assert.match(out.id, /^[0-9A-Z]{14}$/);
        assert.deepEqual(map.oioxmlIdFor('letter', '5790001348120', headerId), out);
        assert.equal(map.findFhirId(out), headerId);
        assert.ok(!seen.has(out.id), 'distinct messages get distinct letter ids');
        seen.add(out.id);
      }
    });

    test('a reply finds its original by gln#letterId, in either order, and back', () => {
      // The CC example that replies to an OIOXML letter writes "brevid#EAN" (oioxml.md §11.2).
      const reply = officialExamples(CC, 'Bundle-k7bfbc0c').map((e) => e.resource)[0] as unknown as {
        entry: {
          resource: { resourceType: string; entity?: { role: string; what: { identifier?: { value: string } } }[] };
        }[];
      };
      const value = reply.entry
        .flatMap((e) => (e.resource.resourceType === 'Provenance' ? (e.resource.entity ?? []) : []))
        .find((entity) => entity.role === 'revision')!.what.identifier!.value;
      const letter = parsePrecedingReference(value)!;
      assert.equal(letter.gln, '5790000121526');
      assert.equal(letter.letterId, 'B300720181623');

      // The original arrived as OIOXML and was converted (the converter asked for the MessageHeader.id).
      const original = map.fhirIdFor({ kind: 'letter', gln: letter.gln, id: letter.letterId });
      assert.equal(messageHeaderIdForReference(map, value), original);
      assert.equal(messageHeaderIdForReference(map, `${letter.gln}#${letter.letterId}`), original);
      assert.equal(referenceForMessageHeader(map, original), '5790000121526#B300720181623');
      assert.equal(parsePrecedingReference('no-separator'), undefined);
      assert.equal(parsePrecedingReference('abc#def'), undefined);
    });

    test('episode ids: unhyphenated OIOXML ↔ hyphenated FHIR, original spelling returned', () => {
      const l = letters.find((x) => x.file.includes('DIS91_2'))!;
      const upper = l.episodeId!.toUpperCase();
      const fhir = episodeOfCareFhirId(map, l.senderGln, upper);
      assert.equal(fhir, fromCompactUuid(l.episodeId!));
      assert.equal(episodeOfCareOioxmlId(map, fhir), upper, 'the received spelling is returned (GOV 080)');
      assert.equal(episodeOfCareOioxmlId(map, `urn:uuid:${fhir}`), upper);

      // An id never seen before (e.g. a FHIR-born episode) is simply unhyphenated.
      const born = 'fc60e762-b13b-5773-865e-67f3907bdcc7';
      assert.equal(episodeOfCareOioxmlId(map, born), 'fc60e762b13b5773865e67f3907bdcc7');
    });

    test('a non-UUID NotificationIdentifier (real XDIS20) gets a deterministic UUID and maps back', () => {
      const l = letters.find((x) => x.file.includes('DIS20'))!;
      assert.equal(l.episodeId, '24681012');
      const fhir = episodeOfCareFhirId(map, l.senderGln, l.episodeId!);
      assert.ok(isUuid(fhir));
      assert.equal(episodeOfCareFhirId(map, l.senderGln, l.episodeId!), fhir);
      assert.equal(episodeOfCareOioxmlId(map, fhir), '24681012');
    });

    test('bind records an external pair and refuses to rebind either side', () => {
      const key: OioxmlId = { kind: 'letter', gln: '5790000209354', id: 'BOUND0001' };
      const uuid = 'a8c041b8-c65a-4fde-a90f-962076918834';
      map.bind(key, uuid);
      map.bind(key, uuid); // idempotent
      assert.equal(map.fhirIdFor(key), uuid, 'a bound pair wins over derivation');
      assert.notEqual(uuid, deriveFhirId(key));
      assert.throws(() => map.bind(key, 'bc9535ef-ed94-4060-a928-7baddec7ee71'), IdMapConflictError);
      assert.throws(() => map.bind({ ...key, id: 'BOUND0002' }, uuid), IdMapConflictError);
    });

    test('rejects ids longer than OIOXML allows', () => {
      assert.throws(() => map.fhirIdFor({ kind: 'letter', gln: '5790000209354', id: '123456789012345' }), /1–14/);
      assert.throws(() => map.fhirIdFor({ kind: 'envelope', gln: '', id: 'X' }), /EAN/);
    });

    if (backend.name === 'sqlite') {
      test('pairs survive closing and reopening the database file', () => {
        const key: OioxmlId = { kind: 'letter', gln: '5790000121526', id: 'B300720181623' };
        const before = map.fhirIdFor(key);
        const generated = map.oioxmlIdFor('envelope', '5790001348120', '8977c47b-8d55-4a6a-81ff-dcd3dc2b3871');
        map.close();
        map = reopen!();
        assert.equal(map.findFhirId(key), before);
        assert.deepEqual(map.findOioxmlId('envelope', '8977c47b-8d55-4a6a-81ff-dcd3dc2b3871'), generated);
      });

      test('two connections on the same file see each other’s pairs (WAL)', () => {
        const other = reopen!();
        try {
          const key: OioxmlId = { kind: 'letter', gln: '5790000141227', id: 'SHARED01' };
          const viaOther = other.fhirIdFor(key);
          assert.equal(map.findFhirId(key), viaOther);
          other.bind({ kind: 'letter', gln: '5790000141227', id: 'SHARED02' }, 'c9c2b2f6-0807-11ed-861d-0242ac120002');
          assert.throws(
            () =>
              map.bind(
                { kind: 'letter', gln: '5790000141227', id: 'SHARED03' },
                'c9c2b2f6-0807-11ed-861d-0242ac120002',
              ),
            IdMapConflictError,
          );
        } finally {
          other.close();
        }
      });
    }
  });
}
