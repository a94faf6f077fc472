package calibrate

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/msgsim/msgsim/internal/golden"
)

// errorsBase is the scenario of the error cases: two platforms, 60 weeks.
const errorsBase = `name: Errors
agents: 200
steps: 60
time_unit: week
graph: {kind: complete}
decision: {rule: bass}
platforms:
  app: {p: 0.01, q: 0.3}
  rival: {p: 0, q: 0}
`

// errorsSegments gives errorsBase segments, for the cases of targets that name one.
const errorsSegments = "segments: {vip: {count: 20}}\n"

// errorsData is the data of the error cases unless a case has its own.
const errorsData = `date,platform,metric,value_millions,source
2020-01-01,app,registered,0,launch
2020-03-01,app,registered,10,a
2020-06-01,app,registered,50,b
2020-06-01,app,mau,40,c
2020-06-01,other,registered,5,d
`

// valid is a fit file that loads; cases replace parts of it.
const valid = `scenario: base.yaml
data: d.csv
start: 2020-01-01
targets:
  - {platform: app, metric: registered, series: registered}
parameters:
  - {path: platforms.app.q, min: 0.05, max: 1}
`

func withTargets(targets string) string {
	return strings.Replace(valid, "  - {platform: app, metric: registered, series: registered}\n", targets, 1)
}

func withParams(params string) string {
	return strings.Replace(valid, "  - {path: platforms.app.q, min: 0.05, max: 1}\n", params, 1)
}

