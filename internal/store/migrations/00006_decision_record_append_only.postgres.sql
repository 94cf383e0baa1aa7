-- Resolutions and departures are decisions: never changed, never removed.

-- +goose Up
CREATE TRIGGER advice_resolutions_append_only BEFORE UPDATE OR DELETE ON advice_resolutions FOR EACH ROW EXECUTE FUNCTION exportctl_append_only();
CREATE TRIGGER departures_append_only BEFORE UPDATE OR DELETE ON departures FOR EACH ROW EXECUTE FUNCTION exportctl_append_only();
CREATE TRIGGER advice_no_delete BEFORE DELETE ON advice FOR EACH ROW EXECUTE FUNCTION exportctl_append_only();
CREATE TRIGGER assessments_no_delete BEFORE DELETE ON assessments FOR EACH ROW EXECUTE FUNCTION exportctl_append_only();
CREATE TRIGGER countersignatures_no_delete BEFORE DELETE ON countersignatures FOR EACH ROW EXECUTE FUNCTION exportctl_append_only();

-- +goose Down
DROP TRIGGER countersignatures_no_delete ON countersignatures;
DROP TRIGGER assessments_no_delete ON assessments;
DROP TRIGGER advice_no_delete ON advice;
DROP TRIGGER departures_append_only ON departures;
DROP TRIGGER advice_resolutions_append_only ON advice_resolutions;
