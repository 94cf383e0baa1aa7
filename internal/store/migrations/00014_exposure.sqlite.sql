-- The exposure engine (issue 5). exposure_rule_sets keeps every version of
-- the linking rules (JSON, exportctl.ExposureRules): proposed by one user,
-- approved by another; the latest approved version is in use. Version 1
-- is the shipped default, installed by Store.Open.
--
-- incident_forces has a row per incident and country whose forces it is
-- attributed to (exportctl.AttributedForces), with what the engine reads
-- of the incident, already redacted (no place or coordinates where the
-- publisher withheld them): written with the incident (imports, analysts'
-- incidents and classifications), filled once by Store.Open for incidents
-- stored before this version. A destination's candidate incidents are then
-- one range of its key (country, start date), read without touching the
-- incidents table. items lists identified systems ("12,40").
-- On SQLite the table is WITHOUT ROWID, so its rows are stored in the order of
-- its key and a destination's candidates are one contiguous range.

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
    country TEXT NOT NULL,
    start_date TEXT NOT NULL,
    incident_id BIGINT NOT NULL REFERENCES incidents(id),
    force TEXT NOT NULL,
    confidence @FLOAT@ NOT NULL DEFAULT 0,
    incident_country TEXT NOT NULL,
    admin1 TEXT NOT NULL DEFAULT '',
    place TEXT NOT NULL DEFAULT '',
    latitude @FLOAT@,
    longitude @FLOAT@,
    target TEXT NOT NULL,
    launch TEXT NOT NULL DEFAULT '',
    weapons TEXT NOT NULL DEFAULT '',
    items TEXT NOT NULL DEFAULT '',
    classification_codes TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (country, start_date, incident_id)
) WITHOUT ROWID;
CREATE INDEX incident_forces_incident ON incident_forces(incident_id);

CREATE INDEX parties_country ON parties(country, role);

-- +goose Down
DROP INDEX parties_country;
DROP TABLE incident_forces;
DROP TABLE exposure_rule_sets;
