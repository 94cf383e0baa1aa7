package web

import (
	"encoding/json"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/exportctl/exportctl"
)

// Helpers shared by the case, licence and admin pages: reading forms,
// echoing posted values back into a form that failed validation, and
// turning audit events into readable history.

// option is one choice of a select, radios or checkboxes.
type option struct {
	Value, Label, Hint string
}

// requireUserThen is requireUser for a form's POST: without a session it
// sends the user to sign in and then back to the page (next), because the
// POST address itself cannot be opened with GET.
func requireUserThen(w http.ResponseWriter, r *http.Request, next string) (exportctl.Actor, bool) {
	a, ok := actor(r)
	if !ok {
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			next = r.URL.RequestURI()
		}
		http.Redirect(w, r, "/login?next="+url.QueryEscape(next), http.StatusSeeOther)
	}
	return a, ok
}

// errorFor returns the message of the error naming the field (an element
// id of the page), or "" when the field is fine.
func errorFor(errs []fieldError, field string) string {
	for _, e := range errs {
		if e.Field == field {
			return e.Message
		}
	}
	return ""
}

// formField returns the posted value of a field, or def when the form was
// not posted (a fresh page shows the current values).
func formField(form url.Values, name, def string) string {
	if vs, ok := form[name]; ok && len(vs) > 0 {
		return vs[0]
	}
	return def
}

// formChecked reports whether value is among the posted values of a field.
func formChecked(form url.Values, name, value string) bool {
	return slices.Contains(form[name], value)
}

// remapFields renames error fields to the ids of the inputs on the page
// (the error summary links to them), and folds indexed fields such as
// "criteria[2]" into their list ("criteria").
func remapFields(errs []fieldError, ids map[string]string) []fieldError {
	out := make([]fieldError, 0, len(errs))
	for _, e := range errs {
		if i := strings.IndexByte(e.Field, '['); i > 0 {
			e.Field = e.Field[:i]
		}
		if id, ok := ids[e.Field]; ok {
			e.Field = id
		}
		out = append(out, e)
	}
	return out
}

// fieldLabels name the inputs in error messages: a domain message such
// as "must be a number greater than zero" becomes "Quantity must be a
// number greater than zero".
var fieldLabels = map[string]string{
	"description": "The description", "rating": "The control list rating", "quantity": "The quantity", "unit": "The unit",
	"value_gbp": "The value", "component_of": "Component of", "role": "The role", "name": "The name", "country": "The country",
	"type": "The type of organisation", "licence_type": "The licence type", "export_type": "The export type", "end_use": "The end use",
	"outcome": "The outcome", "criteria": "The criteria", "reasons": "The reasons", "valid_until": "The end of validity",
	"username": "The username", "team": "The team", "org_id": "The organisation", "password": "The password",
	"org_name": "The organisation name", "org_kind": "The kind of organisation", "destination": "The destination", "status": "The status",
	// The decision process (pages_assessment.go).
	"advice-subject": "The good or party", "advice-type": "The advice", "advice-conditions": "The conditions",
	"advice-criteria": "The criteria", "advice-reasons": "The reasons", "criteria_set": "The criteria set",
	"evidence_cutoff": "The evidence cut-off date", "evidence_guard_reason": "The reason for not citing incidents",
	"fa-recommendation": "The recommendation", "fa-criteria": "The criteria", "fa-conditions": "The conditions", "fa-reasons": "The reasons",
	"cs-decision": "The countersignature", "cs-reasons": "The reasons", "departure": "The departure",
	"departure-kind": "The kind of departure", "departure-scope": "The scope of the departure", "departure-reasons": "The reasons for the departure",
	"carve-scope": "The scope of the carve-out", "carve-reasons": "The reasons for the carve-out",
}

// polishErrors makes domain messages read as sentences in the error
// summary: a message that starts with "must" or "is" gets the field's
// name in front, and every message starts with a capital.
func polishErrors(errs []fieldError) []fieldError {
	out := make([]fieldError, len(errs))
	for i, e := range errs {
		key := e.Field
		if k, _, ok := strings.Cut(key, "-"); ok && fieldLabels[key] == "" { // note-withdraw, reasons-suspend
			key = k
		}
		label := fieldLabels[key]
		if label == "" {
			label = capitalise(exportctl.Humanise(key))
		}
		if label != "" && (strings.HasPrefix(e.Message, "must ") || strings.HasPrefix(e.Message, "is ") || strings.HasPrefix(e.Message, "cannot be ")) {
			e.Message = label + " " + e.Message
		}
		e.Message = capitalise(e.Message)
		out[i] = e
	}
	return out
}

