package calendar

import (
	"strings"
	"testing"
)

func mustNew(t *testing.T, start string, unit Unit) Calendar {
	t.Helper()
	c, err := New(start, unit)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// checkSteps checks, for each date, the step that contains it, and that the step's first date is
// on or before it and the next step's after it.
func checkSteps(t *testing.T, c Calendar, want map[string]int) {
	t.Helper()
	for s, k := range want {
		d, err := ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := c.StepOf(d); got != k {
			t.Errorf("%s %s steps from %s: StepOf(%s) = %d, want %d", c.Unit, c.Unit, Format(c.Start), s, got, k)
		}
		if c.DateOf(k).After(d) || !c.DateOf(k+1).After(d) {
			t.Errorf("%s: step %d covers [%s, %s), which does not contain it", s, k, Format(c.DateOf(k)), Format(c.DateOf(k+1)))
		}
	}
}

func TestDaySteps(t *testing.T) {
	c := mustNew(t, "2011-01-21", Day)
	checkSteps(t, c, map[string]int{"2011-01-21": 0, "2011-01-22": 1, "2011-02-21": 31, "2012-01-21": 365, "2011-01-20": -1})
}

func TestWeekSteps(t *testing.T) {
	c := mustNew(t, "2011-01-21", "") // week by default
	checkSteps(t, c, map[string]int{"2011-01-21": 0, "2011-01-27": 0, "2011-01-28": 1, "2013-08-01": 131, "2011-01-20": -1, "2011-01-14": -1, "2011-01-13": -2})
	if got := Format(c.DateOf(52)); got != "2012-01-20" {
		t.Errorf("DateOf(52) = %s, want 2012-01-20", got)
	}
}

func TestMonthSteps(t *testing.T) {
	c := mustNew(t, "2011-01-15", Month)
	checkSteps(t, c, map[string]int{"2011-01-15": 0, "2011-02-14": 0, "2011-02-15": 1, "2011-12-31": 11, "2012-01-15": 12, "2011-01-14": -1})
}

// 31 January plus one month is the last day of February, plus two months 31 March.
func TestMonthEnds(t *testing.T) {
	c := mustNew(t, "2011-01-31", Month)
	for k, want := range []string{"2011-01-31", "2011-02-28", "2011-03-31", "2011-04-30", "2011-05-31"} {
		if got := Format(c.DateOf(k)); got != want {
			t.Errorf("DateOf(%d) = %s, want %s", k, got, want)
		}
	}
	checkSteps(t, c, map[string]int{"2011-02-27": 0, "2011-02-28": 1, "2011-03-01": 1, "2011-03-30": 1, "2011-03-31": 2, "2012-02-29": 13, "2012-02-28": 12})
	if got := Format(mustNew(t, "2011-01-31", Month).DateOf(-2)); got != "2010-11-30" {
		t.Errorf("DateOf(-2) = %s, want 2010-11-30", got)
	}
}

func TestLeapDays(t *testing.T) {
	days := mustNew(t, "2012-02-28", Day)
	checkSteps(t, days, map[string]int{"2012-02-29": 1, "2012-03-01": 2, "2013-02-28": 366})
	months := mustNew(t, "2012-02-29", Month)
	for k, want := range map[int]string{1: "2012-03-29", 12: "2013-02-28", 48: "2016-02-29"} {
		if got := Format(months.DateOf(k)); got != want {
			t.Errorf("from 2012-02-29, DateOf(%d) = %s, want %s", k, got, want)
		}
	}
	checkSteps(t, months, map[string]int{"2013-02-28": 12, "2013-02-27": 11, "2016-02-29": 48})
	if _, err := ParseDate("2011-02-29"); err == nil {
		t.Error("2011-02-29 parsed, though 2011 is not a leap year")
	}
}

func TestStepWithinBounds(t *testing.T) {
	c := mustNew(t, "2011-01-21", Week)
	for _, tc := range []struct {
		date, err string
		step      int
	}{
		{date: "2011-01-21", step: 0},
		{date: "2014-01-30", step: 157},
		{date: "2011-01-20", err: "date 2011-01-20 is before the start 2011-01-21"},
		{date: "2014-02-14", err: "date 2014-02-14 is past the horizon: the last of the 160 steps (weeks) from 2011-01-21 ends on 2014-02-13"},
	} {
		d, err := ParseDate(tc.date)
		if err != nil {
			t.Fatal(err)
		}
		k, err := c.StepWithin(d, 160)
		if tc.err == "" && (err != nil || k != tc.step) {
			t.Errorf("StepWithin(%s) = %d, %v; want %d", tc.date, k, err, tc.step)
		}
		if tc.err != "" && (err == nil || err.Error() != tc.err) {
			t.Errorf("StepWithin(%s) error = %v, want %q", tc.date, err, tc.err)
		}
	}
	if _, err := (Calendar{}).StepWithin(c.Start, 10); err == nil || !strings.Contains(err.Error(), "set start") {
		t.Errorf("a date without a start: error %v, want one saying to set start", err)
	}
}

func TestNewRejects(t *testing.T) {
	if _, err := New("2011-13-01", Week); err == nil {
		t.Error("month 13 accepted")
	}
	if _, err := New("2011-01-21", "fortnight"); err == nil || !strings.Contains(err.Error(), "day, week or month") {
		t.Errorf("fortnight: error %v", err)
	}
}
