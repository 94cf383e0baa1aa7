package ledger

import (
	"bytes"
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/transparency-dev/merkle/rfc6962"
)

func TestTilePath(t *testing.T) {
	for _, tc := range []struct {
		ref  TileRef
		path string
	}{
		{TileRef{Level: 0, N: 1234067, W: 256}, "tile/0/x001/x234/067"},
		{TileRef{Level: 0, N: 0, W: 256}, "tile/0/000"},
		{TileRef{Level: 0, N: 1000, W: 256}, "tile/0/x001/000"},
		{TileRef{Level: 3, N: 1234067, W: 5}, "tile/3/x001/x234/067.p/5"},
		{TileRef{Level: 63, N: 999, W: 255}, "tile/63/999.p/255"},
		{TileRef{Level: EntriesLevel, N: 1234067, W: 256}, "tile/entries/x001/x234/067"},
		{TileRef{Level: EntriesLevel, N: 7, W: 1}, "tile/entries/007.p/1"},
		{TileRef{Level: 1, N: math.MaxInt64, W: 256}, "tile/1/x009/x223/x372/x036/x854/x775/807"},
	} {
		if got := tc.ref.Path(); got != tc.path {
			t.Errorf("%+v.Path() = %q, want %q", tc.ref, got, tc.path)
		}
		got, err := ParseTilePath(tc.path)
		if err != nil || got != tc.ref {
			t.Errorf("ParseTilePath(%q) = %+v, %v", tc.path, got, err)
		}
	}

	// Round trip, and agreement with sumdb's path format once its height
	// element is dropped.
	rng := rand.New(rand.NewPCG(11, 12))
	for range 10000 {
		ref := TileRef{Level: rng.IntN(65) - 1, N: rng.Int64N(1 << uint(rng.IntN(63))), W: 1 + rng.IntN(256)}
		p := ref.Path()
		got, err := ParseTilePath(p)
		if err != nil || got != ref {
			t.Fatalf("ParseTilePath(%q) = %+v, %v; want %+v", p, got, err, ref)
		}
		sumdb := strings.Replace(ref.Tile().Path(), "tile/8/", "tile/", 1)
		sumdb = strings.Replace(sumdb, "tile/data/", "tile/entries/", 1)
		if sumdb != p {
			t.Fatalf("%+v: path %q, sumdb says %q", ref, p, sumdb)
		}
	}

	for _, bad := range []string{
		"", "tile", "tile/", "tile/0", "tile/0/", "/tile/0/000", "tiles/0/000",
		"tile/00/000", "tile/-1/000", "tile/64/000", "tile/+1/000", "tile/data/000", "tile/8/0/000",
		"tile/0/0", "tile/0/0000", "tile/0/x000", "tile/0/x001", "tile/0/001/002", "tile/0/x001/x002",
		"tile/0/x000/001", "tile/0/x01/001", "tile/0/-01", "tile/0/00a",
		"tile/0/000.p", "tile/0/000.p/", "tile/0/000.p/0", "tile/0/000.p/256", "tile/0/000.p/01", "tile/0/000.p/+1",
		"tile/0/000.p/1/", "tile/0/000/", "tile/0//000", "tile/entries/x001", "tile/entries/000.p/256",
		"tile/0/x009/x223/x372/x036/x854/x775/808", // overflows int64
		"tile/0/x001/x001/x001/x001/x001/x001/x001/000",
	} {
		if got, err := ParseTilePath(bad); !errors.Is(err, ErrBadTilePath) {
			t.Errorf("ParseTilePath(%q) = %+v, %v", bad, got, err)
		}
	}
}

func TestEntryBundle(t *testing.T) {
	entries := [][]byte{{}, []byte("a"), bytes.Repeat([]byte("z"), MaxEntrySize)}
	b, err := MarshalEntryBundle(entries)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte{0, 0, 0, 1, 'a', 0xff, 0xff, 'z'}) || len(b) != 2+3+2+MaxEntrySize {
		t.Errorf("bundle starts %x, length %d", b[:8], len(b))
	}
	got, err := ParseEntryBundle(b)
	if err != nil || len(got) != 3 || !bytes.Equal(got[1], []byte("a")) || len(got[2]) != MaxEntrySize {
		t.Errorf("ParseEntryBundle: %d entries, %v", len(got), err)
	}
	for _, bad := range [][]byte{{0}, {0, 2, 'a'}} {
		if _, err := ParseEntryBundle(bad); err == nil {
			t.Errorf("ParseEntryBundle(%x) succeeded", bad)
		}
	}
	if _, err := MarshalEntryBundle([][]byte{make([]byte, MaxEntrySize+1)}); err == nil {
		t.Error("MarshalEntryBundle accepted an oversized entry")
	}
}

