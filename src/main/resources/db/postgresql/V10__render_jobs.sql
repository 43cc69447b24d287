-- PostgreSQL twin of db/migration/V10 (same version, tables and columns). SQLite's INTEGER is 64-bit;
-- PostgreSQL's is not, so ids and epoch-millisecond times are BIGINT here.
CREATE TABLE jobs (
    id BIGSERIAL PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('DREAM', 'BAKE')),
    priority INTEGER NOT NULL,
    requester TEXT NOT NULL,
    guild_id TEXT,
    channel_id TEXT,
    reply_key TEXT,
    request_json TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    started_at BIGINT,
    finished_at BIGINT,
    error TEXT,
    result_path TEXT,
    outcome_json TEXT,
    delivered INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX jobs_waiting ON jobs (status, priority, id);
CREATE INDEX jobs_by_requester ON jobs (requester, status);
