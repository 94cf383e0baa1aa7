package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/exportctl/exportctl/internal/ledger"
	"github.com/exportctl/exportctl/internal/store"
)

func init() {
	commands["ledger"] = command{"transparency log: ledger checkpoint; ledger verify [--url URL] [--checkpoint FILE]", cmdLedger}
}

func cmdLedger(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return usagef("ledger checkpoint | ledger verify [--url URL] [--checkpoint FILE] [--key KEY] [--save FILE]")
	}
	switch args[0] {
	case "checkpoint":
		fs := newFlags(e, "ledger checkpoint", "[--db DSN]")
		db := dbFlag(e, fs)
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		s, err := store.Open(ctx, *db, store.Options{})
		if err != nil {
			return err
		}
		defer s.Close()
		signed, err := s.LogCheckpoint(ctx)
		if err != nil {
			return err
		}
		e.stdout.Write(signed)
		return nil
	case "verify":
		return cmdLedgerVerify(ctx, e, args[1:])
	}
	return usagef("unknown ledger command %q (checkpoint, verify)", args[0])
}

func cmdLedgerVerify(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "ledger verify", "[--url URL [--key KEY] [--checkpoint FILE] [--save FILE]] | [--db DSN]")
	db := dbFlag(e, fs)
	url := fs.String("url", "", "verify the log a server publishes at this address, from its checkpoint and tiles")
	key := fs.String("key", "", "the log's verifier key (name+hash+key); default: the key the server publishes at /log/key")
	old := fs.String("checkpoint", "", "a signed checkpoint saved earlier: the log must be consistent with it")
	save := fs.String("save", "", "write the verified checkpoint to this file, for the next run")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *url == "" {
		return verifyLocal(ctx, e, *db)
	}
	vkey := *key
	if vkey == "" {
		var err error
		if vkey, err = fetchKey(ctx, *url); err != nil {
			return err
		}
		fmt.Fprintln(e.stderr, "warning: trusting the key the server publishes; pin it with --key to detect a replaced key")
	}
	verifier, err := note.NewVerifier(strings.TrimSpace(vkey))
	if err != nil {
		return fmt.Errorf("verifier key: %w", err)
	}
	var oldCP *ledger.Checkpoint
	if *old != "" {
		data, err := os.ReadFile(*old)
		if err != nil {
			return err
		}
		cp, err := ledger.OpenCheckpoint(data, verifier)
		if err != nil {
			return fmt.Errorf("%s: %w", *old, err)
		}
		oldCP = &cp
	}
	client := ledger.Client{BaseURL: strings.TrimRight(*url, "/"), Verifier: verifier}
	start := time.Now()
	rep, err := client.Verify(ctx, oldCP)
	fmt.Fprintf(e.stdout, "log %s: %d entries, %d checked, %d tiles and %d entry bundles fetched in %s\n",
		rep.Checkpoint.Origin, rep.Size, rep.EntriesChecked, rep.TilesFetched, rep.BundlesFetched, time.Since(start).Round(time.Millisecond))
	for _, m := range rep.Mismatches {
		fmt.Fprintf(e.stdout, "MISMATCH %s at %d: %s\n", m.Kind, m.Index, m.Detail)
	}
	if err != nil {
		return err
	}
	if oldCP != nil {
		fmt.Fprintf(e.stdout, "consistent with the checkpoint of size %d\n", oldCP.Size)
	}
	if *save != "" {
		signed, err := fetch(ctx, client.BaseURL+ledger.CheckpointPath)
		if err != nil {
			return err
		}
		if cp, err := ledger.OpenCheckpoint(signed, verifier); err != nil || cp.Size < rep.Size {
			return fmt.Errorf("the checkpoint changed while verifying; run again")
		}
		if err := os.WriteFile(*save, signed, 0o644); err != nil {
			return err
		}
	}
	fmt.Fprintln(e.stdout, "OK")
	return nil
}

// verifyLocal checks the log against the database rows it records.
func verifyLocal(ctx context.Context, e *env, dsn string) error {
	s, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	size, problems, err := s.VerifyLog(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "log: %d entries checked against the database\n", size)
	for _, p := range problems {
		fmt.Fprintf(e.stdout, "MISMATCH %s: %s\n", p.Subject, p.Detail)
	}
	if len(problems) > 0 {
		return exitCode(1)
	}
	fmt.Fprintln(e.stdout, "OK")
	return nil
}

func fetchKey(ctx context.Context, base string) (string, error) {
	b, err := fetch(ctx, strings.TrimRight(base, "/")+ledger.KeyPath)
	return string(b), err
}

func fetch(ctx context.Context, url string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return io.ReadAll(io.LimitReader(resp.Body, 1<<20))
}
