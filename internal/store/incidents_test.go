package store_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/importer"
	"github.com/exportctl/exportctl/internal/store"
	"github.com/exportctl/exportctl/internal/store/storetest"
)

// The real datasets (../shared/data, or $EXPORTCTL_SHARED_DATA).
const (
	sindFile  = "insecurity-insight/attacks-on-health-care-2016-2023.csv"
	awsdFile  = "awsd/aid-worker-security-incidents.csv"
	acledFile = "acled/acled-sample-2022.csv"
)

// sharedFile returns the path of a real dataset, skipping when absent.
func sharedFile(tb testing.TB, rel string) string {
	tb.Helper()
	dir := os.Getenv("EXPORTCTL_SHARED_DATA")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "data")
	}
	path := filepath.Join(dir, rel)
	if _, err := os.Stat(path); err != nil {
		tb.Skipf("shared data absent (%s): set EXPORTCTL_SHARED_DATA", path)
	}
	return path
}

// reader parses a file of a kind (acled, sind, awsd) for ImportIncidents,
// keeping the parser's rejects.
func reader(tb testing.TB, kind, path string, rejects *[]importer.RowError) store.IncidentReader {
	return func(emit func(exportctl.Incident, int) error) error {
		f, err := os.Open(path)
		if err != nil {
			tb.Fatal(err)
		}
		defer f.Close()
		var b importer.Batch[exportctl.Incident]
		switch kind {
		case "acled":
			b, err = importer.ACLEDEach(f, emit)
		case "sind":
			b, err = importer.SiNDEach(f, "health", emit)
		case "awsd":
			b, err = importer.AWSDEach(f, emit)
		default:
			tb.Fatalf("unknown kind %s", kind)
		}
		if rejects != nil {
			*rejects = b.Rejects
		}
		return err
	}
}

func importFile(tb testing.TB, s *store.Store, kind, path string) store.IncidentImportResult {
	tb.Helper()
	res, err := s.ImportIncidents(ctx, exportctl.System, kind, filepath.Base(path), reader(tb, kind, path, nil), nil)
	if err != nil {
		tb.Fatalf("import %s: %v", kind, err)
	}
	if len(res.Rejected) > 0 {
		tb.Fatalf("import %s: the register refused %d parsed rows, first %v", kind, len(res.Rejected), res.Rejected[0])
	}
	return res
}

// parsed is what the parsers themselves make of the files: the expected values.
func parsed(tb testing.TB) []exportctl.Incident {
	tb.Helper()
	var all []exportctl.Incident
	open := func(rel string) *os.File {
		f, err := os.Open(sharedFile(tb, rel))
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { f.Close() })
		return f
	}
	b, err := importer.SiND(open(sindFile), "health")
	if err != nil {
		tb.Fatal(err)
	}
	all = append(all, b.Items...)
	if b, err = importer.AWSD(open(awsdFile)); err != nil {
		tb.Fatal(err)
	}
	all = append(all, b.Items...)
	if b, err = importer.ACLED(open(acledFile)); err != nil {
		tb.Fatal(err)
	}
	return append(all, b.Items...)
}

