package scenarios

import (
	"reflect"
	"time"

	"go.yaml.in/yaml/v4"

	"github.com/msgsim/msgsim/internal/calendar"
	"github.com/msgsim/msgsim/internal/strict"
)

// StepOrDate is a point on the timeline as a scenario writes it: a step number (52) or, in a
// scenario that sets start, a date (2012-01-20), which validation maps to the step containing
// it (see package calendar for which step contains a date). The path model reads it as a whole
// number, so --set, sweep factors and calibration parameters take either; the JSON Schema
// says "an integer or a date".
type StepOrDate struct {
	Step int       // the step: as written, or the date's once validated
	Date time.Time // the date as written; zero for a step number
}

// At is a step number as a StepOrDate.
func At(step int) StepOrDate { return StepOrDate{Step: step} }

// DecodeCustom reads a whole number or a date written as YYYY-MM-DD.
func (s *StepOrDate) DecodeCustom(d *strict.Decoder, n *yaml.Node, path string) {
	if n.Kind == yaml.ScalarNode && n.Tag != "!!int" && n.Tag != "!!float" {
		if date, err := calendar.ParseDate(n.Value); err == nil {
			*s = StepOrDate{Date: date}
			return
		}
		if n.Tag != "!!null" {
			d.At(n, path, "must be a step (a whole number) or a date written as YYYY-MM-DD (e.g. 2011-01-21), got %s", strict.Describe(n))
			return
		}
	}
	*s = StepOrDate{}
	d.Decode(n, reflect.ValueOf(&s.Step).Elem(), path)
}

var stepOrDateType = reflect.TypeFor[StepOrDate]()

// calendarOf is the scenario's calendar: the zero Calendar without start.
func (v *validator) calendarOf() calendar.Calendar {
	f := v.file
	if !v.Has("start") {
		if v.Has("step") {
			v.Fail("step", "needs start, the date of step 0 (e.g. start: 2011-01-21)")
		}
		return calendar.Calendar{}
	}
	if !v.oneOf("step", f.Step) {
		return calendar.Calendar{}
	}
	cal, err := calendar.New(f.Start, calendar.Unit(f.Step))
	if err != nil {
		v.Fail("start", "%v", err)
		return calendar.Calendar{}
	}
	if v.Has("time_unit") && f.TimeUnit != f.Step {
		v.Fail("time_unit", "is %q, but a scenario with start counts steps of its step length (%s): leave time_unit out or set it to %s", f.TimeUnit, f.Step, f.Step)
	}
	f.TimeUnit = f.Step
	return cal
}

// resolveDates maps every date in the file to its step: first steps (the horizon; a date
// there is the last day run, so the run ends with the step containing it), then every other
// step-or-date field, found through the path model, which must fall inside the horizon but
// for a market point's (before the start, a negative step).
func (v *validator) resolveDates(cal calendar.Calendar) {
	if !v.file.Steps.Date.IsZero() {
		if k, ok := v.stepOf(cal, "steps", v.file.Steps.Date, -1); ok {
			v.file.Steps.Step = k + 1
		}
	}
	horizon := v.file.Steps.Step
	if v.unresolved["steps"] {
		horizon = -1 // no horizon to hold dates to: its own error says why
	}
	fileModel().eachStepOrDate(reflect.ValueOf(v.file).Elem(), "", func(path string, s *StepOrDate) {
		if s.Date.IsZero() || path == "steps" {
			return
		}
		if unboundedDate(path) && cal.IsSet() {
			s.Step = cal.StepOf(s.Date)
			return
		}
		if k, ok := v.stepOf(cal, path, s.Date, horizon); ok {
			s.Step = k
		}
	})
}

func (v *validator) stepOf(cal calendar.Calendar, path string, date time.Time, steps int) (int, bool) {
	k, err := cal.StepWithin(date, steps)
	if err != nil {
		v.Fail(path, "%v", err)
		if v.unresolved == nil {
			v.unresolved = map[string]bool{}
		}
		v.unresolved[path] = true
		return 0, false
	}
	return k, true
}

// eachStepOrDate calls fn with every StepOrDate under the section or list m, whose value is v
// and path path: dates can then stand wherever a step does with no code per field.
func (m *field) eachStepOrDate(v reflect.Value, path string, fn func(path string, s *StepOrDate)) {
	m.eachLeaf(v, path, func(leaf, _ *field, section reflect.Value, path string) {
		if leaf.typ == stepOrDateType {
			fn(path, section.Field(leaf.index).Addr().Interface().(*StepOrDate))
		}
	})
}

// calendarUnits are the words step takes.
func calendarUnits() []string {
	words := make([]string, len(calendar.Units))
	for i, u := range calendar.Units {
		words[i] = string(u)
	}
	return words
}
