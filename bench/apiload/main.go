// Command apiload measures GET /api/v1/applications/{id} under concurrent
// clients against a real server on loopback, on a database of many
// applications (issue 2: 50 clients, 100,000 applications, p99 under 20 ms
// on SQLite).
//
//	go run ./bench/apiload -apps 100000 -clients 50 -duration 30s
//
// The first 1,000 applications go through the service layer; the rest are
// copies made with INSERT ... SELECT, so seeding takes seconds while every
// row has the same shape and indexes as real ones.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"sync"
	"time"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/store"
	"github.com/exportctl/exportctl/internal/web"
)

func main() {
	apps := flag.Int("apps", 100000, "applications in the database")
	clients := flag.Int("clients", 50, "concurrent clients")
	duration := flag.Duration("duration", 30*time.Second, "how long to load the server")
	dsn := flag.String("db", "", "database (default: a fresh SQLite file in a temp dir)")
	driver := flag.String("driver", "go", "load generator: go (in-process clients) or wrk (a separate process; fairer on 2 cores)")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the load phase to this file")
	flag.Parse()
	ctx := context.Background()
	if *dsn == "" {
		dir, err := os.MkdirTemp("", "apiload-")
		if err != nil {
			log.Fatal(err)
		}
		defer os.RemoveAll(dir)
		*dsn = filepath.Join(dir, "load.db")
	}
	s, err := store.Open(ctx, *dsn, store.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	token, ids, err := seed(ctx, s, *apps)
	if err != nil {
		log.Fatal(err)
	}
	srv, err := web.New(s, web.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		log.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	go http.Serve(ln, srv.Handler())
	base := "http://" + ln.Addr().String()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			log.Fatal(err)
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	if *driver == "wrk" {
		if err := runWrk(base, token, ids, *clients, *duration); err != nil {
			log.Print(err)
		}
		return
	}

	transport := &http.Transport{MaxIdleConnsPerHost: *clients}
	client := &http.Client{Transport: transport, Timeout: 10 * time.Second}
	deadline := time.Now().Add(*duration)
	var mu sync.Mutex
	var latencies []time.Duration
	var failures int
	var wg sync.WaitGroup
	for range *clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			bad := 0
			for time.Now().Before(deadline) {
				id := ids[rand.IntN(len(ids))]
				req, _ := http.NewRequest("GET", fmt.Sprintf("%s/api/v1/applications/%d", base, id), nil)
				req.Header.Set("Authorization", "Bearer "+token)
				start := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					bad++
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				mine = append(mine, time.Since(start))
				if resp.StatusCode != 200 {
					bad++
				}
			}
			mu.Lock()
			latencies = append(latencies, mine...)
			failures += bad
			mu.Unlock()
		}()
	}
	wg.Wait()
	slices.Sort(latencies)
	pct := func(p float64) time.Duration { return latencies[int(float64(len(latencies)-1)*p)] }
	fmt.Printf("engine=%s apps=%d clients=%d duration=%s requests=%d failures=%d rps=%.0f p50=%s p90=%s p99=%s max=%s\n",
		s.Engine(), len(ids), *clients, *duration, len(latencies), failures, float64(len(latencies))/duration.Seconds(),
		pct(0.50).Round(10*time.Microsecond), pct(0.90).Round(10*time.Microsecond), pct(0.99).Round(10*time.Microsecond), latencies[len(latencies)-1].Round(10*time.Microsecond))
}

// runWrk drives the server with wrk, asking for random application ids.
func runWrk(base, token string, ids []int64, clients int, d time.Duration) error {
	script, err := os.CreateTemp("", "apiload-*.lua")
	if err != nil {
		return err
	}
	defer os.Remove(script.Name())
	fmt.Fprintf(script, `math.randomseed(os.time())
request = function()
  local id = math.random(%d, %d)
  return wrk.format("GET", "/api/v1/applications/" .. id, {["Authorization"] = "Bearer %s"})
end
`, slices.Min(ids), slices.Max(ids), token)
	script.Close()
	cmd := exec.Command("wrk", "-t2", fmt.Sprintf("-c%d", clients), fmt.Sprintf("-d%ds", int(d.Seconds())), "--latency", "-s", script.Name(), base)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	return cmd.Run()
}

