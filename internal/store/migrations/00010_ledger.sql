-- The transparency log: one leaf per published event, appended in the same
-- transaction as the change it records. log_head serialises appends (a row
-- lock on PostgreSQL, the single writer on SQLite).

-- +goose Up
CREATE TABLE log_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    size BIGINT NOT NULL
);
INSERT INTO log_head (id, size) VALUES (1, 0);

CREATE TABLE log_entries (
    idx BIGINT PRIMARY KEY,
    kind TEXT NOT NULL,
    subject_type TEXT NOT NULL,
    subject_id BIGINT NOT NULL,
    data @BLOB@ NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX log_entries_subject ON log_entries(subject_type, subject_id);

CREATE TABLE log_hashes (
    idx BIGINT PRIMARY KEY,
    hash @BLOB@ NOT NULL
);

-- The disclosure material: never published, kept so that restricted fields
-- can be disclosed to a court or oversight body and checked against the leaf.
CREATE TABLE log_restricted (
    idx BIGINT PRIMARY KEY,
    salt @BLOB@ NOT NULL,
    fields TEXT NOT NULL
);

CREATE TABLE settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- +goose Down
DROP TABLE settings;
DROP TABLE log_restricted;
DROP TABLE log_hashes;
DROP TABLE log_entries;
DROP TABLE log_head;
