-- Resolutions and departures are decisions: never changed, never removed.

-- +goose Up
-- +goose StatementBegin
CREATE TRIGGER advice_resolutions_no_update BEFORE UPDATE ON advice_resolutions BEGIN SELECT RAISE(ABORT, 'advice_resolutions is append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER advice_resolutions_no_delete BEFORE DELETE ON advice_resolutions BEGIN SELECT RAISE(ABORT, 'advice_resolutions is append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER departures_no_update BEFORE UPDATE ON departures BEGIN SELECT RAISE(ABORT, 'departures is append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER departures_no_delete BEFORE DELETE ON departures BEGIN SELECT RAISE(ABORT, 'departures is append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER advice_no_delete BEFORE DELETE ON advice BEGIN SELECT RAISE(ABORT, 'advice is superseded, never deleted'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER assessments_no_delete BEFORE DELETE ON assessments BEGIN SELECT RAISE(ABORT, 'assessments are superseded, never deleted'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER countersignatures_no_delete BEFORE DELETE ON countersignatures BEGIN SELECT RAISE(ABORT, 'countersignatures are invalidated, never deleted'); END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER advice_resolutions_no_update;
DROP TRIGGER advice_resolutions_no_delete;
DROP TRIGGER departures_no_update;
DROP TRIGGER departures_no_delete;
DROP TRIGGER advice_no_delete;
DROP TRIGGER assessments_no_delete;
DROP TRIGGER countersignatures_no_delete;
