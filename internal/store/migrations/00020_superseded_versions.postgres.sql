-- incident_versions keeps superseded versions only: see the .sqlite.sql
-- twin, which differs only in how append-only is enforced.

-- +goose Up
ALTER TABLE incidents ADD COLUMN version_source TEXT NOT NULL DEFAULT '';
ALTER TABLE incidents ADD COLUMN version_file TEXT NOT NULL DEFAULT '';
UPDATE incidents SET
    version_source = CASE WHEN v.source = incidents.source THEN '' ELSE v.source END,
    version_file = v.file
FROM incident_versions v WHERE v.incident_id = incidents.id AND v.version = incidents.version;
ALTER TABLE incident_versions DISABLE TRIGGER incident_versions_append_only;
DELETE FROM incident_versions WHERE EXISTS (SELECT 1 FROM incidents i WHERE i.id = incident_versions.incident_id AND i.version = incident_versions.version);
ALTER TABLE incident_versions ENABLE TRIGGER incident_versions_append_only;

-- +goose Down
ALTER TABLE incidents DROP COLUMN version_file;
ALTER TABLE incidents DROP COLUMN version_source;
