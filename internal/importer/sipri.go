package importer

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/exportctl/exportctl"
)

// SIPRI reads a SIPRI Arms Transfers Database export into deliveries, in
// either layout:
//
//   - the current one ("SIPRI AT Database ID,Supplier,Recipient,Designation,
//     Description,Armament category,Order date,Order date is estimate,
//     Numbers delivered,Numbers delivered is estimate,Delivery year,
//     Delivery year is estimate,Status,..."): one row per delivery year;
//   - the older trade register ("Recipient,Supplier,Year of order,,Number
//     ordered,,Weapon designation,Weapon description,Number delivered,,
//     Year(s) of deliveries,status,Comments,..."), where the unnamed
//     columns hold "?" for uncertain values and "(2016)" also marks an
//     estimate: one row per deal, spread here into one delivery per year
//     of "2015-2017" or "2015; 2017" with the number divided evenly
//     (earlier years taking the remainder; marked estimated), or one
//     delivery in the first year when there are fewer items than years or
//     the later years cannot be read. A deal with no deliveries (ordered
//     only) is rejected as such.
//     The older layout has no SIPRI id and no armament category.
//
// Both come after a preamble of notes whose length varies: the header is
// found by its content. Lines may end with ";". Supplier and recipient
// names become alpha-2 codes; a former state (Soviet Union), a non-state
// actor (SIPRI marks them with *) or an unknown name rejects the row.
// Estimated is true when the number or the year delivered is an estimate.
// Status is lower case ("new", "second hand").
func SIPRI(r io.Reader) (Batch[exportctl.Delivery], error) {
	return sipri(r, nil)
}

// SIPRIEach is SIPRI streaming each delivery to fn (see ACLEDEach).
func SIPRIEach(r io.Reader, fn func(d exportctl.Delivery, line int) error) (Batch[exportctl.Delivery], error) {
	return sipri(r, fn)
}

const sipriExpected = "SIPRI AT Database ID, Supplier, Recipient, Designation, Numbers delivered, Delivery year " +
	"(or the older Recipient, Supplier, Year of order, Weapon designation, Number delivered, Year(s) of deliveries)"

func sipri(r io.Reader, emit func(exportctl.Delivery, int) error) (Batch[exportctl.Delivery], error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return Batch[exportctl.Delivery]{}, err
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	// Find the header line by its content and strip the ";" that ends
	// SIPRI's lines (including the header's).
	lines := bytes.SplitAfter(data, []byte("\n"))
	headerAt := -1
	for i, l := range lines {
		if sipriHeader(l) {
			headerAt = i
			break
		}
	}
	if headerAt < 0 {
		return Batch[exportctl.Delivery]{}, fmt.Errorf("this is not a SIPRI trade register: no header line with the columns %s", sipriExpected)
	}
	var body bytes.Buffer
	body.Grow(len(data))
	for _, l := range lines[headerAt:] {
		body.Write(stripSemicolon(l))
	}
	rd, err := NewReader(&body, nil)
	if err != nil {
		return Batch[exportctl.Delivery]{}, err
	}
	rd.offset = headerAt
	var p *sipriParser
	if rd.Column("Year of order") >= 0 {
		p = newSIPRIOldParser(rd)
	} else {
		p = newSIPRIParser(rd)
	}
	return runSIPRI(rd, p, emit)
}

// sipriHeader recognises a header line of either layout.
func sipriHeader(line []byte) bool {
	l := strings.ToLower(string(line))
	if !strings.Contains(l, "supplier") || !strings.Contains(l, "recipient") {
		return false
	}
	return strings.Contains(l, "sipri at database id") || strings.Contains(l, "year of order") ||
		(strings.Contains(l, "designation") && strings.Contains(l, "deliver"))
}

// stripSemicolon removes a ";" before the end of a line.
func stripSemicolon(l []byte) []byte {
	end := len(l)
	for end > 0 && (l[end-1] == '\n' || l[end-1] == '\r') {
		end--
	}
	i := end
	for i > 0 && (l[i-1] == ' ' || l[i-1] == '\t') {
		i--
	}
	if i > 0 && l[i-1] == ';' {
		out := make([]byte, 0, len(l))
		out = append(out, l[:i-1]...)
		return append(out, l[end:]...)
	}
	return l
}

type sipriParser struct {
	old                                        bool
	id, supplier, recipient, designation, desc int
	category, order, number, numberEst         int
	year, yearEst, status                      int
	countries                                  countryNames
}

