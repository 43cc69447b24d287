-- PostgreSQL twin of db/migration/V30.
CREATE TABLE discord_messages (
    message_id TEXT PRIMARY KEY,
    channel_id TEXT NOT NULL,
    job_id BIGINT NOT NULL REFERENCES jobs (id),
    requester TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX discord_messages_by_job ON discord_messages (job_id);
