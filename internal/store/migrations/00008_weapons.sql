-- The weapon-item graph (issue 4): items (platforms, munitions,
-- components, subsystems) and the edges between them, seeded from the
-- project's reference/weapons/*.csv by Store.SeedWeapons (weapon_seed
-- records which seed versions were applied) and extended by analysts; and
-- SIPRI's deliveries, which say who operates what since when.
-- name_key is exportctl.MatchKey(name): "F-16" and "F16" are one item.
-- aliases is a JSON array of strings; categories a comma-separated list of
-- Military List families.

-- +goose Up
CREATE TABLE weapon_items (
    id @ID@,
    name TEXT NOT NULL UNIQUE,
    name_key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('platform', 'munition', 'component', 'subsystem')),
    categories TEXT NOT NULL DEFAULT '',
    aliases TEXT NOT NULL DEFAULT '[]',
    launch TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL
);

CREATE TABLE weapon_edges (
    id @ID@,
    from_id BIGINT NOT NULL REFERENCES weapon_items(id),
    to_id BIGINT NOT NULL REFERENCES weapon_items(id),
    kind TEXT NOT NULL CHECK (kind IN ('component_of', 'compatible_with', 'variant_of')),
    source TEXT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL,
    UNIQUE (from_id, to_id, kind),
    CHECK (from_id <> to_id)
);
CREATE INDEX weapon_edges_to ON weapon_edges(to_id, kind);

CREATE TABLE weapon_seed (
    version TEXT PRIMARY KEY,
    applied_at TEXT NOT NULL
);

-- One row per deal and delivery year, as SIPRI's current layout has it.
-- deal_key is the SIPRI id, or for the older layout (which has none)
-- "supplier/recipient/order year". item_id is NULL when no item matched
-- the designation; adding an item matches such rows again.
CREATE TABLE deliveries (
    id @ID@,
    deal_key TEXT NOT NULL,
    sipri_id TEXT NOT NULL DEFAULT '',
    supplier TEXT NOT NULL,
    recipient TEXT NOT NULL,
    designation TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    category TEXT NOT NULL DEFAULT '',
    order_year INTEGER NOT NULL DEFAULT 0,
    delivery_year INTEGER NOT NULL,
    number INTEGER NOT NULL DEFAULT 0,
    estimated INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT '',
    item_id BIGINT REFERENCES weapon_items(id),
    row_hash TEXT NOT NULL,
    file TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    updated_at TEXT,
    UNIQUE (deal_key, delivery_year, designation)
);
CREATE INDEX deliveries_recipient ON deliveries(recipient, item_id);
CREATE INDEX deliveries_item ON deliveries(item_id, recipient);

-- Who operates which item since when, directly (a delivery of the item
-- itself). Store.Operators adds deliveries of variants to the items they
-- vary (F-16I deliveries make an F-16 operator).
CREATE VIEW weapon_operators AS
    SELECT recipient, item_id, MIN(delivery_year) AS since, SUM(number) AS number, COUNT(*) AS deliveries
    FROM deliveries WHERE item_id IS NOT NULL
    GROUP BY recipient, item_id;

-- +goose Down
DROP VIEW weapon_operators;
DROP TABLE deliveries;
DROP TABLE weapon_seed;
DROP TABLE weapon_edges;
DROP TABLE weapon_items;
