-- The interaction token of each queued job's reply, until it expires (15 minutes on Discord), so that a
-- process restarted within that time still edits the original reply and posts the result under it.
CREATE TABLE reply_tokens (
    reply_key TEXT PRIMARY KEY,
    token TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);
