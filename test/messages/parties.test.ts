import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';
import {
  careOrganizationFromResource,
  Cpr,
  isSorCode,
  MESSAGING_ORGANIZATION_PROFILE,
  GLN_SYSTEM_HTTP,
  GLN_SYSTEM_HTTPS,
  GLN_SYSTEM_OID,
  glnSystemForDkCore,
  isGln,
  messagingOrganization,
  partyFromOrganization,
  patientFromResource,
  patientResource,
  ReplacementCpr,
  SOR_SYSTEM,
  toGln,
  toSorCode,
} from '../../src/messages/parties.ts';
import { MessageModelError } from '../../src/messages/errors.ts';
import { HN, ACK, testStore } from '../support/shared.ts';

function packageRootResources(ref: { id: string; version: string }, prefix: string) {
  const folder = testStore().cache.folder(ref);
  return readdirSync(folder)
    .filter((f) => f.startsWith(prefix) && f.endsWith('.json'))
    .map((f) => ({ file: f, resource: JSON.parse(readFileSync(join(folder, f), 'utf8')) as Record<string, unknown> }));
}

describe('Gln', () => {
  it('accepts GLNs with a valid GS1 check digit and refuses a changed digit', () => {
    assert.equal(toGln('5790001348120'), '5790001348120');
    assert.equal(isGln('5790001348121'), false);
    assert.throws(() => toGln('5790001348121'), /check digit \(expected 0\)/);
    assert.throws(() => toGln('579000134812'), /13 digits/);
  });

  it('computes the check digit for every digit position', () => {
    // Changing any one of the first 12 digits must change the expected check digit (weights 1 and 3 are both odd).
    const base = '5790000209354';
    for (let i = 0; i < 12; i++) {
      const changed = base.slice(0, i) + String((Number(base[i]) + 1) % 10) + base.slice(i + 1);
      assert.equal(isGln(changed), false, `position ${i}`);
    }
  });

  it('picks the GLN system by dk-core version', () => {
    assert.equal(glnSystemForDkCore('2.0.0'), GLN_SYSTEM_HTTPS);
    assert.equal(glnSystemForDkCore('3.4.0'), GLN_SYSTEM_HTTPS);
    assert.equal(glnSystemForDkCore('3.5.0'), GLN_SYSTEM_HTTP);
  });
});

describe('SorCode', () => {
  it('needs at least 11 digits', () => {
    assert.equal(toSorCode('12345678901'), '12345678901');
    assert.throws(() => toSorCode('1234567890'), /at least 11 digits/);
    assert.throws(() => toSorCode('1234567890a'), /at least 11 digits/);
  });
});

describe('MessagingOrganization', () => {
  const all = [...packageRootResources(HN, 'Organization-'), ...packageRootResources(ACK, 'Organization-')];
  const isMessaging = (r: Record<string, unknown>) =>
    (r.meta as { profile: string[] }).profile.includes(MESSAGING_ORGANIZATION_PROFILE);
  const orgs = all.filter((o) => isMessaging(o.resource));

  it('reads every official MedComMessagingOrganization of the HN and ACK packages', () => {
    assert.ok(orgs.length >= 20);
    for (const { file, resource } of orgs) {
      const party = partyFromOrganization(resource, file);
      const ids = resource.identifier as { system: string; value: string }[];
      assert.equal(party.sor, ids.find((i) => i.system === SOR_SYSTEM)!.value, file);
      assert.ok(isGln(party.gln), file);
      assert.equal(party.name, resource.name, file);
    }
  });

  it('reads the core (serviceProvider) Organizations, which need only a SOR code', () => {
    const core = all.filter((o) => !isMessaging(o.resource));
    assert.ok(core.length >= 1);
    for (const { file, resource } of core) {
      const unit = careOrganizationFromResource(resource, file);
      assert.ok(isSorCode(unit.sor), file);
      assert.throws(() => partyFromOrganization(resource, file), /missing or invalid GLN/);
    }
  });

  it('round-trips a party through the resource, and accepts all three GLN systems on input', () => {
    const party = { sor: toSorCode('265161000016000'), gln: toGln('5790000209354'), name: 'Hjerteafdelingen' };
    const org = messagingOrganization(party, { id: 'o1' });
    assert.deepEqual(
      org.identifier.map((i) => i.system),
      [GLN_SYSTEM_HTTPS, SOR_SYSTEM],
    );
    for (const system of [GLN_SYSTEM_HTTPS, GLN_SYSTEM_HTTP, GLN_SYSTEM_OID]) {
      const variant = { ...org, identifier: [{ system, value: party.gln }, org.identifier[1]!] };
      assert.deepEqual(partyFromOrganization(variant, 'x'), party);
    }
  });

  it('names the identifier element when the GLN is wrong', () => {
    const org = messagingOrganization(
      { sor: toSorCode('265161000016000'), gln: toGln('5790000209354'), name: 'x' },
      { id: 'o1' },
    );
    org.identifier[0]!.value = '5790000209355';
    assert.throws(
      () => partyFromOrganization(org, 'Bundle.entry[3].resource', undefined, 'msg.json'),
      (e: unknown) =>
        e instanceof MessageModelError &&
        e.location === 'Bundle.entry[3].resource.identifier[0].value' &&
        e.message.startsWith('msg.json:'),
    );
  });
});

