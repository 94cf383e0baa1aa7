package exportctl

import "context"

// WeaponGraph is the weapon-item graph: platforms, munitions, components
// and subsystems with their edges, and who operates them since when
// (SIPRI's register). It is what links a licence's goods to the forces
// and incidents they could concern (licence -> good -> item -> platform ->
// force -> incident).
//
// Reading is for internal roles; exporters get forbidden, anonymous
// callers unauthorized. Analysts extend the graph; every change is one
// transaction with its audit event. Errors: invalid (naming the field),
// not_found, conflict (a name or alias, or an edge, that already exists).
type WeaponGraph interface {
	// Items lists the items whose name, alias, kind, category or
	// description contains q (all when q is empty), by name.
	Items(ctx context.Context, a Actor, q string) ([]Item, error)
	// Item returns one item with its edges (both directions) and its
	// operators (deliveries of its variants included).
	Item(ctx context.Context, a Actor, id int64) (*ItemDetail, error)
	// AddItem adds an item (analysts). Its name and aliases must not name
	// another item. Deliveries no item matched so far are matched again.
	AddItem(ctx context.Context, a Actor, in ItemInput) (*Item, error)
	// AddEdge links two items (analysts); the kinds must fit (EdgeFits) and
	// variant_of may not form a cycle.
	AddEdge(ctx context.Context, a Actor, in EdgeInput) (*Edge, error)
	// Operators lists which recipients operate which items since when, for
	// one recipient (ISO 3166-1 alpha-2) or all when recipient is empty.
	Operators(ctx context.Context, a Actor, recipient string) ([]Operator, error)
}
