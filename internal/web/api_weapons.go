package web

import (
	"context"
	"net/http"

	"github.com/exportctl/exportctl"
)

// weaponRoutes registers the weapon-item graph and its operators.
func (s *Server) weaponRoutes() {
	s.handle("GET /api/v1/weapons", s.api(s.apiListWeapons))
	s.handle("POST /api/v1/weapons", s.api(fromBody(http.StatusCreated, s.svc.AddItem)))
	s.handle("GET /api/v1/weapons/{id}", s.api(byID(http.StatusOK, s.svc.Item)))
	s.handle("POST /api/v1/weapons/{id}/edges", s.api(s.apiAddWeaponEdge))
	s.handle("GET /api/v1/operators", s.api(s.apiOperators))
}

func (s *Server) apiListWeapons(r *http.Request, a exportctl.Actor) (int, any, error) {
	items, err := s.svc.Items(r.Context(), a, r.URL.Query().Get("q"))
	return http.StatusOK, listOf(items), err
}

func (s *Server) apiAddWeaponEdge(r *http.Request, a exportctl.Actor) (int, any, error) {
	return withBody(http.StatusCreated, func(ctx context.Context, a exportctl.Actor, id int64, in exportctl.EdgeInput) (*exportctl.Edge, error) {
		if in.From != 0 && in.From != id {
			return nil, exportctl.Invalid("from", "the edge starts from the item in the path (%d); leave from out", id)
		}
		in.From = id
		return s.svc.AddEdge(ctx, a, in)
	})(r, a)
}

func (s *Server) apiOperators(r *http.Request, a exportctl.Actor) (int, any, error) {
	ops, err := s.svc.Operators(r.Context(), a, r.URL.Query().Get("recipient"))
	return http.StatusOK, listOf(ops), err
}
