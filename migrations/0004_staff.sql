-- Staff: accounts with a role, their sessions, and what the dashboard adds to a help request
-- (assignment, notes, closing), with an audit log of who saw and changed what.

CREATE TABLE staff (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE COLLATE NOCASE,
    role          TEXT NOT NULL CHECK (role IN ('caseworker', 'editor', 'admin')),
    -- An argon2id hash in PHC string form; never a password.
    password_hash TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    -- Failed sign-ins in a row; enough of them lock the account until `locked_until`.
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until  TEXT,
    -- The language of the staff pages for this person.
    locale        TEXT NOT NULL DEFAULT 'en' CHECK (locale IN ('en', 'vi')),
    created_at    TEXT NOT NULL
) STRICT;

-- A signed-in browser. The cookie holds a random token; only its SHA-256 is stored here.
CREATE TABLE staff_session (
    token_hash TEXT PRIMARY KEY,
    staff_id   INTEGER NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    -- The token every state-changing form of this session must carry.
    csrf       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    seen_at    TEXT NOT NULL
) STRICT;

ALTER TABLE help_request ADD COLUMN assigned_to INTEGER REFERENCES staff (id);
ALTER TABLE help_request ADD COLUMN updated_at TEXT;
-- When the request was last closed: the retention period counts from here.
ALTER TABLE help_request ADD COLUMN closed_at TEXT;

CREATE INDEX help_request_closed ON help_request (closed_at) WHERE status = 'closed';

CREATE TABLE help_note (
    id         INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES help_request (id) ON DELETE CASCADE,
    staff_id   INTEGER NOT NULL REFERENCES staff (id),
    body       TEXT NOT NULL,
    written_at TEXT NOT NULL
) STRICT;

-- Who viewed and changed what. `subject` names a request by its reference, or an account by
-- its username; `detail` never holds what a person wrote.
CREATE TABLE audit_log (
    id       INTEGER PRIMARY KEY,
    at       TEXT NOT NULL,
    staff_id INTEGER REFERENCES staff (id),
    action   TEXT NOT NULL,
    subject  TEXT NOT NULL DEFAULT '',
    detail   TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX audit_log_by_subject ON audit_log (subject, at);

-- Each run of the retention purge: only counts, nothing of what was removed.
CREATE TABLE purge_log (
    id             INTEGER PRIMARY KEY,
    at             TEXT NOT NULL,
    retention_days INTEGER NOT NULL,
    requests       INTEGER NOT NULL,
    notes          INTEGER NOT NULL
) STRICT;
