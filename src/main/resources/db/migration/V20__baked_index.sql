-- The index of the baked folder. The files are the truth: BakedPathStore.reindex() rebuilds this
-- table from them. prompt_key is the prompt as looked up (whitespace collapsed, lower-case).
CREATE TABLE baked_paths (
    id               TEXT PRIMARY KEY,
    model_id         TEXT    NOT NULL,
    prompt           TEXT    NOT NULL,
    prompt_key       TEXT    NOT NULL,
    file_name        TEXT    NOT NULL UNIQUE,
    stage_count      INTEGER NOT NULL CHECK (stage_count >= 1),
    dimension        INTEGER NOT NULL CHECK (dimension >= 1),
    resolution       INTEGER NOT NULL,
    score            REAL,
    author           TEXT    NOT NULL,
    created_at       INTEGER NOT NULL,
    prompt_embedding BLOB,
    UNIQUE (model_id, prompt_key)
);
