-- (Numbered after V31 although it changes the render table: Flyway refuses a migration numbered below one
-- already applied, so new migrations only ever take the next number.)
-- Results that cannot be delivered are tried a bounded number of times (restarts included), then given up:
-- delivered is 0 (not yet), 1 (delivered) or 2 (undeliverable; never tried again).
ALTER TABLE jobs ADD COLUMN delivery_tries INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN delivery_error TEXT;
