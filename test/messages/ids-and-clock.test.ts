import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  copenhagenOffsetMinutes,
  fixedClock,
  formatInstant,
  isInstant,
  parseInstant,
  steppingClock,
} from '../../src/messages/clock.ts';
import {
  fromCompactUuid,
  isLowerCaseUuidV4,
  isUuid,
  isUuidV5,
  randomIds,
  sameEpisodeValue,
  seededIds,
  toCompactUuid,
  toUrnUuid,
  uuidV5,
} from '../../src/messages/ids.ts';

describe('ids', () => {
  it('generates lower-case UUIDv4, randomly or from a seed', () => {
    for (let i = 0; i < 50; i++) assert.ok(isLowerCaseUuidV4(randomIds()));
    const a = seededIds('x');
    const b = seededIds('x');
    const first = [a(), a(), a()];
    assert.deepEqual(first, [b(), b(), b()]);
    assert.equal(new Set(first).size, 3);
    for (const id of first) assert.ok(isLowerCaseUuidV4(id), id);
  });

  it('keeps seeded ids unique and valid across the hash blocks they are cut from', () => {
    // 16 ids per hash: 100 ids cross six block boundaries; two seeds must never meet.
    const draw = (seed: string) => {
      const next = seededIds(seed);
      return Array.from({ length: 100 }, () => next());
    };
    const x = draw('oioxml-letter:5790000120400#1');
    const y = draw('oioxml-letter:5790000120400#2');
    assert.equal(new Set([...x, ...y]).size, 200);
    for (const id of [...x, ...y]) assert.ok(isLowerCaseUuidV4(id), id);
    // Every variant nibble (8, 9, a, b) occurs: the variant bits are set, not one fixed character.
    assert.deepEqual(new Set(x.map((id) => id[19])), new Set(['8', '9', 'a', 'b']));
    assert.deepEqual(draw('oioxml-letter:5790000120400#1'), x);
  });

  it('maps episode ids between FHIR (hyphens) and OIOXML (none)', () => {
    const fhir = 'bd481c38-a921-11ed-afa1-0242ac120002';
    assert.equal(toCompactUuid(fhir), 'bd481c38a92111edafa10242ac120002');
    assert.equal(toCompactUuid(toUrnUuid(fhir)), 'bd481c38a92111edafa10242ac120002');
    assert.equal(fromCompactUuid('BD481C38A92111EDAFA10242AC120002'), fhir);
    assert.ok(sameEpisodeValue(`urn:uuid:${fhir}`, fhir.toUpperCase()));
    assert.throws(() => fromCompactUuid('bd481c38'), /32 hexadecimal/);
    assert.throws(() => toCompactUuid('g099bbf3-3fca-4722-a248-bfe1aa956410'), /not a UUID/);
  });

  it('computes RFC 4122 UUIDv5 (the RFC DNS example)', () => {
    // Known answer: uuid5(NAMESPACE_DNS, "python.org") as published for Python's uuid module.
    assert.equal(uuidV5('python.org', '6ba7b810-9dad-11d1-80b4-00c04fd430c8'), '886313e1-3b8a-5372-9b90-0c9aee199e5d');
    assert.ok(isUuidV5(uuidV5('episode-1', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')));
    assert.ok(!isUuidV5(randomIds()));
    assert.ok(isUuid('A5E5B880-C087-4055-B9EC-99108695F81D'));
  });
});

describe('clock', () => {
  it('writes Copenhagen time with the DST offset of that moment', () => {
    assert.equal(formatInstant(new Date('2022-12-07T11:00:01Z')), '2022-12-07T12:00:01+01:00');
    assert.equal(formatInstant(new Date('2022-07-07T10:00:01Z')), '2022-07-07T12:00:01+02:00');
    // The DST switch on 2024-03-31 at 01:00 UTC.
    assert.equal(formatInstant(new Date('2024-03-31T00:59:59Z')), '2024-03-31T01:59:59+01:00');
    assert.equal(formatInstant(new Date('2024-03-31T01:00:00Z')), '2024-03-31T03:00:00+02:00');
    assert.equal(copenhagenOffsetMinutes(new Date('2024-10-27T00:59:59Z')), 120);
    assert.equal(copenhagenOffsetMinutes(new Date('2024-10-27T01:00:00Z')), 60);
    assert.equal(formatInstant(new Date('2024-02-29T23:30:00.250Z'), 'UTC'), '2024-02-29T23:30:00.250Z');
  });

  it('round-trips every formatted instant to the same moment', () => {
    const start = Date.parse('2023-01-01T00:00:00Z');
    for (let i = 0; i < 400; i++) {
      const date = new Date(start + i * 23 * 3_600_000 + i * 1_234);
      const text = formatInstant(date);
      assert.ok(isInstant(text), text);
      assert.equal(parseInstant(text)!.getTime(), date.getTime());
    }
  });

  it('refuses timestamps without zone or seconds', () => {
    assert.equal(parseInstant('2022-12-07T12:00:01'), undefined);
    assert.equal(parseInstant('2022-12-07T12:00+01:00'), undefined);
    assert.equal(parseInstant('2022-12-07'), undefined);
  });

  it('provides fixed and stepping clocks', () => {
    const fixed = fixedClock('2022-12-07T12:00:00+01:00');
    assert.equal(fixed().getTime(), fixed().getTime());
    const step = steppingClock('2022-12-07T12:00:00+01:00', 5000);
    assert.equal(step().getTime() + 5000, step().getTime());
  });
});
