-- The concerns channel (issue 6). Content, responses, reporters' messages
-- and evidence are sealed with age before they reach the database; the
-- identity is sealed apart, to the custodians. What stays in clear is
-- what the clocks, escalation and impartiality rules need: status, level,
-- deadlines, links, the handler, and the receipt code's public id.

-- +goose Up
CREATE TABLE concerns (
    id @ID@,
    reference TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    level TEXT NOT NULL,
    anonymous INTEGER NOT NULL,
    application_id BIGINT REFERENCES applications(id),
    licence_id BIGINT REFERENCES licences(id),
    assessment_id BIGINT REFERENCES assessments(id),
    review_id BIGINT,
    handler_id BIGINT REFERENCES users(id),
    code_id TEXT NOT NULL UNIQUE,
    code_hash TEXT NOT NULL,
    reporter_tag TEXT,
    content @BLOB@ NOT NULL,
    identity @BLOB@,
    received_at TEXT NOT NULL,
    ack_due TEXT NOT NULL,
    acknowledged_at TEXT,
    response_due TEXT NOT NULL,
    answered_at TEXT,
    first_answered_at TEXT,
    closed_at TEXT,
    ack_missed INTEGER NOT NULL DEFAULT 0,
    response_missed INTEGER NOT NULL DEFAULT 0,
    escalations INTEGER NOT NULL DEFAULT 0,
    identity_revealed_at TEXT
);
CREATE INDEX concerns_status ON concerns(status, id);
CREATE INDEX concerns_handler ON concerns(handler_id, id);
CREATE INDEX concerns_reporter ON concerns(reporter_tag);
CREATE INDEX concerns_received ON concerns(received_at);

CREATE TABLE concern_files (
    id @ID@,
    concern_id BIGINT NOT NULL REFERENCES concerns(id),
    data @BLOB@ NOT NULL
);
CREATE INDEX concern_files_concern ON concern_files(concern_id, id);

CREATE TABLE concern_events (
    id @ID@,
    concern_id BIGINT NOT NULL REFERENCES concerns(id),
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    level TEXT NOT NULL,
    actor_id BIGINT REFERENCES users(id),
    actor_role TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    body @BLOB@
);
CREATE INDEX concern_events_concern ON concern_events(concern_id, id);
CREATE INDEX concern_events_actor ON concern_events(actor_id, kind);

CREATE TABLE concern_responses (
    id @ID@,
    concern_id BIGINT NOT NULL REFERENCES concerns(id),
    level TEXT NOT NULL,
    author_id BIGINT REFERENCES users(id),
    author TEXT NOT NULL,
    body @BLOB@ NOT NULL,
    corrects BIGINT REFERENCES concern_responses(id),
    sent_at TEXT NOT NULL
);
CREATE INDEX concern_responses_concern ON concern_responses(concern_id, id);

CREATE TABLE concern_protection (
    id @ID@,
    concern_id BIGINT NOT NULL REFERENCES concerns(id),
    opened_at TEXT NOT NULL,
    due TEXT NOT NULL,
    answered_at TEXT,
    escalated INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX concern_protection_concern ON concern_protection(concern_id, id);

-- Failed receipt-code checks per code id, for the rate limit. No address,
-- no browser detail: only which code was tried and when.
CREATE TABLE concern_code_failures (
    id @ID@,
    code_id TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX concern_code_failures_code ON concern_code_failures(code_id, at);

-- +goose StatementBegin
CREATE TRIGGER concerns_no_delete_open BEFORE DELETE ON concerns WHEN OLD.status <> 'closed' BEGIN SELECT RAISE(ABORT, 'a concern is never deleted while open or contested'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER concern_events_no_update BEFORE UPDATE ON concern_events BEGIN SELECT RAISE(ABORT, 'concern_events is append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER concern_events_no_delete BEFORE DELETE ON concern_events BEGIN SELECT RAISE(ABORT, 'concern_events is append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER concern_responses_no_update BEFORE UPDATE ON concern_responses BEGIN SELECT RAISE(ABORT, 'a sent response is frozen: send a correction'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER concern_responses_no_delete BEFORE DELETE ON concern_responses BEGIN SELECT RAISE(ABORT, 'a sent response is frozen: send a correction'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER concern_files_no_update BEFORE UPDATE ON concern_files BEGIN SELECT RAISE(ABORT, 'concern_files is append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER concern_files_no_delete BEFORE DELETE ON concern_files BEGIN SELECT RAISE(ABORT, 'concern_files is append-only'); END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE concern_code_failures;
DROP TABLE concern_protection;
DROP TABLE concern_responses;
DROP TABLE concern_events;
DROP TABLE concern_files;
DROP TABLE concerns;
