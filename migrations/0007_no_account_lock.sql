-- Sign-in failures are no longer counted per account in the database: a stranger could lock
-- any caseworker out with five wrong passwords. The server now slows each (account, address
-- network) pair in memory, and the audit log keeps every failure.
ALTER TABLE staff DROP COLUMN failed_logins;
ALTER TABLE staff DROP COLUMN locked_until;
