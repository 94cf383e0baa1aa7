-- Map-box searches: see the SQLite twin of this file for why. PostgreSQL
-- needs floor where SQLite's cast truncates a non-negative number.

-- +goose Up
ALTER TABLE incidents ADD COLUMN geo_cell INTEGER GENERATED ALWAYS AS (CAST(floor((latitude + 90) * 2) AS INTEGER) * 1000 + CAST(floor((longitude + 180) * 2) AS INTEGER)) STORED;
CREATE INDEX incidents_cell ON incidents(geo_cell, latitude, longitude, start_date, id) WHERE redacted = 0;
DROP INDEX incidents_geo;

-- +goose Down
CREATE INDEX incidents_geo ON incidents(latitude, longitude);
DROP INDEX incidents_cell;
ALTER TABLE incidents DROP COLUMN geo_cell;
