CREATE TABLE jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('DREAM', 'BAKE')),
    priority INTEGER NOT NULL,
    requester TEXT NOT NULL,
    guild_id TEXT,
    channel_id TEXT,
    reply_key TEXT,
    request_json TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    started_at INTEGER,
    finished_at INTEGER,
    error TEXT,
    result_path TEXT,
    outcome_json TEXT,
    delivered INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX jobs_waiting ON jobs (status, priority, id);
CREATE INDEX jobs_by_requester ON jobs (requester, status);
