-- The licensing core. Current-state columns (status, outcome, destination,
-- projections such as goods_summary) are caches of the append-only tables
-- beside them: case_transitions, decisions, licence_transitions, goods and
-- parties rows marked superseded, and audit_events are the record.

-- +goose Up
CREATE TABLE organisations (
    id @ID@,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('exporter', 'government')),
    created_at TEXT NOT NULL
);

CREATE TABLE users (
    id @ID@,
    username TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    team TEXT NOT NULL DEFAULT '',
    org_id BIGINT REFERENCES organisations(id),
    password_hash TEXT NOT NULL DEFAULT '',
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);

CREATE TABLE api_tokens (
    id @ID@,
    user_id BIGINT NOT NULL REFERENCES users(id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);

CREATE TABLE sessions (
    id @ID@,
    token_hash TEXT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users(id),
    csrf TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    ended_at TEXT
);

CREATE TABLE counters (
    name TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);

CREATE TABLE applications (
    id @ID@,
    reference TEXT NOT NULL UNIQUE,
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    licence_type TEXT NOT NULL,
    export_type TEXT NOT NULL,
    end_use TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    outcome TEXT NOT NULL DEFAULT '',
    destination TEXT NOT NULL DEFAULT '',
    end_user_name TEXT NOT NULL DEFAULT '',
    goods_summary TEXT NOT NULL DEFAULT '',
    total_value_pence BIGINT NOT NULL DEFAULT 0,
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL,
    submitted_at TEXT,
    decided_at TEXT
);
CREATE INDEX applications_status ON applications(status, id);
CREATE INDEX applications_org ON applications(org_id, id);
CREATE INDEX applications_destination ON applications(destination, id);

CREATE TABLE goods (
    id @ID@,
    application_id BIGINT NOT NULL REFERENCES applications(id),
    description TEXT NOT NULL,
    rating TEXT NOT NULL,
    quantity DOUBLE PRECISION NOT NULL,
    unit TEXT NOT NULL,
    value_pence BIGINT NOT NULL,
    component_of TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    superseded_at TEXT
);
CREATE INDEX goods_application ON goods(application_id);

CREATE TABLE parties (
    id @ID@,
    application_id BIGINT NOT NULL REFERENCES applications(id),
    role TEXT NOT NULL,
    name TEXT NOT NULL,
    address TEXT NOT NULL DEFAULT '',
    country TEXT NOT NULL,
    type TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    superseded_at TEXT
);
CREATE INDEX parties_application ON parties(application_id);

CREATE TABLE case_transitions (
    id @ID@,
    application_id BIGINT NOT NULL REFERENCES applications(id),
    from_status TEXT NOT NULL,
    action TEXT NOT NULL,
    to_status TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    actor_id BIGINT REFERENCES users(id),
    at TEXT NOT NULL
);
CREATE INDEX case_transitions_application ON case_transitions(application_id, id);

CREATE TABLE decisions (
    id @ID@,
    application_id BIGINT NOT NULL REFERENCES applications(id),
    outcome TEXT NOT NULL,
    criteria TEXT NOT NULL DEFAULT '',
    criteria_set TEXT NOT NULL,
    reasons TEXT NOT NULL DEFAULT '',
    decided_by BIGINT REFERENCES users(id),
    decided_by_name TEXT NOT NULL,
    decided_at TEXT NOT NULL
);
CREATE INDEX decisions_application ON decisions(application_id, id);

CREATE TABLE licences (
    id @ID@,
    reference TEXT NOT NULL UNIQUE,
    application_id BIGINT REFERENCES applications(id),
    decision_id BIGINT REFERENCES decisions(id),
    org_id BIGINT REFERENCES organisations(id),
    licence_type TEXT NOT NULL,
    export_type TEXT NOT NULL,
    destination TEXT NOT NULL,
    status TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_until TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    historical INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX licences_status ON licences(status, id);
CREATE INDEX licences_org ON licences(org_id, id);
CREATE INDEX licences_destination ON licences(destination, id);
CREATE INDEX licences_application ON licences(application_id);

CREATE TABLE licence_transitions (
    id @ID@,
    licence_id BIGINT NOT NULL REFERENCES licences(id),
    from_status TEXT NOT NULL,
    action TEXT NOT NULL,
    to_status TEXT NOT NULL,
    reasons TEXT NOT NULL DEFAULT '',
    actor_id BIGINT REFERENCES users(id),
    at TEXT NOT NULL
);
CREATE INDEX licence_transitions_licence ON licence_transitions(licence_id, id);

CREATE TABLE audit_events (
    id @ID@,
    at TEXT NOT NULL,
    actor_id BIGINT,
    actor TEXT NOT NULL,
    actor_role TEXT NOT NULL,
    action TEXT NOT NULL,
    subject_type TEXT NOT NULL,
    subject_id BIGINT NOT NULL,
    summary TEXT NOT NULL
);
CREATE INDEX audit_events_subject ON audit_events(subject_type, subject_id, id);

CREATE TABLE ratings (
    code TEXT PRIMARY KEY,
    military INTEGER NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL
);

-- +goose Down
DROP TABLE ratings;
DROP TABLE audit_events;
DROP TABLE licence_transitions;
DROP TABLE licences;
DROP TABLE decisions;
DROP TABLE case_transitions;
DROP TABLE parties;
DROP TABLE goods;
DROP TABLE applications;
DROP TABLE counters;
DROP TABLE sessions;
DROP TABLE api_tokens;
DROP TABLE users;
DROP TABLE organisations;
