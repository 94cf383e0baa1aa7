-- incident_versions keeps superseded versions only (issue 4's import
-- throughput): an incident's current version is its incidents row, and a
-- change (an import's or an analyst's) first copies the row as it stood
-- into incident_versions, then updates it. A new record therefore writes
-- no version row: before this, every imported record was written twice,
-- and the copy was more than half of the database's bytes.
-- version_source says who made the current version ('' for the record's
-- own source, 'analyst' for an analyst's change) and version_file the
-- import's file. The rows that held current versions move into the
-- incidents row: the only time rows leave this append-only table.
-- The twin .postgres.sql differs only in how append-only is enforced.

-- +goose Up
ALTER TABLE incidents ADD COLUMN version_source TEXT NOT NULL DEFAULT '';
ALTER TABLE incidents ADD COLUMN version_file TEXT NOT NULL DEFAULT '';
UPDATE incidents SET
    version_source = CASE WHEN v.source = incidents.source THEN '' ELSE v.source END,
    version_file = v.file
FROM incident_versions v WHERE v.incident_id = incidents.id AND v.version = incidents.version;
DROP TRIGGER incident_versions_no_delete;
DELETE FROM incident_versions WHERE EXISTS (SELECT 1 FROM incidents i WHERE i.id = incident_versions.incident_id AND i.version = incident_versions.version);
-- +goose StatementBegin
CREATE TRIGGER incident_versions_no_delete BEFORE DELETE ON incident_versions BEGIN SELECT RAISE(ABORT, 'incident_versions is append-only'); END;
-- +goose StatementEnd

-- +goose Down
-- The current versions are not copied back: a database taken down keeps
-- its superseded versions and loses nothing else but the two columns.
ALTER TABLE incidents DROP COLUMN version_file;
ALTER TABLE incidents DROP COLUMN version_source;
