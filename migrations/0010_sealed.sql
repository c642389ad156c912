-- Sealed help requests. What a person wrote, and every caseworker's note, is kept only as a
-- blob sealed to the organisation's public key (`src/seal`). This first half adds the keys
-- and the blob columns; the code between the halves seals every plain row that exists.

-- The organisation's key pair: the public key, and the seed in readable form only until an
-- account that may read requests holds the private key (the bootstrap; see `seal::keys`).
CREATE TABLE org_key (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    public_key BLOB NOT NULL CHECK (length(public_key) = 32),
    bootstrap  BLOB CHECK (bootstrap IS NULL OR length(bootstrap) = 32),
    created_at TEXT NOT NULL
) STRICT;

-- Per account: the public half of a key pair derived from the password (argon2id with this
-- salt), and the organisation's private key sealed to it, if the account may read requests.
CREATE TABLE staff_key (
    staff_id   INTEGER PRIMARY KEY REFERENCES staff (id) ON DELETE CASCADE,
    kdf        TEXT NOT NULL,
    salt       BLOB NOT NULL,
    public_key BLOB NOT NULL,
    grant_blob BLOB,
    granted_by INTEGER REFERENCES staff (id),
    granted_at TEXT
) STRICT;

ALTER TABLE help_request ADD COLUMN sealed BLOB;
ALTER TABLE help_note ADD COLUMN sealed BLOB;
