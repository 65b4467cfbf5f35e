// What the converter remembers between runs. Several conversions depend on an earlier message that the input does
// not repeat (oioxml.md §8.2, §9):
//   - XDIS17 → HospitalNotification needs the stay's previous notification (Encounter, period.start, Provenances);
//   - XCTL receipt → Acknowledgement needs the FHIR message the receipted letter was written from;
//   - Acknowledgement → XCTL receipt needs the OIOXML letter the acknowledged message was converted from;
//   - HospitalNotification → XDIS17 for a cancellation takes the discharge time from the notification it cancels.
// So every successful conversion records both sides: FHIR messages by MessageHeader.id, letters (as single-letter
// Emessages) by sender EAN + Letter.Identifier, and the order of each stay's notifications by episode-of-care UUID.
// The records contain patient data (CPR numbers): the SQLite file must be protected like any message store.
import Database from 'better-sqlite3';
import type { MessageBundle } from '../../messages/fhir-types.ts';

export interface RecordedLetter {
  /** EAN of the letter's sender: OIOXML letter ids are unique per sender only. */
  readonly ean: string;
  readonly letterId: string;
  /** The letter as a single-letter Emessage (ISO-8859-1). */
  readonly bytes: Uint8Array;
}

export interface StayStep {
  /** Bare lower-case episode-of-care UUID. */
  readonly episode: string;
  readonly messageHeaderId: string;
}

export interface HistoryRecord {
  readonly fhirMessages: readonly MessageBundle[];
  readonly letters: readonly RecordedLetter[];
  readonly stays: readonly StayStep[];
}

export interface ConversionHistory {
  fhirMessage(messageHeaderId: string): MessageBundle | undefined;
  letter(ean: string, letterId: string): Uint8Array | undefined;
  /** MessageHeader ids of a stay's notifications, in the order they were converted. */
  stay(episode: string): readonly string[];
  /** Records one conversion, atomically. */
  remember(record: HistoryRecord): void;
  close(): void;
}

/** The notification a stay's message follows: the last one recorded before `current` (a resend is not its own). */
export function previousInStay(
  history: ConversionHistory,
  episode: string,
  current: string,
): MessageBundle | undefined {
  const steps = history.stay(episode);
  const index = steps.indexOf(current);
  const before = index >= 0 ? steps.slice(0, index) : steps;
  const previous = before[before.length - 1];
  return previous === undefined ? undefined : history.fhirMessage(previous);
}

function headerIdOf(bundle: MessageBundle): string {
  return String(bundle.entry[0]!.resource.id);
}

function withStep(steps: readonly string[], id: string): string[] {
  return steps.includes(id) ? [...steps] : [...steps, id];
}

/** For one run: nothing survives the process (the default when no database is configured). */
export function memoryHistory(): ConversionHistory {
  const messages = new Map<string, MessageBundle>();
  const letters = new Map<string, Uint8Array>();
  const stays = new Map<string, string[]>();
  return {
    fhirMessage: (id) => messages.get(id),
    letter: (ean, letterId) => letters.get(`${ean}#${letterId}`),
    stay: (episode) => stays.get(episode) ?? [],
    remember(record) {
      for (const bundle of record.fhirMessages) messages.set(headerIdOf(bundle), bundle);
      for (const letter of record.letters) letters.set(`${letter.ean}#${letter.letterId}`, letter.bytes);
      for (const step of record.stays)
        stays.set(step.episode, withStep(stays.get(step.episode) ?? [], step.messageHeaderId));
    },
    close() {
      messages.clear();
      letters.clear();
      stays.clear();
    },
  };
}

// Its own table beside the id map's in the same file; created if missing, so the id map's migrations (which number
// the file's user_version) are not disturbed.
const SCHEMA = `CREATE TABLE IF NOT EXISTS convert_history (
  kind    TEXT NOT NULL CHECK (kind IN ('fhir-message', 'letter', 'stay')),
  key     TEXT NOT NULL,
  content BLOB NOT NULL,
  PRIMARY KEY (kind, key)
) WITHOUT ROWID`;

type Kind = 'fhir-message' | 'letter' | 'stay';

/** Opens (creating if needed) the history in the SQLite file at `path`. */
export function openSqliteHistory(path: string): ConversionHistory {
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    db.exec(SCHEMA);
  } catch (error) {
    db.close();
    throw error;
  }
  const select = db.prepare<[Kind, string], { content: Buffer }>(
    'SELECT content FROM convert_history WHERE kind = ? AND key = ?',
  );
  const upsert = db.prepare<[Kind, string, Buffer | string]>(
    'INSERT INTO convert_history (kind, key, content) VALUES (?, ?, ?) ' +
      'ON CONFLICT (kind, key) DO UPDATE SET content = excluded.content',
  );
  const get = (kind: Kind, key: string): Buffer | undefined => {
    const content = select.get(kind, key)?.content;
    return content === undefined ? undefined : Buffer.from(content);
  };
  const stay = (episode: string): string[] => {
    const content = get('stay', episode);
    return content ? (JSON.parse(content.toString('utf8')) as string[]) : [];
  };
  return {
    fhirMessage(id) {
      const content = get('fhir-message', id);
      return content ? (JSON.parse(content.toString('utf8')) as MessageBundle) : undefined;
    },
    letter(ean, letterId) {
      const content = get('letter', `${ean}#${letterId}`);
      return content ? new Uint8Array(content) : undefined;
    },
    stay,
    remember(record) {
      // IMMEDIATE: a concurrent converter must not interleave its read-modify-write of a stay's list with ours.
      db.transaction(() => {
        for (const bundle of record.fhirMessages) {
          upsert.run('fhir-message', headerIdOf(bundle), Buffer.from(JSON.stringify(bundle), 'utf8'));
        }
        for (const letter of record.letters)
          upsert.run('letter', `${letter.ean}#${letter.letterId}`, Buffer.from(letter.bytes));
        for (const step of record.stays) {
          upsert.run(
            'stay',
            step.episode,
            Buffer.from(JSON.stringify(withStep(stay(step.episode), step.messageHeaderId))),
          );
        }
      }).immediate();
    },
    close() {
      db.close();
    },
  };
}