func newAnalyst(t testing.TB, s *store.Store, name string) exportctl.Actor {
	t.Helper()
	u, _, err := s.CreateUser(ctx, exportctl.Actor{Username: "system", Role: exportctl.RoleAdmin},
		exportctl.UserInput{Username: name, Name: name, Role: exportctl.RoleAnalyst, Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	return exportctl.ActorOf(*u)
}

func countOf(want func(inc *exportctl.Incident) bool, items []exportctl.Incident) int {
	n := 0
	for i := range items {
		if want(&items[i]) {
			n++
		}
	}
	return n
}

// total lists with Limit 1 and returns the page's Total.
func total(t *testing.T, s *store.Store, a exportctl.Actor, f exportctl.IncidentFilter) int {
	t.Helper()
	f.Limit = 1
	page, err := s.Incidents(ctx, a, f)
	if err != nil {
		t.Fatalf("%+v: %v", f, err)
	}
	return page.Total
}

// all pages through every incident matching the filter.
func all(t *testing.T, s *store.Store, a exportctl.Actor, f exportctl.IncidentFilter) []exportctl.Incident {
	t.Helper()
	f.Limit = 500
	var out []exportctl.Incident
	for {
		page, err := s.Incidents(ctx, a, f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page.Items...)
		if page.Next == nil {
			if len(out) != page.Total {
				t.Errorf("%+v: paged %d, total %d", f, len(out), page.Total)
			}
			return out
		}
		f.Cursor = *page.Next
	}
}

// hasWordPrefix reports whether text has a word starting with prefix
// (lower case), as both engines' full text search finds them.
func hasWordPrefix(text, prefix string) bool {
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	return slices.ContainsFunc(words, func(w string) bool { return strings.HasPrefix(w, prefix) })
}

func TestEvidenceRegisterRealData(t *testing.T) {
	sharedFile(t, sindFile)
	items := parsed(t)
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		officer := exportctl.Actor{Username: "officer", Role: exportctl.RoleCaseOfficer}
		res := importFile(t, s, "sind", sharedFile(t, sindFile))
		if res.Read != 8852 || res.New != 8852 || res.Updated != 0 || res.Unchanged != 0 {
			t.Fatalf("sind: %+v", res)
		}
		res = importFile(t, s, "awsd", sharedFile(t, awsdFile))
		if res.Read != 4946 || res.New != 4946 {
			t.Fatalf("awsd: %+v", res)
		}
		res = importFile(t, s, "acled", sharedFile(t, acledFile))
		if res.Read != 326 || res.New != 326 {
			t.Fatalf("acled: %+v", res)
		}
		if n := total(t, s, officer, exportctl.IncidentFilter{}); n != len(items) || n != 8852+4946+326 {
			t.Fatalf("total %d, want %d", n, len(items))
		}

		t.Run("counts per country", func(t *testing.T) {
			for _, c := range []struct {
				source, country string
				want            int
			}{{"sind-health", "PS", 1265}, {"sind-health", "UA", 1319}, {"awsd", "PS", 511}, {"acled", "AR", 326}} {
				if n := total(t, s, officer, exportctl.IncidentFilter{Source: c.source, Country: c.country}); n != c.want {
					t.Errorf("%s %s: %d, want %d", c.source, c.country, n, c.want)
				}
			}
			counts, err := s.IncidentCounts(ctx, officer, exportctl.IncidentFilter{}, "country")
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]int{}
			for _, inc := range items {
				want[inc.Country]++
			}
			if len(counts) != len(want) {
				t.Errorf("%d countries, want %d", len(counts), len(want))
			}
			for _, c := range counts {
				if want[c.Key] != c.Count {
					t.Errorf("country %s: %d, want %d", c.Key, c.Count, want[c.Key])
				}
			}
		})

		t.Run("known incident", func(t *testing.T) {
			page, err := s.Incidents(ctx, officer, exportctl.IncidentFilter{Source: "sind-health", SourceID: "42822"})
			if err != nil || page.Total != 1 {
				t.Fatalf("42822: %v %+v", err, page)
			}
			inc, err := s.Incident(ctx, officer, page.Items[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			if inc.StartDate != "2023-12-21" || inc.DatePrecision != 1 || inc.Country != "PS" || inc.Admin1 != "Gaza Strip" ||
				inc.Latitude == nil || *inc.Latitude != 31.5294490666 || inc.GeoPrecision != 2 || inc.Target != exportctl.TargetHospital ||
				inc.Harm.Killed != 1 || inc.Harm.HealthWorkers != 1 || !inc.Publishable || inc.Redacted ||
				!strings.HasPrefix(inc.Narrative, "December 2023: In Jabalia Refugee Camp, a female nurse") ||
				len(inc.Sources) != 1 || inc.Sources[0] != (exportctl.SourceID{Source: "sind-health", ID: "42822"}) {
				t.Errorf("42822 = %+v", inc)
			}
			if len(inc.Actors) != 1 || inc.Actors[0] != (exportctl.IncidentActor{Role: "perpetrator", Type: 1, Name: "Israeli Defence Forces", Basis: "source_report"}) {
				t.Errorf("42822 actors = %+v", inc.Actors)
			}
			if len(inc.Weapons) != 1 || inc.Weapons[0].Reported != "Firearms" || inc.Weapons[0].Launch != exportctl.LaunchUnknown {
				t.Errorf("42822 weapons = %+v", inc.Weapons)
			}
			if inc.Original["Location"] != "Health Building" || inc.Original["Geo Precision"] != "(2) 25 km Precision " || len(inc.Original) != 35 {
				t.Errorf("42822 original = %v", inc.Original)
			}
			if page.Items[0].Narrative != inc.Narrative || page.Items[0].Original["Location"] != "Health Building" {
				t.Errorf("the list item differs from the incident")
			}
			// Duplicate ids of one file are distinct records.
			for _, id := range []string{"4664", "4664~2"} {
				if n := total(t, s, officer, exportctl.IncidentFilter{Source: "awsd", SourceID: id}); n != 1 {
					t.Errorf("awsd %s: %d", id, n)
				}
			}
		})

		t.Run("re-import changes nothing", func(t *testing.T) {
			for kind, file := range map[string]string{"sind": sindFile, "awsd": awsdFile, "acled": acledFile} {
				res := importFile(t, s, kind, sharedFile(t, file))
				if res.New != 0 || res.Updated != 0 || res.Unchanged != res.Read {
					t.Errorf("%s again: %+v", kind, res)
				}
			}
			// Versions are kept when superseded: nothing changed, none kept.
			var versions int
			if err := s.DB().QueryRow(`SELECT COUNT(*) FROM incident_versions`).Scan(&versions); err != nil || versions != 0 {
				t.Errorf("%d versions (%v), want none", versions, err)
			}
		})

		t.Run("filters", func(t *testing.T) {
			inRange := func(inc *exportctl.Incident) bool {
				return inc.Country == "PS" && inc.StartDate >= "2023-10-07" && inc.StartDate <= "2023-12-31" && inc.Target == exportctl.TargetHospital
			}
			want := countOf(inRange, items)
			got := all(t, s, officer, exportctl.IncidentFilter{Country: "ps", From: "2023-10-07", To: "2023-12-31", Target: exportctl.TargetHospital})
			if len(got) != want || want < 100 {
				t.Errorf("PS hospitals Oct-Dec 2023: %d, want %d", len(got), want)
			}
			for i := 1; i < len(got); i++ { // newest first
				if got[i].StartDate > got[i-1].StartDate || (got[i].StartDate == got[i-1].StartDate && got[i].ID > got[i-1].ID) {
					t.Fatalf("order: %s/%d after %s/%d", got[i].StartDate, got[i].ID, got[i-1].StartDate, got[i-1].ID)
				}
			}

			gaza := [4]float64{34.2, 31.2, 34.6, 31.6}
			inGaza := func(inc *exportctl.Incident) bool {
				return !inc.Redacted && inc.Latitude != nil && *inc.Longitude >= gaza[0] && *inc.Latitude >= gaza[1] && *inc.Longitude <= gaza[2] && *inc.Latitude <= gaza[3]
			}
			got = all(t, s, officer, exportctl.IncidentFilter{BBox: &gaza})
			if want := countOf(inGaza, items); len(got) != want || want < 100 {
				t.Errorf("bbox Gaza: %d, want %d", len(got), want)
			}

			kyiv := exportctl.Near{Lat: 50.4501, Lon: 30.5234, KM: 10}
			near := func(inc *exportctl.Incident) bool {
				return !inc.Redacted && inc.Latitude != nil && exportctl.DistanceKM(kyiv.Lat, kyiv.Lon, *inc.Latitude, *inc.Longitude) <= kyiv.KM
			}
			got = all(t, s, officer, exportctl.IncidentFilter{Near: &kyiv})
			if want := countOf(near, items); len(got) != want || want == 0 {
				t.Errorf("10 km around Kyiv: %d, want %d", len(got), want)
			}
			for _, inc := range got {
				if d := exportctl.DistanceKM(kyiv.Lat, kyiv.Lon, *inc.Latitude, *inc.Longitude); d > 10 {
					t.Errorf("%v is %.1f km from Kyiv", inc.Sources, d)
				}
			}
			// Paging a radius query keeps the exact filter on every page.
			page, err := s.Incidents(ctx, officer, exportctl.IncidentFilter{Near: &kyiv, Limit: 3})
			if err != nil || len(page.Items) != 3 || page.Total != len(got) || page.Next == nil {
				t.Errorf("near, 3 a page: %v %d items of %d", err, len(page.Items), page.Total)
			}
			counts, err := s.IncidentCounts(ctx, officer, exportctl.IncidentFilter{Near: &kyiv}, "source")
			if err != nil || len(counts) == 0 || counts[0].Count > len(got) {
				t.Errorf("near counts: %v %v", err, counts)
			}

			mentionsAmbulance := func(inc *exportctl.Incident) bool {
				names, _ := inc.Perpetrators()
				place := inc.Place
				if inc.Redacted {
					place = ""
				}
				return hasWordPrefix(inc.Narrative+" "+place+" "+strings.Join(names, "; "), "ambulance")
			}
			if want, n := countOf(mentionsAmbulance, items), total(t, s, officer, exportctl.IncidentFilter{Text: "Ambulance"}); n != want || want < 100 {
				t.Errorf("text ambulance: %d, want %d", n, want)
			}
			both := func(inc *exportctl.Incident) bool {
				return mentionsAmbulance(inc) && hasWordPrefix(inc.Narrative+" "+inc.Place, "gaza") && inc.Country == "PS"
			}
			if want, n := countOf(both, items), total(t, s, officer, exportctl.IncidentFilter{Text: "ambulance gaza", Country: "PS"}); n != want {
				t.Errorf("text ambulance gaza in PS: %d, want %d", n, want)
			}

			plane := func(inc *exportctl.Incident) bool { return inc.PrimaryLaunch() == exportctl.LaunchAirPlane }
			if want, n := countOf(plane, items), total(t, s, officer, exportctl.IncidentFilter{Launch: exportctl.LaunchAirPlane}); n != want || want < 200 {
				t.Errorf("launch air_plane: %d, want %d", n, want)
			}
			psPlane := func(inc *exportctl.Incident) bool {
				return plane(inc) && inc.Country == "PS" && inc.Sources[0].Source == "sind-health"
			}
			if want, n := countOf(psPlane, items), total(t, s, officer, exportctl.IncidentFilter{Launch: exportctl.LaunchAirPlane, Country: "PS", Source: "sind-health"}); n != want {
				t.Errorf("PS air_plane: %d, want %d", n, want)
			}
			air := func(inc *exportctl.Incident) bool { return exportctl.Airborne(inc.PrimaryLaunch()) }
			if want, n := countOf(air, items), total(t, s, officer, exportctl.IncidentFilter{Launch: "air"}); n != want {
				t.Errorf("launch air: %d, want %d", n, want)
			}
			partly := func(inc *exportctl.Incident) bool { return inc.Verification == exportctl.VerificationPartly }
			if want, n := countOf(partly, items), total(t, s, officer, exportctl.IncidentFilter{Verification: exportctl.VerificationPartly}); n != want || want == 0 {
				t.Errorf("partly verified: %d, want %d", n, want)
			}
			idf := func(inc *exportctl.Incident) bool {
				names, forces := inc.Perpetrators()
				return strings.Contains(strings.ToLower(strings.Join(names, "; ")+" "+strings.Join(forces, "; ")), "israel")
			}
			if want, n := countOf(idf, items), total(t, s, officer, exportctl.IncidentFilter{Actor: "ISRAEL"}); n != want || want < 100 {
				t.Errorf("actor israel: %d, want %d", n, want)
			}
			firearms := func(inc *exportctl.Incident) bool {
				return slices.ContainsFunc(inc.Weapons, func(w exportctl.IncidentWeapon) bool { return strings.Contains(strings.ToLower(w.Reported), "firearm") })
			}
			if want, n := countOf(firearms, items), total(t, s, officer, exportctl.IncidentFilter{Weapon: "firearm"}); n != want || want < 100 {
				t.Errorf("weapon firearm: %d, want %d", n, want)
			}
			kharkiv := func(inc *exportctl.Incident) bool {
				return inc.Country == "UA" && strings.EqualFold(inc.Admin1, "kharkiv")
			}
			if want, n := countOf(kharkiv, items), total(t, s, officer, exportctl.IncidentFilter{Country: "UA", Admin1: "KHARKIV"}); n != want || want == 0 {
				t.Errorf("admin1 Kharkiv: %d, want %d", n, want)
			}
			for _, bad := range []struct {
				f     exportctl.IncidentFilter
				field string
			}{
				{exportctl.IncidentFilter{Country: "XX"}, "country"},
				{exportctl.IncidentFilter{From: "2023-13-01"}, "from"},
				{exportctl.IncidentFilter{BBox: &[4]float64{34, 31, 33, 32}}, "bbox"},
				{exportctl.IncidentFilter{Near: &exportctl.Near{Lat: 95, Lon: 0, KM: 1}}, "near"},
				{exportctl.IncidentFilter{Launch: "catapult"}, "launch"},
				{exportctl.IncidentFilter{Target: "castle"}, "target"},
				{exportctl.IncidentFilter{Verification: "sure"}, "verification"},
				{exportctl.IncidentFilter{Cursor: "nonsense"}, "cursor"},
			} {
				_, err := s.Incidents(ctx, officer, bad.f)
				if exportctl.ErrorCode(err) != exportctl.EInvalid || exportctl.ErrorField(err) != bad.field {
					t.Errorf("%+v: %v, want invalid %s", bad.f, err, bad.field)
				}
			}
		})

		t.Run("redaction", func(t *testing.T) {
			ps := all(t, s, officer, exportctl.IncidentFilter{Source: "awsd", Country: "PS"})
			if len(ps) != 511 {
				t.Fatalf("AWSD PS: %d", len(ps))
			}
			for _, inc := range ps {
				if !inc.Redacted || inc.Latitude != nil || inc.Longitude != nil || inc.Place != "" || inc.Admin2 != "" || inc.Admin3 != "" {
					t.Fatalf("AWSD PS %v not redacted: %+v", inc.Sources, inc)
				}
				for _, k := range []string{"Latitude", "Longitude", "City", "District"} {
					if _, ok := inc.Original[k]; ok {
						t.Fatalf("AWSD PS %v: Original keeps %s", inc.Sources, k)
					}
				}
			}
			// 4664 (line 4811) has an admin2 (Northern Gaza) in the source.
			page, err := s.Incidents(ctx, officer, exportctl.IncidentFilter{Source: "awsd", SourceID: "4664"})
			if err != nil || page.Total != 1 {
				t.Fatal(err, page.Total)
			}
			id := page.Items[0].ID
			for _, a := range []exportctl.Actor{officer, {}} {
				inc, err := s.Incident(ctx, a, id)
				if err != nil || inc.Admin2 != "" || inc.Admin1 != "Gaza Strip" || inc.Latitude != nil {
					t.Errorf("4664 as %q: %v %+v", a.Role, err, inc)
				}
			}
			rec, err := s.IncidentRecord(ctx, officer, id)
			if err != nil || rec.Admin2 != "" || len(rec.Versions) != 1 {
				t.Errorf("record: %v %+v", err, rec)
			}
			vs, err := s.IncidentVersions(ctx, officer, id)
			if err != nil || len(vs) != 1 || vs[0].Incident == nil || vs[0].Incident.Admin2 != "" || vs[0].Incident.Narrative == "" {
				t.Errorf("versions: %v %+v", err, vs)
			}
			// No box or radius finds a redacted incident, however large.
			whole := [4]float64{-180, -90, 180, 90}
			if n := total(t, s, officer, exportctl.IncidentFilter{Source: "awsd", Country: "PS", BBox: &whole}); n != 0 {
				t.Errorf("bbox found %d redacted incidents", n)
			}
			if n := total(t, s, officer, exportctl.IncidentFilter{Source: "awsd", Country: "PS", Near: &exportctl.Near{Lat: 31.5, Lon: 34.45, KM: 20000}}); n != 0 {
				t.Errorf("radius found %d redacted incidents", n)
			}
			// An analyst's redacted incident: stored precisely, never shown so.
			analyst := newAnalyst(t, s, "analyst-redact")
			lat, lon := 31.52, 34.45
			inc, err := s.CreateIncident(ctx, analyst, exportctl.Incident{StartDate: "2024-02-01", Country: "PS", Admin1: "Gaza Strip", Admin2: "Gaza City",
				Place: "Qwertzuiop clinic", Latitude: &lat, Longitude: &lon, Redacted: true, Target: exportctl.TargetHospital,
				Narrative: "A clinic was hit.", Original: map[string]string{"lat": "31.52", "note": "witness"}})
			if err != nil {
				t.Fatal(err)
			}
			if inc.Latitude != nil || inc.Place != "" || inc.Admin2 != "" || inc.Original["lat"] != "" || inc.Original["note"] != "witness" {
				t.Errorf("created redacted incident shown as %+v", inc)
			}
			if n := total(t, s, officer, exportctl.IncidentFilter{Text: "qwertzuiop"}); n != 0 {
				t.Errorf("a search by the withheld place found %d", n)
			}
			if n := total(t, s, officer, exportctl.IncidentFilter{Text: "clinic hit", Country: "PS", From: "2024-02-01"}); n != 1 {
				t.Errorf("a search by the narrative found %d", n)
			}
		})

		t.Run("who reads", func(t *testing.T) {
			public := exportctl.Actor{}
			publishable := countOf(func(inc *exportctl.Incident) bool { return inc.Publishable }, items)
			if n := total(t, s, public, exportctl.IncidentFilter{Source: "sind-health"}) + total(t, s, public, exportctl.IncidentFilter{Source: "awsd"}) +
				total(t, s, public, exportctl.IncidentFilter{Source: "acled"}); n != publishable || publishable != 8852+4946 {
				t.Errorf("public sees %d, want %d", n, publishable)
			}
			if n := total(t, s, public, exportctl.IncidentFilter{Source: "acled"}); n != 0 {
				t.Errorf("public sees %d ACLED incidents", n)
			}
			page, _ := s.Incidents(ctx, officer, exportctl.IncidentFilter{Source: "acled", Limit: 1})
			if _, err := s.Incident(ctx, public, page.Items[0].ID); exportctl.ErrorCode(err) != exportctl.ENotFound {
				t.Errorf("public reads an ACLED incident: %v", err)
			}
			if _, err := s.IncidentVersions(ctx, public, page.Items[0].ID); exportctl.ErrorCode(err) != exportctl.ENotFound {
				t.Errorf("public reads versions: %v", err)
			}
			exporter := exportctl.Actor{Username: "exp", Role: exportctl.RoleExporter, OrgID: 1}
			if _, err := s.Incidents(ctx, exporter, exportctl.IncidentFilter{}); exportctl.ErrorCode(err) != exportctl.EForbidden {
				t.Errorf("exporter lists: %v", err)
			}
			if _, err := s.Incident(ctx, exporter, page.Items[0].ID); exportctl.ErrorCode(err) != exportctl.EForbidden {
				t.Errorf("exporter reads: %v", err)
			}
			if _, err := s.IncidentCounts(ctx, exporter, exportctl.IncidentFilter{}, "country"); exportctl.ErrorCode(err) != exportctl.EForbidden {
				t.Errorf("exporter counts: %v", err)
			}
			for _, r := range []exportctl.Role{exportctl.RoleCaseOfficer, exportctl.RoleAdviser, exportctl.RoleSeniorOfficial, exportctl.RoleDecisionMaker,
				exportctl.RoleOversight, exportctl.RoleAnalyst, exportctl.RoleAdmin, exportctl.RoleConcernsHandler} {
				if n := total(t, s, exportctl.Actor{Username: "x", Role: r}, exportctl.IncidentFilter{Source: "acled"}); n != 326 {
					t.Errorf("%s sees %d ACLED incidents", r, n)
				}
			}
		})

		t.Run("relevant incidents", func(t *testing.T) {
			cutoff := time.Date(2023, 12, 31, 0, 0, 0, 0, time.UTC)
			n, err := s.RelevantIncidents(ctx, "IL", "Israeli Air Force", cutoff)
			if err != nil {
				t.Fatal(err)
			}
			// Every SiND or AWSD incident whose state-forces perpetrator
			// names Israel is relevant to Israel.
			israeli := func(inc *exportctl.Incident) bool {
				if inc.StartDate > "2023-12-31" {
					return false
				}
				return slices.ContainsFunc(inc.Actors, func(a exportctl.IncidentActor) bool {
					name := strings.ToLower(a.Name + " " + a.Force)
					return a.Role == "perpetrator" && (a.Type == 1 || a.Type == 8) && (strings.Contains(name, "israel") || strings.Contains(name, "idf"))
				})
			}
			if min := countOf(israeli, items); n < min || min < 500 {
				t.Errorf("relevant to IL: %d, want at least %d", n, min)
			}
			earlier, _ := s.RelevantIncidents(ctx, "IL", "", time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC))
			if earlier >= n {
				t.Errorf("an earlier cutoff gives %d >= %d", earlier, n)
			}
			if n, err := s.RelevantIncidents(ctx, "IS", "Landhelgisgæslan", time.Time{}); err != nil || n != 0 {
				t.Errorf("relevant to Iceland: %d %v", n, err)
			}
			if n, _ := s.RelevantIncidents(ctx, "RU", "", cutoff); n < 100 {
				t.Errorf("relevant to RU: %d", n)
			}
		})
	})
}

