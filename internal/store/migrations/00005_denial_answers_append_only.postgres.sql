-- Answers to denial matches are part of the decision record: never
-- changed, never removed. exportctl_append_only() comes from 00002.

-- +goose Up
CREATE TRIGGER denial_answers_append_only BEFORE UPDATE OR DELETE ON denial_answers FOR EACH ROW EXECUTE FUNCTION exportctl_append_only();

-- +goose Down
DROP TRIGGER denial_answers_append_only ON denial_answers;
