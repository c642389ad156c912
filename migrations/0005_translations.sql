-- The editors' workspace: UI strings edited on top of the shipped .ftl files, changes saved
-- but not yet published, the history of every change, and the published content versions.

-- A hash of the English text a translation was made from. When English changes, the hash no
-- longer matches and the translation shows as outdated. NULL until the seed fills it in.
ALTER TABLE content_text ADD COLUMN source_hash TEXT;

-- Published edits of UI strings. The shipped .ftl files stay the defaults; a row here wins.
-- An empty value removes the translation, so the page shows the English one.
CREATE TABLE ui_text (
    message_id  TEXT NOT NULL,
    locale      TEXT NOT NULL CHECK (locale IN ('en', 'vi', 'th', 'ksw')),
    value       TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('draft', 'reviewed')),
    source_hash TEXT NOT NULL,
    edited_at   TEXT NOT NULL,
    edited_by   TEXT NOT NULL,
    PRIMARY KEY (message_id, locale)
) STRICT;

-- Saved and validated, not yet live: what "Preview" shows and "Publish" makes live.
CREATE TABLE pending_text (
    kind        TEXT NOT NULL CHECK (kind IN ('ui', 'content')),
    message_id  TEXT NOT NULL,
    locale      TEXT NOT NULL CHECK (locale IN ('en', 'vi', 'th', 'ksw')),
    value       TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('draft', 'reviewed')),
    source_hash TEXT NOT NULL,
    edited_at   TEXT NOT NULL,
    edited_by   TEXT NOT NULL,
    PRIMARY KEY (kind, message_id, locale)
) STRICT;

-- A fact waiting to be published: a contact's numbers, a source's address, a checked date.
-- `entity` and `id` name the row (`checklist_item` and `guide_point` as "slug/id").
CREATE TABLE pending_fact (
    entity     TEXT NOT NULL
        CHECK (entity IN ('contact', 'source', 'checklist_item', 'guide_point')),
    id         TEXT NOT NULL,
    field      TEXT NOT NULL,
    value      TEXT,
    edited_at  TEXT NOT NULL,
    edited_by  TEXT NOT NULL,
    PRIMARY KEY (entity, id, field)
) STRICT;

-- Every change: who, when, the old value and the new one. Texts have a locale; facts do not
-- (`locale` is '' and `message_id` is "entity:id:field").
CREATE TABLE text_history (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('ui', 'content', 'fact')),
    message_id TEXT NOT NULL,
    locale     TEXT NOT NULL,
    old_value  TEXT,
    new_value  TEXT,
    status     TEXT,
    action     TEXT NOT NULL CHECK (action IN ('save', 'revert', 'import', 'publish')),
    changed_by TEXT NOT NULL,
    changed_at TEXT NOT NULL
) STRICT;

CREATE INDEX text_history_message ON text_history (kind, message_id, locale, id);

-- Each publish makes a new content version. Pages depend only on route, language and this.
CREATE TABLE content_version (
    version      INTEGER PRIMARY KEY,
    published_at TEXT NOT NULL,
    published_by TEXT,
    changes      INTEGER NOT NULL
) STRICT;

INSERT INTO content_version (version, published_at, published_by, changes)
VALUES (1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), NULL, 0);
