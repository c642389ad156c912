-- A second person's approval of a guarded change (a phone number, a web address, the privacy
-- and quick-exit texts, a number in a content text), for the value they saw: `fingerprint`
-- is a hash of it, so editing the change again needs a new approval. Rows go when the
-- change is published or dropped.

CREATE TABLE pending_approval (
    target      TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    approved_by TEXT NOT NULL,
    approved_at TEXT NOT NULL
) STRICT;
