-- Answers to denial matches are part of the decision record: never
-- changed, never removed.

-- +goose Up
-- +goose StatementBegin
CREATE TRIGGER denial_answers_no_update BEFORE UPDATE ON denial_answers BEGIN SELECT RAISE(ABORT, 'denial_answers is append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER denial_answers_no_delete BEFORE DELETE ON denial_answers BEGIN SELECT RAISE(ABORT, 'denial_answers is append-only'); END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER denial_answers_no_update;
DROP TRIGGER denial_answers_no_delete;
