package store_test

import (
	"testing"
	"time"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/store/storetest"
)

func TestTickExpiresLicences(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
			s := storetest.Open(t, engine, func() time.Time { return now })
			f := storetest.NewFixture(t, s)
			app := storetest.DriveToDecision(t, s, f, submitted(t, s, f).ID, exportctl.DecisionInput{Outcome: "issued", ValidUntil: "2026-06-30"})
			if rep, err := s.Tick(ctx, time.Date(2026, 6, 30, 12, 0, 0, 0, time.UTC)); err != nil || rep.Expired != 0 || !rep.Ran {
				t.Fatalf("on the last valid day: %+v %v", rep, err)
			}
			rep, err := s.Tick(ctx, time.Date(2026, 7, 1, 0, 5, 0, 0, time.UTC))
			if err != nil || rep.Expired != 1 {
				t.Fatalf("the day after: %+v %v", rep, err)
			}
			if rep, _ := s.Tick(ctx, time.Date(2026, 7, 1, 0, 6, 0, 0, time.UTC)); rep.Expired != 0 {
				t.Errorf("a second tick expired %d more", rep.Expired)
			}
			l, _ := s.Licence(ctx, f.Officer, app.LicenceID)
			if l.Status != exportctl.LicenceExpired {
				t.Errorf("status = %s", l.Status)
			}
			if _, problems, err := s.VerifyLog(ctx); err != nil || len(problems) != 0 {
				t.Errorf("the expiry is logged: %+v %v", problems, err)
			}
		})
	}
}
