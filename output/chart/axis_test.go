package chart

import (
	"strings"
	"testing"
	"time"
)

func TestTimeAxisLabel(t *testing.T) {
	if got, want := (TimeAxis{Unit: "week"}).Label(), "time (weeks)"; got != want {
		t.Errorf("Label() = %q, want %q", got, want)
	}
	start := time.Date(2011, 1, 21, 0, 0, 0, 0, time.UTC)
	if got, want := (TimeAxis{Unit: "day", Start: start}).Label(), "time (days from 2011-01-21)"; got != want {
		t.Errorf("Label() with a start = %q, want %q", got, want)
	}
}

func TestPeopleUnit(t *testing.T) {
	for _, tc := range []struct {
		scale  float64
		agents int
		want   Unit
	}{
		{1, 1e7, Unit{1, "agents"}},                 // unscaled counts stay agents, however many
		{100, 1000, Unit{100, "people"}},            // 100,000 people
		{1000, 9999, Unit{1000, "people"}},          // just under ten million
		{1000, 10000, Unit{1000 / 1e6, "millions"}}, // ten million
		{50000, 10000, Millions(50000)},
	} {
		if got := PeopleUnit(tc.scale, tc.agents); got != tc.want {
			t.Errorf("PeopleUnit(%g, %d) = %+v, want %+v", tc.scale, tc.agents, got, tc.want)
		}
	}
	if got := Millions(50000); got != (Unit{0.05, "millions"}) {
		t.Errorf("Millions(50000) = %+v", got)
	}
}

// A weekly axis from 21 January 2011 over 160 steps is labelled every six months, January
// by its year, with unlabelled monthly ticks between; without a start it keeps numbers.
func TestTimeAxisDateTicks(t *testing.T) {
	start := time.Date(2011, 1, 21, 0, 0, 0, 0, time.UTC)
	ticks := TimeAxis{Unit: "week", Start: start}.Ticks().Ticks(0, 160)
	var labels []string
	minor := 0
	for _, tk := range ticks {
		if tk.Label == "" {
			minor++
			continue
		}
		labels = append(labels, tk.Label)
	}
	if got, want := strings.Join(labels, " "), "Jul 2012 Jul 2013 Jul 2014"; got != want {
		t.Errorf("labels %q, want %q", got, want)
	}
	// February 2011 to February 2014: 37 first days of months, 6 of them labelled.
	if minor != 31 {
		t.Errorf("%d unlabelled monthly ticks, want 31", minor)
	}
	if ticks[0].Value < 1.5 || ticks[0].Value > 1.6 { // 1 February 2011 is 11 days, 1.57 weeks, in
		t.Errorf("first tick at step %g, want 1 February 2011 at about 1.57", ticks[0].Value)
	}
	if (TimeAxis{Unit: "week"}).Ticks() != nil || (TimeAxis{Unit: "step", Start: start}).Ticks() != nil {
		t.Error("an axis without a start or a calendar step length got date ticks")
	}
}

func TestUnitCounted(t *testing.T) {
	for _, tc := range []struct {
		u    Unit
		want string
	}{{Millions(25000), "million"}, {PeopleUnit(100, 1000), "people"}, {PeopleUnit(1, 10), "agents"}} {
		if got := tc.u.Counted(); got != tc.want {
			t.Errorf("%+v.Counted() = %q, want %q", tc.u, got, tc.want)
		}
	}
}
