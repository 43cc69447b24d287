-- PostgreSQL twin of db/migration/V33: render leases with claim fencing, cross-host cancel and
-- progress, delivery leases. Lease times are epoch milliseconds (BIGINT); flags stay 0/1 INTEGERs as
-- in SQLite so the same SQL serves both.
ALTER TABLE jobs ADD COLUMN worker TEXT;
ALTER TABLE jobs ADD COLUMN lease_until BIGINT;
ALTER TABLE jobs ADD COLUMN claim INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN cancel_requested INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN progress_step INTEGER;
ALTER TABLE jobs ADD COLUMN progress_total INTEGER;
ALTER TABLE jobs ADD COLUMN deliverer TEXT;
ALTER TABLE jobs ADD COLUMN delivery_lease_until BIGINT;
ALTER TABLE jobs ADD COLUMN notice TEXT;
CREATE INDEX jobs_to_deliver ON jobs (delivered, status);
-- delivered now also means "the requester was told" for failed and cancelled jobs (as in SQLite's V33).
UPDATE jobs SET delivered = 1 WHERE status IN ('failed', 'cancelled') AND delivered = 0;
