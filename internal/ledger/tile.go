package ledger

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/tlog"
)

// Tile geometry fixed by C2SP tlog-tiles.
const (
	TileHeight = 8               // tree levels per tile
	TileWidth  = 1 << TileHeight // hashes (or entries) in a full tile
	// EntriesLevel is the TileRef level of an entry bundle.
	EntriesLevel = -1
	// maxLevel is the highest hash tile level a path may name.
	maxLevel = 63
)

// ErrNotFound is wrapped by ReadTile errors for tiles the tree of the given
// size does not have (yet); the HTTP layer answers 404.
var ErrNotFound = errors.New("ledger: no such tile")

// ErrBadTilePath is wrapped by ParseTilePath errors.
var ErrBadTilePath = errors.New("ledger: malformed tile path")

// A TileRef names a C2SP tlog-tiles resource: a hash tile (Level 0 to 63) or
// an entry bundle (Level EntriesLevel), number N within its level, of width W
// (1 to TileWidth; TileWidth is a full tile, anything less a partial one).
type TileRef struct {
	Level int
	N     int64
	W     int
}

// IsEntries reports whether t is an entry bundle.
func (t TileRef) IsEntries() bool { return t.Level == EntriesLevel }

// Full reports whether t is a full tile. Full tiles never change.
func (t TileRef) Full() bool { return t.W == TileWidth }

// Tile returns t as a sumdb tlog.Tile of height 8 (L = -1 for entry bundles).
func (t TileRef) Tile() tlog.Tile {
	return tlog.Tile{H: TileHeight, L: t.Level, N: t.N, W: t.W}
}

func (t TileRef) valid() bool {
	return t.Level >= EntriesLevel && t.Level <= maxLevel && t.N >= 0 && t.W >= 1 && t.W <= TileWidth
}

// Path returns t's path relative to the log prefix:
// tile/<L>/<N>[.p/<W>] or tile/entries/<N>[.p/<W>], where N is written in
// groups of three digits, all but the last prefixed with "x"
// (1234067 is x001/x234/067).
func (t TileRef) Path() string {
	b := make([]byte, 0, 40)
	b = append(b, "tile/"...)
	if t.IsEntries() {
		b = append(b, "entries"...)
	} else {
		b = strconv.AppendInt(b, int64(t.Level), 10)
	}
	b = append(b, '/')
	b = appendTileIndex(b, t.N)
	if t.W != TileWidth {
		b = append(b, ".p/"...)
		b = strconv.AppendInt(b, int64(t.W), 10)
	}
	return string(b)
}

func (t TileRef) String() string { return t.Path() }

// appendTileIndex appends n in the x001/x234/067 form.
func appendTileIndex(b []byte, n int64) []byte {
	var groups [7]int64 // 1000^7 > MaxInt64
	k := 0
	for {
		groups[k] = n % 1000
		k++
		n /= 1000
		if n == 0 {
			break
		}
	}
	for i := k - 1; i >= 0; i-- {
		if i > 0 {
			b = append(b, 'x')
		}
		g := groups[i]
		b = append(b, byte('0'+g/100), byte('0'+g/10%10), byte('0'+g%10))
		if i > 0 {
			b = append(b, '/')
		}
	}
	return b
}

// ParseTilePath parses a path made by TileRef.Path ("tile/..."), accepting only
// the canonical form.
func ParseTilePath(path string) (TileRef, error) {
	bad := func() (TileRef, error) {
		return TileRef{}, fmt.Errorf("%w: %q", ErrBadTilePath, path)
	}
	rest, ok := strings.CutPrefix(path, "tile/")
	if !ok {
		return bad()
	}
	f := strings.Split(rest, "/")
	if len(f) < 2 || len(f) > 10 {
		return bad()
	}
	var t TileRef
	if f[0] == "entries" {
		t.Level = EntriesLevel
	} else {
		l, err := strconv.Atoi(f[0])
		if err != nil || l < 0 || l > maxLevel {
			return bad()
		}
		t.Level = l
	}
	f = f[1:]
	t.W = TileWidth
	if len(f) >= 2 {
		if g, ok := strings.CutSuffix(f[len(f)-2], ".p"); ok {
			w, err := strconv.Atoi(f[len(f)-1])
			if err != nil || w < 1 || w >= TileWidth {
				return bad()
			}
			t.W = w
			f[len(f)-2] = g
			f = f[:len(f)-1]
		}
	}
	for i, g := range f {
		if i < len(f)-1 {
			var ok bool
			if g, ok = strings.CutPrefix(g, "x"); !ok {
				return bad()
			}
		}
		if len(g) != 3 {
			return bad()
		}
		v := int64(0)
		for _, c := range []byte(g) {
			if c < '0' || c > '9' {
				return bad()
			}
			v = v*10 + int64(c-'0')
		}
		if t.N > (math.MaxInt64-v)/1000 {
			return bad()
		}
		t.N = t.N*1000 + v
	}
	if t.Path() != path { // rejects non-canonical forms such as x000/001 or .p/007
		return bad()
	}
	return t, nil
}

