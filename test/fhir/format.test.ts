import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { detectFhirFormat, parseFhir, parseFhirJson } from '../../src/fhir/format.ts';
import { FhirJsonError } from '../../src/fhir/json-error.ts';
import { findJsonSyntaxError } from '../../src/fhir/json-syntax.ts';
import { writeFhirXml } from '../../src/fhir/xml/fhir-xml.ts';
import { XmlError } from '../../src/xml/read.ts';
import { CC, MEDCOM, officialExamples, testStore } from '../support/shared.ts';

const context = testStore().context(CC);
const bundle = officialExamples(CC).find((e) => e.resource.resourceType === 'Bundle')!;
const jsonText = JSON.stringify(bundle.resource, null, 2);
const jsonBytes = new TextEncoder().encode(jsonText);

function jsonError(input: string | Uint8Array, check: (error: FhirJsonError) => void): void {
  assert.throws(
    () => parseFhir(input, 'message.json', context),
    (error: unknown) => {
      assert.ok(error instanceof FhirJsonError, `expected FhirJsonError, got ${String(error)}`);
      assert.equal(error.label, 'message.json');
      assert.match(error.message, /^message\.json: /);
      check(error);
      return true;
    },
  );
}

/** Line and column (1-based) of an offset, computed the obvious way. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

describe('parseFhir: format detection', () => {
  it('reads the same message as JSON and as XML', () => {
    const xml = writeFhirXml(bundle.resource, context);
    assert.equal(detectFhirFormat(jsonBytes), 'json');
    assert.equal(detectFhirFormat(xml), 'xml');
    const fromJson = parseFhir(jsonBytes, bundle.file, context);
    const fromXml = parseFhir(xml, bundle.file, context);
    assert.equal(fromJson.format, 'json');
    assert.equal(fromXml.format, 'xml');
    assert.deepEqual(fromJson.resource, bundle.resource);
    assert.deepEqual(fromXml.resource, bundle.resource);
    // Strings, a UTF-8 byte-order mark and leading whitespace are fine too.
    assert.equal(parseFhir(`\n  ${jsonText}`, 'x', context).format, 'json');
    assert.equal(parseFhir(new Uint8Array([0xef, 0xbb, 0xbf, ...jsonBytes]), 'x', context).format, 'json');
    assert.equal(parseFhir(new TextDecoder().decode(xml), 'x', context).format, 'xml');
  });

  it('reads the real eHMI FHIR XML payload', () => {
    const bytes = readFileSync(join(MEDCOM, 'ehmi-sbdh', 'ehmiSBDH', 'ehmiMessage.xml'));
    const { resource, format } = parseFhir(bytes, 'ehmiMessage.xml', context);
    assert.equal(format, 'xml');
    assert.equal(resource.resourceType, 'Bundle');
  });

  it('rejects content that is neither, and JSON that is not a resource', () => {
    jsonError('MSH|^~\\&|', (error) => assert.match(error.message, /neither FHIR JSON .* nor FHIR XML/));
    jsonError('', (error) => assert.match(error.message, /neither/));
    jsonError('{"id": "x"}', (error) => assert.match(error.message, /no resourceType/));
    assert.throws(() => parseFhirJson('[1]', 'x'), /expected a JSON object/);
  });

  it('passes XML errors through as XmlError with the label', () => {
    assert.throws(
      () => parseFhir('<Bundle xmlns="http://hl7.org/fhir"><type value="message"></Bundle>', 'bad.xml', context),
      (error: unknown) => error instanceof XmlError && error.label === 'bad.xml',
    );
  });
});

describe('parseFhir: JSON syntax errors', () => {
  it('names line and column of a trailing comma in a real message', () => {
    // The first object that closes on its own line: put a comma after its last property.
    const close = jsonText.search(/\n *\}/);
    const broken = jsonText.slice(0, close) + ',' + jsonText.slice(close);
    // The error is where another property name was expected: at the closing brace.
    const next = broken.indexOf('}', close);
    jsonError(broken, (error) => {
      assert.deepEqual({ line: error.line, column: error.column }, lineColumn(broken, next));
      assert.match(error.message, /expected a property name in double quotes/);
    });
  });

  it('reports truncated input at its end', () => {
    const truncated = jsonText.slice(0, Math.floor(jsonText.length / 2));
    const cut = truncated.trimEnd();
    jsonError(truncated, (error) => {
      const { line } = lineColumn(truncated, truncated.length);
      assert.ok(error.line! >= lineColumn(truncated, cut.length - 1).line && error.line! <= line);
      assert.match(error.message, /end of input|not terminated/);
    });
  });

  it('never quotes the content (a CPR number next to the error stays out of the message)', () => {
    const cpr = '0101709995';
    const text = `{"resourceType": "Patient", "identifier": [{"value": "${cpr}"},tru]}`;
    jsonError(text, (error) => {
      assert.doesNotMatch(error.message, /9995/);
      assert.equal(error.column, text.indexOf('tru]') + 1);
    });
    // V8 itself quotes the input around this kind of error — which is why its message is not used.
    assert.throws(() => JSON.parse(text), /9995/);
  });

  it('rejects bytes that are not UTF-8, with the line', () => {
    const latin1 = new Uint8Array([
      ...new TextEncoder().encode('{"resourceType": "Patient",\n"name": [{"text": "'),
      0xf8,
      ...new TextEncoder().encode('"}]}'),
    ]);
    jsonError(latin1, (error) => {
      assert.equal(error.line, 2);
      assert.match(error.message, /not valid UTF-8/);
    });
  });

  it('the scanner agrees with JSON.parse on valid JSON and on arbitrary text', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        assert.equal(findJsonSyntaxError(JSON.stringify(value, null, 1)), undefined);
      }),
      { numRuns: 300 },
    );
    const jsonish = fc
      .array(
        fc.constantFrom(
          '{',
          '}',
          '[',
          ']',
          '"a"',
          ':',
          ',',
          ' ',
          '\n',
          '1',
          '-',
          '.5',
          'e3',
          'true',
          'nul',
          '"\\u12"',
          '"\\n"',
          '"',
          '\\',
        ),
        { maxLength: 20 },
      )
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(jsonish, (text) => {
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        const problem = findJsonSyntaxError(text);
        assert.equal(problem === undefined, valid, `${JSON.stringify(text)}: ${problem?.problem}`);
      }),
      { numRuns: 2000 },
    );
  });
});
