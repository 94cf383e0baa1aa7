package ledger

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// ErrInconsistent is wrapped by Client.Verify's error when the log failed a
// check; the Report lists what failed.
var ErrInconsistent = errors.New("ledger: log failed verification")

// MaxReportedMismatches caps Report.Mismatches; Report.MismatchCount counts all.
const MaxReportedMismatches = 1000

// A MismatchKind says which check failed.
type MismatchKind string

const (
	// MismatchEntry: an entry's leaf hash differs from its hash in the level-0 tile.
	MismatchEntry MismatchKind = "entry"
	// MismatchTile: a hash in a tile of level 1 or more differs from the one
	// recomputed from the level-0 tiles. A wrong level-0 tile therefore shows
	// at every level above it.
	MismatchTile MismatchKind = "tile"
	// MismatchRoot: the root hash recomputed from the level-0 tiles differs
	// from the checkpoint's.
	MismatchRoot MismatchKind = "root"
	// MismatchConsistency: the log does not extend the old checkpoint; history
	// was rewritten (or the log shrank).
	MismatchConsistency MismatchKind = "consistency"
)

// A Mismatch is one failed check.
type Mismatch struct {
	Kind MismatchKind
	// Index is the first entry concerned: the entry for MismatchEntry, the
	// first entry under the hash for MismatchTile, the tree size for
	// MismatchRoot and the old tree size for MismatchConsistency.
	Index int64
	// Level is the tile level of a MismatchTile (its hashes cover 256^Level
	// entries each), otherwise 0.
	Level  int
	Detail string
}

func (m Mismatch) String() string {
	return fmt.Sprintf("%s mismatch at %d: %s", m.Kind, m.Index, m.Detail)
}

// A Report is the outcome of Client.Verify.
type Report struct {
	Checkpoint     Checkpoint // the verified latest checkpoint: keep it for the next run
	Size           int64      // Checkpoint.Size
	EntriesChecked int64      // entries whose leaf hash was compared with the tiles
	TilesFetched   int64      // hash tiles fetched
	BundlesFetched int64      // entry bundles fetched
	Mismatches     []Mismatch // at most MaxReportedMismatches
	MismatchCount  int64      // all mismatches found
}

// OK reports whether every check passed.
func (r *Report) OK() bool { return r.MismatchCount == 0 }

func (r *Report) add(m Mismatch) {
	r.MismatchCount++
	if len(r.Mismatches) < MaxReportedMismatches {
		r.Mismatches = append(r.Mismatches, m)
	}
}

// A Client verifies a log served by Handler (or any static mirror of it).
type Client struct {
	// BaseURL is the server root; the client fetches BaseURL+"/log/checkpoint"
	// and so on.
	BaseURL string
	// HTTP is the client to fetch with; nil means one that keeps enough idle
	// connections for Concurrency.
	HTTP *http.Client
	// Verifier checks the checkpoint's signature; its name is the log's origin.
	Verifier note.Verifier
	// Concurrency is how many level-0 tiles (with their entry bundles) are
	// fetched at once; 0 means 8.
	Concurrency int
}

var defaultHTTP = func() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 64
	return &http.Client{Transport: t}
}()

// Verify fetches and verifies the latest checkpoint, then checks the whole log
// against it: it fetches every level-0 tile and entry bundle, checks each
// entry hashes to its leaf hash, recomputes every tile of level 1 and above
// from the tiles below and compares it with the served one, and recomputes the
// root hash and compares it with the checkpoint's. With old, it also checks
// that the log extends old: it recomputes the tree hash at old.Size from tiles
// authenticated against the new checkpoint (tlog.TileHashReader) and compares
// it with old.Hash.
//
// Verify streams: memory use does not grow with the log. A failure to fetch
// or a malformed answer is an error; content that fails a check is a
// Mismatch in the report, and the error then wraps ErrInconsistent.
func (c *Client) Verify(ctx context.Context, old *Checkpoint) (Report, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	rep, err := c.latest(ctx, old)
	if err != nil {
		return rep, err
	}
	if err := c.scan(ctx, rep.Checkpoint, &rep); err != nil {
		return rep, err
	}
	return rep, rep.err()
}

// VerifyConsistency is the cheap part of Verify: it fetches and verifies the
// latest checkpoint and checks that the log extends old, fetching only the
// few tiles that takes. It does not look at entries.
func (c *Client) VerifyConsistency(ctx context.Context, old Checkpoint) (Report, error) {
	rep, err := c.latest(ctx, &old)
	if err != nil {
		return rep, err
	}
	return rep, rep.err()
}

