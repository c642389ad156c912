-- Hubs: event laptops that serve phones from their own copy of the published content and
-- forward the sealed help requests they take to central. Requests flow hub -> central,
-- content flows central -> hub, one way each, so nothing is ever merged.

-- At central: each hub an admin added. Central keeps only digests and public keys: the
-- pairing code's digest until it is used or expires, then the digest of the hub's bearer
-- credential and the public key that signs the hub's USB export files.
CREATE TABLE hub (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    code_hash    TEXT UNIQUE,
    code_expires TEXT,
    token_hash   TEXT UNIQUE,
    export_key   BLOB CHECK (export_key IS NULL OR length(export_key) = 32),
    -- The hub's own counter: the highest request number stored from it (see hub::forward).
    last_seq     INTEGER NOT NULL DEFAULT 0,
    forwarded    INTEGER NOT NULL DEFAULT 0,
    last_contact TEXT,
    created_at   TEXT NOT NULL,
    paired_at    TEXT,
    revoked_at   TEXT
) STRICT;

-- Which hub a request came through, and the reference the hub told the person when central
-- had to give it another one (the hub's was taken here).
ALTER TABLE help_request ADD COLUMN hub_id INTEGER REFERENCES hub (id);
ALTER TABLE help_request ADD COLUMN hub_reference TEXT;

-- At central: the seed of the Ed25519 key that signs content bundles. Made on first use.
CREATE TABLE bundle_key (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    seed       BLOB NOT NULL CHECK (length(seed) = 32),
    created_at TEXT NOT NULL
) STRICT;

-- What each content version changed, named as the history names it ("content:th:id",
-- "ui:vi:id", "fact:contact:id:field"): a bundle "since version N" carries the current value
-- of everything changed after N. Versions published before this table existed are covered
-- by listing every edited row under the current version.
CREATE TABLE content_change (
    version INTEGER NOT NULL,
    item    TEXT NOT NULL,
    PRIMARY KEY (item, version)
) STRICT;

CREATE INDEX content_change_by_version ON content_change (version);

INSERT INTO content_change (version, item)
SELECT (SELECT max(version) FROM content_version), 'ui:' || locale || ':' || message_id
FROM ui_text
UNION
SELECT (SELECT max(version) FROM content_version), 'content:' || locale || ':' || message_id
FROM content_text WHERE edited_at IS NOT NULL
UNION
SELECT (SELECT max(version) FROM content_version), 'fact:contact:' || id || ':' || field
FROM contact, (SELECT 'phone' AS field UNION SELECT 'phone_abroad' UNION SELECT 'checked_on')
WHERE edited_at IS NOT NULL
UNION
SELECT (SELECT max(version) FROM content_version), 'fact:source:' || id || ':url'
FROM source WHERE edited_at IS NOT NULL
UNION
SELECT (SELECT max(version) FROM content_version),
       'fact:checklist_item:' || checklist_slug || '/' || id || ':checked_on'
FROM checklist_item WHERE edited_at IS NOT NULL
UNION
SELECT (SELECT max(version) FROM content_version),
       'fact:guide_point:' || guide_slug || '/' || id || ':' || field
FROM guide_point, (SELECT 'url' AS field UNION SELECT 'checked_on')
WHERE edited_at IS NOT NULL;

-- At a hub: its identity once paired. `token` is the bearer credential central knows only
-- by its digest; `placement` ties the identity to this machine and this file, so that a
-- copied or restored database drops the credential instead of posing as this hub.
CREATE TABLE hub_self (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    name            TEXT NOT NULL,
    upstream        TEXT NOT NULL,
    token           TEXT,
    placement       TEXT NOT NULL,
    export_seed     BLOB NOT NULL CHECK (length(export_seed) = 32),
    bundle_key      BLOB NOT NULL CHECK (length(bundle_key) = 32),
    -- Central's key that the USB requests file is sealed to.
    transfer_key    BLOB NOT NULL CHECK (length(transfer_key) = 32),
    -- The last content version of central's applied here.
    central_version INTEGER NOT NULL DEFAULT 0,
    last_contact    TEXT,
    last_error      TEXT,
    paired_at       TEXT NOT NULL
) STRICT;

-- At a hub: its own increasing counter over the requests it holds, in the order they
-- arrived; a row goes with its request once central acknowledged it.
CREATE TABLE hub_outbox (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id INTEGER NOT NULL UNIQUE REFERENCES help_request (id) ON DELETE CASCADE
) STRICT;

-- At a hub: what it forwarded and let go of, by the phone's UUID digest, for 30 days: a
-- phone that sends the same request again (its answer was lost on the Wi-Fi) is told the
-- reference it got the first time, the one central knows, and nothing is forwarded twice.
CREATE TABLE hub_forwarded (
    id_hash      TEXT PRIMARY KEY,
    body_hash    TEXT,
    reference    TEXT NOT NULL,
    forwarded_at TEXT NOT NULL
) STRICT;
