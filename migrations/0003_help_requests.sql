-- Help requests: what a person sent to ask for help. `client_id` is the UUID the phone made
-- for the request; it is the idempotency key, so a replayed request is stored once.
-- `reference` is the short code the person can read out on a phone call.

CREATE TABLE help_request (
    id          INTEGER PRIMARY KEY,
    client_id   TEXT NOT NULL UNIQUE,
    reference   TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL CHECK (kind IN ('job-offer-check', 'in-trouble-abroad',
                    'passport-held', 'not-paid', 'want-to-go-home', 'other')),
    country     TEXT NOT NULL,
    place       TEXT NOT NULL DEFAULT '',
    channel     TEXT NOT NULL CHECK (channel IN ('phone', 'zalo', 'line', 'messenger', 'whatsapp')),
    contact     TEXT NOT NULL,
    safe_time   TEXT NOT NULL DEFAULT '',
    name        TEXT NOT NULL DEFAULT '',
    message     TEXT NOT NULL DEFAULT '',
    language    TEXT NOT NULL CHECK (language IN ('en', 'vi', 'th', 'ksw')),
    -- The checklist items the person chose to attach, one id per line.
    ticked      TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT 'new'
                    CHECK (status IN ('new', 'contacted', 'in-progress', 'referred', 'closed')),
    received_at TEXT NOT NULL
) STRICT;

CREATE INDEX help_request_by_status ON help_request (status, received_at);
