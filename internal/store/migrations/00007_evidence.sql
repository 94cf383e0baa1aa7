-- The evidence register (issue 4). incidents is the current projection of
-- each incident, with the columns the filters use (launch is the primary
-- launch type, perpetrator and perpetrator_force the perpetrator actors'
-- names and forces joined with "; ", state_forces 1 when a perpetrator is
-- of ACLED type 1 (state forces) or 8 (external forces), weapon_text the
-- weapons as reported or identified, classification_codes "|code|...|").
-- incident_sources is the identity of every source record, never merged
-- away: its row_hash is the SHA-256 of the canonical JSON of the record as
-- last imported, so a re-import that changes nothing writes nothing.
-- incident_versions keeps every version (what an import mapped, or the
-- incident after an analyst's change). evidence_sources, custody_events,
-- verification_steps and incident_versions are append-only; incidents and
-- incident_sources are never deleted. publish_decided and
-- verification_decided mark decisions of analysts that imports keep.
--
-- The tables are the same on both engines (this file and its twin differ
-- in the coordinate type and in full text): one file per engine because
-- goose allows one file per version.

-- +goose Up
CREATE TABLE incidents (
    id @ID@,
    source TEXT NOT NULL,
    source_id TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL DEFAULT '',
    date_precision INTEGER NOT NULL DEFAULT 1,
    country TEXT NOT NULL,
    admin1 TEXT NOT NULL DEFAULT '',
    admin2 TEXT NOT NULL DEFAULT '',
    admin3 TEXT NOT NULL DEFAULT '',
    place TEXT NOT NULL DEFAULT '',
    latitude @FLOAT@,
    longitude @FLOAT@,
    geo_precision INTEGER NOT NULL DEFAULT 0,
    redacted INTEGER NOT NULL DEFAULT 0,
    event_type TEXT NOT NULL DEFAULT '',
    sub_event_type TEXT NOT NULL DEFAULT '',
    target TEXT NOT NULL,
    damage TEXT NOT NULL DEFAULT '',
    aid_access TEXT NOT NULL DEFAULT '',
    killed INTEGER NOT NULL DEFAULT 0,
    injured INTEGER NOT NULL DEFAULT 0,
    kidnapped INTEGER NOT NULL DEFAULT 0,
    detained INTEGER NOT NULL DEFAULT 0,
    health_workers INTEGER NOT NULL DEFAULT 0,
    aid_workers INTEGER NOT NULL DEFAULT 0,
    children INTEGER NOT NULL DEFAULT 0,
    journalists INTEGER NOT NULL DEFAULT 0,
    verification TEXT NOT NULL,
    verification_decided INTEGER NOT NULL DEFAULT 0,
    narrative TEXT NOT NULL DEFAULT '',
    publishable INTEGER NOT NULL DEFAULT 0,
    publish_decided INTEGER NOT NULL DEFAULT 0,
    group_id BIGINT,
    launch TEXT NOT NULL DEFAULT '',
    perpetrator TEXT NOT NULL DEFAULT '',
    perpetrator_force TEXT NOT NULL DEFAULT '',
    state_forces INTEGER NOT NULL DEFAULT 0,
    weapon_text TEXT NOT NULL DEFAULT '',
    classification_codes TEXT NOT NULL DEFAULT '',
    actors TEXT NOT NULL DEFAULT '[]',
    weapons TEXT NOT NULL DEFAULT '[]',
    classifications TEXT NOT NULL DEFAULT '[]',
    original TEXT NOT NULL DEFAULT '{}',
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX incidents_date ON incidents(start_date, id);
CREATE INDEX incidents_country ON incidents(country, start_date, id);
CREATE INDEX incidents_target ON incidents(target, start_date, id);
CREATE INDEX incidents_geo ON incidents(latitude, longitude);
CREATE INDEX incidents_launch ON incidents(launch, start_date, id);
CREATE INDEX incidents_verification ON incidents(verification, start_date, id);

CREATE TABLE incident_sources (
    id @ID@,
    source TEXT NOT NULL,
    source_id TEXT NOT NULL,
    incident_id BIGINT NOT NULL REFERENCES incidents(id),
    row_hash TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    UNIQUE (source, source_id)
);
CREATE INDEX incident_sources_incident ON incident_sources(incident_id);

CREATE TABLE incident_versions (
    id @ID@,
    incident_id BIGINT NOT NULL REFERENCES incidents(id),
    version INTEGER NOT NULL,
    data TEXT NOT NULL,
    row_hash TEXT NOT NULL,
    source TEXT NOT NULL,
    file TEXT NOT NULL DEFAULT '',
    imported_at TEXT NOT NULL,
    UNIQUE (incident_id, version)
);

CREATE TABLE evidence_sources (
    id @ID@,
    incident_id BIGINT NOT NULL REFERENCES incidents(id),
    publisher TEXT NOT NULL,
    url TEXT NOT NULL DEFAULT '',
    captured_at TEXT NOT NULL,
    sha256 TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX evidence_sources_incident ON evidence_sources(incident_id, id);

CREATE TABLE custody_events (
    id @ID@,
    evidence_source_id BIGINT NOT NULL REFERENCES evidence_sources(id),
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    actor_id BIGINT REFERENCES users(id),
    action TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX custody_events_source ON custody_events(evidence_source_id, id);

CREATE TABLE verification_steps (
    id @ID@,
    incident_id BIGINT NOT NULL REFERENCES incidents(id),
    step TEXT NOT NULL CHECK (step IN ('source', 'technical', 'content')),
    analyst TEXT NOT NULL,
    analyst_id BIGINT REFERENCES users(id),
    at TEXT NOT NULL,
    confidence @FLOAT@ NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT ''
);
CREATE INDEX verification_steps_incident ON verification_steps(incident_id, id);

-- +goose Down
DROP TABLE verification_steps;
DROP TABLE custody_events;
DROP TABLE evidence_sources;
DROP TABLE incident_versions;
DROP TABLE incident_sources;
DROP TABLE incidents;
