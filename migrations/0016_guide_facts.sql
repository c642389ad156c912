-- A guide's summary is a fact with a checked date (0013), which an editor changes through the
-- facts form like any other: the saved change's entity may be `guide`. Nothing refers to
-- this table, so it is rebuilt in place.
CREATE TABLE pending_fact_new (
    entity     TEXT NOT NULL
        CHECK (entity IN ('contact', 'source', 'checklist_item', 'guide_point', 'guide')),
    id         TEXT NOT NULL,
    field      TEXT NOT NULL,
    value      TEXT,
    edited_at  TEXT NOT NULL,
    edited_by  TEXT NOT NULL,
    PRIMARY KEY (entity, id, field)
) STRICT;
INSERT INTO pending_fact_new SELECT entity, id, field, value, edited_at, edited_by FROM pending_fact;
DROP TABLE pending_fact;
ALTER TABLE pending_fact_new RENAME TO pending_fact;
