/**
 * What `validateProfileId` needs from a validator. The runner depends on this small port rather than on the
 * project's Validator class, so the same runner can use the snapshot validator, a stricter external one, or none.
 */
import type { PackageRef } from '../../fhir/packages/package-ref.ts';

export interface ProfileIssue {
  readonly severity: 'fatal' | 'error' | 'warning' | 'information';
  readonly code?: string;
  readonly expression?: readonly string[] | string;
  readonly message: string;
}

export interface ProfileVerdict {
  readonly valid: boolean;
  readonly issues: readonly ProfileIssue[];
}

export interface ProfileValidator {
  /** Validates `resource` against `profile` (canonical, optionally `url|version`) inside the closure of `ig`. */
  validate(resource: unknown, profile: string, ig: PackageRef): ProfileVerdict | Promise<ProfileVerdict>;
}
