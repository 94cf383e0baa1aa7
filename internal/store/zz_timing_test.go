package store_test

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/importer"
	"github.com/exportctl/exportctl/internal/store/storetest"
)

func TestZZTiming(t *testing.T) {
	data := acledRowsT(t, 40000)
	best := time.Hour
	for range 4 {
		s := storetest.Open(t, "sqlite", nil)
		for _, q := range strings.Split(os.Getenv("ZZ_SQL"), ";") {
			if q != "" {
				if _, err := s.DB().Exec(q); err != nil {
					t.Fatal(err)
				}
			}
		}
		start := time.Now()
		_, err := s.ImportIncidents(ctx, exportctl.System, "acled", "x", func(emit func(exportctl.Incident, int) error) error {
			_, err := importer.ACLEDEach(bytes.NewReader(data), emit)
			return err
		}, nil)
		if err != nil {
			t.Fatal(err)
		}
		best = min(best, time.Since(start))
		s.Close()
	}
	t.Logf("best %v = %.0f rows/s", best, 40000/best.Seconds())
}
