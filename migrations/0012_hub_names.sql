-- Hubs' own names and certificates: each hub has a name under the organisation's domain
-- (hall.hubs.example.org). Central orders a short-lived certificate for it from an ACME CA
-- by DNS-01, for a key the hub made and central never sees, and hands it over with the
-- content bundle. In public DNS the same name points at central, which serves it too, so a
-- phone that kept the app at the hub reaches central under the same origin later.

-- At central: the hub's name, the hub's latest certificate request (DER), the certificate
-- issued for it, and what went wrong last.
ALTER TABLE hub ADD COLUMN host TEXT;
ALTER TABLE hub ADD COLUMN csr BLOB;
ALTER TABLE hub ADD COLUMN cert_chain TEXT;
ALTER TABLE hub ADD COLUMN cert_serial TEXT;
ALTER TABLE hub ADD COLUMN cert_not_after TEXT;
ALTER TABLE hub ADD COLUMN cert_error TEXT;
ALTER TABLE hub ADD COLUMN cert_tried_at TEXT;
-- Set once the CA was told to revoke the certificate of a revoked hub.
ALTER TABLE hub ADD COLUMN cert_revoked_at TEXT;

CREATE UNIQUE INDEX hub_by_host ON hub (host) WHERE host IS NOT NULL;

-- At central: the ACME account it orders certificates with (instant-acme's credentials,
-- which hold the account's private key), per CA directory.
CREATE TABLE acme_account (
    directory   TEXT PRIMARY KEY,
    credentials TEXT NOT NULL,
    created_at  TEXT NOT NULL
) STRICT;

-- At central: its own certificate for every hub name (*.hubs.example.org), with a key of
-- its own, to serve the hubs' names itself.
CREATE TABLE own_certificate (
    name      TEXT PRIMARY KEY,
    key_der   BLOB,
    chain     TEXT,
    not_after TEXT,
    error     TEXT,
    tried_at  TEXT
) STRICT;

-- At a hub: its name, the private key it made for it (PKCS#8 DER, never sent anywhere),
-- and the certificate central brought for that key.
ALTER TABLE hub_self ADD COLUMN host TEXT;
ALTER TABLE hub_self ADD COLUMN tls_key BLOB;
ALTER TABLE hub_self ADD COLUMN tls_chain TEXT;
ALTER TABLE hub_self ADD COLUMN tls_not_after TEXT;
ALTER TABLE hub_self ADD COLUMN tls_serial TEXT;
