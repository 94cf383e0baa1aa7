-- Map-box searches (issue 4): a (latitude, longitude) index narrows on
-- latitude only, so a 50 km box read a whole band of the map. geo_cell
-- numbers the half-degree cell of an incident's place (row from the south
-- pole times 1000 plus column from the antimeridian; incidents.go geoCells
-- computes the same); boxes look up the cells they touch. Both engines
-- must compute it identically: SQLite truncates a non-negative number
-- when it casts, PostgreSQL needs floor. Boxes never match a redacted
-- place, so the index holds only unredacted ones and answers a box's
-- count without reading the rows.

-- +goose Up
ALTER TABLE incidents ADD COLUMN geo_cell INTEGER GENERATED ALWAYS AS (CAST((latitude + 90) * 2 AS INTEGER) * 1000 + CAST((longitude + 180) * 2 AS INTEGER)) VIRTUAL;
CREATE INDEX incidents_cell ON incidents(geo_cell, latitude, longitude, start_date, id) WHERE redacted = 0;
DROP INDEX incidents_geo;

-- +goose Down
CREATE INDEX incidents_geo ON incidents(latitude, longitude);
DROP INDEX incidents_cell;
ALTER TABLE incidents DROP COLUMN geo_cell;
