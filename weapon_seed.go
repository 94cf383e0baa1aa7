package exportctl

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
)

// The seed graph shipped with the project: well-known platforms,
// munitions, components and subsystems with their edges. The store loads
// it into an empty database (and adds what a newer seed brings); analysts
// extend it from there.
var (
	//go:embed reference/weapons/items.csv
	seedItemsCSV []byte
	//go:embed reference/weapons/edges.csv
	seedEdgesCSV []byte
)

// WeaponSeed is the parsed seed graph. Items carry seed-local IDs (their
// position, from 1) which the edges use; the store assigns its own.
type WeaponSeed struct {
	Items   []Item
	Edges   []Edge
	Version string // a digest of the seed files: the store applies each version once
	matcher *Matcher
}

var seedGraph = sync.OnceValues(parseSeedGraph)

// SeedGraph returns the shipped seed graph, checked: every item passes
// ItemInput.Validate, no name or alias names two items, every edge joins
// known items and fits their kinds.
func SeedGraph() (*WeaponSeed, error) { return seedGraph() }

func parseSeedGraph() (*WeaponSeed, error) {
	sum := sha256.New()
	sum.Write(seedItemsCSV)
	sum.Write(seedEdgesCSV)
	seed := &WeaponSeed{Version: hex.EncodeToString(sum.Sum(nil))[:16]}

	rows, err := csv.NewReader(bytes.NewReader(seedItemsCSV)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("weapons seed items: %w", err)
	}
	byName := map[string]int64{}
	owner := map[string]string{} // match key -> item name
	for i, r := range rows[1:] {
		line := i + 2
		if len(r) != 6 {
			return nil, fmt.Errorf("weapons seed items line %d: %d fields, want 6", line, len(r))
		}
		in := ItemInput{Name: r[0], Kind: r[1], Categories: strings.Fields(r[2]), Launch: r[3], Description: r[5]}
		if r[4] != "" {
			in.Aliases = strings.Split(r[4], "|")
		}
		if err := in.Validate(); err != nil {
			return nil, fmt.Errorf("weapons seed items line %d (%s): %w", line, r[0], err)
		}
		id := int64(len(seed.Items) + 1)
		if _, dup := byName[in.Name]; dup {
			return nil, fmt.Errorf("weapons seed items line %d: %s is listed twice", line, in.Name)
		}
		byName[in.Name] = id
		for _, n := range append([]string{in.Name}, in.Aliases...) {
			k := MatchKey(n)
			if o, taken := owner[k]; taken {
				return nil, fmt.Errorf("weapons seed items line %d: %q of %s also names %s", line, n, in.Name, o)
			}
			owner[k] = in.Name
		}
		seed.Items = append(seed.Items, Item{ID: id, Name: in.Name, Kind: in.Kind, Categories: in.Categories, Aliases: in.Aliases,
			Launch: in.Launch, Description: in.Description, Source: ItemSourceSeed})
	}

	rows, err = csv.NewReader(bytes.NewReader(seedEdgesCSV)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("weapons seed edges: %w", err)
	}
	for i, r := range rows[1:] {
		line := i + 2
		if len(r) != 3 {
			return nil, fmt.Errorf("weapons seed edges line %d: %d fields, want 3", line, len(r))
		}
		from, ok1 := byName[r[0]]
		to, ok2 := byName[r[2]]
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("weapons seed edges line %d: %s -> %s names an unknown item", line, r[0], r[2])
		}
		in := EdgeInput{From: from, To: to, Kind: r[1]}
		if err := in.Validate(); err != nil {
			return nil, fmt.Errorf("weapons seed edges line %d: %w", line, err)
		}
		if err := EdgeFits(in.Kind, seed.Items[from-1].Kind, seed.Items[to-1].Kind); err != nil {
			return nil, fmt.Errorf("weapons seed edges line %d (%s %s %s): %w", line, r[0], r[1], r[2], err)
		}
		seed.Edges = append(seed.Edges, Edge{ID: int64(len(seed.Edges) + 1), From: from, FromName: r[0], To: to, ToName: r[2], Kind: in.Kind, Source: ItemSourceSeed})
	}
	seed.matcher = NewMatcher(seed.Items)
	return seed, nil
}
