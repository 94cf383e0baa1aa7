-- Duplicates across sources (issue 4). incident_matches holds each pair of
-- incidents proposed as probably the same event (a_id < b_id, once per
-- pair), with the score and reasons of the rule (reasons a JSON array of
-- strings), and the analyst's decision. Rows are never deleted: a rejected
-- pair stays so that it is never proposed again. Confirming a pair sets
-- incidents.group_id (migration 00007) of both incidents' groups to the
-- smallest incident id of the connected set, in the same transaction;
-- no incident is merged away or deleted.
--
-- score is DOUBLE PRECISION on both engines (SQLite gives the type name
-- REAL affinity).

-- +goose Up
CREATE TABLE incident_matches (
    id @ID@,
    a_id BIGINT NOT NULL REFERENCES incidents(id),
    b_id BIGINT NOT NULL REFERENCES incidents(id),
    score DOUBLE PRECISION NOT NULL,
    reasons TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'confirmed', 'rejected')),
    decided_by BIGINT REFERENCES users(id),
    decided_by_name TEXT NOT NULL DEFAULT '',
    decided_at TEXT,
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    CHECK (a_id < b_id),
    UNIQUE (a_id, b_id)
);
CREATE INDEX incident_matches_b ON incident_matches(b_id);
CREATE INDEX incident_matches_status ON incident_matches(status, id);
CREATE INDEX incidents_group ON incidents(group_id) WHERE group_id IS NOT NULL;

-- +goose Down
DROP INDEX incidents_group;
DROP INDEX incident_matches_status;
DROP INDEX incident_matches_b;
DROP TABLE incident_matches;
