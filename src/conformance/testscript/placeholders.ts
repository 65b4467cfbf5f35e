/**
 * Touchstone placeholders: predefined variables usable in fixtures, operation params and assert values (Touchstone
 * user guide, "Placeholders"). Two kinds:
 * - user-unique values `${C<n>}`, `${D<n>}`, `${CD<n>}` (n = 1…20): fixed per user so that parallel vendors on the
 *   shared sandbox never collide; MedCom fixtures append `${D6}` to MessageHeader ids and endpoints;
 * - generated values `${UUID}` (plus `-ST` and `-NODASH` forms) and `${CURRENTDATE[TIME][, <portion>, <offset>]…}`,
 *   where the portion is one letter of Java's `yyMMddHHmmss` and the offset a signed integer.
 *
 * Everything is derived from an injected seed and clock so a run can be replayed exactly. *Inference* (the guide does
 * not say): a plain `${UUID}` is new at every occurrence, `${UUID-ST}` is one value per script execution.
 */
import { createHash } from 'node:crypto';
import { formatInstant, type Clock } from '../../messages/clock.ts';
import type { IdGenerator } from '../../messages/ids.ts';

export interface PlaceholderSource {
  /** The value of a placeholder name (without `${}`), or undefined when the name is not a placeholder. */
  value(name: string): string | undefined;
}

export interface TouchstonePlaceholderOptions {
  /** Seed of the "user": decides every `${C…}`/`${D…}`/`${CD…}` value. */
  readonly user: string;
  readonly ids: IdGenerator;
  readonly clock: Clock;
}

const USER_UNIQUE = /^(C|D|CD)([1-9]|1\d|20)$/;
const UUID_FORMS = /^UUID(-ST)?(-NODASH)?$/;
const CURRENT = /^(CURRENTDATE|CURRENTDATETIME)((?:\s*,\s*[yMdHms]\s*,\s*[+-]?\d+)*)$/;

export class TouchstonePlaceholders implements PlaceholderSource {
  private readonly perScript = new Map<string, string>();

  constructor(private readonly options: TouchstonePlaceholderOptions) {}

  value(name: string): string | undefined {
    const trimmed = name.trim();
    const unique = USER_UNIQUE.exec(trimmed);
    if (unique) return userUnique(this.options.user, unique[1]!, Number(unique[2]));
    const uuid = UUID_FORMS.exec(trimmed);
    if (uuid) {
      let value: string;
      if (uuid[1]) {
        value = this.perScript.get('UUID-ST') ?? this.options.ids();
        this.perScript.set('UUID-ST', value);
      } else {
        value = this.options.ids();
      }
      return uuid[2] ? value.replaceAll('-', '') : value;
    }
    const current = CURRENT.exec(trimmed);
    if (current) return currentDate(this.options.clock(), current[1] === 'CURRENTDATETIME', current[2] ?? '');
    return undefined;
  }
}

/**
 * Letters from the user seed for `C`, digits for `D`, both for `CD`; the same name always gives the same value and
 * different lengths are independent (a `${D6}` is not a prefix of `${D9}`).
 */
function userUnique(user: string, kind: string, length: number): string {
  const alphabet =
    kind === 'D' ? '0123456789' : kind === 'C' ? 'ABCDEFGHIJKLMNOPQRSTUVWXYZ' : 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const bytes = createHash('sha256').update(`${user}:${kind}${length}`).digest();
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[bytes[i]! % alphabet.length];
  return out;
}

function currentDate(now: Date, withTime: boolean, offsets: string): string {
  const date = new Date(now.getTime());
  for (const match of offsets.matchAll(/([yMdHms])\s*,\s*([+-]?\d+)/g)) {
    const amount = Number(match[2]);
    switch (match[1]) {
      case 'y':
        date.setUTCFullYear(date.getUTCFullYear() + amount);
        break;
      case 'M':
        date.setUTCMonth(date.getUTCMonth() + amount);
        break;
      case 'd':
        date.setUTCDate(date.getUTCDate() + amount);
        break;
      case 'H':
        date.setUTCHours(date.getUTCHours() + amount);
        break;
      case 'm':
        date.setUTCMinutes(date.getUTCMinutes() + amount);
        break;
      case 's':
        date.setUTCSeconds(date.getUTCSeconds() + amount);
        break;
    }
  }
  const instant = formatInstant(date);
  return withTime ? instant : instant.slice(0, 10);
}
