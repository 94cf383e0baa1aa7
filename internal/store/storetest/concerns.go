package storetest

import (
	"context"
	"sync"
	"testing"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/concern"
	"github.com/exportctl/exportctl/internal/store"
)

var testKeys struct {
	once sync.Once
	k    *concern.Keyring
	err  error
}

// ConcernKeys is one concerns keyring for every test store of the process.
func ConcernKeys(t testing.TB) *concern.Keyring {
	t.Helper()
	testKeys.once.Do(func() {
		var text string
		if text, testKeys.err = concern.Generate(); testKeys.err == nil {
			testKeys.k, testKeys.err = concern.Parse([]byte(text))
		}
	})
	if testKeys.err != nil {
		t.Fatalf("concerns keyring: %v", testKeys.err)
	}
	return testKeys.k
}

// ConcernStaff are the people of the concerns channel.
type ConcernStaff struct {
	Handler, Handler2 exportctl.Actor
	Nominated         exportctl.Actor
	Custodian         exportctl.Actor
	Oversight         exportctl.Actor
	Tokens            map[string]string
}

// NewConcernStaff adds two handlers, a nominated officer, a custodian and
// an oversight member.
func NewConcernStaff(t testing.TB, s *store.Store) *ConcernStaff {
	t.Helper()
	admin := exportctl.Actor{Username: "system", Role: exportctl.RoleAdmin}
	c := &ConcernStaff{Tokens: map[string]string{}}
	mk := func(username, name string, role exportctl.Role) exportctl.Actor {
		u, tok, err := s.CreateUser(context.Background(), admin, exportctl.UserInput{Username: username, Name: name, Role: role, Password: "correct horse battery"})
		if err != nil {
			t.Fatalf("create user %s: %v", username, err)
		}
		c.Tokens[username] = tok
		return exportctl.ActorOf(*u)
	}
	c.Handler = mk("handler1", "Hana Handler", exportctl.RoleConcernsHandler)
	c.Handler2 = mk("handler2", "Hugo Handler", exportctl.RoleConcernsHandler)
	c.Nominated = mk("nominated1", "Nora Nominated", exportctl.RoleNominatedOfficer)
	c.Custodian = mk("custodian1", "Cass Custodian", exportctl.RoleCustodian)
	c.Oversight = mk("oversight1", "Olu Oversight", exportctl.RoleOversight)
	return c
}

// SampleConcern is a complete anonymous concern about a case.
func SampleConcern(appID int64) exportctl.ConcernInput {
	return exportctl.ConcernInput{
		Summary: "The IHL assessment ignored reports of strikes on hospitals",
		Details: "The assessment's cut-off date excluded three incident reports that were on file a week before.",
		Points: []string{
			"Why were the incident reports on file excluded by the cut-off date?",
			"Who decided the cut-off date, and was it recorded?",
		},
		ConcernLinks: exportctl.ConcernLinks{ApplicationID: appID},
	}
}

// SubstantiveResponse answers SampleConcern's two points.
func SubstantiveResponse() exportctl.ConcernResponseInput {
	return exportctl.ConcernResponseInput{
		Findings: []string{
			"The three reports were registered after the cut-off date set in the assessment, but were available to the case officer before it.",
			"The case officer set the cut-off date; it was recorded in assessment version 1 without reasons.",
		},
		Action:  "The assessment was reopened and a new version will consider the three reports; the cut-off rule now needs recorded reasons.",
		Grounds: "The consolidated criteria require the assessment to consider all information available at the time of the decision.",
	}
}
