-- The record tables refuse updates and deletes, so that even a bug (or a
-- hand-written UPDATE) cannot rewrite history.

-- +goose Up
-- +goose StatementBegin
CREATE FUNCTION exportctl_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events FOR EACH ROW EXECUTE FUNCTION exportctl_append_only();
CREATE TRIGGER case_transitions_append_only BEFORE UPDATE OR DELETE ON case_transitions FOR EACH ROW EXECUTE FUNCTION exportctl_append_only();
CREATE TRIGGER decisions_append_only BEFORE UPDATE OR DELETE ON decisions FOR EACH ROW EXECUTE FUNCTION exportctl_append_only();
CREATE TRIGGER licence_transitions_append_only BEFORE UPDATE OR DELETE ON licence_transitions FOR EACH ROW EXECUTE FUNCTION exportctl_append_only();
CREATE TRIGGER goods_no_delete BEFORE DELETE ON goods FOR EACH ROW EXECUTE FUNCTION exportctl_append_only();
CREATE TRIGGER parties_no_delete BEFORE DELETE ON parties FOR EACH ROW EXECUTE FUNCTION exportctl_append_only();

-- +goose Down
DROP TRIGGER parties_no_delete ON parties;
DROP TRIGGER goods_no_delete ON goods;
DROP TRIGGER licence_transitions_append_only ON licence_transitions;
DROP TRIGGER decisions_append_only ON decisions;
DROP TRIGGER case_transitions_append_only ON case_transitions;
DROP TRIGGER audit_events_append_only ON audit_events;
DROP FUNCTION exportctl_append_only();
