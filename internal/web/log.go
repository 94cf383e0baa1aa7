package web

import (
	"context"
	"encoding/base64"
	"net/http"
	"strconv"

	"github.com/exportctl/exportctl"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/exportctl/exportctl/internal/ledger"
)

// LogService is the transparency log as the server needs it: the stored
// tree (for tiles and proofs), signed checkpoints and the verifier key.
type LogService interface {
	ledger.Store
	LogCheckpoint(ctx context.Context) ([]byte, error)
	LogVerifierKey(ctx context.Context) (string, error)
	LogVerifierKeys(ctx context.Context) ([]string, error)
}

// logRoutes serves the log as C2SP tlog-tiles under /log/ and answers
// inclusion and consistency proofs. All of it is public: anyone may check.
func (s *Server) logRoutes() error {
	if _, err := s.svc.LogVerifierKey(context.Background()); err != nil {
		return err // the log's key is made at start, not on a first request
	}
	tiles := ledger.Handler(s.svc, s.svc.LogCheckpoint, s.svc.LogVerifierKeys)
	s.mux.Handle("GET /log/", s.metrics.instrument("/log/", tiles))
	s.handle("GET /api/v1/log/proof/inclusion", s.inclusionProof)
	s.handle("GET /api/v1/log/proof/consistency", s.consistencyProof)
	return nil
}

func queryInt64(r *http.Request, name string) (int64, error) {
	n, err := strconv.ParseInt(r.URL.Query().Get(name), 10, 64)
	if err != nil || n < 0 {
		return 0, exportctl.Invalid(name, "must be a whole number of zero or more")
	}
	return n, nil
}

func b64(hs []byte) string { return base64.StdEncoding.EncodeToString(hs) }

func (s *Server) inclusionProof(w http.ResponseWriter, r *http.Request) {
	index, err := queryInt64(r, "index")
	if err != nil {
		writeProblem(w, r, err)
		return
	}
	size, err := queryInt64(r, "size")
	if err != nil {
		writeProblem(w, r, err)
		return
	}
	if err := s.checkSize(r, "size", size); err != nil {
		writeProblem(w, r, err)
		return
	}
	if index >= size {
		writeProblem(w, r, exportctl.Invalid("index", "must be less than size (%d)", size))
		return
	}
	p, err := ledger.InclusionProof(r.Context(), index, size, s.svc)
	if err != nil {
		writeProblem(w, r, exportctl.Internal("log.proof", err))
		return
	}
	leaf, err := s.svc.ReadHashes(r.Context(), []int64{storedIndex(index)})
	if err != nil {
		writeProblem(w, r, exportctl.Internal("log.proof", err))
		return
	}
	out := struct {
		Index    int64    `json:"index"`
		Size     int64    `json:"size"`
		LeafHash string   `json:"leaf_hash"`
		Proof    []string `json:"proof"`
	}{Index: index, Size: size, LeafHash: b64(leaf[0][:]), Proof: []string{}}
	for _, h := range p {
		out.Proof = append(out.Proof, b64(h[:]))
	}
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable") // a proof for a fixed size never changes
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) consistencyProof(w http.ResponseWriter, r *http.Request) {
	old, err := queryInt64(r, "old")
	if err != nil {
		writeProblem(w, r, err)
		return
	}
	size, err := queryInt64(r, "new")
	if err != nil {
		writeProblem(w, r, err)
		return
	}
	if err := s.checkSize(r, "new", size); err != nil {
		writeProblem(w, r, err)
		return
	}
	if old > size {
		writeProblem(w, r, exportctl.Invalid("old", "must not be more than new (%d)", size))
		return
	}
	p, err := ledger.ConsistencyProof(r.Context(), old, size, s.svc)
	if err != nil {
		writeProblem(w, r, exportctl.Internal("log.proof", err))
		return
	}
	out := struct {
		Old   int64    `json:"old"`
		New   int64    `json:"new"`
		Proof []string `json:"proof"`
	}{Old: old, New: size, Proof: []string{}}
	for _, h := range p {
		out.Proof = append(out.Proof, b64(h[:]))
	}
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	writeJSON(w, http.StatusOK, out)
}

// checkSize refuses a tree size the log has not reached.
func (s *Server) checkSize(r *http.Request, param string, size int64) error {
	have, err := s.svc.Size(r.Context())
	if err != nil {
		return exportctl.Internal("log.size", err)
	}
	if size > have || size == 0 {
		return exportctl.Invalid(param, "the log has %d entries: ask for a size from 1 to %d", have, have)
	}
	return nil
}

// storedIndex is where a leaf's own hash is stored (tlog's level-0 index).
func storedIndex(n int64) int64 { return tlog.StoredHashIndex(0, n) }