describe('Cpr and PatientInfo', () => {
  it('applies the dk-core day/month rule, including 29 February', () => {
    assert.ok(Cpr.isValid('2509479989'));
    assert.ok(!Cpr.isValid('3102479989'), '31 February');
    assert.ok(!Cpr.isValid('0013479989'), 'month 13');
    assert.ok(Cpr.isValid('2902481234'), '1948 leap year, 7th digit 1');
    assert.ok(!Cpr.isValid('2902491234'), '1949 not a leap year');
    assert.ok(Cpr.isValid('2902004234'), '2000, 7th digit 4');
    assert.ok(!Cpr.isValid('2902001234'), '1900 is no leap year');
    assert.ok(!Cpr.isValid('250947998'), 'nine digits');
  });

  it('never shows the number when printed, serialised or inspected, nor in errors', () => {
    const cpr = Cpr.parse('2509479989');
    const shown = [String(cpr), `${cpr}`, JSON.stringify({ cpr }), inspect(cpr), inspect({ patient: { cpr } })];
    for (const text of shown) assert.ok(!text.includes('2509479989') && !text.includes('250947'), text);
    assert.equal(cpr.reveal(), '2509479989');
    assert.throws(
      () => Cpr.parse('3102479989'),
      (e: unknown) => e instanceof RangeError && !e.message.includes('3102479989'),
    );
  });

  it('reads every official HN Patient, keeping deceased', () => {
    const patients = packageRootResources(HN, 'Patient-');
    assert.equal(patients.length, 12);
    for (const { file, resource } of patients) {
      const info = patientFromResource(resource, file);
      assert.ok(info.identifier instanceof Cpr, file);
      assert.equal(info.identifier.reveal(), (resource.identifier as { value: string }[])[0]!.value);
      assert.equal(info.deceased, resource.deceasedBoolean, file);
    }
  });

  it('writes a Patient that reads back the same, with the CPR only in the identifier', () => {
    const info = { identifier: Cpr.parse('2509479989'), name: { family: 'Elmer', given: ['Bente'] }, deceased: true };
    const resource = patientResource(info, { id: 'p1' });
    assert.ok(!resource.text!.div.includes('2509479989'));
    const back = patientFromResource(resource, 'p1');
    assert.ok(back.identifier instanceof Cpr && back.identifier.equals(info.identifier));
    assert.deepEqual(back.name, info.name);
    assert.equal(back.deceased, true);
  });

  it('reads a replacement CPR and masks an invalid CPR in model errors', () => {
    const ecpr = patientFromResource(
      {
        resourceType: 'Patient',
        identifier: [{ use: 'temp', system: 'urn:oid:1.2.208.176.1.6.1.1', value: '0703921VJ4' }],
        name: [],
      },
      'p',
    );
    assert.ok(ecpr.identifier instanceof ReplacementCpr);
    assert.ok(!String(ecpr.identifier).includes('0703921VJ4'));
    assert.throws(
      () =>
        patientFromResource(
          {
            resourceType: 'Patient',
            identifier: [{ system: 'urn:oid:1.2.208.176.1.2', value: '3102479989' }],
            name: [],
          },
          'Bundle.entry[1].resource',
        ),
      (e: unknown) =>
        e instanceof MessageModelError &&
        e.location === 'Bundle.entry[1].resource.identifier[0].value' &&
        !e.message.includes('3102479989'),
    );
  });
});