func TestImportUpdatesAndKeepsHistory(t *testing.T) {
	path := sharedFile(t, acledFile)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	changed := filepath.Join(t.TempDir(), "acled-changed.csv")
	const before, after = "On 13 June 2022, in Presidencia", "On 13 June 2022 (corrected), in Presidencia"
	if !strings.Contains(string(data), before) {
		t.Fatal("ARG10475's notes not found")
	}
	os.WriteFile(changed, []byte(strings.Replace(string(data), before, after, 1)), 0o644)
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		analyst := newAnalyst(t, s, "analyst1")
		importFile(t, s, "acled", path)
		page, err := s.Incidents(ctx, analyst, exportctl.IncidentFilter{Source: "acled", SourceID: "ARG10475"})
		if err != nil || page.Total != 1 {
			t.Fatal(err, page.Total)
		}
		id := page.Items[0].ID
		// An analyst's decisions survive a newer version of the record.
		if _, err := s.SetPublishable(ctx, analyst, id, true); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SetClassification(ctx, analyst, id, exportctl.ClassificationInput{Code: "8(2)(e)(i)", Status: "alleged"}); err != nil {
			t.Fatal(err)
		}
		res, err := s.ImportIncidents(ctx, analyst, "acled", "acled-changed.csv", reader(t, "acled", changed, nil), nil)
		if err != nil || res.Read != 326 || res.New != 0 || res.Updated != 1 || res.Unchanged != 325 {
			t.Fatalf("changed file: %v %+v", err, res)
		}
		inc, err := s.Incident(ctx, analyst, id)
		if err != nil || !strings.HasPrefix(inc.Narrative, after) || !inc.Publishable || len(inc.Classifications) != 1 ||
			inc.Classifications[0].By != "analyst1" || inc.Original["notes"] == "" || !strings.HasPrefix(inc.Original["notes"], after) {
			t.Errorf("after the update: %v %+v", err, inc)
		}
		vs, err := s.IncidentVersions(ctx, analyst, id)
		if err != nil || len(vs) != 4 {
			t.Fatalf("versions: %v %d", err, len(vs))
		}
		if !strings.HasPrefix(vs[0].Incident.Narrative, before) || vs[0].Source != "acled" || vs[0].File != "acled-sample-2022.csv" ||
			vs[1].Source != "analyst" || !vs[1].Incident.Publishable || vs[2].Source != "analyst" || len(vs[2].Incident.Classifications) != 1 ||
			!strings.HasPrefix(vs[3].Incident.Narrative, after) || vs[3].File != "acled-changed.csv" || vs[3].Version != 4 || vs[3].RowHash == vs[0].RowHash {
			t.Errorf("versions = %+v", vs)
		}
		if n := total(t, s, analyst, exportctl.IncidentFilter{Text: "corrected"}); n != 1 {
			t.Errorf("search for the new word: %d", n)
		}
		// The original file again is another newer version, and the
		// full text index follows.
		res = importFile(t, s, "acled", path)
		if res.Updated != 1 || res.Unchanged != 325 {
			t.Errorf("back to the original: %+v", res)
		}
		if n := total(t, s, analyst, exportctl.IncidentFilter{Text: "corrected"}); n != 0 {
			t.Errorf("search for the removed word: %d", n)
		}
		var events int
		s.DB().QueryRow(`SELECT COUNT(*) FROM audit_events WHERE action = 'incidents.import'`).Scan(&events)
		if events != 3 {
			t.Errorf("%d import audit events, want one per batch (3)", events)
		}
	})
}

