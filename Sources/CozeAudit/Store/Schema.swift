import GRDB

/// The versioned schema. Migrations are append-only: a shipped migration is never edited, so a
/// database written by any earlier release upgrades in place. Tables are documented in
/// `queries/README.md` for users who write their own SQL.
enum Schema {
    /// Migrates, then brings the tables that restate code up to this build: `kind_dependency`
    /// holds ``ResourceKind/listingsNeeded`` (v1 seeded the same rows; the code is their one
    /// home). Writes only when the rows differ, so opening an up-to-date file writes nothing.
    static func prepare(_ writer: some DatabaseWriter) throws {
        try migrator.migrate(writer)
        let wanted = Set(ResourceKind.allCases.flatMap { kind in kind.listingsNeeded.map { [kind.rawValue, $0] } })
        let stored = try writer.read { db in
            Set(try Row.fetchAll(db, sql: "SELECT kind, depends_on FROM kind_dependency").map { [$0[0] as String, $0[1] as String] })
        }
        guard stored != wanted else { return }
        try writer.write { db in
            try db.execute(sql: "DELETE FROM kind_dependency")
            for pair in wanted.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
                try db.execute(sql: "INSERT INTO kind_dependency (kind, depends_on) VALUES (?, ?)", arguments: [pair[0], pair[1]])
            }
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: runs, credentials, sightings, listings, findings") { db in
            try db.execute(sql: v1)
        }
        migrator.registerMigration("v2: accepted findings") { db in
            try db.execute(sql: """
                ALTER TABLE finding ADD COLUMN accepted_reason TEXT;
                ALTER TABLE finding ADD COLUMN accepted_expires TEXT;
                ALTER TABLE finding ADD COLUMN acceptance_expired TEXT;
                """)
        }
        migrator.registerMigration("v3: listings of a token rejected mid-run are blind spots") { db in
            try db.execute(sql: """
                DROP VIEW blind_spot;
                -- (run, credential, kind) that a credential could not observe in a run: a listing it depends on
                -- failed, or answered 'invalid' after the token had answered (rejected mid-run).
                CREATE VIEW blind_spot AS
                  SELECT DISTINCT l.run_id, l.credential_id, d.kind
                  FROM listing l JOIN kind_dependency d ON d.depends_on = l.kind
                  WHERE l.status = 'error' OR (l.status = 'invalid' AND l.kind <> 'user');
                """)
        }
        migrator.registerMigration("v4: finding counts per run and kind from an index") { db in
            try db.execute(sql: v4)
        }
        migrator.registerMigration("v5: sightings with the credential's name and side") { db in
            try db.execute(sql: v5)
        }
        migrator.registerMigration("v6: evidence rules: listing notes, learned API behaviour, denied credentials") { db in
            try db.execute(sql: v6)
        }
        migrator.registerMigration("v7: failure causes; retention keeps a pruned run's counts") { db in
            try db.execute(sql: v7)
        }
        migrator.registerMigration("v8: apps and workflows") { db in
            try db.execute(sql: v8)
        }
        migrator.registerMigration("v9: doctor observations") { db in
            try db.execute(sql: v9)
        }
        migrator.registerMigration("v10: undelivered notifications") { db in
            try db.execute(sql: v10)
        }
        return migrator
    }

    /// Every finding query reads `sighting`, `listing` and `finding` through an index, never a full
    /// scan (checked with EXPLAIN QUERY PLAN in `QueryPlanTests`); v1's keys serve them. This adds a
    /// covering index for the counts the reports read per run (per kind and resource type, new,
    /// accepted: the summary, the HTML cards and the trend over past runs), so a run with hundreds of
    /// thousands of findings is counted from a narrow index instead of its full rows.
    static let v4 = """
    CREATE INDEX finding_by_kind ON finding(run_id, kind, resource_type, is_new, accepted_reason);
    """

    /// "Who saw what, from which side" is the question most finding queries start from; one view
    /// answers it so the query files do not each repeat the same three-table join. SQLite
    /// flattens the view, so a `run_id = ?` filter still reaches sighting's primary key.
    static let v5 = """
    CREATE VIEW sighting_by_side AS
      SELECT s.run_id, s.kind, s.resource_id, s.credential_id, c.name AS credential, rc.side, rc.auth
      FROM sighting s
      JOIN run_credential rc ON rc.run_id = s.run_id AND rc.credential_id = s.credential_id
      JOIN credential c ON c.id = s.credential_id;
    """

    /// The evidence rules (docs/evidence.md):
    /// - `listing.note`: where the server's counts disagreed with its pages (a `total_count` larger
    ///   than what a scoped token can list, a repeated page answered with the other page parameter).
    ///   A note is not a failure: the listing is complete as far as anything can tell.
    /// - `learned_behaviour`: what the auditor learned about the API behind one base URL (which page
    ///   parameter `/v1/bots` honours), so the next run starts with it.
    /// - `run_credential.status` gains `denied`: the token endpoint answered `access_deny` (the app is
    ///   not authorized). That is an answer, not a rejected credential (`invalid`), and not a failure
    ///   (`error`). SQLite cannot alter a CHECK constraint, so the table is rebuilt.
    static let v6 = """
    ALTER TABLE listing ADD COLUMN note TEXT;
    CREATE TABLE learned_behaviour (
      base_url TEXT NOT NULL,
      key TEXT NOT NULL,
      value TEXT NOT NULL,
      source TEXT NOT NULL DEFAULT 'run',
      run_id INTEGER,
      observed_at TEXT NOT NULL,
      PRIMARY KEY (base_url, key)
    ) WITHOUT ROWID;
    DROP VIEW sighting_by_side;
    CREATE TABLE run_credential_v6 (
      run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,
      credential_id INTEGER NOT NULL REFERENCES credential(id),
      side TEXT NOT NULL CHECK (side IN ('personal', 'enterprise')),
      auth TEXT NOT NULL CHECK (auth IN ('pat', 'jwt', 'oauth')),
      fingerprint TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('pending', 'ok', 'denied', 'invalid', 'error')),
      user_id TEXT,
      user_name TEXT,
      detail TEXT,
      requests INTEGER NOT NULL DEFAULT 0,
      failed_requests INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (run_id, credential_id)
    ) WITHOUT ROWID;
    INSERT INTO run_credential_v6 SELECT run_id, credential_id, side, auth, fingerprint, status, user_id, user_name, detail,
      requests, failed_requests FROM run_credential;
    DROP TABLE run_credential;
    ALTER TABLE run_credential_v6 RENAME TO run_credential;
    """ + v5

    /// Operator experience (issue 15):
    /// - `listing.cause`: for a listing that could not be answered, its cause in plain words
    ///   (`connection refused`, `timed out`, `HTTP 502 without a Coze envelope`, `rate limited, code 4013`,
    ///   …), classified from the client's error when it happened, so a run's reason and its stderr
    ///   lines group listings by cause instead of repeating one line per listing.
    /// - retention (`prune`, config `retention:`): an old run's sightings, listings and request
    ///   failures are deleted while its run row, findings and credential rows stay. `run.pruned_at`
    ///   says when; `run.inventory` (JSON: workspace, bot, conversation, voice) and
    ///   `run_credential.sees` (the same per credential) keep the counts its reports showed.
    /// Space is reclaimed with `auto_vacuum = INCREMENTAL`, which SQLite only accepts outside a
    /// transaction (a migration runs in one): new files get it when created (`AuditStore`), an
    /// existing file is converted by one VACUUM the first time it is pruned (`Retention`).
    static let v7 = """
    ALTER TABLE listing ADD COLUMN cause TEXT;
    ALTER TABLE run ADD COLUMN pruned_at TEXT;
    ALTER TABLE run ADD COLUMN inventory TEXT;
    ALTER TABLE run_credential ADD COLUMN sees TEXT;
    """

    /// Apps and workflows (workspace-level, listed per workspace like bots) are resources and
    /// listings of their own kinds. SQLite cannot alter the CHECK on `resource.kind` and
    /// `listing.kind`, so both tables are rebuilt (the view over `listing` is dropped first and
    /// made again after, as v3 defined it).
    static let v8 = """
    DROP VIEW blind_spot;
    CREATE TABLE resource_v8 (
      kind TEXT NOT NULL CHECK (kind IN ('workspace', 'bot', 'conversation', 'voice', 'app', 'workflow')),
      id TEXT NOT NULL,
      name TEXT NOT NULL DEFAULT '',
      parent_id TEXT,
      is_system INTEGER NOT NULL DEFAULT 0,
      first_run_id INTEGER NOT NULL REFERENCES run(id),
      last_run_id INTEGER NOT NULL REFERENCES run(id),
      PRIMARY KEY (kind, id)
    ) WITHOUT ROWID;
    INSERT INTO resource_v8 (kind, id, name, parent_id, is_system, first_run_id, last_run_id)
      SELECT kind, id, name, parent_id, is_system, first_run_id, last_run_id FROM resource;
    DROP TABLE resource;
    ALTER TABLE resource_v8 RENAME TO resource;
    CREATE TABLE listing_v8 (
      run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,
      credential_id INTEGER NOT NULL REFERENCES credential(id),
      endpoint TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('user', 'workspace', 'bot', 'conversation', 'voice', 'app', 'workflow')),
      parent_id TEXT NOT NULL DEFAULT '',
      params TEXT NOT NULL DEFAULT '',
      status TEXT NOT NULL CHECK (status IN ('ok', 'denied', 'invalid', 'error')),
      http_status INTEGER,
      code INTEGER,
      message TEXT,
      logid TEXT,
      pages INTEGER NOT NULL DEFAULT 0,
      items INTEGER NOT NULL DEFAULT 0,
      note TEXT,
      cause TEXT,
      PRIMARY KEY (run_id, credential_id, endpoint, params)
    ) WITHOUT ROWID;
    INSERT INTO listing_v8 (run_id, credential_id, endpoint, kind, parent_id, params, status, http_status, code, message,
                            logid, pages, items, note, cause)
      SELECT run_id, credential_id, endpoint, kind, parent_id, params, status, http_status, code, message,
             logid, pages, items, note, cause FROM listing;
    DROP TABLE listing;
    ALTER TABLE listing_v8 RENAME TO listing;
    CREATE INDEX listing_by_status ON listing(run_id, status, endpoint);
    CREATE VIEW blind_spot AS
      SELECT DISTINCT l.run_id, l.credential_id, d.kind
      FROM listing l JOIN kind_dependency d ON d.depends_on = l.kind
      WHERE l.status = 'error' OR (l.status = 'invalid' AND l.kind <> 'user');
    """

    /// What `coze-audit doctor` observed: one row per question and credential per invocation,
    /// with the base URL, the time and the credential's fingerprint (never its secret), so a
    /// tenant's answers can be compared over time. The values later runs use are in
    /// `learned_behaviour` (`source = 'doctor'`).
    static let v9 = """
    CREATE TABLE doctor_observation (
      base_url TEXT NOT NULL,
      observed_at TEXT NOT NULL,
      credential TEXT,
      credential_fingerprint TEXT,
      question TEXT NOT NULL,
      observed TEXT NOT NULL,
      action TEXT NOT NULL,
      answered INTEGER NOT NULL CHECK (answered IN (0, 1))
    );
    CREATE INDEX doctor_observation_by_time ON doctor_observation(base_url, observed_at);
    """

    /// New findings whose notification to a target was not delivered (`notify:`), listed in the
    /// next message to that target. `target` is the type and a hash of the webhook URL (never the
    /// URL: it holds the bot's token).
    static let v10 = """
    CREATE TABLE notify_pending (
      target TEXT NOT NULL,
      key TEXT NOT NULL,
      kind TEXT NOT NULL,
      severity TEXT NOT NULL,
      text TEXT NOT NULL,
      run_id INTEGER NOT NULL,
      added_at TEXT NOT NULL,
      PRIMARY KEY (target, key)
    );
    """

    static let v1 = """
    CREATE TABLE run (
      id INTEGER PRIMARY KEY,
      started_at TEXT NOT NULL,
      finished_at TEXT,
      status TEXT NOT NULL CHECK (status IN ('running', 'complete', 'partial', 'failed')),
      base_url TEXT NOT NULL,
      reason TEXT,
      pid INTEGER
    );
    CREATE TABLE credential (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL UNIQUE,
      first_run_id INTEGER NOT NULL REFERENCES run(id)
    );
    -- What a credential was and how it fared in one run. The fingerprint is a sha256 prefix, never the secret.
    CREATE TABLE run_credential (
      run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,
      credential_id INTEGER NOT NULL REFERENCES credential(id),
      side TEXT NOT NULL CHECK (side IN ('personal', 'enterprise')),
      auth TEXT NOT NULL CHECK (auth IN ('pat', 'jwt', 'oauth')),
      fingerprint TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('pending', 'ok', 'invalid', 'error')),
      user_id TEXT,
      user_name TEXT,
      detail TEXT,
      requests INTEGER NOT NULL DEFAULT 0,
      failed_requests INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (run_id, credential_id)
    ) WITHOUT ROWID;
    -- Every resource ever seen, keyed like the API: (kind, id). Names follow the latest sighting.
    CREATE TABLE resource (
      kind TEXT NOT NULL CHECK (kind IN ('workspace', 'bot', 'conversation', 'voice')),
      id TEXT NOT NULL,
      name TEXT NOT NULL DEFAULT '',
      parent_id TEXT,
      is_system INTEGER NOT NULL DEFAULT 0,
      first_run_id INTEGER NOT NULL REFERENCES run(id),
      last_run_id INTEGER NOT NULL REFERENCES run(id),
      PRIMARY KEY (kind, id)
    ) WITHOUT ROWID;
    -- One credential saw one resource in one successful listing page; payload is the item's JSON as received.
    CREATE TABLE sighting (
      run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,
      credential_id INTEGER NOT NULL REFERENCES credential(id),
      kind TEXT NOT NULL,
      resource_id TEXT NOT NULL,
      parent_id TEXT,
      payload TEXT NOT NULL,
      PRIMARY KEY (run_id, kind, resource_id, credential_id)
    ) WITHOUT ROWID;
    CREATE INDEX sighting_by_credential ON sighting(run_id, credential_id, kind, resource_id);
    -- One listing (an endpoint with its parameters, all pages) and how it ended:
    -- ok | denied (4101) | invalid (token rejected) | error (could not be answered: the run is partial).
    CREATE TABLE listing (
      run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,
      credential_id INTEGER NOT NULL REFERENCES credential(id),
      endpoint TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('user', 'workspace', 'bot', 'conversation', 'voice')),
      parent_id TEXT NOT NULL DEFAULT '',
      params TEXT NOT NULL DEFAULT '',
      status TEXT NOT NULL CHECK (status IN ('ok', 'denied', 'invalid', 'error')),
      http_status INTEGER,
      code INTEGER,
      message TEXT,
      logid TEXT,
      pages INTEGER NOT NULL DEFAULT 0,
      items INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (run_id, credential_id, endpoint, params)
    ) WITHOUT ROWID;
    CREATE INDEX listing_by_status ON listing(run_id, status, endpoint);
    -- Every request that did not succeed, including retried ones.
    CREATE TABLE request_failure (
      id INTEGER PRIMARY KEY,
      run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,
      credential_id INTEGER NOT NULL REFERENCES credential(id),
      endpoint TEXT NOT NULL,
      params TEXT NOT NULL DEFAULT '',
      http_status INTEGER,
      code INTEGER,
      message TEXT,
      logid TEXT
    );
    CREATE INDEX request_failure_by_run ON request_failure(run_id, credential_id);
    -- Which listings a resource kind depends on: a failed listing of any of them makes that kind unknown.
    CREATE TABLE kind_dependency (
      kind TEXT NOT NULL,
      depends_on TEXT NOT NULL,
      PRIMARY KEY (kind, depends_on)
    ) WITHOUT ROWID;
    INSERT INTO kind_dependency VALUES
      ('workspace', 'user'), ('workspace', 'workspace'),
      ('bot', 'user'), ('bot', 'workspace'), ('bot', 'bot'),
      ('conversation', 'user'), ('conversation', 'workspace'), ('conversation', 'bot'), ('conversation', 'conversation'),
      ('voice', 'user'), ('voice', 'voice');
    -- (run, credential, kind) that a credential could not observe in a run because a listing failed.
    CREATE VIEW blind_spot AS
      SELECT DISTINCT l.run_id, l.credential_id, d.kind
      FROM listing l JOIN kind_dependency d ON d.depends_on = l.kind
      WHERE l.status = 'error';
    CREATE TABLE finding (
      run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,
      key TEXT NOT NULL,
      kind TEXT NOT NULL,
      severity TEXT NOT NULL,
      resource_type TEXT,
      resource_id TEXT,
      credential TEXT,
      endpoint TEXT,
      code INTEGER,
      reason TEXT,
      count INTEGER,
      seen_by TEXT NOT NULL DEFAULT '[]',
      details TEXT NOT NULL DEFAULT '{}',
      is_new INTEGER NOT NULL DEFAULT 1,
      first_run_id INTEGER NOT NULL,
      PRIMARY KEY (run_id, key)
    ) WITHOUT ROWID;
    CREATE INDEX finding_by_key ON finding(key, run_id);
    """
}