// TestReadTile checks the C2SP example: a tree of size 70,000 has 273 full
// level 0 tiles, a partial level 0 tile of width 112, a full level 1 tile, a
// partial level 1 tile of width 17 and a partial level 2 tile of width 1.
func TestReadTile(t *testing.T) {
	ctx := context.Background()
	const size = 70000
	leaves := make([][]byte, size)
	for i := range leaves {
		leaves[i] = []byte{byte(i), byte(i >> 8), byte(i >> 16)}
	}
	m := NewMemoryStore()
	if _, err := m.Append(ctx, leaves...); err != nil {
		t.Fatal(err)
	}

	var paths []string
	for _, r := range TilesForSize(size, false) {
		if !r.Full() || r.N == 0 || r.N == 272 {
			paths = append(paths, r.Path())
		}
	}
	want := []string{"tile/0/000", "tile/0/272", "tile/0/273.p/112", "tile/1/000", "tile/1/001.p/17", "tile/2/000.p/1"}
	if strings.Join(paths, " ") != strings.Join(want, " ") {
		t.Errorf("TilesForSize(70000) edges = %v, want %v", paths, want)
	}
	if n := len(TilesForSize(size, false)); n != 273+1+1+1+1 {
		t.Errorf("TilesForSize(70000) has %d tiles", n)
	}
	if n := len(TilesForSize(size, true)); n != 274 {
		t.Errorf("TilesForSize(70000, entries) has %d bundles", n)
	}

	read := func(p string) []byte {
		t.Helper()
		ref, err := ParseTilePath(p)
		if err != nil {
			t.Fatal(err)
		}
		b, err := ReadTile(ctx, m, size, ref)
		if err != nil {
			t.Fatalf("ReadTile(%s): %v", p, err)
		}
		return b
	}
	h := rfc6962.DefaultHasher

	// Level 0: leaf hashes.
	b := read("tile/0/273.p/112")
	if len(b) != 112*32 {
		t.Fatalf("tile/0/273.p/112 is %d bytes", len(b))
	}
	for i := range 112 {
		if !bytes.Equal(b[i*32:(i+1)*32], h.HashLeaf(leaves[273*256+i])) {
			t.Fatalf("tile/0/273.p/112 hash %d is not the leaf hash", i)
		}
	}
	// Level 1: the hash of each full level-0 tile, that is the MTH of 256 leaves.
	b = read("tile/1/001.p/17")
	for i := range 17 {
		n := 256 + i
		if !bytes.Equal(b[i*32:(i+1)*32], refRoot(leaves[n*256:(n+1)*256])) {
			t.Fatalf("tile/1/001.p/17 hash %d is not MTH(D[%d:%d])", i, n*256, (n+1)*256)
		}
	}
	// Level 2: MTH(D[0:65536]).
	if b := read("tile/2/000.p/1"); !bytes.Equal(b, refRoot(leaves[:65536])) {
		t.Error("tile/2/000.p/1 is not MTH(D[0:65536])")
	}
	// A narrower partial tile is a prefix.
	if b := read("tile/0/273.p/5"); !bytes.Equal(b, read("tile/0/273.p/112")[:5*32]) {
		t.Error("tile/0/273.p/5 is not a prefix of tile/0/273.p/112")
	}
	if b := read("tile/1/000.p/3"); !bytes.Equal(b, read("tile/1/000")[:3*32]) {
		t.Error("tile/1/000.p/3 is not a prefix of tile/1/000")
	}
	// Entry bundles.
	entries, err := ParseEntryBundle(read("tile/entries/273.p/112"))
	if err != nil || len(entries) != 112 || !bytes.Equal(entries[111], leaves[size-1]) {
		t.Errorf("tile/entries/273.p/112: %d entries, %v", len(entries), err)
	}
	entries, err = ParseEntryBundle(read("tile/entries/001"))
	if err != nil || len(entries) != 256 || !bytes.Equal(entries[0], leaves[256]) {
		t.Errorf("tile/entries/001: %d entries, %v", len(entries), err)
	}

	// Tiles beyond the tree.
	for _, p := range []string{
		"tile/0/273", "tile/0/273.p/113", "tile/0/274.p/1", "tile/1/001", "tile/1/001.p/18",
		"tile/2/000", "tile/2/000.p/2", "tile/2/001.p/1", "tile/3/000.p/1", "tile/63/000.p/1",
		"tile/entries/273", "tile/entries/273.p/113", "tile/entries/x001/000",
	} {
		ref, _ := ParseTilePath(p)
		if _, err := ReadTile(ctx, m, size, ref); !errors.Is(err, ErrNotFound) {
			t.Errorf("ReadTile(%s) = %v, want ErrNotFound", p, err)
		}
	}
	// Nothing exists in the empty tree.
	if _, err := ReadTile(ctx, m, 0, TileRef{Level: 0, N: 0, W: 1}); !errors.Is(err, ErrNotFound) {
		t.Errorf("ReadTile in empty tree = %v", err)
	}
	// Tiles for an older tree size are served for that size.
	if b, err := ReadTile(ctx, m, 256, TileRef{Level: 1, N: 0, W: 1}); err != nil || !bytes.Equal(b, refRoot(leaves[:256])) {
		t.Errorf("tile/1/000.p/1 at size 256: %v", err)
	}
}