func TestImportCrashLeavesWholeBatches(t *testing.T) {
	path := sharedFile(t, sindFile)
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		c, cancel := context.WithCancel(ctx)
		defer cancel()
		var seen []int
		_, err := s.ImportIncidents(c, exportctl.System, "sind", filepath.Base(path), reader(t, "sind", path, nil), func(n int, _ string) {
			seen = append(seen, n)
			cancel() // the "crash", after the first batch committed
		})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("import after a cancel: %v", err)
		}
		var incidents, sources, versions int
		db := s.DB()
		db.QueryRow(`SELECT COUNT(*) FROM incidents`).Scan(&incidents)
		db.QueryRow(`SELECT COUNT(*) FROM incident_sources`).Scan(&sources)
		db.QueryRow(`SELECT COUNT(*) FROM incident_versions`).Scan(&versions)
		if !slices.Equal(seen, []int{store.ImportBatchSize}) || incidents != store.ImportBatchSize || sources != incidents || versions != 0 {
			t.Fatalf("after the crash: progress %v, %d incidents, %d sources, %d versions", seen, incidents, sources, versions)
		}
		var rejects []importer.RowError
		res, err := s.ImportIncidents(ctx, exportctl.System, "sind", filepath.Base(path), reader(t, "sind", path, &rejects), nil)
		if err != nil || res.Read != 8852 || res.New != 8852-store.ImportBatchSize || res.Unchanged != store.ImportBatchSize || len(rejects) != 10 {
			t.Fatalf("re-run: %v %+v, %d rejects", err, res, len(rejects))
		}
		db.QueryRow(`SELECT COUNT(*) FROM incidents`).Scan(&incidents)
		if incidents != 8852 {
			t.Errorf("%d incidents after the re-run", incidents)
		}
	})
}

