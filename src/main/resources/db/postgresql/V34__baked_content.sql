-- The baked file's bytes (~20 KB), so every host sharing this database sees every baked path: here the
-- table is the truth, and the baked folder is only imported from at start.
ALTER TABLE baked_paths ADD COLUMN content BYTEA;
