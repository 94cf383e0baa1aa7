-- A record's original source values (Incident.Original: every column of
-- the source row as read) move out of the incidents row into their own
-- table. They are the widest part of an imported row (about 900 bytes of
-- an ACLED row's 1,400) and read only when one incident is shown, while
-- every index build, full-text rebuild and scan of incidents read past
-- them. A record without original values (an analyst's) has no row here.
-- The twin .postgres.sql differs in the key's type.

-- +goose Up
CREATE TABLE incident_originals (
    incident_id INTEGER PRIMARY KEY REFERENCES incidents(id),
    original TEXT NOT NULL
);
INSERT INTO incident_originals (incident_id, original) SELECT id, original FROM incidents WHERE original NOT IN ('', '{}');
ALTER TABLE incidents DROP COLUMN original;

-- +goose Down
ALTER TABLE incidents ADD COLUMN original TEXT NOT NULL DEFAULT '{}';
UPDATE incidents SET original = (SELECT o.original FROM incident_originals o WHERE o.incident_id = incidents.id)
WHERE id IN (SELECT incident_id FROM incident_originals);
DROP TABLE incident_originals;
