package store

import (
	"crypto/sha256"
	"encoding/hex"
	"math"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/exportctl/exportctl"
)

// encodedIncident is an incident in its canonical JSON form, with the
// spans of the parts that have columns of their own, and its row hash.
//
// The canonical JSON is byte for byte what encoding/json makes of the
// incident after normalise (TestCanonicalIncidentJSON checks it on every
// real incident and on one with every field set): written by hand because
// encoding/json spent 12 µs a row on ACLED rows, most of the import's time.
type encodedIncident struct {
	data                                       []byte
	actors, weapons, classifications, original span
	hash                                       string
}

type span struct{ from, to int }

func (e *encodedIncident) part(s span, empty string) string {
	if s.from == s.to {
		return empty
	}
	return string(e.data[s.from:s.to])
}

// normalise makes the incident's lists non-nil, so that "none" has one
// spelling ([]) in the canonical form and in answers.
func normalise(inc *exportctl.Incident) {
	if inc.Sources == nil {
		inc.Sources = []exportctl.SourceID{}
	}
	if inc.Actors == nil {
		inc.Actors = []exportctl.IncidentActor{}
	}
	if inc.Weapons == nil {
		inc.Weapons = []exportctl.IncidentWeapon{}
	}
	if inc.Classifications == nil {
		inc.Classifications = []exportctl.Classification{}
	}
}

