package calibrate

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/msgsim/msgsim/internal/calendar"
	"github.com/msgsim/msgsim/internal/strict"
)

// Observation is one data row being fitted.
type Observation struct {
	Target int     // index into Fit.Targets
	Line   int     // line in the data file
	Date   string  // as written; "" when the data has steps
	Step   int     // the step it is compared at
	Value  float64 // in millions
}

// dataHeader is what a data file's header must hold (date may be step instead).
var dataHeader = []string{"date", "platform", "metric", "value_millions"}

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
	raw, err := strict.ReadFile("fit data", path, strict.MaxCSVBytes)
	if err != nil {
		var fe *strict.FileError
		if errors.As(err, &fe) {
			err = errors.New(fe.Problem)
		}
		v.Fail("data", "cannot read %s: %v", path, err)
		return v.Err()
	}
	raw = bytes.TrimPrefix(raw, []byte("\ufeff"))
	drep := &strict.Reporter{File: path, Lines: strings.Split(string(raw), "\n")}
	at := func(line, col int, column, format string, args ...any) {
		drep.Report(strict.Position{Line: line, Column: col, Field: column}, format, args...)
	}
	r := csv.NewReader(bytes.NewReader(raw))
	r.FieldsPerRecord = -1
	r.Comment = '#'
	header, err := r.Read()
	if err == io.EOF {
		return &strict.FieldError{File: path, Msg: "the file is empty; data needs a header line date,platform,metric,value_millions,source"}
	}
	if err != nil {
		return csvError(drep, err)
	}
	headerLine, _ := r.FieldPos(0)
	cols := map[string]int{}
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		if first, dup := cols[name]; dup {
			_, col := r.FieldPos(i)
			at(headerLine, col, name, "appears twice in the header (columns %d and %d); which one holds the data?", first+1, i+1)
		}
		cols[name] = i
	}
	_, hasDate := cols["date"]
	_, hasStep := cols["step"]
	var missing []string
	for _, c := range dataHeader {
		if _, ok := cols[c]; !ok && !(c == "date" && hasStep) {
			missing = append(missing, c)
		}
	}
	switch {
	case hasDate && hasStep:
		at(headerLine, 1, "", "has both a date and a step column; keep one (dates are placed on steps by start and step_days)")
	case len(missing) > 0:
		at(headerLine, 1, "", "the header needs columns date (or step), platform, metric, value_millions; missing: %s (got: %s)", strings.Join(missing, ", "), strings.Join(header, ","))
	}
	if err := drep.Err(); err != nil {
		return err
	}
	v.hasDates = hasDate
	v.timeAxis(path)
	if err := v.Err(); err != nil {
		return err
	}

	type tally struct{ rows, kept int }
	counts := make([]tally, len(fit.Targets))
	metricsOf := map[string][]string{} // platform -> metrics present, in file order
	var platforms []string
	targetOf := map[[2]string]int{}
	for i, t := range fit.Targets {
		targetOf[[2]string{t.Target.Platform, t.Metric}] = i
	}
	steps := fit.Start.Config.Steps
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var all strict.Errors
			if e := drep.Err(); e != nil {
				all = e.(strict.Errors)
			}
			if e, ok := csvError(drep, err).(*strict.FieldError); ok {
				all = append(all, e)
			}
			return all
		}
		line, _ := r.FieldPos(0)
		if len(rec) != len(header) {
			at(line, 1, "", "has %d fields, the header has %d (%s)", len(rec), len(header), strings.Join(header, ","))
			continue
		}
		field := func(name string) (string, int) {
			i := cols[name]
			_, col := r.FieldPos(i)
			return strings.TrimSpace(rec[i]), col
		}
		platform, _ := field("platform")
		metric, _ := field("metric")
		if !slices.Contains(platforms, platform) {
			platforms = append(platforms, platform)
		}
		if !slices.Contains(metricsOf[platform], metric) {
			metricsOf[platform] = append(metricsOf[platform], metric)
		}
		ti, ok := targetOf[[2]string{platform, metric}]
		if !ok {
			continue
		}
		counts[ti].rows++
		obs := Observation{Target: ti, Line: line}
		var when limit
		if hasDate {
			s, col := field("date")
			t, err := time.Parse(dateLayout, s)
			if err != nil {
				at(line, col, "date", "must be a date YYYY-MM-DD, got %q", s)
				continue
			}
			obs.Date, when = s, limit{isDate: true, date: t}
		} else {
			s, col := field("step")
			n, err := strconv.Atoi(s)
			if err != nil || n < 0 {
				at(line, col, "step", "must be a whole number >= 0, got %q", s)
				continue
			}
			obs.Step, when = n, limit{step: n}
		}
		s, col := field("value_millions")
		x, err := strconv.ParseFloat(s, 64)
		switch {
		case s == "":
			at(line, col, "value_millions", "is empty; a fitted row needs a value")
			continue
		case err != nil && !errors.Is(err, strconv.ErrRange):
			at(line, col, "value_millions", "must be a number (millions), got %q", s)
			continue
		case math.IsNaN(x) || math.IsInf(x, 0):
			at(line, col, "value_millions", "must be a finite number, got %q", s)
			continue
		case x < 0:
			at(line, col, "value_millions", "must be >= 0, got %s", s)
			continue
		}
		obs.Value = x
		if !v.inWindow(fit.Targets[ti].Target, when) {
			continue
		}
		if hasDate {
			_, col := field("date")
			if when.date.Before(fit.StartDate) {
				at(line, col, "date", "%s is before start (%s)", obs.Date, calendar.Format(fit.StartDate))
				continue
			}
			obs.Step = v.stepOf(when.date)
		}
		if obs.Step > steps {
			if hasDate {
				_, col := field("date")
				at(line, col, "date", "%s is step %d, beyond the scenario's %d steps", obs.Date, obs.Step, steps)
			} else {
				_, col := field("step")
				at(line, col, "step", "%d is beyond the scenario's %d steps", obs.Step, steps)
			}
			continue
		}
		counts[ti].kept++
		fit.Obs = append(fit.Obs, obs)
	}
	if err := drep.Err(); err != nil {
		return err // skipped rows would make the targets' counts misleading
	}
	for i, t := range fit.Targets {
		path := "targets." + strconv.Itoa(i)
		switch {
		case counts[i].rows > 0 && counts[i].kept == 0:
			v.Fail(path, "every row of %s with platform %s and metric %s lies outside from/to", fit.DataPath, t.Target.Platform, t.Metric)
		case counts[i].rows > 0:
		case len(metricsOf[t.Target.Platform]) > 0:
			v.Fail(path, "no row of %s has platform %s and metric %s (metrics for %s there: %s)", fit.DataPath, t.Target.Platform, t.Metric, t.Target.Platform, strings.Join(metricsOf[t.Target.Platform], ", "))
		default:
			v.Fail(path, "no row of %s has platform %s (platforms there: %s)", fit.DataPath, t.Target.Platform, strings.Join(platforms, ", "))
		}
	}
	return v.Err()
}

// timeAxis checks what placing dated rows on steps needs: start, and step_days (which a
// scenario counted in days or weeks supplies).
func (v *validator) timeAxis(dataPath string) {
	for i, t := range v.file.Targets {
		for _, b := range []struct{ name, s string }{{"from", t.From}, {"to", t.To}} {
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

// csvError turns a CSV syntax error into a located one.
func csvError(rep *strict.Reporter, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return rep.Locate(strict.Position{Line: pe.Line, Column: pe.Column}, "invalid CSV: %s", pe.Err.Error())
	}
	return &strict.FieldError{File: rep.File, Msg: err.Error()}
}