// fitErrorCases covers every fit-file and data-file validation path; testdata/errors.golden
// holds the exact messages.
var fitErrorCases = []struct{ name, yaml, csv string }{
	// the fit file's shape
	{"syntax", "targets: [\n", ""},
	{"empty", "", ""},
	{"not a mapping", "- a\n", ""},
	{"unknown field", valid + "budgets: 10\n", ""},
	{"wrong type", valid + "budget: lots\n", ""},
	{"targets not a list", "scenario: base.yaml\ndata: d.csv\ntargets: {platform: app}\n", ""},
	{"unknown target field", withTargets("  - {platform: app, metrik: registered, series: registered}\n"), ""},
	{"unknown parameter field", withParams("  - {path: platforms.app.q, min: 0.05, max: 1, step: 2}\n"), ""},
	// top-level values
	{"replicates", valid + "replicates: 0\n", ""},
	{"budget negative", valid + "budget: -5\n", ""},
	{"budget too small", valid + "budget: 20\n", ""},
	{"budget too small for cma_es", valid + "method: cma_es\nuncertainty: none\nbudget: 8\nreplicates: 1\n", ""},
	{"method", valid + "method: nelder-mead\n", ""},
	{"uncertainty", valid + "uncertainty: bootstrap\n", ""},
	{"start", strings.Replace(valid, "start: 2020-01-01", "start: 2020-13-01", 1), ""},
	{"step_days", valid + "step_days: 0\n", ""},
	{"scale", valid + "scale: -1\n", ""},
	{"data missing", strings.Replace(valid, "data: d.csv\n", "", 1), ""},
	{"scenario missing", strings.Replace(valid, "scenario: base.yaml", "scenario: nowhere.yaml", 1), ""},
	{"bad set", valid + "set: [agents=lots]\n", ""},
	// targets
	{"no targets", strings.Replace(valid, "targets:\n  - {platform: app, metric: registered, series: registered}\n", "targets: []\n", 1), ""},
	{"target platform missing", withTargets("  - {metric: registered, series: registered}\n"), ""},
	{"target platform unknown", withTargets("  - {platform: ap, metric: registered, series: registered}\n"), ""},
	{"target metric missing", withTargets("  - {platform: app, series: registered}\n"), ""},
	{"target series missing", withTargets("  - {platform: app, metric: registered}\n"), ""},
	{"target series unknown", withTargets("  - {platform: app, metric: mau, series: activ}\n"), ""},
	{"target twice", withTargets("  - {platform: app, metric: registered, series: registered}\n  - {platform: app, metric: registered, series: active}\n"), ""},
	{"target segment without segments", withTargets("  - {platform: app, metric: registered, series: registered, segment: vip}\n"), ""},
	{"target segment unknown", strings.Replace(withTargets("  - {platform: app, metric: registered, series: registered, segment: vpi}\n"), "base.yaml", "segments.yaml", 1), ""},
	{"target segment series", strings.Replace(withTargets("  - {platform: app, metric: registered, series: windowed_active, segment: vip}\n"), "base.yaml", "segments.yaml", 1), ""},
	{"target from", withTargets("  - {platform: app, metric: registered, series: registered, from: March}\n"), ""},
	{"target to before from", withTargets("  - {platform: app, metric: registered, series: registered, from: 2020-06-01, to: 2020-02-01}\n"), ""},
	// parameters
	{"no parameters", strings.Replace(valid, "parameters:\n  - {path: platforms.app.q, min: 0.05, max: 1}\n", "parameters: []\n", 1), ""},
	{"path missing", withParams("  - {min: 0.05, max: 1}\n"), ""},
	{"path unknown", withParams("  - {path: platforms.app.qq, min: 0.05, max: 1}\n"), ""},
	{"path is a word", withParams("  - {path: decision.rule, min: 0, max: 1}\n"), ""},
	{"path is a list", withParams("  - {path: graph.blocks, min: 0, max: 1}\n"), ""},
	{"path reserved", withParams("  - {path: steps, min: 10, max: 20}\n"), ""},
	{"path fixed by set", valid + "set: [platforms.app.q=0.2]\n", ""},
	{"path fitted twice", withParams("  - {path: platforms.app.q, min: 0.05, max: 1}\n  - {path: platforms.app.q, min: 0.1, max: 1}\n"), ""},
	{"bounds missing", withParams("  - {path: platforms.app.q}\n"), ""},
	{"bounds order", withParams("  - {path: platforms.app.q, min: 1, max: 1}\n"), ""},
	{"log bound at zero", withParams("  - {path: platforms.app.p, min: 0, max: 0.1, scale: log}\n"), ""},
	{"scale unknown", withParams("  - {path: platforms.app.p, min: 0.001, max: 0.1, scale: exp}\n"), ""},
	{"integer bound", withParams("  - {path: agents, min: 100.5, max: 300}\n"), ""},
	{"bound outside the field's range", withParams("  - {path: platforms.app.churn, min: 0, max: 2}\n"), ""},
	// the data file
	{"data not found", strings.Replace(valid, "data: d.csv", "data: nowhere.csv", 1), ""},
	{"data is a directory", strings.Replace(valid, "data: d.csv", "data: .", 1), ""},
	{"data empty", valid, "\n"},
	{"header", valid, "when,platform,metric,value\n2020-01-01,app,registered,1\n"},
	{"header with date and step", valid, "date,step,platform,metric,value_millions\n2020-01-01,0,app,registered,1\n"},
	{"csv syntax", valid, "date,platform,metric,value_millions,source\n2020-03-01,app,registered,10,\"a\"b\n"},
	{"field count", valid, "date,platform,metric,value_millions,source\n2020-03-01,app,registered,10\n"},
	{"duplicate column", valid, "date,platform,metric,value_millions,value_millions\n2020-03-01,app,registered,10,7\n"},
	{"bad date", valid, "date,platform,metric,value_millions,source\n2020-03-1,app,registered,10,a\n"},
	{"bad value", valid, "date,platform,metric,value_millions,source\n2020-03-01,app,registered,ten,a\n"},
	{"empty value", valid, "date,platform,metric,value_millions,source\n2020-03-01,app,registered,,a\n"},
	{"negative value", valid, "date,platform,metric,value_millions,source\n2020-03-01,app,registered,-3,a\n"},
	{"infinite value", valid, "date,platform,metric,value_millions,source\n2020-03-01,app,registered,Inf,a\n"},
	{"date before start", valid, "date,platform,metric,value_millions,source\n2019-12-25,app,registered,1,a\n2020-03-01,app,registered,10,a\n"},
	{"date beyond the steps", valid, "date,platform,metric,value_millions,source\n2020-03-01,app,registered,10,a\n2021-06-01,app,registered,90,b\n"},
	{"bad step", strings.Replace(valid, "start: 2020-01-01\n", "", 1), "step,platform,metric,value_millions\nfive,app,registered,10\n"},
	{"step beyond the steps", strings.Replace(valid, "start: 2020-01-01\n", "", 1), "step,platform,metric,value_millions\n5,app,registered,10\n61,app,registered,50\n"},
	{"start missing", strings.Replace(valid, "start: 2020-01-01\n", "", 1), ""},
	{"step_days missing", valid + "set: [time_unit=month]\n", ""},
	{"start beside the scenario's calendar", valid + "step_days: 7\nset: [start=2020-01-01, step=week]\n", ""},
	{"date limit on step data", strings.Replace(withTargets("  - {platform: app, metric: registered, series: registered, from: 2020-02-01}\n"), "start: 2020-01-01\n", "", 1), "step,platform,metric,value_millions\n5,app,registered,10\n"},
	{"target matches no metric", withTargets("  - {platform: app, metric: dau, series: active}\n"), ""},
	{"target matches no platform", withTargets("  - {platform: rival, metric: registered, series: registered}\n"), ""},
	{"target at beside from", withTargets("  - {platform: app, metric: registered, series: registered, at: 2020-03-01, to: 2020-06-01}\n"), ""},
	{"target at not a moment", withTargets("  - {platform: app, metric: registered, series: registered, at: spring}\n"), ""},
	{"target at before start", withTargets("  - {platform: app, metric: registered, series: registered, at: 2019-12-31}\n"), ""},
	{"target at past the run", withTargets("  - {platform: app, metric: registered, series: registered, at: 2021-03-01}\n"), ""},
	{"target at step past the run", withTargets("  - {platform: app, metric: registered, series: registered, at: 61}\n"), ""},
	{"target at date on step data", strings.Replace(withTargets("  - {platform: app, metric: registered, series: registered, at: 2020-02-01}\n"), "start: 2020-01-01\n", "", 1), "step,platform,metric,value_millions\n5,app,registered,10\n"},
	{"target at matches no row", withTargets("  - {platform: app, metric: registered, series: registered, at: 2020-04-01}\n"), ""},
	{"target rows outside from/to", withTargets("  - {platform: app, metric: registered, series: registered, from: 2020-07-01}\n"), ""},
	{"escape sequence in the name", valid + "name: \"fit\\e]0;x\\a\"\n", ""},
	{"several problems in file order", withParams("  - {path: platforms.app.q, min: 2, max: 1}\n") + "replicates: 0\nmethod: simplex\n", ""},
}