func newSIPRIParser(rd *Reader) *sipriParser {
	return &sipriParser{
		id: rd.Column("SIPRI AT Database ID", "SIPRI ID", "Deal ID"), supplier: rd.Column("Supplier"), recipient: rd.Column("Recipient"),
		designation: rd.Column("Designation", "Weapon designation"), desc: rd.Column("Description", "Weapon description"),
		category: rd.Column("Armament category"), order: rd.Column("Order date", "Order year"),
		number:    rd.Column("Numbers delivered", "Number delivered"),
		numberEst: rd.Column("Numbers delivered is estimate"), year: rd.Column("Delivery year"),
		yearEst: rd.Column("Delivery year is estimate"), status: rd.Column("Status"),
	}
}

// newSIPRIOldParser reads the older layout, whose uncertainty markers are
// the unnamed column right after a value.
func newSIPRIOldParser(rd *Reader) *sipriParser {
	marker := func(col int) int {
		h := rd.Header()
		if col >= 0 && col+1 < len(h) && h[col+1] == "" {
			return col + 1
		}
		return -1
	}
	p := &sipriParser{
		old: true, id: -1, supplier: rd.Column("Supplier"), recipient: rd.Column("Recipient"),
		designation: rd.Column("Weapon designation", "Designation"), desc: rd.Column("Weapon description", "Description"),
		category: -1, order: rd.Column("Year of order", "Year(s) of order"),
		number: rd.Column("Number delivered", "Numbers delivered"), year: rd.Column("Year(s) of deliveries", "Year of deliveries", "Years of deliveries"),
		status: rd.Column("Status"),
	}
	p.numberEst, p.yearEst = marker(p.number), marker(p.year)
	return p
}

func (p *sipriParser) required() error {
	var missing []string
	for _, c := range []struct {
		idx  int
		name string
	}{{p.supplier, "Supplier"}, {p.recipient, "Recipient"}, {p.designation, "Designation"}, {p.number, "Numbers delivered"}, {p.year, "Delivery year"}} {
		if c.idx < 0 {
			missing = append(missing, c.name)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("this is not a SIPRI trade register: missing columns %s (expected at least: %s)", strings.Join(missing, ", "), sipriExpected)
	}
	return nil
}

// runSIPRI is run for SIPRI, where an old-layout row may give several
// deliveries (each with the row's line).
func runSIPRI(rd *Reader, p *sipriParser, emit func(exportctl.Delivery, int) error) (Batch[exportctl.Delivery], error) {
	var b Batch[exportctl.Delivery]
	if err := p.required(); err != nil {
		return b, err
	}
	for rd.Next() {
		row, line := rd.Row(), rd.Line()
		b.Read++
		if blank(row) {
			b.Rejects = append(b.Rejects, RowError{line, "empty row"})
			continue
		}
		ds, probs := p.parse(row)
		if len(probs) > 0 {
			b.Rejects = append(b.Rejects, RowError{line, probs.reason()})
			continue
		}
		for _, d := range ds {
			if emit != nil {
				if err := emit(d, line); err != nil {
					return b, err
				}
				continue
			}
			b.Items = append(b.Items, d)
			b.Lines = append(b.Lines, line)
		}
	}
	mergeCSVRejects(rd, &b.Read, &b.Rejects)
	return b, rd.Err()
}

// parse reads one row into one or more deliveries.
func (p *sipriParser) parse(row Row) ([]exportctl.Delivery, problems) {
	var probs problems
	d := exportctl.Delivery{
		SIPRIID:     row.At(p.id),
		Designation: row.At(p.designation),
		Description: row.At(p.desc),
		Category:    row.At(p.category),
		Status:      strings.ToLower(row.At(p.status)),
	}
	d.Supplier = p.country(row.At(p.supplier), "Supplier", &probs)
	d.Recipient = p.country(row.At(p.recipient), "Recipient", &probs)
	if d.Designation == "" {
		probs.add("Designation is empty")
	}
	if s := row.At(p.order); s != "" {
		y, _, ok := sipriYear(s) // an estimated order year does not make the delivery an estimate
		if !ok {
			probs.add("order year: %q is not a year", s)
		}
		d.OrderYear = y
	}
	numS := row.At(p.number)
	num, numEst, ok := sipriNumber(numS)
	if !ok {
		probs.add("number delivered: %q is not a number", numS)
	}
	numEst = numEst || sipriYes(row.At(p.numberEst))
	yearS := row.At(p.year)
	if !p.old {
		y, yEst, ok := sipriYear(yearS)
		if !ok {
			probs.add("delivery year: %q is not a year", yearS)
		}
		if len(probs) > 0 {
			return nil, probs
		}
		d.DeliveryYear, d.Number = y, num
		d.Estimated = numEst || yEst || sipriYes(row.At(p.yearEst))
		return []exportctl.Delivery{d}, nil
	}
	if yearS == "" && num == 0 {
		probs.add("no deliveries (ordered only)")
		return nil, probs
	}
	years, yEst, ok := sipriYears(yearS)
	if !ok {
		probs.add("year(s) of deliveries: %q names no year", yearS)
	}
	if len(probs) > 0 {
		return nil, probs
	}
	d.Estimated = numEst || yEst || sipriYes(row.At(p.yearEst))
	if len(years) == 1 || num < len(years) {
		// One year, or too few items to give each year one: a single
		// delivery in the first year.
		d.DeliveryYear, d.Number = years[0], num
		d.Estimated = d.Estimated || len(years) > 1
		return []exportctl.Delivery{d}, nil
	}
	out := make([]exportctl.Delivery, len(years))
	for i, y := range years {
		out[i] = d
		out[i].DeliveryYear = y
		out[i].Number = num / len(years)
		if i < num%len(years) {
			out[i].Number++
		}
		out[i].Estimated = true // SIPRI gives the total only
	}
	return out, nil
}

func (p *sipriParser) country(name, column string, probs *problems) string {
	if name == "" {
		probs.add("%s is empty", column)
		return ""
	}
	a2, why := p.countries.name(name)
	if a2 == "" {
		probs.add("%s: %s", column, why)
	}
	return a2
}

// sipriYes reads SIPRI's estimate flags: "Yes" or "?".
func sipriYes(s string) bool {
	s = strings.ToLower(s)
	return s == "yes" || s == "?" || s == "y" || s == "true" || s == "1"
}

// sipriYear reads "2016", "(2016)" or "2016?"; brackets and "?" mark an
// estimate.
func sipriYear(s string) (int, bool, bool) {
	est := false
	if strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")") {
		s, est = s[1:len(s)-1], true
	}
	if strings.HasSuffix(s, "?") {
		s, est = strings.TrimSpace(s[:len(s)-1]), true
	}
	y, err := strconv.Atoi(s)
	if err != nil || y < 1900 || y > 2200 {
		return 0, est, false
	}
	return y, est, true
}

