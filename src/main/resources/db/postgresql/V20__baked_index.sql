-- PostgreSQL twin of db/migration/V20. prompt_key is the prompt as looked up (whitespace collapsed,
-- lower-case). On PostgreSQL this table is the truth (V34 adds the files' bytes).
CREATE TABLE baked_paths (
    id               TEXT PRIMARY KEY,
    model_id         TEXT    NOT NULL,
    prompt           TEXT    NOT NULL,
    prompt_key       TEXT    NOT NULL,
    file_name        TEXT    NOT NULL UNIQUE,
    stage_count      INTEGER NOT NULL CHECK (stage_count >= 1),
    dimension        INTEGER NOT NULL CHECK (dimension >= 1),
    resolution       INTEGER NOT NULL,
    score            DOUBLE PRECISION,
    author           TEXT    NOT NULL,
    created_at       BIGINT  NOT NULL,
    prompt_embedding BYTEA,
    UNIQUE (model_id, prompt_key)
);
