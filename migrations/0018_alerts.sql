-- Alerts (issue 21): a help request can say "I am in danger now", and central tells the
-- organisation of each such request at once, and of the others in a daily digest.

-- Plain, like the kind: central alerts without opening anything. `alerted` says that the
-- request's alert, or its place in a digest, is queued; requests stored before alerts
-- existed count as told. `stored_at` is when this database stored it: a request forwarded
-- by a hub arrived there earlier (`received_at`), but central has only just learnt of it.
ALTER TABLE help_request ADD COLUMN urgent INTEGER NOT NULL DEFAULT 0 CHECK (urgent IN (0, 1));
ALTER TABLE help_request ADD COLUMN alerted INTEGER NOT NULL DEFAULT 0 CHECK (alerted IN (0, 1));
ALTER TABLE help_request ADD COLUMN stored_at TEXT;
UPDATE help_request SET alerted = 1;
CREATE INDEX help_request_to_alert ON help_request (urgent, id) WHERE alerted = 0;

-- When the recovery key on paper was typed back and found right (`passport keys confirm`):
-- until then `passport doctor` says it may have been copied wrong, or never kept.
ALTER TABLE org_key ADD COLUMN recovery_confirmed_at TEXT;

-- The addresses an admin set to receive alerts by email.
CREATE TABLE alert_recipient (
    address  TEXT PRIMARY KEY COLLATE NOCASE,
    added_by TEXT NOT NULL,
    added_at TEXT NOT NULL
) STRICT;

-- One alert on one channel: what it says, and how sending it went. `items` is JSON, the
-- requests' references, kinds, countries and times: never a sealed field. An alert not yet
-- sent is tried again, later each time, until it is sent, or its channel is switched off;
-- sent ones go after 30 days. `error_kind` names the last failure for the staff page, in
-- its reader's language; `last_error` is the server's own words.
CREATE TABLE alert (
    id         INTEGER PRIMARY KEY,
    channel    TEXT NOT NULL CHECK (channel IN ('email', 'webhook')),
    kind       TEXT NOT NULL CHECK (kind IN ('urgent', 'digest', 'test')),
    items      TEXT NOT NULL,
    created_at TEXT NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    next_at    TEXT NOT NULL,
    error_kind TEXT,
    last_error TEXT,
    sent_at    TEXT
) STRICT;

CREATE INDEX alert_unsent ON alert (next_at) WHERE sent_at IS NULL;
