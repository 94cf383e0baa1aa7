package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/exportctl/exportctl"
)

// problem is an RFC 9457 problem detail.
type problem struct {
	Type   string       `json:"type"`
	Title  string       `json:"title"`
	Status int          `json:"status"`
	Detail string       `json:"detail"`
	Field  string       `json:"field,omitempty"`
	Errors []fieldError `json:"errors,omitempty"`
}

type fieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

var statusOf = map[string]int{
	exportctl.EInvalid:      http.StatusUnprocessableEntity,
	exportctl.ENotFound:     http.StatusNotFound,
	exportctl.EConflict:     http.StatusConflict,
	exportctl.EUnauthorized: http.StatusUnauthorized,
	exportctl.EForbidden:    http.StatusForbidden,
	exportctl.EInternal:     http.StatusInternalServerError,
}

// errBadRequest marks input that could not be read at all (malformed JSON,
// unknown fields, an oversized body): 400 rather than 422.
type errBadRequest struct{ err *exportctl.Error }

func (e errBadRequest) Error() string { return e.err.Error() }
func (e errBadRequest) Unwrap() error { return e.err }

func problemFor(err error) problem {
	code := exportctl.ErrorCode(err)
	status := statusOf[code]
	var bad errBadRequest
	if errors.As(err, &bad) {
		status = http.StatusBadRequest
	}
	p := problem{Type: "https://exportctl.invalid/problems/" + code, Title: http.StatusText(status), Status: status, Field: exportctl.ErrorField(err)}
	var ve *exportctl.ValidationError
	switch {
	case code == exportctl.EInternal:
		p.Detail = "internal error: the server logged it"
	case errors.As(err, &ve):
		p.Detail = ve.Error()
		for _, e := range ve.Errors {
			p.Errors = append(p.Errors, fieldError{e.Field, e.Message})
		}
	default:
		p.Detail = err.Error()
		if p.Field != "" {
			var de *exportctl.Error
			errors.As(err, &de)
			p.Errors = []fieldError{{p.Field, de.Message}}
		}
	}
	return p
}

func writeProblem(w http.ResponseWriter, r *http.Request, err error) {
	p := problemFor(err)
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(p.Status)
	json.NewEncoder(w).Encode(p)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

// decodeJSON reads a JSON body strictly: unknown fields, trailing data,
// wrong types and bodies over 1 MiB are errors that name where they are.
func decodeJSON(r *http.Request, v any) error { return decodeBody(r, v, false) }

// decodeOptionalJSON is decodeJSON for endpoints whose body may be empty.
func decodeOptionalJSON(r *http.Request, v any) error { return decodeBody(r, v, true) }

func decodeBody(r *http.Request, v any, optional bool) error {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return errBadRequest{exportctl.Invalid("body", "the request body is larger than %d bytes", mbe.Limit)}
		}
		return errBadRequest{exportctl.Invalid("body", "could not read the request body")}
	}
	if optional && len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return errBadRequest{exportctl.Invalid("body", "send JSON with Content-Type: application/json")}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return errBadRequest{jsonError(body, err)}
	}
	if dec.More() {
		return errBadRequest{exportctl.Invalid("body", "unexpected data after the JSON value")}
	}
	return nil
}

// jsonError turns a decoding error into one that names the field, with
// array indexes ("goods[2].value_gbp"), by walking the body to the offset.
func jsonError(body []byte, err error) *exportctl.Error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return exportctl.Invalid("body", "malformed JSON at byte %d: %v", syn.Offset, syn)
	case errors.As(err, &typ):
		field := pathAt(body, typ.Offset)
		if field == "" {
			field = typ.Field
		}
		return exportctl.Invalid(field, "must be a %s, not a JSON %s", jsonKind(typ.Type.Kind().String()), typ.Value)
	case errors.Is(err, io.EOF):
		return exportctl.Invalid("body", "the request body is empty: send a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return exportctl.Invalid("body", "malformed JSON: the body ends too early")
	}
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		name, _ = strconv.Unquote(name)
		return exportctl.Invalid(name, "unknown field %q", name)
	}
	return exportctl.Invalid("body", "%s", strings.TrimPrefix(msg, "json: "))
}

func jsonKind(k string) string {
	switch {
	case strings.HasPrefix(k, "int"), strings.HasPrefix(k, "uint"), strings.HasPrefix(k, "float"):
		return "number"
	case k == "slice":
		return "list"
	case k == "struct" || k == "map":
		return "object"
	}
	return k
}

// pathAt returns the path of the value that ends at or around offset.
func pathAt(body []byte, offset int64) string {
	dec := json.NewDecoder(bytes.NewReader(body))
	type frame struct {
		array bool
		key   string
		index int
	}
	var stack []frame
	expectKey := false
	path := func() string {
		var b strings.Builder
		for i, f := range stack {
			if f.array {
				fmt.Fprintf(&b, "[%d]", f.index)
			} else if f.key != "" {
				if i > 0 {
					b.WriteByte('.')
				}
				b.WriteString(f.key)
			}
		}
		return b.String()
	}
	for {
		tok, err := dec.Token()
		if err != nil {
			return ""
		}
		top := len(stack) - 1
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				stack = append(stack, frame{})
				expectKey = true
				continue
			case '[':
				stack = append(stack, frame{array: true, index: -1})
				if dec.More() {
					stack[len(stack)-1].index = 0
				}
				continue
			case '}', ']':
				if dec.InputOffset() >= offset {
					return path()
				}
				stack = stack[:top]
			}
		default:
			if top >= 0 && !stack[top].array && expectKey {
				stack[top].key, _ = t.(string)
				expectKey = false
				continue
			}
			if dec.InputOffset() >= offset {
				return path()
			}
		}
		// A value finished: move to the next key or index.
		if top = len(stack) - 1; top >= 0 {
			if stack[top].array {
				stack[top].index++
			} else {
				expectKey = true
			}
		}
	}
}
