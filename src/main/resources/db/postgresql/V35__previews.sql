-- The running job's latest preview (a small PNG), written by its worker every few seconds, so that a bot on
-- another host shows the picture as it forms, not only the step.
ALTER TABLE jobs ADD COLUMN preview_png BYTEA;
