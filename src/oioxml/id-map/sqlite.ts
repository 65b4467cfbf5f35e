// SQLite id map (better-sqlite3, WAL): survives restarts and can be shared by several processes on one host.
// Uniqueness is enforced by the schema on both sides, and every read-then-write runs inside BEGIN IMMEDIATE,
// so two converters racing on the same letter cannot bind it to two different UUIDs.
import Database from 'better-sqlite3';
import {
  StoredIdMap,
  type IdKind,
  type IdMap,
  type IdOrigin,
  type IdPair,
  type IdStore,
  type OioxmlId,
} from './id-map.ts';

/** Numbered migrations; `PRAGMA user_version` records how many have run. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE oioxml_id_map (
     kind      TEXT NOT NULL CHECK (kind IN ('envelope', 'letter', 'episode')),
     gln       TEXT NOT NULL,
     oioxml_id TEXT NOT NULL,
     fhir_id   TEXT NOT NULL,
     origin    TEXT NOT NULL CHECK (origin IN ('oioxml', 'fhir', 'bound')),
     PRIMARY KEY (kind, gln, oioxml_id),
     UNIQUE (kind, fhir_id)
   ) WITHOUT ROWID`,
];

interface Row {
  kind: IdKind;
  gln: string;
  oioxml_id: string;
  fhir_id: string;
}

class SqliteIdStore implements IdStore {
  private readonly selectByOioxml: Database.Statement<[string, string, string], Pick<Row, 'fhir_id'>>;
  private readonly selectByFhir: Database.Statement<[string, string], Row>;
  private readonly insertRow: Database.Statement<[string, string, string, string, string]>;

  constructor(private readonly db: Database.Database) {
    this.selectByOioxml = db.prepare('SELECT fhir_id FROM oioxml_id_map WHERE kind = ? AND gln = ? AND oioxml_id = ?');
    this.selectByFhir = db.prepare(
      'SELECT kind, gln, oioxml_id, fhir_id FROM oioxml_id_map WHERE kind = ? AND fhir_id = ?',
    );
    this.insertRow = db.prepare(
      'INSERT INTO oioxml_id_map (kind, gln, oioxml_id, fhir_id, origin) VALUES (?, ?, ?, ?, ?)',
    );
  }

  byOioxml(oioxml: OioxmlId): string | undefined {
    return this.selectByOioxml.get(oioxml.kind, oioxml.gln, oioxml.id)?.fhir_id;
  }

  byFhir(kind: IdKind, fhirId: string): OioxmlId | undefined {
    const row = this.selectByFhir.get(kind, fhirId);
    return row ? { kind: row.kind, gln: row.gln, id: row.oioxml_id } : undefined;
  }

  insert(pair: IdPair, origin: IdOrigin): void {
    this.insertRow.run(pair.oioxml.kind, pair.oioxml.gln, pair.oioxml.id, pair.fhirId, origin);
  }

  transaction<T>(work: () => T): T {
    // Nested calls (fhirIdFor inside a caller's own transaction) reuse the outer one.
    if (this.db.inTransaction) return work();
    return this.db.transaction(work).immediate();
  }

  close(): void {
    this.db.close();
  }
}

function migrate(db: Database.Database): void {
  const done = db.pragma('user_version', { simple: true }) as number;
  for (let i = done; i < MIGRATIONS.length; i++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[i]!);
      db.pragma(`user_version = ${i + 1}`);
    }).immediate();
  }
}

/** Opens (creating if needed) an id map in the SQLite file at `path`. */
export function openSqliteIdMap(path: string): IdMap {
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    migrate(db);
    return new StoredIdMap(new SqliteIdStore(db));
  } catch (error) {
    db.close();
    throw error;
  }
}