// encodeIncident writes the canonical JSON of inc (normalised first) and
// its SHA-256. The hash covers the mapped values and Original (its keys
// sorted, as JSON objects are), never the order of the source's columns.
func encodeIncident(inc *exportctl.Incident, buf []byte) encodedIncident {
	normalise(inc)
	var e encodedIncident
	b := buf[:0]
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, inc.ID, 10)
	b = append(b, `,"source_ids":[`...)
	for k, s := range inc.Sources {
		if k > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"source":`...)
		b = appendJSONString(b, s.Source)
		b = append(b, `,"id":`...)
		b = appendJSONString(b, s.ID)
		b = append(b, '}')
	}
	b = append(b, `],"start_date":`...)
	b = appendJSONString(b, inc.StartDate)
	b = appendOptString(b, `,"end_date":`, inc.EndDate)
	b = append(b, `,"date_precision":`...)
	b = strconv.AppendInt(b, int64(inc.DatePrecision), 10)
	b = append(b, `,"country":`...)
	b = appendJSONString(b, inc.Country)
	b = appendOptString(b, `,"admin1":`, inc.Admin1)
	b = appendOptString(b, `,"admin2":`, inc.Admin2)
	b = appendOptString(b, `,"admin3":`, inc.Admin3)
	b = appendOptString(b, `,"place":`, inc.Place)
	if inc.Latitude != nil {
		b = append(b, `,"latitude":`...)
		b = appendJSONFloat(b, *inc.Latitude)
	}
	if inc.Longitude != nil {
		b = append(b, `,"longitude":`...)
		b = appendJSONFloat(b, *inc.Longitude)
	}
	if inc.GeoPrecision != 0 {
		b = append(b, `,"geo_precision":`...)
		b = strconv.AppendInt(b, int64(inc.GeoPrecision), 10)
	}
	b = append(b, `,"redacted":`...)
	b = strconv.AppendBool(b, inc.Redacted)
	b = appendOptString(b, `,"event_type":`, inc.EventType)
	b = appendOptString(b, `,"sub_event_type":`, inc.SubEventType)
	b = append(b, `,"target_category":`...)
	b = appendJSONString(b, inc.Target)
	b = appendOptString(b, `,"damage":`, inc.Damage)
	b = appendOptString(b, `,"aid_access":`, inc.AidAccess)
	h := inc.Harm
	for _, f := range []struct {
		key string
		n   int
	}{{`,"harm":{"killed":`, h.Killed}, {`,"injured":`, h.Injured}, {`,"kidnapped":`, h.Kidnapped}, {`,"detained":`, h.Detained},
		{`,"health_workers_affected":`, h.HealthWorkers}, {`,"aid_workers_affected":`, h.AidWorkers},
		{`,"children_affected":`, h.Children}, {`,"journalists_affected":`, h.Journalists}} {
		b = append(b, f.key...)
		b = strconv.AppendInt(b, int64(f.n), 10)
	}
	b = append(b, `},"actors":`...)
	e.actors.from = len(b)
	b = append(b, '[')
	for k, a := range inc.Actors {
		if k > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"role":`...)
		b = appendJSONString(b, a.Role)
		b = append(b, `,"type":`...)
		b = strconv.AppendInt(b, int64(a.Type), 10)
		b = append(b, `,"name":`...)
		b = appendJSONString(b, a.Name)
		b = appendOptString(b, `,"force":`, a.Force)
		b = appendOptString(b, `,"country":`, a.Country)
		b = appendOptString(b, `,"basis":`, a.Basis)
		b = append(b, `,"confidence":`...)
		b = appendJSONFloat(b, a.Confidence)
		b = append(b, '}')
	}
	b = append(b, ']')
	e.actors.to = len(b)
	b = append(b, `,"weapons":`...)
	e.weapons.from = len(b)
	b = append(b, '[')
	for k, w := range inc.Weapons {
		if k > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"reported":`...)
		b = appendJSONString(b, w.Reported)
		b = append(b, `,"launch":`...)
		b = appendJSONString(b, w.Launch)
		if w.ItemID != 0 {
			b = append(b, `,"item_id":`...)
			b = strconv.AppendInt(b, w.ItemID, 10)
		}
		b = appendOptString(b, `,"item":`, w.Item)
		b = appendOptString(b, `,"basis":`, w.Basis)
		b = appendOptString(b, `,"markings":`, w.Markings)
		b = append(b, '}')
	}
	b = append(b, ']')
	e.weapons.to = len(b)
	b = append(b, `,"classifications":`...)
	e.classifications.from = len(b)
	b = append(b, '[')
	for k, c := range inc.Classifications {
		if k > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"code":`...)
		b = appendJSONString(b, c.Code)
		b = append(b, `,"status":`...)
		b = appendJSONString(b, c.Status)
		b = append(b, `,"by":`...)
		b = appendJSONString(b, c.By)
		b = append(b, '}')
	}
	b = append(b, ']')
	e.classifications.to = len(b)
	b = append(b, `,"verification":`...)
	b = appendJSONString(b, inc.Verification)
	b = appendOptString(b, `,"narrative":`, inc.Narrative)
	b = append(b, `,"publishable":`...)
	b = strconv.AppendBool(b, inc.Publishable)
	if inc.GroupID != 0 {
		b = append(b, `,"group_id":`...)
		b = strconv.AppendInt(b, inc.GroupID, 10)
	}
	if len(inc.Original) > 0 {
		b = append(b, `,"original":`...)
		e.original.from = len(b)
		keys := make([]string, 0, len(inc.Original))
		for k := range inc.Original {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		b = append(b, '{')
		for k, key := range keys {
			if k > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, key)
			b = append(b, ':')
			b = appendJSONString(b, inc.Original[key])
		}
		b = append(b, '}')
		e.original.to = len(b)
	}
	b = append(b, `,"created_at":"`...)
	b = inc.CreatedAt.AppendFormat(b, time.RFC3339Nano)
	b = append(b, `"}`...)
	e.data = b
	sum := sha256.Sum256(b)
	e.hash = hex.EncodeToString(sum[:])
	return e
}

func appendOptString(b []byte, key, s string) []byte {
	if s == "" {
		return b
	}
	b = append(b, key...)
	return appendJSONString(b, s)
}

// appendJSONFloat formats a float64 as encoding/json does (ES6 number
// to string). NaN and infinities never reach it: Validate refuses them.
func appendJSONFloat(b []byte, f float64) []byte {
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

const hexDigits = "0123456789abcdef"

// appendJSONString quotes s as encoding/json does, HTML-escaping
// included: <, > and & become \u003c, \u003e and \u0026, invalid UTF-8
// becomes \ufffd, U+2028 and U+2029 are escaped.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '\\', '"':
				dst = append(dst, '\\', c)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
