-- The denials register: the system's own refusals (source 'own', with the
-- refused application) and denials notified by others (source
-- 'imported: <file>'). name_key is the normalised end-user name
-- (exportctl.NormaliseName) that the match on a new application looks up
-- with the country and the date, through denials_match.
-- denial_answers holds the reasons given for proceeding despite a match;
-- it is append-only (00005), the latest answer counts.

-- +goose Up
CREATE TABLE denials (
    id @ID@,
    reference TEXT NOT NULL,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    address TEXT NOT NULL DEFAULT '',
    country TEXT NOT NULL,
    item_description TEXT NOT NULL DEFAULT '',
    ratings TEXT NOT NULL DEFAULT '',
    end_use TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL,
    application_id BIGINT REFERENCES applications(id),
    decision_id BIGINT REFERENCES decisions(id),
    denied_at TEXT NOT NULL,
    created_at TEXT NOT NULL,
    superseded_at TEXT,
    UNIQUE (reference, source)
);
CREATE INDEX denials_match ON denials(country, name_key, denied_at);
CREATE INDEX denials_application ON denials(application_id);
CREATE INDEX denials_list ON denials(country, id);

CREATE TABLE denial_answers (
    id @ID@,
    application_id BIGINT NOT NULL REFERENCES applications(id),
    denial_id BIGINT NOT NULL REFERENCES denials(id),
    reasons TEXT NOT NULL,
    answered_by BIGINT REFERENCES users(id),
    answered_by_name TEXT NOT NULL,
    answered_at TEXT NOT NULL
);
CREATE INDEX denial_answers_application ON denial_answers(application_id, denial_id, id);

-- +goose Down
DROP TABLE denial_answers;
DROP TABLE denials;
