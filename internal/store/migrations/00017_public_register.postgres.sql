-- The public register and statistics releases (issue 7); see the SQLite
-- twin of this migration for what the tables hold.

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
CREATE INDEX register_reference ON register_entries(reference, id);

-- Searches run on an in-memory copy of the register in each server
-- (register_search.go). register_state tells the copies what changed:
-- version counts writes (new rows, in id order: writers take this row's
-- lock before inserting), generation counts rewrites (rows replaced or
-- removed), after which a copy reloads.
CREATE TABLE register_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL,
    generation BIGINT NOT NULL
);
INSERT INTO register_state (id, version, generation) VALUES (1, 0, 0);

-- Statistics releases: frozen snapshots, each logged with its hash.
CREATE TABLE stats_releases (
    id @ID@,
    period TEXT NOT NULL,
    content TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    published_at TEXT NOT NULL
);
CREATE INDEX stats_releases_period ON stats_releases(period, id);
CREATE TRIGGER stats_releases_append_only BEFORE UPDATE OR DELETE ON stats_releases FOR EACH ROW EXECUTE FUNCTION exportctl_append_only();

-- +goose Down
DROP TRIGGER stats_releases_append_only ON stats_releases;
DROP TABLE stats_releases;
DROP TABLE register_state;
DROP TABLE register_entries;