// sipriNumber reads "1588", "(50)", "50?"; empty is 0.
func sipriNumber(s string) (int, bool, bool) {
	if s == "" {
		return 0, false, true
	}
	est := false
	if strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")") {
		s, est = s[1:len(s)-1], true
	}
	if strings.HasSuffix(s, "?") {
		s, est = strings.TrimSpace(s[:len(s)-1]), true
	}
	n, ok := parseCount(strings.ReplaceAll(s, ",", ""))
	return n, est, ok
}

// sipriYears reads the older layout's "Year(s) of deliveries": "2019",
// "(2019)", "2015-2017", "2015; 2017-2018". An unreadable part after a
// readable first year leaves just the first year.
func sipriYears(s string) ([]int, bool, bool) {
	est := strings.ContainsAny(s, "()?")
	clean := strings.NewReplacer("(", "", ")", "", "?", "").Replace(s)
	var years []int
	for _, part := range strings.FieldsFunc(clean, func(r rune) bool { return r == ';' || r == ',' || r == '/' || r == '&' }) {
		part = strings.TrimSpace(part)
		if a, b, isRange := strings.Cut(part, "-"); isRange {
			y1, err1 := strconv.Atoi(strings.TrimSpace(a))
			y2, err2 := strconv.Atoi(strings.TrimSpace(b))
			if err1 == nil && err2 == nil && y1 >= 1900 && y2 >= y1 && y2 <= 2200 && y2-y1 < 100 {
				for y := y1; y <= y2; y++ {
					years = append(years, y)
				}
				continue
			}
			if err1 == nil && y1 >= 1900 && y1 <= 2200 && len(years) == 0 {
				return []int{y1}, true, true
			}
			break
		}
		y, err := strconv.Atoi(part)
		if err != nil || y < 1900 || y > 2200 {
			break
		}
		years = append(years, y)
	}
	if len(years) == 0 {
		return nil, est, false
	}
	return years, est, true
}
