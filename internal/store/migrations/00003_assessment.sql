-- Advice, assessments, final advice, countersignatures and departures:
-- the decision record a court reads. Rows are superseded, never deleted.

-- +goose Up
CREATE TABLE advice (
    id @ID@,
    application_id BIGINT NOT NULL REFERENCES applications(id),
    team TEXT NOT NULL,
    adviser_id BIGINT REFERENCES users(id),
    adviser_name TEXT NOT NULL,
    subject TEXT NOT NULL CHECK (subject IN ('good', 'party')),
    subject_id BIGINT NOT NULL,
    type TEXT NOT NULL,
    conditions TEXT NOT NULL DEFAULT '',
    criteria TEXT NOT NULL DEFAULT '',
    reasons TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    superseded_at TEXT
);
CREATE INDEX advice_application ON advice(application_id, id);

CREATE TABLE advice_resolutions (
    id @ID@,
    application_id BIGINT NOT NULL REFERENCES applications(id),
    subject TEXT NOT NULL,
    subject_id BIGINT NOT NULL,
    result TEXT NOT NULL,
    conditions TEXT NOT NULL DEFAULT '',
    reasons TEXT NOT NULL,
    resolved_by BIGINT REFERENCES users(id),
    resolved_by_name TEXT NOT NULL,
    resolved_at TEXT NOT NULL
);
CREATE INDEX advice_resolutions_application ON advice_resolutions(application_id, id);

CREATE TABLE assessments (
    id @ID@,
    application_id BIGINT NOT NULL REFERENCES applications(id),
    version INTEGER NOT NULL,
    criteria_set TEXT NOT NULL,
    evidence_cutoff TEXT NOT NULL DEFAULT '',
    findings TEXT NOT NULL,
    ihl TEXT NOT NULL DEFAULT '',
    evidence_guard_reason TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    author_id BIGINT REFERENCES users(id),
    author_name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    superseded_at TEXT,
    UNIQUE (application_id, version)
);

CREATE TABLE final_advice (
    id @ID@,
    application_id BIGINT NOT NULL REFERENCES applications(id),
    recommendation TEXT NOT NULL,
    criteria TEXT NOT NULL DEFAULT '',
    conditions TEXT NOT NULL DEFAULT '',
    reasons TEXT NOT NULL,
    assessment_id BIGINT NOT NULL REFERENCES assessments(id),
    sensitive INTEGER NOT NULL DEFAULT 0,
    sensitive_reasons TEXT NOT NULL DEFAULT '',
    countersigns_needed INTEGER NOT NULL,
    author_id BIGINT REFERENCES users(id),
    author_name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    superseded_at TEXT
);
CREATE INDEX final_advice_application ON final_advice(application_id, id);

CREATE TABLE countersignatures (
    id @ID@,
    application_id BIGINT NOT NULL REFERENCES applications(id),
    final_advice_id BIGINT NOT NULL REFERENCES final_advice(id),
    sign_order INTEGER NOT NULL,
    signer_id BIGINT REFERENCES users(id),
    signer_name TEXT NOT NULL,
    signer_role TEXT NOT NULL,
    approved INTEGER NOT NULL,
    reasons TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    invalidated_at TEXT
);
CREATE INDEX countersignatures_application ON countersignatures(application_id, id);

CREATE TABLE departures (
    id @ID@,
    application_id BIGINT NOT NULL REFERENCES applications(id),
    licence_id BIGINT REFERENCES licences(id),
    decision_id BIGINT REFERENCES decisions(id),
    kind TEXT NOT NULL,
    scope TEXT NOT NULL,
    reasons TEXT NOT NULL,
    criteria TEXT NOT NULL DEFAULT '',
    decided_by BIGINT REFERENCES users(id),
    decided_by_name TEXT NOT NULL,
    decided_at TEXT NOT NULL
);
CREATE INDEX departures_application ON departures(application_id, id);

ALTER TABLE decisions ADD COLUMN departure INTEGER NOT NULL DEFAULT 0;
ALTER TABLE licences ADD COLUMN conditions TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE licences DROP COLUMN conditions;
ALTER TABLE decisions DROP COLUMN departure;
DROP TABLE departures;
DROP TABLE countersignatures;
DROP TABLE final_advice;
DROP TABLE assessments;
DROP TABLE advice_resolutions;
DROP TABLE advice;
