package sweep

import (
	"fmt"
	"math"
	"strconv"

	"go.yaml.in/yaml/v4"

	"github.com/msgsim/msgsim/internal/calendar"
	"github.com/msgsim/msgsim/internal/evaluate"
	"github.com/msgsim/msgsim/internal/strict"
	"github.com/msgsim/msgsim/model"
	"github.com/msgsim/msgsim/scenarios"
)

// AtMetrics are the outcomes a sweep file's at: list adds for each of its moments, named
// METRIC.MOMENT.PLATFORM (users_at.2013-09-30.wechat, share_at.104.laiwang).
var AtMetrics = []string{"users_at", "share_at"}

// Moment is one entry of a sweep file's at: list: a row of the run's series, named as the
// file wrote it.
type Moment struct {
	Label string // the date (YYYY-MM-DD) or the step, as written
	Step  int    // the series row: after Step steps, the row timeseries.csv dates DateOf(Step)
}

// MomentList is a sweep file's at: list as written, each entry's node kept so that its
// errors point at it.
type MomentList []string

// DecodeCustom reads a list of scalars: steps or dates, checked against the scenario later.
func (ml *MomentList) DecodeCustom(d *strict.Decoder, n *yaml.Node, path string) {
	if n.Kind != yaml.SequenceNode {
		d.At(n, path, "must be a list of steps or dates, e.g. [104, 2013-09-30], got %s", strict.Describe(n))
		return
	}
	for i, item := range n.Content {
		item = strict.Resolve(item)
		itemPath := strict.Join(path, strconv.Itoa(i))
		d.Nodes[itemPath] = item
		if item.Kind != yaml.ScalarNode || item.Tag == "!!null" {
			d.At(item, itemPath, "must be a step (a whole number) or a date written as YYYY-MM-DD, got %s", strict.Describe(item))
		}
		*ml = append(*ml, item.Value) // kept in place, so that later entries keep their index
	}
}

// atOutcomeNames lists the outcomes of the moments, metric-major, then moment, then platform.
func atOutcomeNames(platforms []string, at []Moment) []string {
	var names []string
	for _, m := range AtMetrics {
		for _, a := range at {
			for _, p := range platforms {
				names = append(names, m+"."+a.Label+"."+p)
			}
		}
	}
	return names
}

// atValues appends the outcomes of the moments to values, in atOutcomeNames' order: active
// users and share at each moment's row, NaN when a point's run ends before it (a factor
// that shortens steps).
func atValues(values []float64, s *model.Series, at []Moment) []float64 {
	for _, metric := range AtMetrics {
		for _, a := range at {
			for j := range s.Platforms {
				x := math.NaN()
				switch {
				case a.Step > s.Steps:
				case metric == "users_at":
					x = evaluate.ActiveUsers(s, a.Step, j)
				default:
					x = math.Round(s.Share(a.Step, j)*1e6) / 1e6
				}
				values = append(values, x)
			}
		}
	}
	return values
}

// moments resolves the at: list against the base scenario (after set): a step is a row from
// 0 to steps; a date needs the scenario's calendar and counts on the row of the step
// containing it (the row timeseries.csv dates on or just before it), from the start to the
// dates the last row stands for.
func (v *validator) moments(sw *Sweep, sc *scenarios.Scenario) {
	seen := map[string]int{}
	for i, text := range sw.File.At {
		path := "at." + strconv.Itoa(i)
		step, err := momentStep(text, sc)
		if err != nil {
			v.Fail(path, "%v", err)
			continue
		}
		if j, dup := seen[text]; dup {
			v.Fail(path, "%s is already listed as at.%d", text, j)
			continue
		}
		seen[text] = i
		sw.At = append(sw.At, Moment{Label: text, Step: step})
	}
	if len(sw.At) == 0 || !sc.Calendar.IsSet() {
		return
	}
	for i, f := range sw.File.Factors {
		if f.Path == "start" || f.Path == "step" {
			v.Fail("factors."+strconv.Itoa(i)+".path", "%s moves the calendar that places at:'s dates; sweep it without at:, or give at: steps", f.Path)
		}
	}
}

// momentStep is the series row of one at: entry.
func momentStep(text string, sc *scenarios.Scenario) (int, error) {
	steps := sc.Config.Steps
	if n, err := strconv.Atoi(text); err == nil {
		if n < 0 || n > steps {
			return 0, fmt.Errorf("step %d is outside the run: steps go from 0 (the start) to %d (the end of the base scenario's %d steps)", n, steps, steps)
		}
		return n, nil
	}
	date, err := calendar.ParseDate(text)
	if err != nil {
		return 0, fmt.Errorf("must be a step (a whole number) or a date written as YYYY-MM-DD (e.g. 2013-09-30), got %q", text)
	}
	cal := sc.Calendar
	if !cal.IsSet() {
		return 0, fmt.Errorf("date %s needs the base scenario's start date (start: in the scenario, or set: [start=2011-01-21]); without one give a step", text)
	}
	switch k := cal.StepOf(date); {
	case k < 0:
		return 0, fmt.Errorf("date %s is before the base scenario's start, %s", text, calendar.Format(cal.Start))
	case k > steps:
		return 0, fmt.Errorf("date %s is past the run: its last row, after %d %ss, is dated %s and stands for the dates to %s",
			text, steps, cal.Unit, calendar.Format(cal.DateOf(steps)), calendar.Format(cal.DateOf(steps+1).AddDate(0, 0, -1)))
	default:
		return k, nil
	}
}
