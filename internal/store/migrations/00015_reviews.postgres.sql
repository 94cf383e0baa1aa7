-- Destination and end-user reviews, and the reassessment tasks that new
-- evidence opens. The record (determinations, findings, approvals,
-- statements) is append-only: the current determination of a licence is
-- its latest row. reviews.status, review_licences.applied and milestones'
-- done dates are projections kept in the same transaction as the audit
-- event that records them.

-- +goose Up
CREATE TABLE reviews (
    id @ID@,
    reference TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('destination', 'end_user')),
    destination TEXT NOT NULL,
    end_user TEXT NOT NULL DEFAULT '',
    terms_of_reference TEXT NOT NULL,
    lead_id BIGINT NOT NULL REFERENCES users(id),
    evidence_cutoff TEXT NOT NULL,
    deadline TEXT NOT NULL,
    status TEXT NOT NULL,
    opened_by BIGINT REFERENCES users(id),
    opened_by_name TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    proposed_at TEXT,
    task_id BIGINT
);
CREATE INDEX reviews_destination ON reviews(destination, id);
CREATE INDEX reviews_status ON reviews(status, id);

CREATE TABLE review_licences (
    review_id BIGINT NOT NULL REFERENCES reviews(id),
    licence_id BIGINT NOT NULL REFERENCES licences(id),
    direct INTEGER NOT NULL DEFAULT 0,
    platform INTEGER NOT NULL DEFAULT 0,
    contextual INTEGER NOT NULL DEFAULT 0,
    strongest TEXT NOT NULL DEFAULT '',
    applied TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (review_id, licence_id)
);
CREATE INDEX review_licences_licence ON review_licences(licence_id);

CREATE TABLE review_determinations (
    id @ID@,
    review_id BIGINT NOT NULL REFERENCES reviews(id),
    licence_id BIGINT NOT NULL REFERENCES licences(id),
    determination TEXT NOT NULL CHECK (determination IN ('yes', 'no', 'unclear')),
    determination_reasons TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('maintain', 'suspend', 'amend', 'revoke')),
    conditions TEXT NOT NULL DEFAULT '',
    outcome_reasons TEXT NOT NULL DEFAULT '',
    recorded_by BIGINT REFERENCES users(id),
    recorded_by_name TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX review_determinations_review ON review_determinations(review_id, licence_id, id);

CREATE TABLE review_findings (
    id @ID@,
    review_id BIGINT NOT NULL REFERENCES reviews(id),
    conduct_of_hostilities TEXT NOT NULL,
    humanitarian_access TEXT NOT NULL,
    detainees TEXT NOT NULL,
    recorded_by BIGINT REFERENCES users(id),
    recorded_by_name TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX review_findings_review ON review_findings(review_id, id);

CREATE TABLE review_milestones (
    id @ID@,
    review_id BIGINT NOT NULL REFERENCES reviews(id),
    name TEXT NOT NULL,
    due TEXT NOT NULL,
    done TEXT NOT NULL DEFAULT ''
);
CREATE INDEX review_milestones_review ON review_milestones(review_id, id);

CREATE TABLE review_approvals (
    id @ID@,
    review_id BIGINT NOT NULL UNIQUE REFERENCES reviews(id),
    reasons TEXT NOT NULL,
    decided_by BIGINT REFERENCES users(id),
    decided_by_name TEXT NOT NULL,
    decided_at TEXT NOT NULL
);

CREATE TABLE review_statements (
    id @ID@,
    review_id BIGINT NOT NULL UNIQUE REFERENCES reviews(id),
    statement TEXT NOT NULL,
    published_by BIGINT REFERENCES users(id),
    published_by_name TEXT NOT NULL,
    published_at TEXT NOT NULL
);

CREATE TABLE reassessment_tasks (
    id @ID@,
    destination TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    trigger_text TEXT NOT NULL,
    incident_ids TEXT NOT NULL DEFAULT '',
    licences INTEGER NOT NULL DEFAULT 0,
    opened_at TEXT NOT NULL,
    decision TEXT NOT NULL DEFAULT '',
    reasons TEXT NOT NULL DEFAULT '',
    review_id BIGINT REFERENCES reviews(id),
    closed_by BIGINT REFERENCES users(id),
    closed_by_name TEXT NOT NULL DEFAULT '',
    closed_at TEXT
);
-- One open task per destination: the trigger is idempotent.
CREATE UNIQUE INDEX reassessment_tasks_open ON reassessment_tasks(destination) WHERE status = 'open';
CREATE INDEX reassessment_tasks_destination ON reassessment_tasks(destination, id);

-- A licence change or departure made by a review names it; an amendment
-- records the conditions it added.
ALTER TABLE licence_transitions ADD COLUMN review_id BIGINT REFERENCES reviews(id);
ALTER TABLE licence_transitions ADD COLUMN conditions TEXT NOT NULL DEFAULT '';
ALTER TABLE departures ADD COLUMN review_id BIGINT REFERENCES reviews(id);

CREATE TRIGGER review_determinations_append_only BEFORE UPDATE OR DELETE ON review_determinations FOR EACH ROW EXECUTE FUNCTION exportctl_append_only();
CREATE TRIGGER review_findings_append_only BEFORE UPDATE OR DELETE ON review_findings FOR EACH ROW EXECUTE FUNCTION exportctl_append_only();
CREATE TRIGGER review_approvals_append_only BEFORE UPDATE OR DELETE ON review_approvals FOR EACH ROW EXECUTE FUNCTION exportctl_append_only();
CREATE TRIGGER review_statements_append_only BEFORE UPDATE OR DELETE ON review_statements FOR EACH ROW EXECUTE FUNCTION exportctl_append_only();

-- +goose Down
DROP TRIGGER review_statements_append_only ON review_statements;
DROP TRIGGER review_approvals_append_only ON review_approvals;
DROP TRIGGER review_findings_append_only ON review_findings;
DROP TRIGGER review_determinations_append_only ON review_determinations;
ALTER TABLE departures DROP COLUMN review_id;
ALTER TABLE licence_transitions DROP COLUMN conditions;
ALTER TABLE licence_transitions DROP COLUMN review_id;
DROP TABLE reassessment_tasks;
DROP TABLE review_statements;
DROP TABLE review_approvals;
DROP TABLE review_milestones;
DROP TABLE review_findings;
DROP TABLE review_determinations;
DROP TABLE review_licences;
DROP TABLE reviews;
