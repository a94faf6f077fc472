package calibrate

import (
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"time"

	"github.com/msgsim/msgsim/internal/calendar"
	"github.com/msgsim/msgsim/internal/observed"
)

// Observation is one data row being fitted.
type Observation struct {
	Target int     // index into Fit.Targets
	Line   int     // line in the data file
	Date   string  // as written; "" when the data has steps
	Step   int     // the step it is compared at
	Value  float64 // in millions
}

// stepDaysOf gives step_days for time units of a fixed length.
var stepDaysOf = map[string]float64{"day": 1, "days": 1, "week": 7, "weeks": 7}

// loadData reads the data CSV and keeps the rows the targets fit. Problems in the data are
// located in the data file (file:line:column: column name: message); a target that matches
// no row is located at the target in the fit file.
func (v *validator) loadData() error {
	fit := v.fit
	path := v.file.Data
	if !filepath.IsAbs(path) && v.dir != "" {
		path = filepath.Join(v.dir, path)
	}
	fit.DataPath = path
	data, err := observed.Open("fit data", path)
	if err != nil {
		var re *observed.ReadError
		if errors.As(err, &re) {
			v.Fail("data", "%v", re)
			return v.Err()
		}
		return err
	}
	v.hasDates = data.HasDates
	v.timeAxis(path)
	if err := v.Err(); err != nil {
		return err
	}
	v.atWithinRun()
	if err := v.Err(); err != nil {
		return err
	}

	type tally struct{ rows, kept int }
	counts := make([]tally, len(fit.Targets))
	targetOf := map[[2]string]int{}
	for i, t := range fit.Targets {
		targetOf[[2]string{t.Target.Platform, t.Metric}] = i
	}
	steps := fit.Start.Config.Steps
	for {
		row, err := data.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		ti, ok := targetOf[[2]string{row.Platform, row.Metric}]
		if !ok {
			continue
		}
		counts[ti].rows++
		obs := Observation{Target: ti, Line: row.Line}
		when, ok := data.When(row)
		if !ok {
			continue
		}
		l := limit{isDate: when.IsDate, date: when.Date, step: when.Step}
		if when.IsDate {
			obs.Date = when.Text
		} else {
			obs.Step = when.Step
		}
		if obs.Value, ok = data.Value(row, "a fitted row"); !ok {
			continue
		}
		if !v.inWindow(fit.Targets[ti].Target, l) {
			continue
		}
		if when.IsDate {
			if when.Date.Before(fit.StartDate) {
				data.ReportWhen(row, "%s is before start (%s)", obs.Date, calendar.Format(fit.StartDate))
				continue
			}
			obs.Step = v.stepOf(when.Date)
		}
		if obs.Step > steps {
			if when.IsDate {
				data.ReportWhen(row, "%s is step %d, beyond the scenario's %d steps", obs.Date, obs.Step, steps)
			} else {
				data.ReportWhen(row, "%d is beyond the scenario's %d steps", obs.Step, steps)
			}
			continue
		}
		counts[ti].kept++
		fit.Obs = append(fit.Obs, obs)
	}
	if err := data.Err(); err != nil {
		return err // skipped rows would make the targets' counts misleading
	}
	for i, t := range fit.Targets {
		path := "targets." + strconv.Itoa(i)
		switch {
		case counts[i].rows > 0 && counts[i].kept == 0 && t.At != "":
			v.Fail(path+".at", "no row of %s with platform %s and metric %s is at %s", fit.DataPath, t.Target.Platform, t.Metric, t.At)
		case counts[i].rows > 0 && counts[i].kept == 0:
			v.Fail(path, "every row of %s with platform %s and metric %s lies outside from/to", fit.DataPath, t.Target.Platform, t.Metric)
		case counts[i].rows == 0:
			v.Fail(path, "%s", data.NoRows(t.Target.Platform, t.Metric))
		}
	}
	return v.Err()
}

// timeAxis checks what placing dated rows on steps needs: start, and step_days (which a
// scenario counted in days or weeks supplies).
func (v *validator) timeAxis(dataPath string) {
	for i, t := range v.file.Targets {
		for _, b := range []struct{ name, s string }{{"from", t.From}, {"to", t.To}, {"at", t.At}} {
			p := fmt.Sprintf("targets.%d.%s", i, b.name)
			if l, ok := parseLimit(b.s); ok && v.Has(p) && l.isDate && !v.hasDates {
				v.Fail(p, "is a date but %s has steps; give a step", dataPath)
			}
		}
	}
	if !v.hasDates {
		return
	}
	if cal := v.fit.Start.Calendar; cal.IsSet() {
		// The scenario's calendar places dates: one calendar for the run and its fit.
		for _, key := range []string{"start", "step_days"} {
			if v.Has(key) {
				v.Fail(key, "the scenario sets the calendar (start: %s, step: %s), which places the data's dates: remove %s here", calendar.Format(cal.Start), cal.Unit, key)
			}
		}
		v.fit.StartDate = cal.Start
		return
	}
	if !v.Has("start") {
		v.Fail("start", "is required: %s has dates; give the date of step 0 (YYYY-MM-DD)", dataPath)
	}
	if !v.Has("step_days") {
		unit := v.fit.Start.File.TimeUnit
		days, ok := stepDaysOf[unit]
		if !ok {
			v.Fail("step_days", "is required: %s has dates, and the scenario's time unit %q has no fixed length in days", dataPath, unit)
			return
		}
		v.file.StepDays = days
	}
}

// atWithinRun checks that each target's at lies on the run: a step from 0 to the scenario's
// steps, a date from step 0's to the dates the last step stands for, placed as the data's
// dates are (stepOf).
func (v *validator) atWithinRun() {
	steps := v.fit.Start.Config.Steps
	for i, t := range v.fit.Targets {
		l, ok := parseLimit(t.At)
		if t.At == "" || !ok {
			continue
		}
		path := fmt.Sprintf("targets.%d.at", i)
		switch {
		case !l.isDate && l.step > steps:
			v.Fail(path, "step %d is past the run: its rows go from step 0 to step %d", l.step, steps)
		case l.isDate && l.date.Before(v.fit.StartDate):
			v.Fail(path, "date %s is before the run's start, %s", t.At, calendar.Format(v.fit.StartDate))
		case l.isDate && v.stepOf(l.date) > steps:
			v.Fail(path, "date %s is step %d, past the run: its rows go from step 0 to step %d", t.At, v.stepOf(l.date), steps)
		}
	}
}

// stepOf is the step a date of the data falls on: the step containing it by the scenario's
// calendar, or without one the nearest whole number of step_days from start.
func (v *validator) stepOf(date time.Time) int {
	if cal := v.fit.Start.Calendar; cal.IsSet() {
		return cal.StepOf(date)
	}
	return int(math.Round(date.Sub(v.fit.StartDate).Hours() / 24 / v.file.StepDays))
}

// inWindow reports whether a row's date or step lies within the target's from and to.
func (v *validator) inWindow(t Target, when limit) bool {
	for _, b := range []struct {
		s     string
		after bool // the row must not be before it (from) or after it (to)
	}{{t.From, true}, {t.To, false}} {
		if b.s == "" {
			continue
		}
		l, _ := parseLimit(b.s)
		row := when
		if !l.isDate && when.isDate {
			row = limit{step: v.stepOf(when.date)}
		}
		if b.after && l.after(row) || !b.after && row.after(l) {
			return false
		}
	}
	return true
}
