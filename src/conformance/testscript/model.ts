/**
 * The part of the FHIR R4 TestScript resource the runner executes, in a shape that is easier to walk than the JSON:
 * operations and asserts are tagged, every action knows its position, and optional fields stay optional so an
 * erratum can tell "absent" from "empty". Parsing (`parse.ts`) maps the JSON onto this model and refuses what the
 * runner cannot execute, so an unsupported construct surfaces when the script loads, not as a silent pass.
 */
import type { PackageRef } from '../../fhir/packages/package-ref.ts';

/** Operation codes from `http://terminology.hl7.org/CodeSystem/testscript-operation-codes` that the runner executes. */
export type OperationType = 'create' | 'read' | 'vread' | 'update' | 'updateCreate' | 'delete' | 'search' | 'history';

export const SUPPORTED_OPERATIONS: readonly OperationType[] = [
  'create',
  'read',
  'vread',
  'update',
  'updateCreate',
  'delete',
  'search',
  'history',
];

/** TestScript.setup.action.assert.operator (R4 `assert-operator-codes`). */
export type AssertOperator =
  | 'equals'
  | 'notEquals'
  | 'in'
  | 'notIn'
  | 'greaterThan'
  | 'lessThan'
  | 'empty'
  | 'notEmpty'
  | 'contains'
  | 'notContains'
  | 'eval';

export const ASSERT_OPERATORS: readonly AssertOperator[] = [
  'equals',
  'notEquals',
  'in',
  'notIn',
  'greaterThan',
  'lessThan',
  'empty',
  'notEmpty',
  'contains',
  'notContains',
  'eval',
];

export type Direction = 'request' | 'response';

export interface FixtureDeclaration {
  readonly id: string;
  /** The Touchstone path (`/FHIRSandbox/...`) or relative path (`../Fixtures/...`) of the fixture file. */
  readonly reference: string;
  readonly autocreate: boolean;
  readonly autodelete: boolean;
}

export interface ProfileDeclaration {
  readonly id: string;
  /** Canonical, optionally `url|version`. */
  readonly reference: string;
}

export interface VariableDeclaration {
  readonly name: string;
  readonly expression?: string;
  readonly headerField?: string;
  /** XPath or JSONPath against the source body. */
  readonly path?: string;
  readonly sourceId?: string;
  readonly defaultValue?: string;
  readonly hint?: string;
}

export interface Operation {
  readonly type: OperationType;
  readonly resource?: string;
  readonly description?: string;
  readonly accept?: string;
  readonly contentType?: string;
  /** `origin` present means the system under test performs the operation; absent means the test engine does. */
  readonly origin?: number;
  readonly destination?: number;
  readonly params?: string;
  readonly url?: string;
  readonly sourceId?: string;
  readonly targetId?: string;
  readonly requestId?: string;
  readonly responseId?: string;
  readonly encodeRequestUrl?: boolean;
  readonly requestHeader?: readonly { field: string; value: string }[];
}

export interface Assert {
  readonly label?: string;
  readonly description?: string;
  readonly direction?: Direction;
  readonly compareToSourceId?: string;
  readonly compareToSourceExpression?: string;
  readonly compareToSourcePath?: string;
  readonly contentType?: string;
  readonly expression?: string;
  readonly headerField?: string;
  readonly minimumId?: string;
  readonly navigationLinks?: boolean;
  readonly operator?: AssertOperator;
  readonly path?: string;
  readonly requestMethod?: string;
  readonly requestURL?: string;
  readonly resource?: string;
  /** Symbolic response (`okay`, `created`, `notFound` …). */
  readonly response?: string;
  readonly responseCode?: string;
  readonly sourceId?: string;
  readonly validateProfileId?: string;
  readonly value?: string;
  readonly warningOnly: boolean;
}

/** Where an action sits: `setup`, a test (by id, or `test[<index>]` when the test has no id) or `teardown`. */
export interface ActionLocation {
  readonly section: 'setup' | 'test' | 'teardown';
  /** Test id, `test[<n>]`, `setup` or `teardown`. */
  readonly group: string;
  /** Zero-based index of the action inside its group; negative (-1, -2 …) for actions an erratum inserted. */
  readonly index: number;
}

export type Action =
  | { readonly kind: 'operation'; readonly at: ActionLocation; readonly operation: Operation }
  | { readonly kind: 'assert'; readonly at: ActionLocation; readonly assert: Assert };

export interface TestCase {
  /** `id` of the test, or `test[<n>]`. */
  readonly key: string;
  readonly name?: string;
  readonly description?: string;
  readonly actions: readonly Action[];
}

export interface TestScript {
  readonly id: string;
  readonly url?: string;
  readonly version?: string;
  readonly title?: string;
  readonly description?: string;
  /** The package and file the script was read from, for reports and error messages. */
  readonly source: { readonly package?: PackageRef; readonly file: string };
  readonly fixtures: readonly FixtureDeclaration[];
  readonly profiles: readonly ProfileDeclaration[];
  readonly variables: readonly VariableDeclaration[];
  readonly setup: readonly Action[];
  readonly tests: readonly TestCase[];
  readonly teardown: readonly Action[];
}

/** A stable address of one action, used by errata and reports: `scriptId/group/index` (`…/+n` when inserted). */
export function actionKey(scriptId: string, at: ActionLocation): string {
  return `${scriptId}/${at.group}/${at.index < 0 ? `+${-at.index}` : at.index}`;
}
