-- The translators' glossary: an English term, its approved translation in each other
-- language, and the other spellings met in the texts, which the consistency report counts.
-- Seeded from content/glossary.toml; a row an editor changed (`edited_at`) is never
-- overwritten by a later seed.
CREATE TABLE glossary_term (
    id         TEXT PRIMARY KEY,
    english    TEXT NOT NULL,
    -- Other English forms that count as the term ("visas" for "visa"), one per line.
    forms      TEXT NOT NULL DEFAULT '',
    note       TEXT NOT NULL DEFAULT '',
    -- A name (a country, an agency, an app): its English may stay in a translation.
    is_name    INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE glossary_translation (
    term_id    TEXT NOT NULL REFERENCES glossary_term (id) ON DELETE CASCADE,
    locale     TEXT NOT NULL CHECK (locale IN ('vi', 'th', 'ksw')),
    value      TEXT NOT NULL,
    -- Spellings that are not approved, one per line.
    variants   TEXT NOT NULL DEFAULT '',
    edited_at  TEXT,
    edited_by  TEXT,
    PRIMARY KEY (term_id, locale)
) STRICT;
