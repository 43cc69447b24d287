-- PostgreSQL twin of db/migration/V31: the interaction token of each queued job's reply, until it
-- expires (15 minutes on Discord), so a restarted process still edits the original reply.
CREATE TABLE reply_tokens (
    reply_key TEXT PRIMARY KEY,
    token TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
