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

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/ledger"
	"github.com/exportctl/exportctl/internal/store"
)

func init() {
	commands["ledger"] = command{"transparency log: ledger checkpoint; ledger verify [--url URL] [--checkpoint FILE]; ledger rotate-key", cmdLedger}
}

func cmdLedger(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return usagef("ledger checkpoint | ledger verify [--url URL] [--checkpoint FILE] [--key KEY]... [--save FILE] | ledger rotate-key")
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
	case "rotate-key":
		fs := newFlags(e, "ledger rotate-key", "[--db DSN]")
		db := dbFlag(e, fs)
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		s, err := store.Open(ctx, *db, store.Options{})
		if err != nil {
			return err
		}
		defer s.Close()
		vkey, err := s.RotateLogKey(ctx, exportctl.System)
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, "checkpoints are signed by the new key from now on; the old key stays published at /log/keys")
		fmt.Fprintln(e.stdout, vkey)
		return nil
	}
	return usagef("unknown ledger command %q (checkpoint, verify, rotate-key)", args[0])
}

func cmdLedgerVerify(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "ledger verify", "[--url URL [--key KEY] [--checkpoint FILE] [--save FILE]] | [--db DSN]")
	db := dbFlag(e, fs)
	url := fs.String("url", "", "verify the log a server publishes at this address, from its checkpoint and tiles")
	var keys stringList
	fs.Var(&keys, "key", "a verifier key of the log (name+hash+key), repeatable: the current key first, then retired ones that may have signed --checkpoint; default: the keys the server publishes at /log/keys")
	old := fs.String("checkpoint", "", "a signed checkpoint saved earlier: the log must be consistent with it")
	save := fs.String("save", "", "write the verified checkpoint to this file, for the next run")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *url == "" {
		return verifyLocal(ctx, e, *db)
	}
	if len(keys) == 0 {
		published, err := fetchKeys(ctx, *url)
		if err != nil {
			return err
		}
		keys = published
		fmt.Fprintln(e.stderr, "warning: trusting the keys the server publishes; pin them with --key to detect a replaced key")
	}
	var verifiers []note.Verifier
	for _, k := range keys {
		v, err := note.NewVerifier(strings.TrimSpace(k))
		if err != nil {
			return fmt.Errorf("verifier key %q: %w", k, err)
		}
		verifiers = append(verifiers, v)
	}
	verifier := verifiers[0]
	var oldCP *ledger.Checkpoint
	if *old != "" {
		data, err := os.ReadFile(*old)
		if err != nil {
			return err
		}
		// An old checkpoint may carry a retired key's signature.
		cp, err := ledger.OpenCheckpoint(data, verifiers...)
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

// fetchKeys reads the keys a server publishes, the current one first.
func fetchKeys(ctx context.Context, base string) ([]string, error) {
	b, err := fetch(ctx, strings.TrimRight(base, "/")+ledger.KeysPath)
	if err != nil {
		return nil, err
	}
	keys := strings.Fields(string(b))
	if len(keys) == 0 {
		return nil, fmt.Errorf("%s publishes no keys", base)
	}
	return keys, nil
}

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

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
