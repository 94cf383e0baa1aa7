-- A decision's published statement of reasons (issue 7: "reasons where
-- publishable"). The decision maker writes it beside the full reasons,
-- which stay restricted; empty means none is published.

-- +goose Up
ALTER TABLE decisions ADD COLUMN public_reasons TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE decisions DROP COLUMN public_reasons;
