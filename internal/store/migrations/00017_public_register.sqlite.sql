-- The public register and statistics releases (issue 7). register_entries
-- is a projection of the transparency log's public fields (one row per
-- published event, written in the transaction that appends the leaf) plus
-- the historical decisions imported from published data; it holds nothing
-- that was not published. Statistics releases are frozen snapshots,
-- append-only, each committed to by a leaf.

-- +goose Up
CREATE TABLE register_entries (
    id @ID@,
    log_index BIGINT UNIQUE,
    kind TEXT NOT NULL,
    outcome TEXT NOT NULL,
    reference TEXT NOT NULL,
    event_date TEXT NOT NULL,
    at TEXT NOT NULL,
    licence_type TEXT NOT NULL DEFAULT '',
    export_type TEXT NOT NULL DEFAULT '',
    destination TEXT NOT NULL,
    end_user_type TEXT NOT NULL DEFAULT '',
    ratings TEXT NOT NULL DEFAULT '',
    military INTEGER NOT NULL DEFAULT 0,
    value_pence BIGINT,
    criteria TEXT NOT NULL DEFAULT '',
    goods_summary TEXT NOT NULL DEFAULT '',
    reasons TEXT NOT NULL DEFAULT '',
    historical INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX register_date ON register_entries(event_date, id);
CREATE INDEX register_destination ON register_entries(destination, event_date, id);
CREATE INDEX register_outcome ON register_entries(outcome, event_date, id);
CREATE INDEX register_reference ON register_entries(reference, id);
CREATE INDEX register_kind ON register_entries(kind, event_date);

-- One row per rating (and its family) and per criterion cited, so that
-- filters use an index instead of scanning lists.
CREATE TABLE register_ratings (
    entry_id BIGINT NOT NULL REFERENCES register_entries(id),
    rating TEXT NOT NULL,
    PRIMARY KEY (rating, entry_id)
);
CREATE TABLE register_criteria (
    entry_id BIGINT NOT NULL REFERENCES register_entries(id),
    criterion TEXT NOT NULL,
    PRIMARY KEY (criterion, entry_id)
);

-- Statistics releases: frozen snapshots, each logged with its hash.
CREATE TABLE stats_releases (
    id @ID@,
    period TEXT NOT NULL,
    content TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    published_at TEXT NOT NULL
);
CREATE INDEX stats_releases_period ON stats_releases(period, id);
-- Full text over the published summary of goods (an external-content FTS5
-- table kept in step by triggers; see dialect_search.go).
CREATE VIRTUAL TABLE register_fts USING fts5(goods_summary, content='register_entries', content_rowid='id', tokenize='unicode61 remove_diacritics 2', detail=none, columnsize=0);
-- +goose StatementBegin
CREATE TRIGGER register_fts_insert AFTER INSERT ON register_entries BEGIN
    INSERT INTO register_fts (rowid, goods_summary) VALUES (new.id, new.goods_summary);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER register_fts_delete AFTER DELETE ON register_entries BEGIN
    INSERT INTO register_fts (register_fts, rowid, goods_summary) VALUES ('delete', old.id, old.goods_summary);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER register_fts_update AFTER UPDATE OF goods_summary ON register_entries BEGIN
    INSERT INTO register_fts (register_fts, rowid, goods_summary) VALUES ('delete', old.id, old.goods_summary);
    INSERT INTO register_fts (rowid, goods_summary) VALUES (new.id, new.goods_summary);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER stats_releases_no_update BEFORE UPDATE ON stats_releases BEGIN SELECT RAISE(ABORT, 'stats_releases is append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER stats_releases_no_delete BEFORE DELETE ON stats_releases BEGIN SELECT RAISE(ABORT, 'stats_releases is append-only'); END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER stats_releases_no_delete;
DROP TRIGGER stats_releases_no_update;
DROP TRIGGER register_fts_update;
DROP TRIGGER register_fts_delete;
DROP TRIGGER register_fts_insert;
DROP TABLE register_fts;
DROP TABLE stats_releases;
DROP TABLE register_criteria;
DROP TABLE register_ratings;
DROP TABLE register_entries;
