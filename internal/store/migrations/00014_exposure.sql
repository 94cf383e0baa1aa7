-- The exposure engine (issue 5). exposure_rule_sets keeps every version of
-- the linking rules (JSON, exportctl.ExposureRules): proposed by one user,
-- approved by another; the latest approved version is in use. Version 1
-- is the shipped default, installed by Store.Open.
-- incident_forces says which countries' forces each incident is
-- attributed to (exportctl.AttributedForces), written with the incident,
-- so that the exposure of a destination loads its candidate incidents by
-- an index on country and date. Store.Open fills it once for incidents
-- that were imported before this version.

-- +goose Up
CREATE TABLE exposure_rule_sets (
    version INTEGER PRIMARY KEY,
    rules TEXT NOT NULL,
    proposed_by BIGINT REFERENCES users(id),
    proposed_by_name TEXT NOT NULL,
    proposed_at TEXT NOT NULL,
    approved_by BIGINT REFERENCES users(id),
    approved_by_name TEXT NOT NULL DEFAULT '',
    approved_at TEXT
);

CREATE TABLE incident_forces (
    incident_id BIGINT NOT NULL REFERENCES incidents(id),
    country TEXT NOT NULL,
    start_date TEXT NOT NULL,
    force TEXT NOT NULL,
    confidence @FLOAT@ NOT NULL DEFAULT 0,
    PRIMARY KEY (country, start_date, incident_id)
);
CREATE INDEX incident_forces_incident ON incident_forces(incident_id);

CREATE INDEX parties_country ON parties(country, role);

-- +goose Down
DROP INDEX parties_country;
DROP TABLE incident_forces;
DROP TABLE exposure_rule_sets;
