-- Several render workers (hosts) on one database, and bots that deliver what they did not render.
-- A worker claims a job under a lease it renews while it renders (worker, lease_until); claim counts the
-- claims and fences a worker whose lease expired: its late result is refused (the row's claim moved on).
-- cancel_requested asks the worker that renders the job to stop; progress_step/progress_total let a bot on
-- another host show progress. A bot delivers a finished job under a short delivery lease (deliverer,
-- delivery_lease_until), so one bot posts it, and notice keeps the requester's message of a failed job.
ALTER TABLE jobs ADD COLUMN worker TEXT;
ALTER TABLE jobs ADD COLUMN lease_until INTEGER;
ALTER TABLE jobs ADD COLUMN claim INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN cancel_requested INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN progress_step INTEGER;
ALTER TABLE jobs ADD COLUMN progress_total INTEGER;
ALTER TABLE jobs ADD COLUMN deliverer TEXT;
ALTER TABLE jobs ADD COLUMN delivery_lease_until INTEGER;
ALTER TABLE jobs ADD COLUMN notice TEXT;
CREATE INDEX jobs_to_deliver ON jobs (delivered, status);
-- delivered now also means "the requester was told" for failed and cancelled jobs, which a bot on another
-- host tells from the database; those finished before this migration were told directly.
UPDATE jobs SET delivered = 1 WHERE status IN ('failed', 'cancelled') AND delivered = 0;
