package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/exportctl/exportctl/internal/concern"
	"github.com/exportctl/exportctl/internal/store"
)

func init() {
	commands["concern"] = command{"concerns channel: concern keygen --out FILE; concern verify-receipt --key KEY [--content FILE] RECEIPT", cmdConcern}
}

func cmdConcern(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return usagef("concern keygen --out FILE | concern verify-receipt (--key KEY | --url URL) [--content FILE] RECEIPT")
	}
	switch args[0] {
	case "keygen":
		return cmdConcernKeygen(e, args[1:])
	case "verify-receipt":
		return cmdVerifyReceipt(ctx, e, args[1:])
	}
	return usagef("unknown concern command %q (keygen, verify-receipt)", args[0])
}

func cmdConcernKeygen(e *env, args []string) error {
	fs := newFlags(e, "concern keygen", "--out FILE")
	out := fs.String("out", "", "the keyring file to create (mode 0600); it must not exist")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		return usagef("--out FILE is required")
	}
	k, created, err := concern.LoadOrCreate(*out)
	if err != nil {
		return err
	}
	if !created {
		return fmt.Errorf("%s exists already: a keyring is never overwritten (concerns sealed to it would be lost)", *out)
	}
	fmt.Fprintf(e.stdout, "created %s\nreceipt verifier key (publish it): %s\n", *out, k.ReceiptVerifierKey())
	return nil
}

// cmdVerifyReceipt checks a signed receipt offline against the published key.
func cmdVerifyReceipt(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "concern verify-receipt", "(--key KEY | --url URL) [--content FILE] RECEIPT_FILE")
	key := fs.String("key", "", "the receipt verifier key (name+hash+key), as published at /public/concerns/key")
	url := fs.String("url", "", "fetch the key from this server's /public/concerns/key instead (pin it with --key when you can)")
	contentFile := fs.String("content", "", "the content document given with the receipt: its SHA-256 must match")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("give one receipt file")
	}
	if (*key == "") == (*url == "") {
		return usagef("give the key with --key, or the server with --url")
	}
	receipt, err := os.ReadFile(pos[0])
	if err != nil {
		return err
	}
	var content []byte
	if *contentFile != "" {
		if content, err = os.ReadFile(*contentFile); err != nil {
			return err
		}
	}
	vkey := *key
	if *url != "" {
		if vkey, err = fetchReceiptKey(ctx, *url); err != nil {
			return err
		}
	}
	r, err := concern.VerifyReceipt(vkey, receipt, content)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "valid receipt: concern %s submitted %s, content SHA-256 %s", r.Reference, r.SubmittedAt.UTC().Format(time.RFC3339), r.ContentSHA256)
	if content != nil {
		fmt.Fprint(e.stdout, " (matches the content)")
	}
	fmt.Fprintln(e.stdout)
	return nil
}

func fetchReceiptKey(ctx context.Context, base string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", strings.TrimSuffix(base, "/")+"/public/concerns/key", nil)
	if err != nil {
		return "", err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("%s: %s", req.URL, resp.Status)
	}
	return strings.TrimSpace(string(b)), nil
}

// concernKeyFlag adds --concerns-key (env EXPORTCTL_CONCERNS_KEY).
func concernKeyFlag(e *env, fs *flag.FlagSet) *string {
	return fs.String("concerns-key", e.getenv("EXPORTCTL_CONCERNS_KEY"),
		"the concerns channel's keyring file (env EXPORTCTL_CONCERNS_KEY; exportctl concern keygen makes one). Default with SQLite: DB.concerns-key beside the database, created if missing")
}

// loadConcernKeys gives the store its keyring. With SQLite and no flag, a
// keyring beside the database file is used (created once); with PostgreSQL
// every server must be given the same file, so none is made up: the channel
// stays closed (and says so) until one is given.
func loadConcernKeys(s *store.Store, path, dsn string, log *slog.Logger) error {
	if path == "" {
		if store.IsPostgres(dsn) {
			log.Warn("the concerns channel is closed: give every server the same keyring with --concerns-key")
			return nil
		}
		path = dsn + ".concerns-key"
	}
	k, created, err := concern.LoadOrCreate(path)
	if err != nil {
		return err
	}
	if created {
		log.Warn("created the concerns keyring: keep it apart from the database's backups", "file", path)
	}
	s.SetConcernKeys(k)
	return nil
}
