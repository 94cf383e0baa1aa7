package web

import (
	"net/http"

	"github.com/exportctl/exportctl"
)

// weaponRoutes registers the weapon-item graph and its operators.
func (s *Server) weaponRoutes() {
	s.handle("GET /api/v1/weapons", s.api(s.apiListWeapons))
	s.handle("POST /api/v1/weapons", s.api(s.apiAddWeapon))
	s.handle("GET /api/v1/weapons/{id}", s.api(s.apiGetWeapon))
	s.handle("POST /api/v1/weapons/{id}/edges", s.api(s.apiAddWeaponEdge))
	s.handle("GET /api/v1/operators", s.api(s.apiOperators))
}

func (s *Server) apiListWeapons(r *http.Request, a exportctl.Actor) (int, any, error) {
	items, err := s.svc.Items(r.Context(), a, r.URL.Query().Get("q"))
	return http.StatusOK, listOf(items), err
}

func (s *Server) apiAddWeapon(r *http.Request, a exportctl.Actor) (int, any, error) {
	var in exportctl.ItemInput
	if err := decodeJSON(r, &in); err != nil {
		return 0, nil, err
	}
	it, err := s.svc.AddItem(r.Context(), a, in)
	return http.StatusCreated, it, err
}

func (s *Server) apiGetWeapon(r *http.Request, a exportctl.Actor) (int, any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return 0, nil, err
	}
	d, err := s.svc.Item(r.Context(), a, id)
	return http.StatusOK, d, err
}

func (s *Server) apiAddWeaponEdge(r *http.Request, a exportctl.Actor) (int, any, error) {
	return withBody(http.StatusCreated, func(r *http.Request, a exportctl.Actor, id int64, in exportctl.EdgeInput) (*exportctl.Edge, error) {
		if in.From != 0 && in.From != id {
			return nil, exportctl.Invalid("from", "the edge starts from the item in the path (%d); leave from out", id)
		}
		in.From = id
		return s.svc.AddEdge(r.Context(), a, in)
	})(r, a)
}

func (s *Server) apiOperators(r *http.Request, a exportctl.Actor) (int, any, error) {
	ops, err := s.svc.Operators(r.Context(), a, r.URL.Query().Get("recipient"))
	return http.StatusOK, listOf(ops), err
}
