-- Recordings of content texts (issue 20): a clip per text and locale, checked by its bytes
-- (`audio::container`) before it is stored. Clips are kept once by their SHA-256, so the
-- same clip saved twice, or published, costs its bytes once; phones and hubs fetch a clip by
-- that hash, which never changes for the same bytes.
CREATE TABLE audio_clip (
    sha256    TEXT PRIMARY KEY,
    container TEXT NOT NULL CHECK (container IN ('ogg', 'webm')),
    millis    INTEGER NOT NULL CHECK (millis > 0 AND millis <= 90000),
    bytes     BLOB NOT NULL
) STRICT;

-- The published recording of a text in a locale.
CREATE TABLE recording (
    message_id TEXT NOT NULL,
    locale     TEXT NOT NULL CHECK (locale IN ('en', 'vi', 'th', 'ksw')),
    sha256     TEXT NOT NULL REFERENCES audio_clip (sha256),
    edited_at  TEXT NOT NULL,
    edited_by  TEXT NOT NULL,
    PRIMARY KEY (message_id, locale)
) STRICT;

-- A recording saved by an editor and not yet published; `sha256` NULL removes one.
CREATE TABLE pending_recording (
    message_id TEXT NOT NULL,
    locale     TEXT NOT NULL CHECK (locale IN ('en', 'vi', 'th', 'ksw')),
    sha256     TEXT REFERENCES audio_clip (sha256),
    edited_at  TEXT NOT NULL,
    edited_by  TEXT NOT NULL,
    PRIMARY KEY (message_id, locale)
) STRICT;

-- Every recording saved, removed or published, newest last: the history an editor sees
-- beside a text's, and what "publish" wrote. Old clips stay in `audio_clip` for it.
CREATE TABLE recording_history (
    id         INTEGER PRIMARY KEY,
    message_id TEXT NOT NULL,
    locale     TEXT NOT NULL,
    sha256     TEXT REFERENCES audio_clip (sha256),
    action     TEXT NOT NULL CHECK (action IN ('saved', 'removed', 'published')),
    changed_by TEXT NOT NULL,
    changed_at TEXT NOT NULL
) STRICT;
CREATE INDEX recording_history_text ON recording_history (message_id, locale);
