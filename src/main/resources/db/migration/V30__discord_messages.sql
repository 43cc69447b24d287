CREATE TABLE discord_messages (
    message_id TEXT PRIMARY KEY,
    channel_id TEXT NOT NULL,
    job_id INTEGER NOT NULL REFERENCES jobs (id),
    requester TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX discord_messages_by_job ON discord_messages (job_id);
