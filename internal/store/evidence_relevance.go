package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/exportctl/exportctl"
)

// forceTerms name a country's forces as monitors report them, in lower
// case; a country not listed is named by its English short name.
var forceTerms = map[string][]string{
	"IL": {"israel", "israeli", "idf"},
	"SA": {"saudi", "royal saudi", "coalition"},
	"AE": {"emirati", "uae", "united arab emirates"},
	"RU": {"russia", "russian"},
	"UA": {"ukraine", "ukrainian"},
	"TR": {"turkey", "turkish", "türkiye"},
	"US": {"united states", "us forces", "u.s."},
	"GB": {"uk", "british", "united kingdom"},
	"EG": {"egypt", "egyptian"},
}

// relevanceTerms are the words that attribute an incident to the
// destination's forces or the end user.
func relevanceTerms(dest, endUser string) []string {
	terms := forceTerms[dest]
	if terms == nil {
		terms = []string{strings.ToLower(exportctl.CountryName(dest))}
	}
	terms = append([]string(nil), terms...)
	if eu := strings.ToLower(strings.TrimSpace(endUser)); len(eu) >= 3 {
		terms = append(terms, eu)
	}
	return terms
}

// mentions reports whether text contains one of the terms as whole words.
func mentions(text string, terms []string) bool {
	text = strings.ToLower(text)
	for _, t := range terms {
		for from := 0; ; {
			i := strings.Index(text[from:], t)
			if i < 0 {
				break
			}
			i += from
			end := i + len(t)
			if (i == 0 || !wordByte(text[i-1])) && (end == len(text) || !wordByte(text[end])) {
				return true
			}
			from = i + 1
		}
	}
	return false
}

func wordByte(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c >= 0x80 }

// RelevantIncidents implements exportctl.EvidenceProvider for the evidence
// guard: it counts incidents that started on or before the cutoff (any
// date when the cutoff is zero) with a perpetrator of ACLED type 1 (state
// forces) or 8 (external or other forces) that either
//
//   - is attributed to the destination's forces: the actor's country is
//     the destination, or its name or force mentions, as whole words, the
//     destination's name or demonym (forceTerms: Israel, Israeli, IDF for
//     IL; Saudi, Royal Saudi, Coalition for SA; ...; else the country's
//     name) or the end user's name; or
//   - is of type 1 in an incident located in the destination.
//
// It is deliberately generous: the guard asks whether anything relevant
// exists, so a false positive costs a recorded reason, a false negative
// an unexamined record. Every incident counts, publishable or not.
func (s *Store) RelevantIncidents(ctx context.Context, destination, endUser string, cutoff time.Time) (int, error) {
	const op = "incident.relevant"
	dest := strings.ToUpper(strings.TrimSpace(destination))
	if dest == "" {
		return 0, nil
	}
	terms := relevanceTerms(dest, endUser)
	var w where
	w.conds = append(w.conds, "i.state_forces = 1")
	if !cutoff.IsZero() {
		w.add("i.start_date <= ?", cutoff.UTC().Format(time.DateOnly))
	}
	w.args = append(w.args, dest)
	ors := []string{fmt.Sprintf("i.country = $%d", len(w.args)), fmt.Sprintf("i.actors LIKE $%d", len(w.args)+1)}
	w.args = append(w.args, `%"country":"`+dest+`"%`)
	for _, t := range terms {
		w.args = append(w.args, likePattern(t))
		n := len(w.args)
		ors = append(ors, fmt.Sprintf(`LOWER(i.perpetrator) LIKE $%d ESCAPE '\' OR LOWER(i.perpetrator_force) LIKE $%d ESCAPE '\'`, n, n))
	}
	w.conds = append(w.conds, "("+strings.Join(ors, " OR ")+")")
	rows, err := s.read.QueryContext(ctx, `SELECT i.country, i.actors FROM incidents i`+w.sql(), w.args...)
	if err != nil {
		return 0, exportctl.Internal(op, err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var country, actorsJSON string
		if err := rows.Scan(&country, &actorsJSON); err != nil {
			return 0, exportctl.Internal(op, err)
		}
		var actors []exportctl.IncidentActor
		if err := json.Unmarshal([]byte(actorsJSON), &actors); err != nil {
			return 0, exportctl.Internal(op, err)
		}
		if relevant(actors, country, dest, terms) {
			n++
		}
	}
	if err := rows.Err(); err != nil {
		return 0, exportctl.Internal(op, err)
	}
	return n, nil
}

// relevant applies the rule of RelevantIncidents to one incident.
func relevant(actors []exportctl.IncidentActor, country, dest string, terms []string) bool {
	for _, a := range actors {
		if a.Role != exportctl.ActorPerpetrator || (a.Type != 1 && a.Type != 8) {
			continue
		}
		if a.Country == dest || mentions(a.Name+" | "+a.Force, terms) || (a.Type == 1 && country == dest) {
			return true
		}
	}
	return false
}
