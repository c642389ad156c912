-- Guides of two kinds: a country's legal way to go ("pathway"), and the pages about trouble
-- and help ("safety": held in a scam compound, worried families, outreach workers), whose
-- sections are their own, each headed by a content text. Every guide's summary states facts
-- too, so it names a source and the date it was checked, as points do; an editor can change
-- that date, and `edited_at` keeps a seed upgrade from overwriting it.
ALTER TABLE guide ADD COLUMN kind TEXT NOT NULL DEFAULT 'pathway'
    CHECK (kind IN ('pathway', 'safety'));
ALTER TABLE guide ADD COLUMN source_id TEXT REFERENCES source (id);
ALTER TABLE guide ADD COLUMN checked_on TEXT;
ALTER TABLE guide ADD COLUMN edited_at TEXT;

-- A point's section is any lowercase id now; the seed checks a pathway guide's six.
CREATE TABLE guide_point_new (
    guide_slug TEXT NOT NULL REFERENCES guide (slug) ON DELETE CASCADE,
    id         TEXT NOT NULL,
    section    TEXT NOT NULL CHECK (section <> '' AND section NOT GLOB '*[^a-z0-9-]*'),
    position   INTEGER NOT NULL,
    url        TEXT,
    source_id  TEXT NOT NULL REFERENCES source (id),
    checked_on TEXT NOT NULL,
    edited_at  TEXT,
    PRIMARY KEY (guide_slug, id)
) STRICT;
INSERT INTO guide_point_new
    SELECT guide_slug, id, section, position, url, source_id, checked_on, edited_at
    FROM guide_point;
DROP TABLE guide_point;
ALTER TABLE guide_point_new RENAME TO guide_point;
