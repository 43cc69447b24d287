-- PostgreSQL twin of db/migration/V32: delivered is 0 (not yet), 1 (delivered) or 2 (undeliverable).
ALTER TABLE jobs ADD COLUMN delivery_tries INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN delivery_error TEXT;
