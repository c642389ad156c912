-- The content a migrant reads: checklists, guides and contacts, their texts in every locale,
-- and the sources of their facts. Seed files fill these tables; editors change them later.
-- `edited_at` marks a row an editor has changed: seed upgrades never overwrite such a row.

CREATE TABLE source (
    id        TEXT PRIMARY KEY,
    name      TEXT NOT NULL,
    url       TEXT NOT NULL,
    edited_at TEXT
) STRICT;

-- Every translatable text of the content, once per locale.
CREATE TABLE content_text (
    message_id TEXT NOT NULL,
    locale     TEXT NOT NULL CHECK (locale IN ('en', 'vi', 'th', 'ksw')),
    value      TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('draft', 'reviewed')),
    edited_at  TEXT,
    edited_by  TEXT,
    PRIMARY KEY (message_id, locale)
) STRICT;

CREATE TABLE checklist (
    slug      TEXT PRIMARY KEY,
    position  INTEGER NOT NULL,
    kind      TEXT NOT NULL CHECK (kind IN ('warning-signs', 'preparation')),
    help_kind TEXT NOT NULL
) STRICT;

CREATE TABLE checklist_item (
    checklist_slug TEXT NOT NULL REFERENCES checklist (slug) ON DELETE CASCADE,
    id             TEXT NOT NULL,
    position       INTEGER NOT NULL,
    severity       TEXT CHECK (severity IN ('warning', 'danger')),
    source_id      TEXT NOT NULL REFERENCES source (id),
    checked_on     TEXT NOT NULL,
    edited_at      TEXT,
    PRIMARY KEY (checklist_slug, id)
) STRICT;

CREATE TABLE guide (
    slug     TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    country  TEXT NOT NULL
) STRICT;

CREATE TABLE guide_point (
    guide_slug TEXT NOT NULL REFERENCES guide (slug) ON DELETE CASCADE,
    id         TEXT NOT NULL,
    section    TEXT NOT NULL
        CHECK (section IN ('who', 'steps', 'costs', 'check-agent', 'warnings', 'links')),
    position   INTEGER NOT NULL,
    url        TEXT,
    source_id  TEXT NOT NULL REFERENCES source (id),
    checked_on TEXT NOT NULL,
    edited_at  TEXT,
    PRIMARY KEY (guide_slug, id)
) STRICT;

CREATE TABLE country (
    code     TEXT PRIMARY KEY,
    position INTEGER NOT NULL
) STRICT;

CREATE TABLE contact (
    id           TEXT PRIMARY KEY,
    country_code TEXT NOT NULL REFERENCES country (code) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    phone        TEXT NOT NULL,
    phone_abroad TEXT,
    advice       INTEGER NOT NULL DEFAULT 0,
    recheck      INTEGER NOT NULL DEFAULT 0,
    source_id    TEXT NOT NULL REFERENCES source (id),
    checked_on   TEXT NOT NULL,
    edited_at    TEXT
) STRICT;
