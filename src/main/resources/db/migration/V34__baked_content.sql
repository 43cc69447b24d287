-- The baked file's bytes, as on PostgreSQL (where the table is the truth). SQLite keeps the files as the
-- truth and leaves this column empty; it exists so both dialects have one schema.
-- (Numbered after V33 although it changes the bake table: Flyway refuses a number below one applied.)
ALTER TABLE baked_paths ADD COLUMN content BLOB;
