-- The evidence register's full text and its append-only rules (the tables
-- are in 00007, shared by both engines).

-- +goose Up
-- Full text over narrative, place and perpetrators: an external-content
-- FTS5 table kept in step by triggers. A redacted incident's place is not
-- indexed, so a search cannot reveal it (dialect_search.go queries it).
-- detail=none and columnsize=0: the searches are words and prefixes
-- without ranking, which need neither positions nor column sizes.
CREATE VIRTUAL TABLE incidents_fts USING fts5(narrative, place, perpetrator, content='incidents', content_rowid='id', tokenize='unicode61 remove_diacritics 2', detail=none, columnsize=0);
-- +goose StatementBegin
CREATE TRIGGER incidents_fts_insert AFTER INSERT ON incidents BEGIN
    INSERT INTO incidents_fts (rowid, narrative, place, perpetrator)
    VALUES (new.id, new.narrative, CASE WHEN new.redacted = 1 THEN '' ELSE new.place END, new.perpetrator);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER incidents_fts_update AFTER UPDATE OF narrative, place, perpetrator, redacted ON incidents BEGIN
    INSERT INTO incidents_fts (incidents_fts, rowid, narrative, place, perpetrator)
    VALUES ('delete', old.id, old.narrative, CASE WHEN old.redacted = 1 THEN '' ELSE old.place END, old.perpetrator);
    INSERT INTO incidents_fts (rowid, narrative, place, perpetrator)
    VALUES (new.id, new.narrative, CASE WHEN new.redacted = 1 THEN '' ELSE new.place END, new.perpetrator);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER incidents_no_delete BEFORE DELETE ON incidents BEGIN SELECT RAISE(ABORT, 'incidents are never deleted'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER incident_sources_no_delete BEFORE DELETE ON incident_sources BEGIN SELECT RAISE(ABORT, 'incident_sources rows are never deleted'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER incident_versions_no_update BEFORE UPDATE ON incident_versions BEGIN SELECT RAISE(ABORT, 'incident_versions is append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER incident_versions_no_delete BEFORE DELETE ON incident_versions BEGIN SELECT RAISE(ABORT, 'incident_versions is append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER evidence_sources_no_update BEFORE UPDATE ON evidence_sources BEGIN SELECT RAISE(ABORT, 'evidence_sources is append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER evidence_sources_no_delete BEFORE DELETE ON evidence_sources BEGIN SELECT RAISE(ABORT, 'evidence_sources is append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER custody_events_no_update BEFORE UPDATE ON custody_events BEGIN SELECT RAISE(ABORT, 'custody_events is append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER custody_events_no_delete BEFORE DELETE ON custody_events BEGIN SELECT RAISE(ABORT, 'custody_events is append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER verification_steps_no_update BEFORE UPDATE ON verification_steps BEGIN SELECT RAISE(ABORT, 'verification_steps is append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER verification_steps_no_delete BEFORE DELETE ON verification_steps BEGIN SELECT RAISE(ABORT, 'verification_steps is append-only'); END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER verification_steps_no_delete;
DROP TRIGGER verification_steps_no_update;
DROP TRIGGER custody_events_no_delete;
DROP TRIGGER custody_events_no_update;
DROP TRIGGER evidence_sources_no_delete;
DROP TRIGGER evidence_sources_no_update;
DROP TRIGGER incident_versions_no_delete;
DROP TRIGGER incident_versions_no_update;
DROP TRIGGER incident_sources_no_delete;
DROP TRIGGER incidents_no_delete;
DROP TRIGGER incidents_fts_update;
DROP TRIGGER incidents_fts_insert;
DROP TABLE incidents_fts;
