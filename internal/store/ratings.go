package store

import (
	"context"
	"database/sql"
	"slices"
	"strings"

	"github.com/exportctl/exportctl"
)

// ImportRatings adds or replaces entries of the ratings dictionary. The
// dictionary is reference data, so entries are replaced, with the change
// counted in the audit event.
func (s *Store) ImportRatings(ctx context.Context, a exportctl.Actor, rs []exportctl.Rating) (added, updated int, err error) {
	const op = "ratings.import"
	if err := a.Require(op, exportctl.RoleAdmin, "system"); err != nil {
		return 0, 0, err
	}
	now := s.now().UTC()
	err = s.tx(ctx, op, func(tx *sql.Tx) error {
		for _, r := range rs {
			var old exportctl.Rating
			var mil int
			err := tx.QueryRowContext(ctx, `SELECT military, title, description, source FROM ratings WHERE code = $1`, r.Code).Scan(&mil, &old.Title, &old.Description, &old.Source)
			switch {
			case err == sql.ErrNoRows:
				if _, err := tx.ExecContext(ctx, `INSERT INTO ratings (code, military, title, description, source) VALUES ($1, $2, $3, $4, $5)`,
					r.Code, boolInt(r.Military), r.Title, r.Description, r.Source); err != nil {
					return err
				}
				added++
			case err != nil:
				return err
			case (mil != 0) != r.Military || old.Title != r.Title || old.Description != r.Description || old.Source != r.Source:
				if _, err := tx.ExecContext(ctx, `UPDATE ratings SET military = $1, title = $2, description = $3, source = $4 WHERE code = $5`,
					boolInt(r.Military), r.Title, r.Description, r.Source, r.Code); err != nil {
					return err
				}
				updated++
			}
		}
		return s.audit(ctx, tx, a, now, op, "ratings", 0, map[string]int{"read": len(rs), "added": added, "updated": updated})
	})
	return added, updated, err
}

// Ratings lists the dictionary: imported entries plus the shipped Military
// List headings for any the import did not cover.
func (s *Store) Ratings(ctx context.Context) ([]exportctl.Rating, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT code, military, title, description, source FROM ratings ORDER BY code`)
	if err != nil {
		return nil, exportctl.Internal("ratings.list", err)
	}
	defer rows.Close()
	seen := map[string]bool{}
	var out []exportctl.Rating
	for rows.Next() {
		var r exportctl.Rating
		var mil int
		if err := rows.Scan(&r.Code, &mil, &r.Title, &r.Description, &r.Source); err != nil {
			return nil, exportctl.Internal("ratings.list", err)
		}
		r.Military = mil != 0
		seen[r.Code] = true
		out = append(out, r)
	}
	for code, title := range exportctl.MilitaryListTitles {
		if !seen[code] {
			out = append(out, exportctl.Rating{Code: code, Military: true, Title: title, Source: "UK Military List (shipped)"})
		}
	}
	sortRatings(out)
	return out, rows.Err()
}

func sortRatings(rs []exportctl.Rating) {
	key := func(code string) string {
		// ML2 before ML10: pad the number.
		if strings.HasPrefix(code, "ML") && len(code) == 3 {
			return "ML0" + code[2:]
		}
		return code
	}
	slices.SortFunc(rs, func(a, b exportctl.Rating) int { return strings.Compare(key(a.Code), key(b.Code)) })
}