// Exists reports whether a tree of the given size has tile t: the hashes (or
// entries) it lists are all complete in that tree. A partial tile of a width
// narrower than the tree's current edge, or one whose full tile now exists,
// still exists: its content is a prefix of the current one and never changes.
func (t TileRef) Exists(size int64) bool {
	if !t.valid() || size <= 0 {
		return false
	}
	level := max(t.Level, 0)
	avail := size >> (TileHeight * uint(level)) // hashes complete at this tile level
	if t.N > avail>>TileHeight {
		return false
	}
	return t.N*TileWidth+int64(t.W) <= avail
}

// TilesForSize returns the tiles of the tree of the given size, level by level:
// full tiles, then the partial tile at the level's right edge if any. With
// entries, it returns the entry bundles instead of hash tiles (one per
// level-0 tile). It is meant for small trees and tests; the client streams.
func TilesForSize(size int64, entries bool) []TileRef {
	var out []TileRef
	for level := 0; size>>(TileHeight*uint(level)) > 0; level++ {
		avail := size >> (TileHeight * uint(level))
		l := level
		if entries {
			l = EntriesLevel
		}
		for n := int64(0); n < avail>>TileHeight; n++ {
			out = append(out, TileRef{Level: l, N: n, W: TileWidth})
		}
		if w := int(avail % TileWidth); w > 0 {
			out = append(out, TileRef{Level: l, N: avail >> TileHeight, W: w})
		}
		if entries {
			break
		}
	}
	return out
}

// ReadTile returns tile t of the tree of the given size, read from s: for a
// hash tile, t.W concatenated 32-byte hashes; for an entry bundle, t.W entries
// each prefixed by its big-endian uint16 length. Tiles the tree does not have
// answer an error wrapping ErrNotFound. size must not exceed s's size.
func ReadTile(ctx context.Context, s Store, size int64, t TileRef) ([]byte, error) {
	if !t.Exists(size) {
		return nil, fmt.Errorf("%w: %s in tree of size %d", ErrNotFound, t.Path(), size)
	}
	if !t.IsEntries() {
		return tlog.ReadTileData(t.Tile(), hashReader{ctx, s})
	}
	from := t.N * TileWidth
	entries, err := s.Entries(ctx, from, from+int64(t.W))
	if err != nil {
		return nil, err
	}
	if len(entries) != t.W {
		return nil, fmt.Errorf("ledger: Entries(%d, %d) returned %d entries", from, from+int64(t.W), len(entries))
	}
	return MarshalEntryBundle(entries)
}

// MarshalEntryBundle encodes entries as a C2SP tlog-tiles entry bundle.
func MarshalEntryBundle(entries [][]byte) ([]byte, error) {
	n := 0
	for _, e := range entries {
		if len(e) > MaxEntrySize {
			return nil, ErrEntryTooLarge
		}
		n += 2 + len(e)
	}
	b := make([]byte, 0, n)
	for _, e := range entries {
		b = binary.BigEndian.AppendUint16(b, uint16(len(e)))
		b = append(b, e...)
	}
	return b, nil
}

// ParseEntryBundle decodes an entry bundle. The entries alias data.
func ParseEntryBundle(data []byte) ([][]byte, error) {
	var entries [][]byte
	for len(data) > 0 {
		if len(data) < 2 {
			return nil, errors.New("ledger: truncated entry bundle")
		}
		n := int(binary.BigEndian.Uint16(data))
		if len(data) < 2+n {
			return nil, errors.New("ledger: truncated entry bundle")
		}
		entries = append(entries, data[2:2+n:2+n])
		data = data[2+n:]
	}
	return entries, nil
}
