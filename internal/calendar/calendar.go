// Package calendar maps dates to simulation steps and back, for scenarios that set a start
// date and a step length. It is pure arithmetic on civil dates (no time zones, no clock).
//
// Step k covers the dates [DateOf(k), DateOf(k+1)). For days and weeks DateOf(k) is the start
// plus k days or 7k days. For months it is the start's day of the month, k calendar months
// later, clamped to the month's last day: a start of 31 January puts step 1 at 28 (or 29)
// February and step 2 at 31 March, so every step is one calendar month long and no date
// belongs to two steps or to none.
package calendar

import (
	"fmt"
	"time"
)

// DateLayout is how dates are written in scenario files and outputs: 2011-01-21.
const DateLayout = "2006-01-02"

// Unit is the length of one step.
type Unit string

// Step lengths.
const (
	Day   Unit = "day"
	Week  Unit = "week"
	Month Unit = "month"
)

// Units are the step lengths a scenario may name, in the order its messages list them.
var Units = []Unit{Day, Week, Month}

// Calendar ties step 0 to a start date; the zero value has no start (IsSet is false), and
// every step-or-date then stays a bare step.
type Calendar struct {
	Start time.Time // midnight UTC of the date step 0 begins on
	Unit  Unit      // the length of a step; "" reads as Week
}

// New makes a calendar from a start written as 2011-01-21 and a step length ("" is week).
func New(start string, unit Unit) (Calendar, error) {
	date, err := ParseDate(start)
	if err != nil {
		return Calendar{}, err
	}
	switch unit {
	case "":
		unit = Week
	case Day, Week, Month:
	default:
		return Calendar{}, fmt.Errorf("step length %q is not day, week or month", unit)
	}
	return Calendar{Start: date, Unit: unit}, nil
}

// ParseDate reads a date written as 2011-01-21.
func ParseDate(s string) (time.Time, error) {
	date, err := time.Parse(DateLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date written as YYYY-MM-DD (e.g. 2011-01-21)", s)
	}
	return date, nil
}

// IsSet tells whether the calendar has a start date.
func (c Calendar) IsSet() bool { return !c.Start.IsZero() }

// DateOf is the first date of step k (k may be negative or past any horizon).
func (c Calendar) DateOf(k int) time.Time {
	switch c.Unit {
	case Day:
		return c.Start.AddDate(0, 0, k)
	case Month:
		// AddDate normalises 31 February to 3 March; clamp to the month's end instead.
		first := time.Date(c.Start.Year(), c.Start.Month()+time.Month(k), 1, 0, 0, 0, 0, time.UTC)
		return first.AddDate(0, 0, min(c.Start.Day(), daysIn(first))-1)
	}
	return c.Start.AddDate(0, 0, 7*k)
}

// daysIn is the number of days of the month that first (its first day) begins.
func daysIn(first time.Time) int { return first.AddDate(0, 1, -1).Day() }

// StepOf is the step whose dates contain date; it is negative for dates before the start.
func (c Calendar) StepOf(date time.Time) int {
	days := int(date.Sub(c.Start).Hours()) / 24 // exact: both are midnight UTC
	switch c.Unit {
	case Day:
		return days
	case Month:
		k := (date.Year()-c.Start.Year())*12 + int(date.Month()) - int(c.Start.Month())
		if date.Before(c.DateOf(k)) {
			k--
		}
		return k
	}
	return floorDiv(days, 7)
}

func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// StepWithin is the step containing date, for a run of steps steps (0 .. steps-1); a date
// before the start or past the horizon is an error naming the date and the bound it
// crosses. steps < 0 means no horizon.
func (c Calendar) StepWithin(date time.Time, steps int) (int, error) {
	if !c.IsSet() {
		return 0, fmt.Errorf("date %s needs the scenario's start date: set start (e.g. start: 2011-01-21)", Format(date))
	}
	k := c.StepOf(date)
	if k < 0 {
		return 0, fmt.Errorf("date %s is before the start %s", Format(date), Format(c.Start))
	}
	if steps >= 0 && k >= steps {
		return 0, fmt.Errorf("date %s is past the horizon: the last of the %d steps (%ss) from %s ends on %s",
			Format(date), steps, c.Unit, Format(c.Start), Format(c.DateOf(steps).AddDate(0, 0, -1)))
	}
	return k, nil
}

// Position is where date falls on a step axis: its step plus the fraction of that step
// elapsed at its start (a mid-month date in month steps is about k + 0.5).
func (c Calendar) Position(date time.Time) float64 {
	k := c.StepOf(date)
	from, to := c.DateOf(k), c.DateOf(k+1)
	return float64(k) + float64(date.Sub(from))/float64(to.Sub(from))
}

// Dates are the first days of steps 0 to steps, as written in tables; nil without a start.
func (c Calendar) Dates(steps int) []string {
	if !c.IsSet() {
		return nil
	}
	dates := make([]string, steps+1)
	for k := range dates {
		dates[k] = Format(c.DateOf(k))
	}
	return dates
}

// Format writes a date as 2011-01-21.
func Format(date time.Time) string { return date.Format(DateLayout) }