func (r *Report) err() error {
	if r.OK() {
		return nil
	}
	return fmt.Errorf("%w: %d mismatches", ErrInconsistent, r.MismatchCount)
}

// latest fetches and verifies the latest checkpoint and, given old, checks
// the log extends it.
func (c *Client) latest(ctx context.Context, old *Checkpoint) (Report, error) {
	var rep Report
	if c.Verifier == nil {
		return rep, errors.New("ledger: client has no verifier")
	}
	msg, err := c.get(ctx, CheckpointPath, 1<<16)
	if err != nil {
		return rep, err
	}
	// Only the current key: a retired key (perhaps retired because it
	// leaked) must not vouch for a new checkpoint.
	cp, err := OpenCheckpoint(msg, c.Verifier)
	if err != nil {
		return rep, err
	}
	rep.Checkpoint, rep.Size = cp, cp.Size
	if old != nil {
		if old.Origin != cp.Origin {
			return rep, fmt.Errorf("ledger: old checkpoint is for log %q, not %q", old.Origin, cp.Origin)
		}
		if err := c.checkConsistency(ctx, *old, cp, &rep); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

var emptyTreeHash = func() tlog.Hash {
	h, _ := tlog.TreeHash(0, nil)
	return h
}()

// checkConsistency checks that cp's tree extends old's.
func (c *Client) checkConsistency(ctx context.Context, old, cp Checkpoint, rep *Report) error {
	rewritten := func(detail string) {
		rep.add(Mismatch{Kind: MismatchConsistency, Index: old.Size, Detail: detail})
	}
	switch {
	case old.Size > cp.Size:
		rewritten(fmt.Sprintf("the log shrank from %d to %d entries", old.Size, cp.Size))
	case old.Size == 0:
		if old.Hash != emptyTreeHash {
			rewritten("old checkpoint of the empty tree has a wrong root hash")
		}
	case old.Size == cp.Size:
		if old.Hash != cp.Hash {
			rewritten(fmt.Sprintf("two checkpoints of size %d with different roots %v and %v", cp.Size, old.Hash, cp.Hash))
		}
	default:
		tr := &tileReader{ctx: ctx, c: c, rep: rep}
		h, err := tlog.TreeHash(old.Size, tlog.TileHashReader(tlog.Tree{N: cp.Size, Hash: cp.Hash}, tr))
		switch {
		case tr.err != nil:
			return tr.err
		case err != nil:
			rewritten(fmt.Sprintf("cannot prove consistency: the served tiles do not support the checkpoint's root (%v)", err))
		case h != old.Hash:
			rewritten(fmt.Sprintf("the log's first %d entries now hash to %v, but the old checkpoint says %v: history was rewritten", old.Size, h, old.Hash))
		}
	}
	return nil
}

// tileReader is a tlog.TileReader fetching tiles over HTTP.
type tileReader struct {
	ctx context.Context
	c   *Client
	rep *Report
	err error // the first fetch error, as opposed to a verification failure
}

func (t *tileReader) Height() int { return TileHeight }

func (t *tileReader) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(tiles))
	for i, tl := range tiles {
		if tl.H != TileHeight || tl.L < 0 {
			t.err = fmt.Errorf("ledger: unexpected tile request %v", tl.Path())
			return nil, t.err
		}
		b, err := t.c.fetchTile(t.ctx, TileRef{Level: tl.L, N: tl.N, W: tl.W})
		if err != nil {
			t.err = err
			return nil, err
		}
		t.rep.TilesFetched++
		out[i] = b
	}
	return out, nil
}

func (t *tileReader) SaveTiles([]tlog.Tile, [][]byte) {}

// level0 is a level-0 tile with its entry bundle, fetched and checked by a worker.
type level0 struct {
	ref     TileRef
	done    chan struct{}
	err     error
	leaves  []tlog.Hash // only for the partial tile at the edge
	root    tlog.Hash   // for full tiles, the hash of the 256-leaf subtree
	badLeaf []int64     // entries whose hash differs from the tile's
}