// seed creates an officer and n applications, returning the officer's token and the ids.
func seed(ctx context.Context, s *store.Store, n int) (string, []int64, error) {
	sys := exportctl.System
	org, err := s.CreateOrganisation(ctx, sys, "Load Test Aerospace Ltd", "exporter")
	if err != nil {
		return "", nil, err
	}
	exp, _, err := s.CreateUser(ctx, sys, exportctl.UserInput{Username: "loadexporter", Role: exportctl.RoleExporter, OrgID: org.ID})
	if err != nil {
		return "", nil, err
	}
	_, token, err := s.CreateUser(ctx, sys, exportctl.UserInput{Username: "loadofficer", Role: exportctl.RoleCaseOfficer})
	if err != nil {
		return "", nil, err
	}
	v := 185000.0
	in := exportctl.ApplicationInput{LicenceType: "SIEL", ExportType: "permanent", EndUse: "Spares",
		Goods: []exportctl.GoodInput{
			{Description: "Hydraulic actuators", Rating: "ML10a", Quantity: 40, ValueGBP: &v, ComponentOf: "F-16"},
			{Description: "Display units", Rating: "ML10b", Quantity: 4, ValueGBP: &v},
			{Description: "Manuals", Rating: "ML22a", Quantity: 1, ValueGBP: &v},
		},
		Parties: []exportctl.PartyInput{{Role: "end_user", Name: "Example Air Force", Country: "IL"}, {Role: "consignee", Name: "Example Ltd", Country: "IL"}, {Role: "third_party", Name: "Agent", Country: "NL"}}}
	first := min(n, 1000)
	start := time.Now()
	for range first {
		if _, err := s.CreateApplication(ctx, exportctl.ActorOf(*exp), in); err != nil {
			return "", nil, err
		}
	}
	fmt.Fprintf(os.Stderr, "seeded %d applications through the service in %s\n", first, time.Since(start).Round(time.Millisecond))
	db := s.DB()
	for copied := first; copied < n; {
		batch := min(first, n-copied)
		// Copy the first `batch` applications with new references, then their goods and parties.
		var maxID int64
		db.QueryRowContext(ctx, `SELECT MAX(id) FROM applications`).Scan(&maxID)
		if _, err := db.ExecContext(ctx, `INSERT INTO applications (reference, org_id, licence_type, export_type, end_use, status, outcome, destination, end_user_name, goods_summary, total_value_pence, created_by, created_at)
			SELECT 'LOAD/' || (id + $1), org_id, licence_type, export_type, end_use, status, outcome, destination, end_user_name, goods_summary, total_value_pence, created_by, created_at
			FROM applications WHERE id <= $2`, maxID, batch); err != nil {
			return "", nil, err
		}
		if _, err := db.ExecContext(ctx, `INSERT INTO goods (application_id, description, rating, quantity, unit, value_pence, component_of, created_at)
			SELECT application_id + $1, description, rating, quantity, unit, value_pence, component_of, created_at FROM goods WHERE application_id <= $2`, maxID, batch); err != nil {
			return "", nil, err
		}
		if _, err := db.ExecContext(ctx, `INSERT INTO parties (application_id, role, name, address, country, type, description, created_at)
			SELECT application_id + $1, role, name, address, country, type, description, created_at FROM parties WHERE application_id <= $2`, maxID, batch); err != nil {
			return "", nil, err
		}
		copied += batch
	}
	rows, err := db.QueryContext(ctx, `SELECT id FROM applications`)
	if err != nil {
		return "", nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		ids = append(ids, id)
	}
	fmt.Fprintf(os.Stderr, "database holds %d applications\n", len(ids))
	return token, ids, rows.Err()
}
