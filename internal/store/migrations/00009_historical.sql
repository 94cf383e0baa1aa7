-- Historical licensing decisions from published data (CAAT's compilation
-- of the UK Strategic Export Controls database, 2008-2015), imported as
-- decided cases so that lists, statistics and exposure analyses treat
-- history like the system's own decisions. applications.historical marks
-- them (licences.historical already exists). historical_records remembers
-- each imported record (a CAAT licence group) with a digest of its rows,
-- so a re-import changes nothing and a corrected file updates only what
-- changed.

-- +goose Up
ALTER TABLE applications ADD COLUMN historical INTEGER NOT NULL DEFAULT 0;
CREATE INDEX applications_historical ON applications(historical, destination);

CREATE TABLE historical_records (
    id @ID@,
    source TEXT NOT NULL,
    record_key TEXT NOT NULL,
    application_id BIGINT NOT NULL REFERENCES applications(id),
    row_hash TEXT NOT NULL,
    file TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    updated_at TEXT,
    UNIQUE (source, record_key)
);

-- +goose Down
DROP TABLE historical_records;
DROP INDEX applications_historical;
ALTER TABLE applications DROP COLUMN historical;
