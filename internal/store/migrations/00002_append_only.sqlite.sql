-- The record tables refuse updates and deletes, so that even a bug (or a
-- hand-written UPDATE) cannot rewrite history.

-- +goose Up
-- +goose StatementBegin
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER case_transitions_no_update BEFORE UPDATE ON case_transitions BEGIN SELECT RAISE(ABORT, 'case_transitions is append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER case_transitions_no_delete BEFORE DELETE ON case_transitions BEGIN SELECT RAISE(ABORT, 'case_transitions is append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions BEGIN SELECT RAISE(ABORT, 'decisions is append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions BEGIN SELECT RAISE(ABORT, 'decisions is append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER licence_transitions_no_update BEFORE UPDATE ON licence_transitions BEGIN SELECT RAISE(ABORT, 'licence_transitions is append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER licence_transitions_no_delete BEFORE DELETE ON licence_transitions BEGIN SELECT RAISE(ABORT, 'licence_transitions is append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER goods_no_delete BEFORE DELETE ON goods BEGIN SELECT RAISE(ABORT, 'goods rows are superseded, never deleted'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER parties_no_delete BEFORE DELETE ON parties BEGIN SELECT RAISE(ABORT, 'parties rows are superseded, never deleted'); END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER audit_events_no_update;
DROP TRIGGER audit_events_no_delete;
DROP TRIGGER case_transitions_no_update;
DROP TRIGGER case_transitions_no_delete;
DROP TRIGGER decisions_no_update;
DROP TRIGGER decisions_no_delete;
DROP TRIGGER licence_transitions_no_update;
DROP TRIGGER licence_transitions_no_delete;
DROP TRIGGER goods_no_delete;
DROP TRIGGER parties_no_delete;
