package chart

import (
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
