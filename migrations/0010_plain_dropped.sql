-- The second half of 0010: the plain columns go. `client_id` now holds a digest of the
-- phone's UUID (the UUID itself keys the body hash, so a copy of the database cannot
-- confirm a guessed phone number), hence its new name.

ALTER TABLE help_request RENAME COLUMN client_id TO id_hash;
ALTER TABLE help_request DROP COLUMN place;
ALTER TABLE help_request DROP COLUMN contact;
ALTER TABLE help_request DROP COLUMN safe_time;
ALTER TABLE help_request DROP COLUMN name;
ALTER TABLE help_request DROP COLUMN message;
ALTER TABLE help_request DROP COLUMN ticked;
ALTER TABLE help_note DROP COLUMN body;
