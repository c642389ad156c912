-- The staff pages in Thai (issue 19): a staff account's language may be `th`. SQLite changes
-- a CHECK constraint only by rebuilding the table. Sessions, key grants and the audit log
-- refer to it, so this runs with foreign keys off, as SQLite's own twelve steps ask; the
-- runner checks every reference before it commits (`migrations::Rebuild`).
CREATE TABLE staff_new (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE COLLATE NOCASE,
    role          TEXT NOT NULL CHECK (role IN ('caseworker', 'editor', 'admin')),
    -- An argon2id hash in PHC string form; never a password.
    password_hash TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    -- The language of the staff pages for this person.
    locale        TEXT NOT NULL DEFAULT 'en' CHECK (locale IN ('en', 'vi', 'th')),
    created_at    TEXT NOT NULL
) STRICT;
INSERT INTO staff_new (id, username, role, password_hash, disabled, locale, created_at)
    SELECT id, username, role, password_hash, disabled, locale, created_at FROM staff;
DROP TABLE staff;
ALTER TABLE staff_new RENAME TO staff;
