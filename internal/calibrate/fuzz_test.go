package calibrate

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// checkFit fails unless a loaded fit is consistent: every target fits at least one
// observation, and every observation lies on the scenario's steps with a finite value >= 0;
// every parameter has finite bounds min < max (min > 0 on a log scale).
func checkFit(t *testing.T, fit *Fit) {
	t.Helper()
	perTarget := make([]int, len(fit.Targets))
	steps := fit.Start.Config.Steps
	for _, o := range fit.Obs {
		if o.Target < 0 || o.Target >= len(fit.Targets) {
			t.Fatalf("observation %+v: no target %d", o, o.Target)
		}
		perTarget[o.Target]++
		if o.Step < 0 || o.Step > steps || o.Line < 2 || !(o.Value >= 0) || math.IsInf(o.Value, 0) {
			t.Fatalf("observation %+v: want a step in [0, %d], a line after the header and a finite value >= 0", o, steps)
		}
	}
	for i, n := range perTarget {
		if n == 0 {
			t.Fatalf("target %d (%s) fits no observation", i, fit.Targets[i].Label)
		}
	}
	if len(fit.Params) == 0 {
		t.Fatal("no parameters")
	}
	for _, p := range fit.Params {
		if !(p.Min < p.Max) || math.IsInf(p.Min, 0) || math.IsInf(p.Max, 0) || p.Log && !(p.Min > 0) {
			t.Fatalf("parameter %+v: want finite bounds min < max, min > 0 on a log scale", p)
		}
	}
}

// fuzzValidFit is the valid fit file of the error tests, on the Bass market of the recovery
// tests with the calibrate command's test data.
var fuzzValidFit = strings.NewReplacer("scenario: base.yaml", "scenario: ../calibrate/testdata/bass.yaml",
	"data: d.csv", "data: ../cmd/msgsim/testdata/calib_data.csv").Replace(valid)

// fuzzFitSeeds are fit files of the hostile tests of issue 8. Their paths resolve from
// ../calibrations, where the fuzz test parses.
var fuzzFitSeeds = []string{
	fuzzValidFit,
	"name: \"\\e[31mred\\e[0m\"\n" + fuzzValidFit,
	"name: " + strings.Repeat("n", 4096) + "\n" + fuzzValidFit,
	"scenario: laiwang_vs_wechat\ndata: ../data/adoption/china_messengers_2011_2015.csv\nstart: 2011-01-21\n" +
		"targets: [{platform: wechat, metric: registered, series: registered}]\n" +
		"parameters: [{path: platforms.wechat.p, min: .nan, max: .inf}, {path: platforms.wechat.q, min: -.inf, max: 1e400}]\n",
	"scenario: laiwang_vs_wechat\nstep_days: .nan\nscale: .inf\ndata: x.csv\ntargets: []\nparameters: []\n",
	"targets: " + strings.Repeat("[", 2000) + strings.Repeat("]", 2000) + "\n",
	"set: &a [agents=10, agents=10, agents=10, agents=10]\ntargets: &b [*a, *a, *a, *a]\nparameters: [*b, *b, *b, *b]\n",
}

// FuzzFitFile parses arbitrary fit files: each is refused with a message or loads consistent.
func FuzzFitFile(f *testing.F) {
	for _, pattern := range []string{"../../calibrations/*.yaml", "../../cmd/msgsim/testdata/calib*.yaml"} {
		paths, err := filepath.Glob(pattern)
		if err != nil || len(paths) == 0 {
			f.Fatalf("no seed files match %s: %v", pattern, err)
		}
		for _, path := range paths {
			data, err := os.ReadFile(path)
			if err != nil {
				f.Fatal(err)
			}
			if filepath.Dir(path) != "../../calibrations" {
				// Test fit files name their scenario and data beside them; paths resolve
				// from ../calibrations here.
				data = []byte(strings.NewReplacer("scenario: ", "scenario: ../cmd/msgsim/testdata/",
					"data: ", "data: ../cmd/msgsim/testdata/").Replace(string(data)))
			}
			f.Add(data)
		}
	}
	for _, s := range fuzzFitSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fit, err := Parse(data, "../../calibrations/fuzz.yaml", "../../calibrations")
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		checkFit(t, fit)
	})
}

// fuzzDataFit is the fit file of FuzzFitData: two targets of errorsBase's app, one limited
// to steps 5-40, so that rows are matched, windowed and placed on steps by date or by step.
const fuzzDataFit = `scenario: base.yaml
data: d.csv
start: 2020-01-01
targets:
  - {platform: app, metric: registered, series: registered}
  - {platform: app, metric: mau, series: active, from: 5, to: 40}
parameters:
  - {path: platforms.app.q, min: 0.05, max: 1}
`

// FuzzFitData parses arbitrary data files for a fixed fit file: each is refused with a
// message or loads consistent.
func FuzzFitData(f *testing.F) {
	addData := func(paths ...string) {
		for _, path := range paths {
			data, err := os.ReadFile(path)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	shipped, err := filepath.Glob("../../data/adoption/*.csv")
	if err != nil || len(shipped) == 0 {
		f.Fatalf("no shipped data: %v", err)
	}
	addData(shipped...)
	addData("../../cmd/msgsim/testdata/calib_data.csv")
	for _, s := range []string{
		errorsData,
		"step,platform,metric,value_millions\n0,app,registered,0\n7,app,mau,3\n9,app,registered,1e2\n",
		"\ufeffdate,platform,metric,value_millions\r\n2020-02-01,app,registered,NaN\r\n2020-02-01,app,mau,+Inf\r\n",
		"date,platform,metric,value_millions\n2020-02-01,app,registered,1e400\n2020-03-01,app,mau,-0\n",
		"date,platform,metric,value_millions,source\n2020-02-01,\"\x1b[31mapp\",registered,1,\"\x1b]0;title\x07\"\n",
		"# comment\ndate,platform,metric,value_millions\n\"2020-02-01\",app,\"registered\n\",5\n",
		"date,platform,metric,value_millions\n" + strings.Repeat("9", 4096) + ",app,registered,1\n",
		"date,platform,metric,value_millions,value_millions\n2020-02-01,app,mau,1,2\n",
		"date,step,platform,metric,value_millions\n2020-02-01,3,app,mau,1\n",
	} {
		f.Add([]byte(s))
	}
	// One directory per fuzzing process, its data file rewritten for every input: a fresh
	// directory per input cost more than the parse itself.
	dir := f.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "base.yaml"), []byte(errorsBase), 0o644); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(filepath.Join(dir, "d.csv"), data, 0o644); err != nil {
			t.Fatal(err)
		}
		fit, err := Parse([]byte(fuzzDataFit), "f.yaml", dir)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		checkFit(t, fit)
	})
}
