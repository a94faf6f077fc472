package scenarios

import (
	"errors"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/msgsim/msgsim/internal/calendar"
	"github.com/msgsim/msgsim/internal/observed"
	"github.com/msgsim/msgsim/internal/strict"
)

// RecordSeriesNames are the model series a record's figures may be compared with: those a
// fit's targets name (windowed_active is active without an active_window).
var RecordSeriesNames = []string{"registered", "active", "windowed_active"}

// maxRecordSeries bounds a record's mappings: one per platform and metric is plenty.
const maxRecordSeries = 100

// Record is the published figures a scenario is set against, placed on its steps.
type Record struct {
	Path string // the data file as read; embedded:data/... for a shipped scenario's
	Data []byte // its text, which a run saves beside the scenario it ran
	// Figures are the mapped rows within the run (steps 0 to steps), in file order.
	Figures []Figure
	// Outside are the mapped rows before the start or past the horizon: a data file
	// usually runs on past a scenario's end, so they are left out rather than refused.
	Outside []Figure
}

// Figure is one published figure and the model series it is compared with.
type Figure struct {
	Line     int    // in the data file
	Date     string // as written; "" in a file of steps
	Step     int    // the step the figure falls on
	Platform int    // index among the scenario's platforms
	Metric   string
	Series   string  // one of RecordSeriesNames
	Millions float64 // people, in millions
}

// embeddedPrefix marks a shipped scenario's source, and its record's path: its record file
// is shipped beside it, in the binary.
const embeddedPrefix = "embedded:"

// record validates the record section and reads its figures; problems in the data file
// itself are kept in v.dataErr, reported after the scenario's own.
func (v *validator) record() *Record {
	f := v.file.Record
	if !v.Has("record") {
		return nil
	}
	if f.File == "" {
		v.Fail("record.file", "is required: the data file of published figures (date,platform,metric,value_millions,source), relative to the scenario file")
	}
	if len(f.Series) == 0 {
		v.Fail("record.series", "is required: which rows to draw and compare with which model series, e.g. [{platform: wechat, metric: registered, series: registered}]")
	}
	platformOf := map[string]int{}
	var names []string
	for i, p := range v.file.Platforms {
		platformOf[p.Name] = i
		names = append(names, p.Name)
	}
	ok := f.File != ""
	seen := map[[2]string]int{}
	for i, s := range f.Series {
		path := "record.series." + strconv.Itoa(i)
		if _, known := platformOf[s.Platform]; !known {
			v.Fail(path+".platform", "unknown platform %q%s (the scenario's: %s)", s.Platform, strict.DidYouMean(s.Platform, names), strings.Join(names, ", "))
			ok = false
		}
		if s.Metric == "" {
			v.Fail(path+".metric", "is required: the data's metric column for these rows (e.g. registered, mau)")
			ok = false
		}
		ok = v.oneOf(path+".series", s.Series) && ok
		key := [2]string{s.Platform, s.Metric}
		if first, dup := seen[key]; dup {
			v.Fail(path, "maps platform %s and metric %s again (series %d maps them already)", s.Platform, s.Metric, first)
			ok = false
		}
		seen[key] = i
	}
	if !ok || len(f.Series) == 0 {
		return nil
	}
	rec, err := v.readRecord(f.File)
	if err != nil {
		var re *observed.ReadError
		if errors.As(err, &re) {
			v.Fail("record.file", "%v", re)
		} else {
			v.dataErr = err
		}
		return nil
	}
	return rec
}

// readRecord reads the record's data file (a shipped scenario's from the binary) and places
// its mapped rows on the scenario's steps.
func (v *validator) readRecord(file string) (*Record, error) {
	rec := &Record{Path: file}
	var data *observed.File
	var err error
	if name, isShipped := strings.CutPrefix(v.base.name, embeddedPrefix); isShipped && !filepath.IsAbs(file) {
		rec.Path = embeddedPrefix + path.Join(path.Dir(name), file)
		rec.Data, err = shipped.ReadFile(path.Clean(file))
		if err != nil {
			return nil, &observed.ReadError{Path: rec.Path, Problem: "no such file shipped with " + name}
		}
	} else {
		if !filepath.IsAbs(file) && v.dir != "" {
			rec.Path = filepath.Join(v.dir, file)
		}
		if rec.Data, err = observed.ReadFile("record", rec.Path); err != nil {
			return nil, err
		}
	}
	if data, err = observed.Parse(rec.Data, rec.Path); err != nil {
		return nil, err
	}
	if data.HasDates && !v.calendar.IsSet() {
		v.Fail("record.file", "%s has dates: set the scenario's start (e.g. start: 2011-01-21) to place them on its steps", rec.Path)
		return nil, nil
	}
	series := v.file.Record.Series
	inside, outside := make([]int, len(series)), make([]int, len(series))
	steps := v.file.Steps.Step
	for {
		row, err := data.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		i := slices.IndexFunc(series, func(s RecordSeries) bool { return s.Platform == row.Platform && s.Metric == row.Metric })
		if i < 0 {
			continue
		}
		when, ok := data.When(row)
		if !ok {
			continue
		}
		value, ok := data.Value(row, "a recorded row")
		if !ok {
			continue
		}
		fig := Figure{Line: row.Line, Step: when.Step, Metric: row.Metric, Series: series[i].Series, Millions: value}
		if when.IsDate {
			fig.Date, fig.Step = when.Text, v.calendar.StepOf(when.Date)
		}
		fig.Platform = slices.IndexFunc(v.file.Platforms, func(p PlatformFile) bool { return p.Name == row.Platform })
		if fig.Step < 0 || fig.Step > steps {
			rec.Outside = append(rec.Outside, fig)
			outside[i]++
			continue
		}
		rec.Figures = append(rec.Figures, fig)
		inside[i]++
	}
	if err := data.Err(); err != nil {
		return nil, err
	}
	for i, s := range series {
		path := "record.series." + strconv.Itoa(i)
		switch {
		case inside[i]+outside[i] == 0:
			v.Fail(path, "%s", data.NoRows(s.Platform, s.Metric))
		case inside[i] == 0:
			v.Fail(path, "every row of %s with platform %s and metric %s lies outside the run (%s)", rec.Path, s.Platform, s.Metric, v.runSpan())
		}
	}
	return rec, nil
}

// runSpan is the run's extent in words, for messages about figures outside it.
func (v *validator) runSpan() string {
	steps := v.file.Steps.Step
	if !v.calendar.IsSet() {
		return fmt.Sprintf("steps 0 to %d", steps)
	}
	return fmt.Sprintf("%s to %s, steps 0 to %d", calendar.Format(v.calendar.Start), calendar.Format(v.calendar.DateOf(steps+1).AddDate(0, 0, -1)), steps)
}
