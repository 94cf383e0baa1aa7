-- A record's original source values move out of the incidents row into
-- their own table: see the .sqlite.sql twin.

-- +goose Up
CREATE TABLE incident_originals (
    incident_id BIGINT PRIMARY KEY REFERENCES incidents(id),
    original TEXT NOT NULL
);
INSERT INTO incident_originals (incident_id, original) SELECT id, original FROM incidents WHERE original NOT IN ('', '{}');
ALTER TABLE incidents DROP COLUMN original;

-- +goose Down
ALTER TABLE incidents ADD COLUMN original TEXT NOT NULL DEFAULT '{}';
UPDATE incidents SET original = o.original FROM incident_originals o WHERE o.incident_id = incidents.id;
DROP TABLE incident_originals;