// scan checks every entry and tile of cp's tree and recomputes its root.
func (c *Client) scan(ctx context.Context, cp Checkpoint, rep *Report) error {
	size := cp.Size
	numTiles := (size + TileWidth - 1) / TileWidth
	par := c.Concurrency
	if par <= 0 {
		par = 8
	}

	queue := make(chan *level0, par)
	go func() {
		defer close(queue)
		for n := int64(0); n < numTiles; n++ {
			w := TileWidth
			if n == size/TileWidth {
				w = int(size % TileWidth)
			}
			j := &level0{ref: TileRef{Level: 0, N: n, W: w}, done: make(chan struct{})}
			select {
			case queue <- j:
			case <-ctx.Done():
				return
			}
			go func() {
				defer close(j.done)
				c.fetchLevel0(ctx, j)
			}()
		}
	}()

	var (
		tiles compactRange    // over the roots of full level-0 tiles
		edge  compactRange    // over the leaves of the partial level-0 tile
		up    [64][]tlog.Hash // computed hashes of the level-L tile being filled
		upN   [64]int64       // its number
	)
	// push adds a computed hash to the level-L tile being filled, checking
	// and pushing up the tile when it is full.
	var push func(level int, h tlog.Hash) error
	push = func(level int, h tlog.Hash) error {
		up[level] = append(up[level], h)
		if len(up[level]) < TileWidth {
			return nil
		}
		if err := c.checkUpperTile(ctx, TileRef{Level: level, N: upN[level], W: TileWidth}, up[level], rep); err != nil {
			return err
		}
		root := perfectRoot(up[level])
		up[level] = up[level][:0]
		upN[level]++
		return push(level+1, root)
	}

	for j := range queue {
		select {
		case <-j.done:
		case <-ctx.Done():
			return ctx.Err()
		}
		if j.err != nil {
			return j.err
		}
		rep.TilesFetched++
		rep.BundlesFetched++
		rep.EntriesChecked += int64(j.ref.W)
		for _, i := range j.badLeaf {
			rep.add(Mismatch{Kind: MismatchEntry, Index: i,
				Detail: fmt.Sprintf("entry %d does not hash to its leaf hash in %s", i, j.ref.Path())})
		}
		if j.ref.Full() {
			tiles.push(j.root)
			if err := push(1, j.root); err != nil {
				return err
			}
		} else {
			for _, h := range j.leaves {
				edge.push(h)
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	// The partial tiles at the right edge of levels 1 and up.
	for level := 1; level < len(up) && len(up[level]) > 0; level++ {
		if err := c.checkUpperTile(ctx, TileRef{Level: level, N: upN[level], W: len(up[level])}, up[level], rep); err != nil {
			return err
		}
	}
	root := emptyTreeHash
	if size > 0 {
		root = foldRoot(append(tiles.stack, edge.stack...))
	}
	if root != cp.Hash {
		rep.add(Mismatch{Kind: MismatchRoot, Index: size,
			Detail: fmt.Sprintf("the tiles' root is %v, the checkpoint's %v", root, cp.Hash)})
	}
	return nil
}

// fetchLevel0 fetches level-0 tile j.ref and its entry bundle and checks the
// entries against the tile.
func (c *Client) fetchLevel0(ctx context.Context, j *level0) {
	tile, err := c.fetchTile(ctx, j.ref)
	if err != nil {
		j.err = err
		return
	}
	bundleRef := TileRef{Level: EntriesLevel, N: j.ref.N, W: j.ref.W}
	bundle, err := c.fetchTile(ctx, bundleRef)
	if err != nil {
		j.err = err
		return
	}
	entries, err := ParseEntryBundle(bundle)
	if err != nil || len(entries) != j.ref.W {
		j.err = fmt.Errorf("ledger: %s: malformed entry bundle (%d entries, want %d)", bundleRef.Path(), len(entries), j.ref.W)
		return
	}
	leaves := make([]tlog.Hash, j.ref.W)
	for i := range leaves {
		copy(leaves[i][:], tile[i*tlog.HashSize:])
		if tlog.RecordHash(entries[i]) != leaves[i] {
			j.badLeaf = append(j.badLeaf, j.ref.N*TileWidth+int64(i))
		}
	}
	if j.ref.Full() {
		j.root = perfectRoot(leaves)
	} else {
		j.leaves = leaves
	}
}

// checkUpperTile fetches tile t (level 1 or more) and compares it with the
// hashes computed from the level below.
func (c *Client) checkUpperTile(ctx context.Context, t TileRef, computed []tlog.Hash, rep *Report) error {
	b, err := c.fetchTile(ctx, t)
	if err != nil {
		return err
	}
	rep.TilesFetched++
	span := int64(1) << (TileHeight * t.Level) // entries under each hash
	for i, h := range computed {
		if string(b[i*tlog.HashSize:(i+1)*tlog.HashSize]) != string(h[:]) {
			first := (t.N*TileWidth + int64(i)) * span
			rep.add(Mismatch{Kind: MismatchTile, Index: first, Level: t.Level,
				Detail: fmt.Sprintf("hash %d of %s (entries %d to %d) differs from the level-0 tiles", i, t.Path(), first, first+span-1)})
		}
	}
	return nil
}

// fetchTile fetches tile t and checks its length. A partial tile a mirror no
// longer has is taken from the prefix of the full tile.
func (c *Client) fetchTile(ctx context.Context, t TileRef) ([]byte, error) {
	limit := int64(TileWidth * tlog.HashSize)
	if t.IsEntries() {
		limit = TileWidth * (2 + MaxEntrySize)
	}
	b, err := c.get(ctx, TilePrefix+t.Path(), limit)
	var se *statusError
	if errors.As(err, &se) && se.code == http.StatusNotFound && !t.Full() {
		full := t
		full.W = TileWidth
		if b, err = c.get(ctx, TilePrefix+full.Path(), limit); err == nil {
			b, err = tilePrefix(t, b)
		}
	}
	if err != nil {
		return nil, err
	}
	if !t.IsEntries() && len(b) != t.W*tlog.HashSize {
		return nil, fmt.Errorf("ledger: %s: %d bytes, want %d", t.Path(), len(b), t.W*tlog.HashSize)
	}
	return b, nil
}

// tilePrefix cuts full tile data down to partial tile t.
func tilePrefix(t TileRef, full []byte) ([]byte, error) {
	if !t.IsEntries() {
		if len(full) < t.W*tlog.HashSize {
			return nil, fmt.Errorf("ledger: %s: short full tile", t.Path())
		}
		return full[:t.W*tlog.HashSize], nil
	}
	off := 0
	for range t.W {
		if off+2 > len(full) {
			return nil, fmt.Errorf("ledger: %s: short full bundle", t.Path())
		}
		off += 2 + int(binary.BigEndian.Uint16(full[off:]))
	}
	if off > len(full) {
		return nil, fmt.Errorf("ledger: %s: short full bundle", t.Path())
	}
	return full[:off], nil
}

type statusError struct {
	url  string
	code int
}

func (e *statusError) Error() string {
	return fmt.Sprintf("ledger: GET %s: %d %s", e.url, e.code, http.StatusText(e.code))
}

// get fetches BaseURL+path, requiring 200 and at most limit bytes.
func (c *Client) get(ctx context.Context, path string, limit int64) ([]byte, error) {
	url := strings.TrimSuffix(c.BaseURL, "/") + path
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	hc := c.HTTP
	if hc == nil {
		hc = defaultHTTP
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
		return nil, &statusError{url: url, code: resp.StatusCode}
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("ledger: GET %s: %w", url, err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("ledger: GET %s: answer larger than %d bytes", url, limit)
	}
	return b, nil
}

// compactRange accumulates hashes left to right, keeping the roots of the
// maximal perfect subtrees (one per set bit of the count).
type compactRange struct {
	n     int64
	stack []tlog.Hash
}

func (r *compactRange) push(h tlog.Hash) {
	for k := r.n; k&1 == 1; k >>= 1 {
		h = tlog.NodeHash(r.stack[len(r.stack)-1], h)
		r.stack = r.stack[:len(r.stack)-1]
	}
	r.stack = append(r.stack, h)
	r.n++
}

// foldRoot returns the RFC 6962 root of a tree given its maximal perfect
// subtrees, left to right.
func foldRoot(stack []tlog.Hash) tlog.Hash {
	h := stack[len(stack)-1]
	for i := len(stack) - 2; i >= 0; i-- {
		h = tlog.NodeHash(stack[i], h)
	}
	return h
}

// perfectRoot returns the root of the perfect tree over hs (len a power of 2).
func perfectRoot(hs []tlog.Hash) tlog.Hash {
	buf := append([]tlog.Hash(nil), hs...)
	for len(buf) > 1 {
		for i := 0; i < len(buf)/2; i++ {
			buf[i] = tlog.NodeHash(buf[2*i], buf[2*i+1])
		}
		buf = buf[:len(buf)/2]
	}
	return buf[0]
}