func TestFitFileErrors(t *testing.T) {
	t.Parallel()
	var names, messages []string
	for _, tc := range fitErrorCases {
		dir := t.TempDir()
		csv := tc.csv
		if csv == "" {
			csv = errorsData
		}
		for name, content := range map[string]string{"base.yaml": errorsBase, "segments.yaml": errorsBase + errorsSegments, "d.csv": csv} {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		_, err := Parse([]byte(tc.yaml), "f.yaml", dir)
		if err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		names = append(names, tc.name)
		messages = append(messages, strings.ReplaceAll(strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), ""), dir, "DIR"))
	}
	golden.Messages(t, filepath.Join("testdata", "errors.golden"), names, messages)
}

func TestValidFitFileLoads(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for name, content := range map[string]string{"base.yaml": errorsBase, "d.csv": errorsData} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fit, err := Parse([]byte(valid), "f.yaml", dir)
	if err != nil {
		t.Fatal(err)
	}
	// Rows of other platforms and metrics are ignored; dates land on steps of 7 days
	// (the scenario counts weeks), rounded: 60 days is 8.6 weeks, 152 days 21.7.
	var steps []int
	for _, o := range fit.Obs {
		steps = append(steps, o.Step)
	}
	if len(fit.Obs) != 3 || steps[0] != 0 || steps[1] != 9 || steps[2] != 22 || fit.Obs[1].Line != 3 || fit.Obs[2].Value != 50 {
		t.Errorf("observations %+v", fit.Obs)
	}
	if fit.File.Name != "f" || fit.File.Replicates != 4 || fit.File.Budget != 400 || fit.File.Method != "nelder_mead" || fit.File.StepDays != 7 || fit.Scale != 1 {
		t.Errorf("defaults: %+v, scale %g", fit.File, fit.Scale)
	}
	if p := fit.Params[0]; p.Current != 0.3 || p.Log || p.Min != 0.05 || p.Max != 1 {
		t.Errorf("parameter %+v", p)
	}
}

