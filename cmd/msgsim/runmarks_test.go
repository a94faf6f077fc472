package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/msgsim/msgsim/internal/evaluate"
	"github.com/msgsim/msgsim/model"
	"github.com/msgsim/msgsim/output/chart"
	"github.com/msgsim/msgsim/scenarios"
)

// recordSets put small.yaml on the calendar and give it testdata/record.csv as its record.
var recordSets = []string{
	"--set", "start=2011-01-21",
	"--set", "record={file: record.csv, series: [{platform: alpha, metric: registered, series: registered}, {platform: beta, metric: users, series: active}]}",
}

func TestRunRecord(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "out")
	stdout, stderr, code := runCLI(t, append([]string{"run", "testdata/small.yaml", "-o", dir, "--format", "csv,json"}, recordSets...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var summary evaluate.Summary
	if err := json.Unmarshal(readFile(t, filepath.Join(dir, "summary.json")), &summary); err != nil {
		t.Fatal(err)
	}
	// The table's model columns are bands.csv's people columns at the figure's step.
	bands, err := csv.NewReader(strings.NewReader(string(readFile(t, filepath.Join(dir, "bands.csv"))))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range bands[0] {
		col[h] = i
	}
	band := func(step int, platform, name string) float64 {
		for _, row := range bands[1:] {
			if row[col["step"]] == strconv.Itoa(step) && row[col["platform"]] == platform {
				x, _ := strconv.ParseFloat(row[col[name]], 64)
				return x
			}
		}
		t.Fatalf("no bands row for step %d, %s", step, platform)
		return 0
	}
	type want struct {
		date     string
		step     int
		platform string
		series   string
		record   float64
		column   string // bands.csv's people columns
	}
	wants := []want{
		{"2011-02-04", 2, "alpha", "registered", 100_000, "registered_people"},
		{"2011-03-04", 6, "alpha", "registered", 200_000, "registered_people"},
		{"2011-02-25", 5, "beta", "active", 10_000, "users_people"},
	}
	if len(summary.Record) != len(wants) {
		t.Fatalf("record table has %d rows, want %d: %+v", len(summary.Record), len(wants), summary.Record)
	}
	inBand := 0
	for i, w := range wants {
		r := summary.Record[i]
		mean, p5, p95 := band(w.step, w.platform, w.column+"_mean"), band(w.step, w.platform, w.column+"_p5"), band(w.step, w.platform, w.column+"_p95")
		if r.Date != w.date || r.Step != w.step || r.Platform != w.platform || r.Series != w.series || r.Record != w.record {
			t.Errorf("row %d: %+v, want %+v", i, r, w)
		}
		if math.Abs(r.Mean-mean) > 1e-6 || math.Abs(r.P5-p5) > 1e-6 || math.Abs(r.P95-p95) > 1e-6 {
			t.Errorf("row %d: model %g (%g-%g), bands.csv %g (%g-%g)", i, r.Mean, r.P5, r.P95, mean, p5, p95)
		}
		if r.RelativeError == nil || math.Abs(*r.RelativeError-(mean-w.record)/w.record) > 1e-6 {
			t.Errorf("row %d: relative error %v, want (%g - %g) / %g", i, r.RelativeError, mean, w.record, w.record)
		}
		if r.InBand != (p5 <= w.record && w.record <= p95) {
			t.Errorf("row %d: in band %v with %g in [%g, %g]", i, r.InBand, w.record, p5, p95)
		}
		if r.InBand {
			inBand++
		}
	}
	for _, line := range []string{
		"  record testdata/record.csv: " + strconv.Itoa(inBand) + " of 3 figures within the 5-95% band; largest miss ",
		"  record: 1 figure outside the run left out (alpha registered 2012-01-01)\n",
	} {
		if !strings.Contains(stdout, line) {
			t.Errorf("stdout lacks %q:\n%s", line, stdout)
		}
	}
	// The record is saved beside the scenario, which names it and reruns from there.
	if got := readFile(t, filepath.Join(dir, scenarios.RecordCopy)); string(got) != string(readFile(t, "testdata/record.csv")) {
		t.Errorf("record.csv is not the record's file:\n%s", got)
	}
	sc, err := scenarios.Load(filepath.Join(dir, "scenario.yaml"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(sc.Record.Figures) != 3 {
		t.Errorf("the saved scenario's record has %d figures, want 3", len(sc.Record.Figures))
	}
}

func TestRunChartMarks(t *testing.T) {
	t.Parallel()
	sc, err := scenarios.Load("testdata/small.yaml", []string{recordSets[1], recordSets[3]})
	if err != nil {
		t.Fatal(err)
	}
	u := chart.PeopleUnit(sc.File.Scale, sc.Config.Agents)
	list := []namedChart{{name: "adoption"}, {name: "registered"}, {name: "share"}}
	markCharts(sc, u, list)
	// beta launches at 3 and gets a preinstall at 4; beta's marketing at 6, alpha's ban at 8.
	wantEvents := []chart.Event{{X: 3, Label: "beta launch"}, {X: 4, Label: "beta preinstall"}, {X: 6, Label: "beta marketing"}, {X: 8, Label: "alpha ban"}}
	for _, c := range list {
		if len(c.chart.Events) != len(wantEvents) {
			t.Fatalf("%s: events %+v, want %+v", c.name, c.chart.Events, wantEvents)
		}
		for i, e := range wantEvents {
			if c.chart.Events[i] != e {
				t.Errorf("%s: event %d %+v, want %+v", c.name, i, c.chart.Events[i], e)
			}
		}
	}
	// Registered figures go on the registered chart as circles, active ones on adoption as
	// triangles, in the unit of the axis (people: 300 agents of 1,000).
	registered, adoption := list[1].chart, list[0].chart
	if u.Name != "people" || len(registered.Points) != 1 || len(adoption.Points) != 1 || list[2].chart.Points != nil {
		t.Fatalf("unit %s; points: registered %+v, adoption %+v, share %+v", u.Name, registered.Points, adoption.Points, list[2].chart.Points)
	}
	r, a := registered.Points[0], adoption.Points[0]
	if r.Name != "alpha" || r.Marker != chart.Circle || r.Label != "alpha registered (record)" || !equal(r.X, []float64{2, 6}) || !equal(r.Y, []float64{100_000, 200_000}) {
		t.Errorf("registered points %+v", r)
	}
	if a.Name != "beta" || a.Marker != chart.Triangle || a.Label != "beta users (record)" || !equal(a.X, []float64{5}) || !equal(a.Y, []float64{10_000}) {
		t.Errorf("adoption points %+v", a)
	}
	if !registered.SplitSmall || !adoption.SplitSmall || list[2].chart.SplitSmall {
		t.Error("the users charts, and they only, split off a small platform")
	}
}

func equal(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(a[i]-b[i]) > 1e-9*math.Max(1, math.Abs(b[i])) {
			return false
		}
	}
	return true
}

// With an active window, figures compared with windowed actives stand on the windowed chart,
// over the curve they are fitted to, not on adoption's active users; without one they are
// the active users and stand on adoption.
func TestWindowedFiguresOnTheirChart(t *testing.T) {
	t.Parallel()
	record := "record={file: record.csv, series: [{platform: beta, metric: users, series: windowed_active}]}"
	for _, tc := range []struct {
		window             string
		adoption, windowed int // points sets on each chart
	}{
		{"active_window=4", 0, 1},
		{"active_window=0", 1, 0},
	} {
		sc, err := scenarios.Load("testdata/small.yaml", []string{"start=2011-01-21", record, tc.window})
		if err != nil {
			t.Fatal(err)
		}
		runs := []*model.Series{}
		for r := range 2 {
			s, err := model.Run(context.Background(), &sc.Config, model.RunOptions{Seed: uint64(r), Workers: 1})
			if err != nil {
				t.Fatal(err)
			}
			runs = append(runs, s)
		}
		got := map[string]int{}
		for _, c := range charts(sc, runs) {
			got[c.name] = len(c.chart.Points)
		}
		if _, drawn := got["windowed"]; drawn != (tc.windowed > 0) || got["adoption"] != tc.adoption || got["windowed"] != tc.windowed {
			t.Errorf("%s: record point sets per chart %v, want adoption %d, windowed %d", tc.window, got, tc.adoption, tc.windowed)
		}
	}
}
