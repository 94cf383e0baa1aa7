-- What an unfinished load of incidents (Store.LoadIncidents) has deferred:
-- the incidents' search indexes and the full-text insert trigger it
-- dropped, with their definitions, and the highest incident id when it
-- began (the rows above it are not yet in the full-text index).
-- FinishIncidentLoad builds them and empties the table. SQLite only in
-- practice; the table exists on both engines so the schema is one.

-- +goose Up
CREATE TABLE incident_load (
    name TEXT PRIMARY KEY,
    definition TEXT NOT NULL,
    from_id BIGINT NOT NULL
);

-- +goose Down
DROP TABLE incident_load;