// parseAmount reads a number as people type it: "185,000", "£1,250.50", " 12 ".
func parseAmount(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "£")
	s = strings.ReplaceAll(s, ",", "")
	s = strings.ReplaceAll(s, " ", "")
	if s == "" {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

// quantityText writes a quantity with its unit, in the plural where English
// has one: "40 items", "1 set", "2.5 kg", "3 software licences".
func quantityText(q float64, unit string) string {
	n := strconv.FormatFloat(q, 'f', -1, 64)
	u := exportctl.Humanise(unit)
	switch {
	case u == "":
		return n
	case q != 1 && u != "kg" && u != "g":
		u += "s"
	}
	return n + " " + u
}

// historyItem is one audit event as the history timeline shows it.
type historyItem struct {
	At      time.Time
	Actor   string
	Role    string
	Title   string
	Details []historyDetail
}

type historyDetail struct{ Label, Value string }

// eventTitles name the audit actions in words.
var eventTitles = map[string]string{
	"application.create":               "Application drafted",
	"application.edit":                 "Terms of the application changed",
	"application.add_good":             "Goods added",
	"application.remove_good":          "Goods removed",
	"application.add_party":            "Party added",
	"application.remove_party":         "Party removed",
	"application.submit":               "Application submitted",
	"application.begin_checks":         "Initial checks begun",
	"application.start_review":         "Review started",
	"application.final_review":         "Moved to final review",
	"application.return_to_applicant":  "Returned to the applicant",
	"application.withdraw":             "Application withdrawn",
	"application.decide":               "Case decided",
	"application.appeal":               "Refusal appealed",
	"application.advise":               "Advice given",
	"application.resolve_advice":       "Conflicting advice resolved",
	"application.assess":               "Assessment saved",
	"application.submit_final_advice":  "Final advice submitted",
	"application.countersign":          "Final advice countersigned",
	"application.countersigned":        "Final advice countersigned",
	"application.countersign_rejected": "Final advice rejected at countersigning",
	"application.record_departure":     "Departure recorded",
	"licence.issue":                    "Licence issued",
	"licence.suspend":                  "Licence suspended",
	"licence.reinstate":                "Licence reinstated",
	"licence.revoke":                   "Licence revoked",
	"licence.surrender":                "Licence surrendered",
	"licence.exhaust":                  "Licence exhausted",
	"licence.expire":                   "Licence expired",
	"licence.amend":                    "Licence amended",
	"licence.carve_out":                "Carve-out recorded",
}

// eventTitle names an audit action, falling back to its humanised code.
func eventTitle(action string) string {
	if t, ok := eventTitles[action]; ok {
		return t
	}
	_, verb, _ := strings.Cut(action, ".")
	if verb == "" {
		verb = action
	}
	t := exportctl.Humanise(verb)
	if t == "" {
		return action
	}
	return strings.ToUpper(t[:1]) + t[1:]
}

// detailOrder puts the summary keys people look for first.
var detailOrder = []string{"from", "to", "team", "subject", "type", "result", "recommendation", "version", "status", "outcome", "criteria", "adverse", "reasons", "note", "reference", "licence_type", "export_type",
	"description", "rating", "quantity", "value_gbp", "role", "name", "country", "valid_from", "valid_until"}

// historyItems turns audit events into timeline entries. Summaries are
// sentences or JSON objects (before/after maps, from/to states, reasons).
func historyItems(events []exportctl.AuditEvent) []historyItem {
	return historyItemsLabelled(events, nil)
}

// historyItemsLabelled is historyItems naming the goods and parties that
// advice is about: labels maps "good:12" to the good's description.
func historyItemsLabelled(events []exportctl.AuditEvent, labels map[string]string) []historyItem {
	out := make([]historyItem, 0, len(events))
	for i, e := range events {
		it := historyItem{At: e.At, Actor: e.Actor, Role: exportctl.RoleTitles[exportctl.Role(e.ActorRole)], Title: eventTitle(e.Action)}
		if e.ActorRole == "system" {
			it.Role = "automatic"
		}
		it.Details = summaryDetails(e.Action, e.Summary, labels)
		// One command may write two events of the same action (a decision
		// records the transition and the outcome): show them as one.
		if i > 0 {
			prev := events[i-1]
			if prev.Action == e.Action && prev.ActorID == e.ActorID && prev.At.Equal(e.At) && prev.SubjectType == e.SubjectType && prev.SubjectID == e.SubjectID {
				last := &out[len(out)-1]
				for _, d := range it.Details {
					if !slices.Contains(last.Details, d) {
						last.Details = append(last.Details, d)
					}
				}
				continue
			}
		}
		out = append(out, it)
	}
	return out
}

// detailLabels name summary keys whose humanised form reads badly.
var detailLabels = map[string]string{"value_gbp": "Value", "valid_from": "Valid from", "valid_until": "Valid until", "org_id": "Organisation",
	"type": "Advice", "adverse": "Adverse findings on", "evidence_cutoff": "Evidence cut-off", "countersignatures_needed": "Countersignatures needed",
	"order": "Countersignature", "sensitive_reasons": "Sensitive because"}

func summaryDetails(action, summary string, labels map[string]string) []historyDetail {
	summary = strings.TrimSpace(summary)
	if summary == "" {
		return nil
	}
	var m map[string]any
	if !strings.HasPrefix(summary, "{") || json.Unmarshal([]byte(summary), &m) != nil {
		return []historyDetail{{"", summary}}
	}
	var out []historyDetail
	if from, ok := m["from"].(string); ok {
		to, _ := m["to"].(string)
		out = append(out, historyDetail{"Status", exportctl.Humanise(from) + " → " + exportctl.Humanise(to)})
		delete(m, "from")
		delete(m, "to")
	}
	if before, ok := m["before"].(map[string]any); ok {
		after, _ := m["after"].(map[string]any)
		keys := sortedKeys(after)
		for _, k := range keys {
			b, a := plain(k, before[k]), plain(k, after[k])
			if b != a {
				out = append(out, historyDetail{capitalise(exportctl.Humanise(k)), orDash(b) + " → " + orDash(a)})
			}
		}
		delete(m, "before")
		delete(m, "after")
	}
	// Advice and resolutions name their good or party by id.
	if subject, ok := m["subject"].(string); ok {
		if id, ok := m["subject_id"].(float64); ok {
			if l := labels[subject+":"+strconv.FormatInt(int64(id), 10)]; l != "" {
				m["subject"] = capitalise(subject) + ": " + l
			}
		}
	}
	for _, k := range sortedKeys(m) {
		if strings.HasSuffix(k, "_id") || k == "criteria_set" {
			continue
		}
		if k == "note" && action == "application.decide" {
			continue // the outcome, repeated
		}
		if n, ok := m[k].(float64); ok && n == 0 && (k == "goods" || k == "parties") {
			continue
		}
		v := plain(k, m[k])
		if v == "" {
			continue
		}
		label, ok := detailLabels[k]
		if !ok {
			label = capitalise(exportctl.Humanise(k))
		}
		out = append(out, historyDetail{label, v})
	}
	return out
}

// sortedKeys orders keys as detailOrder says, the rest alphabetically.
func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	rank := func(k string) int {
		if i := slices.Index(detailOrder, k); i >= 0 {
			return i
		}
		return len(detailOrder)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if ra, rb := rank(a), rank(b); ra != rb {
			return ra - rb
		}
		return strings.Compare(a, b)
	})
	return keys
}

// plain renders one summary value as text.
func plain(key string, v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		switch key {
		case "country", "destination":
			return exportctl.CountryName(x)
		case "outcome":
			if x == exportctl.OutcomeNLR {
				return "no licence required"
			}
			return exportctl.Humanise(x)
		case "role", "status", "to", "from", "export_type", "type", "result", "kind", "recommendation":
			return exportctl.Humanise(x)
		}
		return x
	case float64:
		if key == "value_gbp" {
			return "£" + groupThousands(x)
		}
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		if x {
			return "yes"
		}
		return "no"
	case []any:
		parts := make([]string, 0, len(x))
		for _, e := range x {
			parts = append(parts, plain(key, e))
		}
		return strings.Join(parts, ", ")
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}