func TestIncidentCommands(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		analyst := newAnalyst(t, s, "analyst1")
		lat, lon := 50.45, 30.52
		in := exportctl.Incident{StartDate: "2024-03-02", EndDate: "2024-03-03", Country: "ua", Admin1: "Kyiv City", Place: "Kyiv",
			Latitude: &lat, Longitude: &lon, GeoPrecision: 1, Target: exportctl.TargetHospital, Damage: "destroyed",
			Harm:            exportctl.Harm{Killed: 2, Injured: 5, HealthWorkers: 1},
			Actors:          []exportctl.IncidentActor{{Role: "perpetrator", Type: 8, Name: "Armed Forces of the Russian Federation", Basis: "official_claim", Confidence: 0.8}},
			Weapons:         []exportctl.IncidentWeapon{{Reported: "Missile", Launch: exportctl.LaunchAirPlane, Basis: "remnant", Markings: "lot 12"}},
			Classifications: []exportctl.Classification{{Code: "8(2)(b)(ix)", Status: "alleged"}},
			Narrative:       "A missile struck a children's hospital."}
		for _, a := range []exportctl.Actor{{Username: "o", Role: exportctl.RoleCaseOfficer}, {Username: "adm", Role: exportctl.RoleAdmin},
			{Username: "e", Role: exportctl.RoleExporter, OrgID: 1}, {}} {
			if _, err := s.CreateIncident(ctx, a, in); exportctl.ErrorCode(err) != exportctl.EForbidden {
				t.Errorf("%q creates: %v", a.Role, err)
			}
			if _, err := s.ImportIncidents(ctx, a, "acled", "x.csv", func(func(exportctl.Incident, int) error) error { return nil }, nil); a.Role != exportctl.RoleAdmin && exportctl.ErrorCode(err) != exportctl.EForbidden {
				t.Errorf("%q imports: %v", a.Role, err)
			}
		}
		inc, err := s.CreateIncident(ctx, analyst, in)
		if err != nil {
			t.Fatal(err)
		}
		if inc.Country != "UA" || inc.Sources[0] != (exportctl.SourceID{Source: "manual", ID: "MAN-1"}) || inc.Verification != exportctl.VerificationUnverified ||
			inc.Classifications[0].By != "analyst1" || inc.Publishable || *inc.Latitude != lat || inc.CreatedAt.IsZero() {
			t.Errorf("created %+v", inc)
		}
		if n := total(t, s, analyst, exportctl.IncidentFilter{Classification: "8(2)(b)(ix)"}); n != 1 {
			t.Errorf("classification exact: %d", n)
		}
		if n := total(t, s, analyst, exportctl.IncidentFilter{Classification: "8(2)(b)(i)"}); n != 0 {
			t.Errorf("8(2)(b)(i) matches 8(2)(b)(ix): %d", n)
		}
		if n := total(t, s, analyst, exportctl.IncidentFilter{Classification: "8(2)(b)"}); n != 1 {
			t.Errorf("classification prefix: %d", n)
		}
		if n := total(t, s, analyst, exportctl.IncidentFilter{Actor: "russian", Launch: exportctl.LaunchAirPlane, Weapon: "missile", Target: "hospital", Text: "children"}); n != 1 {
			t.Errorf("filters together: %d", n)
		}
		if n, _ := s.RelevantIncidents(ctx, "RU", "", time.Time{}); n != 1 {
			t.Errorf("relevant to RU: %d", n)
		}
		if n, _ := s.RelevantIncidents(ctx, "UA", "", time.Time{}); n != 0 {
			t.Errorf("relevant to UA (a Russian strike in Ukraine): %d", n)
		}
		if n, _ := s.RelevantIncidents(ctx, "RU", "", time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)); n != 0 {
			t.Errorf("relevant to RU before the incident: %d", n)
		}
		second, err := s.CreateIncident(ctx, analyst, exportctl.Incident{StartDate: "2024-03-01", Country: "GB", Target: "other_civilian"})
		if err != nil || second.Sources[0].ID != "MAN-2" || second.Latitude != nil {
			t.Fatalf("second: %v %+v", err, second)
		}

		// Bad input names every bad field.
		bad := in
		bad.StartDate, bad.EndDate = "2024-03-05", "2024-03-01"
		bad.Country = "XX"
		bad.Latitude = nil
		bad.Target = "castle"
		bad.Actors = []exportctl.IncidentActor{{Role: "bystander", Name: "x", Confidence: 2}}
		bad.Classifications = []exportctl.Classification{{Code: "8(9)", Status: "proven"}}
		_, err = s.CreateIncident(ctx, analyst, bad)
		var ve *exportctl.ValidationError
		if !errors.As(err, &ve) {
			t.Fatalf("bad incident: %v", err)
		}
		var fields []string
		for _, e := range ve.Errors {
			fields = append(fields, e.Field)
		}
		for _, want := range []string{"country", "end_date", "latitude", "target_category", "actors[0].role", "actors[0].confidence", "classifications[0].code", "classifications[0].status"} {
			if !slices.Contains(fields, want) {
				t.Errorf("no error for %s in %v", want, fields)
			}
		}

		// Verification, sources and custody, classification, publication.
		step, err := s.AddVerificationStep(ctx, analyst, inc.ID, exportctl.VerificationStepInput{Step: "technical", Confidence: 0.7, Note: "geolocated", State: "partly_verified"})
		if err != nil || step.ID == 0 || step.Analyst != "analyst1" {
			t.Fatalf("step: %v %+v", err, step)
		}
		if _, err := s.AddVerificationStep(ctx, analyst, inc.ID, exportctl.VerificationStepInput{Step: "hunch"}); exportctl.ErrorField(err) != "step" {
			t.Errorf("bad step: %v", err)
		}
		if _, err := s.AddVerificationStep(ctx, analyst, 999999, exportctl.VerificationStepInput{Step: "source"}); exportctl.ErrorCode(err) != exportctl.ENotFound {
			t.Errorf("step on no incident: %v", err)
		}
		src, err := s.AddEvidenceSource(ctx, analyst, inc.ID, exportctl.EvidenceSourceInput{Publisher: "Example News", URL: "https://example.org/a",
			CapturedAt: "2024-03-02T10:00:00Z", SHA256: strings.Repeat("AB", 32)})
		if err != nil || src.SHA256 != strings.Repeat("ab", 32) || len(src.Custody) != 1 || src.Custody[0].Action != "captured" {
			t.Fatalf("source: %v %+v", err, src)
		}
		if _, err := s.AddEvidenceSource(ctx, analyst, inc.ID, exportctl.EvidenceSourceInput{Publisher: "x", URL: "ftp://x", CapturedAt: "yesterday"}); exportctl.ErrorField(err) != "url" {
			t.Errorf("bad source: %v", err)
		}
		if _, err := s.AddCustodyEvent(ctx, analyst, inc.ID, src.ID, exportctl.CustodyEventInput{Action: "copied", Note: "working copy for analysis"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddCustodyEvent(ctx, analyst, second.ID, src.ID, exportctl.CustodyEventInput{Action: "copied"}); exportctl.ErrorCode(err) != exportctl.ENotFound {
			t.Errorf("custody through another incident: %v", err)
		}
		if _, err := s.SetClassification(ctx, analyst, inc.ID, exportctl.ClassificationInput{Code: "8(2)(b)(ix)", Status: "assessed"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SetClassification(ctx, analyst, inc.ID, exportctl.ClassificationInput{Code: "8(2)(z)", Status: "assessed"}); exportctl.ErrorField(err) != "code" {
			t.Errorf("bad classification: %v", err)
		}
		officer := exportctl.Actor{Username: "o", Role: exportctl.RoleCaseOfficer}
		if _, err := s.SetPublishable(ctx, officer, inc.ID, true); exportctl.ErrorCode(err) != exportctl.EForbidden {
			t.Errorf("officer publishes: %v", err)
		}
		if _, err := s.IncidentRecord(ctx, exportctl.Actor{}, inc.ID); exportctl.ErrorCode(err) != exportctl.ENotFound {
			t.Errorf("public reads an unpublished incident: %v", err)
		}
		if _, err := s.SetPublishable(ctx, analyst, inc.ID, true); err != nil {
			t.Fatal(err)
		}
		rec, err := s.IncidentRecord(ctx, officer, inc.ID)
		if err != nil {
			t.Fatal(err)
		}
		if rec.Verification != "partly_verified" || !rec.Publishable || len(rec.Classifications) != 2 || rec.Classifications[1].Status != "assessed" ||
			len(rec.VerificationSteps) != 1 || len(rec.EvidenceSources) != 1 || len(rec.EvidenceSources[0].Custody) != 2 ||
			rec.EvidenceSources[0].Custody[1].Note != "working copy for analysis" || len(rec.Versions) != 4 || rec.Versions[3].Incident != nil {
			t.Errorf("record = %+v", rec)
		}
		pub, err := s.IncidentRecord(ctx, exportctl.Actor{}, inc.ID)
		if err != nil || len(pub.EvidenceSources) != 0 || len(pub.VerificationSteps) != 0 || len(pub.Versions) != 0 || pub.Narrative == "" {
			t.Errorf("public record: %v %+v", err, pub)
		}
		// The record tables refuse rewriting.
		for _, q := range []string{`UPDATE custody_events SET note = 'x'`, `DELETE FROM verification_steps`, `DELETE FROM incident_versions`,
			`UPDATE evidence_sources SET url = 'x'`, `DELETE FROM incidents`, `DELETE FROM incident_sources`} {
			if _, err := s.DB().Exec(q); err == nil {
				t.Errorf("%s succeeded", q)
			}
		}
		var audits int
		s.DB().QueryRow(`SELECT COUNT(*) FROM audit_events WHERE subject_type = 'incident' AND subject_id = $1`, inc.ID).Scan(&audits)
		if audits != 6 { // create, step, source, custody, classify, publish
			t.Errorf("%d audit events for the incident", audits)
		}
	})
}

// TestMapBoxCellEdges puts incidents on the edges of the half-degree cells
// that map boxes are looked up by (migration 00018) and at the ends of the
// map: each engine's generated cell must agree with the one the query
// computes, or a tiny box around the place would miss it.
func TestMapBoxCellEdges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		analyst := newAnalyst(t, s, "analyst1")
		places := [][2]float64{{31.5, 34.5}, {31.49999, 34.49999}, {0, 0}, {-0.5, -0.5}, {-0.25, -179.75}, {-90, -180}, {90, 180}, {-33.86, 151.2}}
		for i, p := range places {
			lat, lon := p[0], p[1]
			if _, err := s.CreateIncident(ctx, analyst, exportctl.Incident{StartDate: "2024-03-01", Country: "GB", Target: "other_civilian",
				Latitude: &lat, Longitude: &lon, GeoPrecision: 1, Narrative: "place " + strconv.Itoa(i)}); err != nil {
				t.Fatal(err)
			}
		}
		for _, p := range places {
			const d = 1e-6
			box := [4]float64{max(p[1]-d, -180), max(p[0]-d, -90), min(p[1]+d, 180), min(p[0]+d, 90)}
			if n := total(t, s, analyst, exportctl.IncidentFilter{BBox: &box}); n != 1 {
				t.Errorf("box around %v: %d incidents, want 1", p, n)
			}
		}
		whole := [4]float64{-180, -90, 180, 90}
		if n := total(t, s, analyst, exportctl.IncidentFilter{BBox: &whole}); n != len(places) {
			t.Errorf("whole map: %d incidents, want %d", n, len(places))
		}
	})
}
