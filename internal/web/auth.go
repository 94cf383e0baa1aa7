package web

import (
	"context"
	"crypto/subtle"
	"net/http"
	"strings"

	"github.com/exportctl/exportctl"
)

const sessionCookie = "exportctl_session"

type ctxKey int

const (
	actorKey ctxKey = iota
	sessionKey
)

// authenticate resolves the bearer token or session cookie into an actor.
// A bad bearer token is rejected at once; a bad cookie is treated as no
// session (the page asks the user to sign in). Cookie-authenticated
// requests that change something must carry the session's CSRF token.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if auth := r.Header.Get("Authorization"); auth != "" {
			token, ok := strings.CutPrefix(auth, "Bearer ")
			if !ok {
				writeProblem(w, r, exportctl.Unauthorized("use Authorization: Bearer <token>"))
				return
			}
			a, err := s.svc.TokenActor(ctx, strings.TrimSpace(token))
			if err != nil {
				writeProblem(w, r, err)
				return
			}
			next.ServeHTTP(w, r.WithContext(context.WithValue(ctx, actorKey, a)))
			return
		}
		if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
			a, sess, err := s.svc.SessionActor(ctx, c.Value)
			if err == nil {
				if unsafeMethod(r.Method) && !validCSRF(r, sess.CSRF) {
					err := &exportctl.Error{Code: exportctl.EForbidden, Field: "csrf_token", Message: "the form has expired or did not come from this site: reload the page and try again"}
					if strings.HasPrefix(r.URL.Path, "/api/") {
						writeProblem(w, r, err)
					} else {
						s.pageError(w, r, err)
					}
					return
				}
				ctx = context.WithValue(ctx, actorKey, a)
				ctx = context.WithValue(ctx, sessionKey, sess)
			}
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func unsafeMethod(m string) bool {
	return m != http.MethodGet && m != http.MethodHead && m != http.MethodOptions
}

func validCSRF(r *http.Request, want string) bool {
	got := r.Header.Get("X-CSRF-Token")
	if got == "" {
		got = r.PostFormValue("csrf_token")
	}
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// actor returns who is making the request; ok is false for anonymous requests.
func actor(r *http.Request) (exportctl.Actor, bool) {
	a, ok := r.Context().Value(actorKey).(exportctl.Actor)
	return a, ok
}

func session(r *http.Request) *exportctl.Session {
	s, _ := r.Context().Value(sessionKey).(*exportctl.Session)
	return s
}
