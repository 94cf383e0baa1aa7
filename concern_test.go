package exportctl

import (
	"strings"
	"testing"
	"time"
)

func TestConcernDeadlines(t *testing.T) {
	d := func(s string) time.Time { v, _ := time.Parse(time.RFC3339, s); return v }
	received := d("2026-11-23T10:00:00Z")
	if got := ConcernAckDue(received); !got.Equal(d("2026-11-30T10:00:00Z")) {
		t.Errorf("ack due %v", got)
	}
	// Not acknowledged: three months from the end of the seven days, ending on 28 February.
	if got := ConcernResponseDue(received, nil); !got.Equal(d("2027-02-28T10:00:00Z")) {
		t.Errorf("response due without acknowledgement %v", got)
	}
	ack := d("2026-11-25T09:00:00Z")
	if got := ConcernResponseDue(received, &ack); !got.Equal(d("2027-02-25T09:00:00Z")) {
		t.Errorf("response due after acknowledgement %v", got)
	}
	late := d("2026-12-10T09:00:00Z") // after the seven days: no extension
	if got := ConcernResponseDue(received, &late); !got.Equal(d("2027-02-28T10:00:00Z")) {
		t.Errorf("late acknowledgement moved the deadline to %v", got)
	}
	if got := ContestedResponseDue(d("2028-11-30T12:00:00Z")); !got.Equal(d("2029-02-28T12:00:00Z")) {
		t.Errorf("contested %v", got)
	}
	if NextLevel(LevelHandler) != LevelNominatedOfficer || NextLevel(LevelNominatedOfficer) != LevelOversight || NextLevel(LevelOversight) != LevelOversight {
		t.Error("escalation order")
	}
}

func TestCheckSubstantive(t *testing.T) {
	points := []string{"Why was the report excluded?", "Who decided?"}
	good := ConcernResponseInput{
		Findings: []string{"The report arrived after the cut-off set by the officer on 3 March.", "The case officer decided, as recorded in version 2."},
		Action:   "The assessment is being redone including the report.", Grounds: "All information available before the decision must be weighed.",
	}
	if err := good.CheckSubstantive(points); err != nil {
		t.Fatalf("a substantive response refused: %v", err)
	}
	for name, c := range map[string]struct {
		in     ConcernResponseInput
		fields []string
	}{
		"noted":        {ConcernResponseInput{Findings: []string{"Noted", "Thank you, we have noted your concerns."}, Action: "Noted.", Grounds: "We take all concerns seriously."}, []string{"findings[0]", "findings[1]", "action", "grounds"}},
		"empty":        {ConcernResponseInput{}, []string{"findings[0]", "findings[1]", "action", "grounds"}},
		"too many":     {ConcernResponseInput{Findings: append(append([]string{}, good.Findings...), "x"), Action: good.Action, Grounds: good.Grounds}, []string{"findings"}},
		"under review": {ConcernResponseInput{Findings: good.Findings, Action: "This is under review.", Grounds: good.Grounds}, []string{"action"}},
	} {
		err := c.in.CheckSubstantive(points)
		ve, ok := err.(*ValidationError)
		if !ok {
			t.Errorf("%s: %v", name, err)
			continue
		}
		var got []string
		for _, e := range ve.Errors {
			got = append(got, e.Field)
		}
		if strings.Join(got, ",") != strings.Join(c.fields, ",") {
			t.Errorf("%s: fields %v, want %v (%v)", name, got, c.fields, err)
		}
	}
}

func TestConcernInputValidate(t *testing.T) {
	in := ConcernInput{Points: []string{"", "  "}, Files: []ConcernFileInput{{Name: "x"}}}
	err := in.Validate()
	for _, f := range []string{"summary", "details", "points", "files[0].data"} {
		if !strings.Contains(err.Error(), f) && !hasField(err, f) {
			t.Errorf("no error on %s: %v", f, err)
		}
	}
}

func hasField(err error, f string) bool {
	ve, ok := err.(*ValidationError)
	if !ok {
		return false
	}
	for _, e := range ve.Errors {
		if e.Field == f {
			return true
		}
	}
	return false
}

func TestSuppress(t *testing.T) {
	if Suppress(0) == nil || *Suppress(0) != 0 || Suppress(4) != nil || *Suppress(5) != 5 {
		t.Error("small numbers must be withheld, zero and five shown")
	}
}
