-- Whom a guide is for, when it is for the workers of one country only (the Korea guide
-- follows Vietnam's own programme): a country code, or NULL for anyone. The guide lists put
-- such a guide after the ones that fit the reader, saying whom it is for.
ALTER TABLE guide ADD COLUMN for_country TEXT;
