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
-- Full text over the published summary of goods: the expression
-- dialect_search.go queries (keep the two identical).
CREATE INDEX register_text ON register_entries USING GIN (to_tsvector('simple', goods_summary));
CREATE TRIGGER stats_releases_append_only BEFORE UPDATE OR DELETE ON stats_releases FOR EACH ROW EXECUTE FUNCTION exportctl_append_only();

-- +goose Down
DROP TRIGGER stats_releases_append_only ON stats_releases;
DROP TABLE stats_releases;
DROP TABLE register_criteria;
DROP TABLE register_ratings;
DROP TABLE register_entries;
