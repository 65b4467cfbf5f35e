import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { NS_2005, NS_2006 } from '../../src/oioxml/namespaces.ts';
import { XsdSchemaSet } from '../../src/oioxml/xsd.ts';
import { example, examples, fromLatin1, latin1, testSchemas, XSD } from './support.ts';

describe('XSD validation of OIOXML schema sets', () => {
  const schemas = testSchemas();

  for (const kind of ['xdis91'] as const) {
    for (const { file, bytes } of examples(kind)) {
      it(`accepts ${kind}/${file} (2006/07/01)`, () => {
        const report = schemas.validate(NS_2006, bytes, { label: file });
        assert.deepEqual(report.issues, []);
        assert.equal(report.valid, true);
      });
    }
  }
  for (const kind of ['xdis20', 'xdis17', 'xctl'] as const) {
    for (const { file, bytes } of examples(kind)) {
      it(`accepts ${kind}/${file} (2005/08/07)`, () => {
        const report = schemas.validate(NS_2005, bytes, { label: file });
        assert.deepEqual(report.issues, []);
      });
    }
  }

  it('rejects a too-long Letter Identifier, naming label, line and element', () => {
    const { bytes } = example('xdis91', 'edifact_converter__DIS91_1');
    const broken = fromLatin1(latin1(bytes).replace('BrevNr00129', 'BrevNr001299999999'));
    const report = schemas.validate(NS_2006, broken, { label: 'broken.xml' });
    assert.equal(report.valid, false);
    const issue = report.issues[0]!;
    assert.equal(issue.label, 'broken.xml');
    assert.equal(issue.element, 'Identifier');
    assert.equal(issue.line, 2);
    assert.match(issue.message, /maxLength/);
  });

  it('rejects a letter from the other namespace', () => {
    const { bytes } = example('xdis20', 'edifact_converter__DIS20');
    const report = schemas.validate(NS_2006, bytes, { label: 'dis20' });
    assert.equal(report.valid, false);
    assert.equal(report.issues[0]!.element, 'Emessage');
  });

  it('rejects nested styles that FormattedText forbids (Bold inside Bold)', () => {
    const { bytes } = example('xdis91', 'edifact_converter__DIS91_1');
    const broken = fromLatin1(latin1(bytes).replace('<Break/>', '<Bold><Bold>x</Bold></Bold>'));
    const report = schemas.validate(NS_2006, broken, { label: 'nested' });
    assert.equal(report.valid, false);
    assert.equal(report.issues[0]!.element, 'Bold');
  });

  it('reads Latin-1 without a declaration (æøå) and reports non-well-formed input as an issue', () => {
    const { bytes } = example('xdis91', 'edifact_converter__DIS91_1');
    const undeclared = fromLatin1(latin1(bytes).replace(/^<\?xml[^>]*\?>\s*/, ''));
    assert.equal(schemas.validate(NS_2006, undeclared, { label: 'no-decl' }).valid, true);
    const truncated = undeclared.subarray(0, 300);
    const report = schemas.validate(NS_2006, truncated, { label: 'cut' });
    assert.equal(report.valid, false);
    assert.equal(report.issues[0]!.label, 'cut');
    assert.ok(report.issues[0]!.line >= 1);
  });

  it('does not expand external entities', () => {
    const hostile = fromLatin1(
      '<?xml version="1.0"?><!DOCTYPE Emessage [<!ENTITY x SYSTEM "file:///etc/passwd">]><Emessage xmlns="' +
        NS_2006 +
        '">&x;</Emessage>',
    );
    const report = schemas.validate(NS_2006, hostile, { label: 'xxe' });
    assert.equal(report.valid, false);
    assert.ok(report.issues.every((i) => !i.message.includes('root:')));
  });

  it('compiles the later OS2korrespondance revision (includes across folders) and accepts every XDIS91', () => {
    const set = XsdSchemaSet.fromFolder(join(XSD, 'os2korrespondance'), '2006/07/01/EMessage.xsd');
    try {
      for (const { file, bytes } of examples('xdis91')) {
        assert.deepEqual(set.validate(bytes, { label: file }).issues, [], file);
      }
    } finally {
      set.dispose();
    }
  });

  it('names the missing folder when configured wrongly', () => {
    assert.throws(() => XsdSchemaSet.fromFolder(join(XSD, 'no-such-folder')), /no-such-folder/);
  });
});
