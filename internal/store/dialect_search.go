package store

import (
	"strings"
	"unicode"
)

// searchWords splits free text into the words a full-text query looks
// for: runs of letters and digits, lower-cased, at most 16.
func searchWords(q string) []string {
	words := strings.FieldsFunc(strings.ToLower(q), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	if len(words) > 16 {
		words = words[:16]
	}
	return words
}

// textMatch returns the condition (with ? for its one argument) that
// selects incidents whose narrative, place or perpetrators contain every
// word of q as the start of a word, and the argument; ok is false when q
// has no words. A redacted incident's place is not indexed on either
// engine (migration 00007), so a search never reveals it.
//
// SQLite: the FTS5 table incidents_fts, queried with "word"* terms
// (implicitly ANDed). PostgreSQL: the GIN index incidents_text, whose
// expression this must repeat exactly, with a 'simple' tsquery of word:*
// terms.
func (d dialect) textMatch(q string) (cond, arg string, ok bool) {
	words := searchWords(q)
	if len(words) == 0 {
		return "", "", false
	}
	if d.isPostgres() {
		for i, w := range words {
			words[i] = w + ":*"
		}
		return `to_tsvector('simple', i.narrative || ' ' || CASE WHEN i.redacted = 1 THEN '' ELSE i.place END || ' ' || i.perpetrator) @@ to_tsquery('simple', ?)`,
			strings.Join(words, " & "), true
	}
	for i, w := range words {
		words[i] = `"` + w + `"*`
	}
	return `i.id IN (SELECT rowid FROM incidents_fts WHERE incidents_fts MATCH ?)`, strings.Join(words, " "), true
}

// inJSONList returns a condition that col is one of the strings of a
// JSON array passed as the one argument (?): one statement text whatever
// the number of values.
func (d dialect) inJSONList(col string) string {
	if d.isPostgres() {
		return col + ` IN (SELECT jsonb_array_elements_text(CAST(? AS jsonb)))`
	}
	return col + ` IN (SELECT value FROM json_each(?))`
}

// seqPlaceholders returns n placeholders numbered from `from`, for
// statements that use every parameter once and in order: "?" on SQLite,
// whose driver looks each named parameter ($n) up by a linear scan, which
// made binding a multi-row insert of a thousand parameters quadratic;
// "$n" on PostgreSQL.
func (d dialect) seqPlaceholders(from, n int) string {
	if d.isPostgres() {
		return placeholders(from, n)
	}
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}
