-- A hash of each request's checked answers, so that a replay with the same client UUID but
-- other answers is told apart from a true replay (and gets no reference). Rows stored before
-- this column have NULL; their hash is computed from their columns when first needed.
-- The purge log also counts requests purged while still open (--retention-open-days).

ALTER TABLE help_request ADD COLUMN body_hash TEXT;

ALTER TABLE purge_log ADD COLUMN open_days INTEGER;
ALTER TABLE purge_log ADD COLUMN open_requests INTEGER NOT NULL DEFAULT 0;
