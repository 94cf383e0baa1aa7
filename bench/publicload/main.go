// Command publicload measures the public pages under load from wrk on
// loopback: the register (searches), a decision page with its log proofs,
// the statistics page and a CSV download, the API and the checkpoint. The
// database holds the demo scenario (decisions in the transparency log) and
// CAAT's 96,311 real UK decisions of 2008-2015.
//
//	EXPORTCTL_SHARED_DATA=../shared/data go run ./bench/publicload -clients 50 -duration 20s
//	go run ./bench/publicload -db 'postgres://...' -servers 2 -clients 50 -duration 20s
//
// With -servers 2 (PostgreSQL) two servers, each with its own store, serve
// one database; one wrk process drives each with half the connections.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/demo"
	"github.com/exportctl/exportctl/internal/importer"
	"github.com/exportctl/exportctl/internal/store"
	"github.com/exportctl/exportctl/internal/web"
)

func main() {
	dsn := flag.String("db", "", "an empty database (default: a fresh SQLite file in a temp dir)")
	servers := flag.Int("servers", 1, "servers on the one database (more than one needs PostgreSQL)")
	clients := flag.Int("clients", 50, "wrk connections in all")
	duration := flag.Duration("duration", 20*time.Second, "how long to load the servers")
	caat := flag.String("caat", filepath.Join(os.Getenv("EXPORTCTL_SHARED_DATA"), "caat-uk", "values-2008-2015.csv"), "CAAT's values file")
	flag.Parse()
	ctx := context.Background()
	if *dsn == "" {
		dir, err := os.MkdirTemp("", "publicload-")
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
	start := time.Now()
	if _, err := demo.Seed(ctx, s); err != nil {
		log.Fatal(err)
	}
	f, err := os.Open(*caat)
	if err != nil {
		log.Fatalf("%v (set EXPORTCTL_SHARED_DATA or -caat)", err)
	}
	b, err := importer.CAATValues(f)
	f.Close()
	if err != nil {
		log.Fatal(err)
	}
	if _, err := s.ImportHistorical(ctx, exportctl.System, "values-2008-2015.csv", func(yield func(exportctl.HistoricalDecision) bool) {
		for _, d := range b.Items {
			if !yield(d) {
				return
			}
		}
	}); err != nil {
		log.Fatal(err)
	}
	if _, err := s.PublishStatistics(ctx, exportctl.System, "2014"); err != nil {
		log.Fatal(err)
	}
	page, err := s.Register(ctx, exportctl.RegisterFilter{Historical: "exclude", Outcome: "suspended", Limit: 1})
	if err != nil || len(page.Items) == 0 {
		log.Fatalf("no suspended licence in the demo: %v", err)
	}
	all, _ := s.Register(ctx, exportctl.RegisterFilter{})
	fmt.Fprintf(os.Stderr, "seeded %d register entries in %s\n", all.Total, time.Since(start).Round(time.Millisecond))

	paths := []string{
		"/public/register",
		"/public/register?destination=IL",
		"/public/register?q=aircraft&from=2014-01-01&to=2014-12-31",
		"/public/register?rating=ML4&outcome=refused",
		"/api/v1/public/register?destination=SA&min_value_gbp=100000",
		"/public/decisions/" + page.Items[0].Reference,
		"/public/statistics?period=2014",
		"/public/statistics/2014/destinations.csv",
		"/log/checkpoint",
	}
	var bases []string
	for range *servers {
		st := s
		if len(bases) > 0 {
			if st, err = store.Open(ctx, *dsn, store.Options{}); err != nil {
				log.Fatal(err)
			}
			defer st.Close()
		}
		srv, err := web.New(st, web.Options{Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			log.Fatal(err)
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			log.Fatal(err)
		}
		go http.Serve(ln, srv.Handler())
		bases = append(bases, "http://"+ln.Addr().String())
	}
	for _, p := range paths {
		resp, err := http.Get(bases[0] + p)
		if err != nil || resp.StatusCode != 200 {
			log.Fatalf("%s: %v %v", p, err, resp)
		}
		resp.Body.Close()
	}
	// Each page alone, one request at a time: where the time goes.
	for _, p := range paths {
		var ds []time.Duration
		size := 0
		for range 20 {
			t0 := time.Now()
			resp, err := http.Get(bases[0] + p)
			if err != nil {
				log.Fatal(err)
			}
			n, _ := io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			ds = append(ds, time.Since(t0))
			size = int(n)
		}
		slices.Sort(ds)
		fmt.Printf("%-60s median %8s  max %8s  %7d bytes\n", p, ds[len(ds)/2].Round(10*time.Microsecond), ds[len(ds)-1].Round(10*time.Microsecond), size)
	}
	script, err := os.CreateTemp("", "publicload-*.lua")
	if err != nil {
		log.Fatal(err)
	}
	defer os.Remove(script.Name())
	var quoted []string
	for _, p := range paths {
		quoted = append(quoted, fmt.Sprintf("%q", p)) // plain ASCII: no escaping needed
	}
	fmt.Fprintf(script, "local paths = {%s}\nmath.randomseed(os.time())\nrequest = function()\n  return wrk.format(\"GET\", paths[math.random(#paths)])\nend\n",
		strings.Join(quoted, ", "))
	script.Close()
	fmt.Printf("engine=%s servers=%d clients=%d duration=%s register=%d pages=%d\n", s.Engine(), *servers, *clients, *duration, all.Total, len(paths))
	var wg sync.WaitGroup
	for _, base := range bases {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := exec.Command("wrk", "-t1", fmt.Sprintf("-c%d", *clients/len(bases)), fmt.Sprintf("-d%ds", int(duration.Seconds())), "--latency", "-s", script.Name(), base)
			out, err := cmd.CombinedOutput()
			if err != nil {
				log.Printf("wrk: %v", err)
			}
			fmt.Printf("--- %s\n%s", base, out)
		}()
	}
	wg.Wait()
}
