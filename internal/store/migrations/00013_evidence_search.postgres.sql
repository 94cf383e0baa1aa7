-- The evidence register's full text and its append-only rules (the tables
-- are in 00007, shared by both engines).

-- +goose Up
-- Full text over narrative, place and perpetrators: a GIN index on the
-- expression that dialect_search.go queries (keep the two identical). A
-- redacted incident's place is not indexed, so a search cannot reveal it.
CREATE INDEX incidents_text ON incidents USING GIN (to_tsvector('simple', narrative || ' ' || CASE WHEN redacted = 1 THEN '' ELSE place END || ' ' || perpetrator));

CREATE TRIGGER incidents_no_delete BEFORE DELETE ON incidents FOR EACH ROW EXECUTE FUNCTION exportctl_append_only();
CREATE TRIGGER incident_sources_no_delete BEFORE DELETE ON incident_sources FOR EACH ROW EXECUTE FUNCTION exportctl_append_only();
CREATE TRIGGER incident_versions_append_only BEFORE UPDATE OR DELETE ON incident_versions FOR EACH ROW EXECUTE FUNCTION exportctl_append_only();
CREATE TRIGGER evidence_sources_append_only BEFORE UPDATE OR DELETE ON evidence_sources FOR EACH ROW EXECUTE FUNCTION exportctl_append_only();
CREATE TRIGGER custody_events_append_only BEFORE UPDATE OR DELETE ON custody_events FOR EACH ROW EXECUTE FUNCTION exportctl_append_only();
CREATE TRIGGER verification_steps_append_only BEFORE UPDATE OR DELETE ON verification_steps FOR EACH ROW EXECUTE FUNCTION exportctl_append_only();

-- +goose Down
DROP TRIGGER verification_steps_append_only ON verification_steps;
DROP TRIGGER custody_events_append_only ON custody_events;
DROP TRIGGER evidence_sources_append_only ON evidence_sources;
DROP TRIGGER incident_versions_append_only ON incident_versions;
DROP TRIGGER incident_sources_no_delete ON incident_sources;
DROP TRIGGER incidents_no_delete ON incidents;
DROP INDEX incidents_text;