// With a calendar in the scenario, the fit file gives no start and dates land on the step
// that contains them: weeks from 1 January 2020 put 1 March (60 days) in step 8 and 1 June (152 days) in step 21, where step_days would round to 9 and 22.
func TestScenarioCalendarPlacesDates(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for name, content := range map[string]string{"base.yaml": errorsBase, "d.csv": errorsData} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	text := strings.Replace(valid, "start: 2020-01-01\n", "set: [start=2020-01-01, step=week]\n", 1)
	fit, err := Parse([]byte(text), "f.yaml", dir)
	if err != nil {
		t.Fatal(err)
	}
	var steps []int
	for _, o := range fit.Obs {
		steps = append(steps, o.Step)
	}
	if !slices.Equal(steps, []int{0, 8, 21}) || !fit.StartDate.Equal(fit.Start.Calendar.Start) {
		t.Errorf("steps %v, start %v; want [0 8 21] from the scenario's 2020-01-01", steps, fit.StartDate)
	}
}

// TestTargetWindows: from and to keep a target's rows between them, inclusive, as dates or
// as steps (a step limit on dated rows compares their steps).
func TestTargetWindows(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for name, content := range map[string]string{"base.yaml": errorsBase, "d.csv": errorsData} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		window string
		steps  []int
	}{
		{"", []int{0, 9, 22}},
		{", from: 2020-01-02", []int{9, 22}},
		{", from: 2020-03-01, to: 2020-03-01", []int{9}},
		{", to: 2020-05-31", []int{0, 9}},
		{", from: 1", []int{9, 22}},
		{", from: 9, to: 21", []int{9}},
		{", to: 22", []int{0, 9, 22}},
		{", at: 2020-03-01", []int{9}},
		{", at: 2020-06-01", []int{22}},
		{", at: 9", []int{9}},
		{", at: 0", []int{0}},
	}
	for _, tc := range tests {
		fit, err := Parse([]byte(withTargets("  - {platform: app, metric: registered, series: registered"+tc.window+"}\n")), "f.yaml", dir)
		if err != nil {
			t.Errorf("%q: %v", tc.window, err)
			continue
		}
		var steps []int
		for _, o := range fit.Obs {
			steps = append(steps, o.Step)
		}
		if fmt.Sprint(steps) != fmt.Sprint(tc.steps) {
			t.Errorf("%q: steps %v, want %v", tc.window, steps, tc.steps)
		}
	}
}

// TestShippedCalibrationsLoad: every fit file in calibrations/ is valid, and wechat.yaml fits
// the four registered figures after launch and the three pre-revision MAU figures.
func TestShippedCalibrationsLoad(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("../../calibrations/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no calibrations found: %v", err)
	}
	for _, path := range files {
		fit, err := Load(path)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		if filepath.Base(path) != "wechat.yaml" {
			continue
		}
		var got []string
		for _, o := range fit.Obs {
			got = append(got, fmt.Sprintf("%s %s %d %g", fit.Targets[o.Target].Metric, o.Date, o.Step, o.Value))
		}
		want := []string{
			"registered 2011-12-31 49 50", "registered 2012-03-29 62 100", "registered 2012-09-17 86 200", "registered 2013-01-15 104 300",
			"mau 2013-03-31 114 194.4", "mau 2013-06-30 127 235.8", "mau 2013-09-30 140 271.9",
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("wechat.yaml fits:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}
