package ledger

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"
	"sync"
)

// Paths the Handler serves and the Client fetches, relative to the server root.
const (
	CheckpointPath = "/log/checkpoint"
	KeyPath        = "/log/key"
	KeysPath       = "/log/keys" // every key the log has signed with, current first
	TilePrefix     = "/log/"     // followed by TileRef.Path()
)

// Cache-Control values.
const (
	cacheImmutable = "public, max-age=31536000, immutable"
	cachePartial   = "public, max-age=60"
	cacheKey       = "public, max-age=3600"
	cacheShort     = "public, max-age=10" // the checkpoint: fresh within seconds, then revalidated by ETag
)

// Handler serves the log as C2SP tlog-tiles under /log/:
//
//	GET /log/checkpoint             the latest signed checkpoint (text/plain, max-age 10 s)
//	GET /log/key                    the current verifier key "name+hash+key"
//	GET /log/keys                   every verifier key the log has used, one a line, current first
//	GET /log/tile/<L>/<N>[.p/<W>]   hash tiles
//	GET /log/tile/entries/<N>[.p/<W>] entry bundles (gzip when the client accepts it)
//
// checkpoint returns the latest signed checkpoint. Tiles are served for the
// store's current size, which is never less than any checkpoint's. Full tiles
// are cacheable forever; partial tiles briefly (their content does not change
// either, but a static mirror may drop them once the full tile exists).
// Every answer carries an ETag and honours If-None-Match. Tiles the tree does
// not have, and malformed tile paths, answer 404 as a static mirror would.
func Handler(s Store, checkpoint func(ctx context.Context) ([]byte, error), keys func(ctx context.Context) ([]string, error)) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+CheckpointPath, func(w http.ResponseWriter, r *http.Request) {
		b, err := checkpoint(r.Context())
		if err != nil {
			httpError(w, http.StatusInternalServerError, "checkpoint unavailable")
			return
		}
		serveBytes(w, r, b, "text/plain; charset=utf-8", cacheShort, false)
	})
	serveKeys := func(all bool) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			ks, err := keys(r.Context())
			if err != nil || len(ks) == 0 {
				httpError(w, http.StatusInternalServerError, "key unavailable")
				return
			}
			if !all {
				ks = ks[:1]
			}
			serveBytes(w, r, []byte(strings.Join(ks, "\n")+"\n"), "text/plain; charset=utf-8", cacheKey, false)
		}
	}
	mux.HandleFunc("GET "+KeyPath, serveKeys(false))
	mux.HandleFunc("GET "+KeysPath, serveKeys(true))
	mux.HandleFunc("GET "+TilePrefix+"tile/{path...}", func(w http.ResponseWriter, r *http.Request) {
		t, err := ParseTilePath("tile/" + r.PathValue("path"))
		if err != nil {
			httpError(w, http.StatusNotFound, "malformed tile path")
			return
		}
		size, err := s.Size(r.Context())
		if err != nil {
			httpError(w, http.StatusInternalServerError, "log unavailable")
			return
		}
		b, err := ReadTile(r.Context(), s, size, t)
		if errors.Is(err, ErrNotFound) {
			httpError(w, http.StatusNotFound, "no such tile")
			return
		}
		if err != nil {
			httpError(w, http.StatusInternalServerError, "log unavailable")
			return
		}
		cc := cachePartial
		if t.Full() {
			cc = cacheImmutable
		}
		serveBytes(w, r, b, "application/octet-stream", cc, t.IsEntries())
	})
	return mux
}

func httpError(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Cache-Control", "no-store")
	http.Error(w, msg, code)
}

// serveBytes writes b with a content-derived ETag, answering 304 to a
// matching If-None-Match. With compress, b is gzipped for clients that accept
// it (and the ETag says so).
func serveBytes(w http.ResponseWriter, r *http.Request, b []byte, contentType, cacheControl string, compress bool) {
	sum := sha256.Sum256(b)
	etag := hex.EncodeToString(sum[:16])
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Cache-Control", cacheControl)
	gz := compress && acceptsGzip(r.Header.Get("Accept-Encoding"))
	if compress {
		h.Add("Vary", "Accept-Encoding")
	}
	if gz {
		etag += "-gzip"
	}
	etag = `"` + etag + `"`
	h.Set("ETag", etag)
	if etagMatch(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	if gz {
		b = gzipBytes(b)
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("X-Content-Type-Options", "nosniff")
	w.Write(b)
}

func etagMatch(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}

func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			continue
		}
		params = strings.ReplaceAll(params, " ", "")
		return params != "q=0" && params != "q=0.0" && params != "q=0.00" && params != "q=0.000"
	}
	return false
}

var gzipWriters = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed)
	return w
}}

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzipWriters.Get().(*gzip.Writer)
	zw.Reset(&buf)
	zw.Write(b)
	zw.Close()
	gzipWriters.Put(zw)
	return buf.Bytes()
}

// StaticKeys serves fixed verifier keys (current first) to Handler.
func StaticKeys(vkeys ...string) func(context.Context) ([]string, error) {
	return func(context.Context) ([]string, error) { return vkeys, nil }
}
