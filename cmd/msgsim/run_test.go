package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/msgsim/msgsim/internal/evaluate"
	"github.com/msgsim/msgsim/internal/golden"
	"github.com/msgsim/msgsim/output"
	"github.com/msgsim/msgsim/scenarios"
)

// runCLI runs msgsim with args against buffers and returns stdout, stderr and the exit code.
func runCLI(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := execute(context.Background(), &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}, args)
	return out.String(), errOut.String(), code
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestRunDefaultScenario(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "out")
	stdout, stderr, code := runCLI(t, "run", "-o", dir, "--replicates", "2")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if stderr != "" {
		t.Errorf("not a terminal, so no progress expected on stderr; got %q", stderr)
	}
	for _, f := range []string{"series.csv", "bands.csv", "summary.json", "scenario.yaml", "adoption.png", "adoption.svg", "share.png", "share.svg", "registered.png", "registered.svg"} {
		if info, err := os.Stat(filepath.Join(dir, f)); err != nil || info.Size() == 0 {
			t.Errorf("%s missing or empty", f)
		}
	}
	var summary evaluate.Summary
	if err := json.Unmarshal(readFile(t, filepath.Join(dir, "summary.json")), &summary); err != nil {
		t.Fatal(err)
	}
	if summary.Winner != "wechat" || summary.Replicates != 2 || len(summary.Platforms) != 2 {
		t.Errorf("summary: winner %q, %d replicates, %d platforms", summary.Winner, summary.Replicates, len(summary.Platforms))
	}
	if !strings.Contains(stdout, "wechat") || !strings.Contains(stdout, "results in "+dir) {
		t.Errorf("stdout: %s", stdout)
	}
	// The scenario as run reloads and carries the override.
	sc, err := scenarios.Load(filepath.Join(dir, "scenario.yaml"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if sc.File.Replicates != 2 {
		t.Errorf("scenario.yaml has %d replicates, want the --replicates 2 override", sc.File.Replicates)
	}
	if entries, _ := os.ReadDir(filepath.Dir(dir)); len(entries) != 1 {
		t.Errorf("staging left files beside the output: %v", entries)
	}
}

// svgText matches the text of an SVG <text> element.
var svgText = regexp.MustCompile(`<text[^>]*>([^<]*)</text>`)

// TestRunLogScale checks that charts.log_scale, set in the file or by --log-scale (which wins),
// puts the user axes of the adoption and registered charts, not the share chart, on a log
// scale, and that scenario.yaml records the setting in effect.
func TestRunLogScale(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		args []string
		log  bool
	}{
		{"set", []string{"--set", "charts.log_scale=true"}, true},
		{"flag", []string{"--log-scale"}, true},
		{"flag overrides", []string{"--set", "charts.log_scale=true", "--log-scale=false"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(t.TempDir(), "out")
			args := append([]string{"run", "testdata/small.yaml", "-o", dir, "--format", "svg", "-q"}, tc.args...)
			if _, stderr, code := runCLI(t, args...); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			// small.yaml's users run from 500 people (one agent of 1,000 in a mean of two
			// replicates) to 300k: decades 100 (the floor), 1,000, 10k, 100k on a log axis,
			// 0, 50k, 100k... on a linear one.
			for name, log := range map[string]bool{"adoption": tc.log, "registered": tc.log, "share": false} {
				var labels []string
				for _, m := range svgText.FindAllStringSubmatch(string(readFile(t, filepath.Join(dir, name+".svg"))), -1) {
					labels = append(labels, m[1])
				}
				if got := slices.Contains(labels, "10k") && slices.Contains(labels, "1,000"); got != log {
					t.Errorf("%s: log scale %v, want %v (labels %q)", name, got, log, labels)
				}
			}
			sc, err := scenarios.Load(filepath.Join(dir, "scenario.yaml"), nil)
			if err != nil {
				t.Fatal(err)
			}
			if sc.File.Charts.LogScale != tc.log {
				t.Errorf("scenario.yaml has charts.log_scale %v, want %v", sc.File.Charts.LogScale, tc.log)
			}
		})
	}
}

func TestGoldenSeriesCSV(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "out")
	if _, stderr, code := runCLI(t, "run", "testdata/small.yaml", "-o", dir, "--format", "csv,json", "--quiet"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, name := range []string{"series.csv", "bands.csv", "summary.json"} {
		golden.Check(t, filepath.Join("testdata", "small."+name+".golden"), readFile(t, filepath.Join(dir, name)))
	}
	if _, err := os.Stat(filepath.Join(dir, "adoption.png")); err == nil {
		t.Error("--format csv,json wrote a PNG")
	}
}

func TestSameCSVWhateverTheWorkers(t *testing.T) {
	t.Parallel()
	var outputs [][]byte
	for _, workers := range []string{"1", "2", "7"} {
		dir := filepath.Join(t.TempDir(), "w"+workers)
		if _, stderr, code := runCLI(t, "run", "communities", "-o", dir, "--format", "csv", "--quiet", "--workers", workers, "--set", "steps=30", "--replicates", "3"); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		outputs = append(outputs, readFile(t, filepath.Join(dir, "series.csv")))
	}
	for i := 1; i < len(outputs); i++ {
		if !bytes.Equal(outputs[0], outputs[i]) {
			t.Fatalf("series.csv with different --workers differ")
		}
	}
}

func TestRunNeverOverwritesWithoutForce(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "results")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	precious := filepath.Join(dir, "series.csv")
	if err := os.WriteFile(precious, []byte("earlier results"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := runCLI(t, "run", "testdata/small.yaml", "-o", dir, "--quiet")
	wantErr := "error: output directory already exists: " + dir + " holds earlier results (use --force to replace them, or -o to write elsewhere)\n"
	if code != 1 || stderr != wantErr {
		t.Fatalf("exit %d, stderr %q; want 1 and %q", code, stderr, wantErr)
	}
	if string(readFile(t, precious)) != "earlier results" {
		t.Fatal("earlier results were touched")
	}
	// --force replaces only msgsim's own results: these files were not written by msgsim.
	_, stderr, code = runCLI(t, "run", "testdata/small.yaml", "-o", dir, "--quiet", "--force")
	wantErr = "error: output directory already exists: " + dir + " holds files msgsim did not write (series.csv); --force only replaces msgsim's own results, so choose another -o\n"
	if code != 1 || stderr != wantErr {
		t.Fatalf("--force on a foreign directory: exit %d, stderr %q; want 1 and %q", code, stderr, wantErr)
	}
	if err := output.Mark(dir); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := runCLI(t, "run", "testdata/small.yaml", "-o", dir, "--quiet", "--force"); code != 0 {
		t.Fatalf("--force: exit %d: %s", code, stderr)
	}
	if got := readFile(t, precious); bytes.Equal(got, []byte("earlier results")) {
		t.Fatal("--force did not replace the results")
	}
}

// TestEdgeListStatisticsShown: validate, the dry run, the run's summary and summary.json give
// the edge list's exact counts, which data/README.md quotes for email-Eu-core.
func TestEdgeListStatisticsShown(t *testing.T) {
	t.Parallel()
	const scenario = "../../scenarios/real/email_eu.yaml"
	const stats = "edge list ../../data/graphs/email-Eu-core.txt: 1,005 nodes, 16,064 contacts from 25,571 lines (dropped 642 self-loops and 8,865 repeated pairs)"
	stdout, stderr, code := runCLI(t, "validate", scenario)
	if want := "ok " + scenario + " (Messengers on a real e-mail network: 1005 agents, 2 platforms, 80 steps)\n  " + stats + "\n"; code != 0 || stdout != want {
		t.Errorf("validate: exit %d, %q %s\nwant %q", code, stdout, stderr, want)
	}
	stdout, stderr, code = runCLI(t, "run", scenario, "--dry-run")
	if want := "Messengers on a real e-mail network: 1005 agents, 16,064 contacts, 2 platforms, 80 steps, 16 replicates\n  " + stats + "\n"; code != 0 || !strings.HasPrefix(stdout, want) {
		t.Errorf("dry run: exit %d, %q %s\nwant it to start %q", code, stdout, stderr, want)
	}
	dir := filepath.Join(t.TempDir(), "out")
	stdout, stderr, code = runCLI(t, "run", scenario, "-o", dir, "--format", "json", "--replicates", "1", "--set", "steps=12")
	if code != 0 || !strings.Contains(stdout, "\n  "+stats+"\n") {
		t.Errorf("run: exit %d, %q %s\nwant a line %q", code, stdout, stderr, stats)
	}
	var summary evaluate.Summary
	if err := json.Unmarshal(readFile(t, filepath.Join(dir, "summary.json")), &summary); err != nil {
		t.Fatal(err)
	}
	want := evaluate.GraphSummary{Kind: "file", EdgeList: &evaluate.EdgeListSummary{
		Path: "../../data/graphs/email-Eu-core.txt", Lines: 25571, Nodes: 1005, Contacts: 16064, SelfLoopsDropped: 642, RepeatedPairsDropped: 8865,
	}}
	if summary.Graph.Kind != want.Kind || summary.Graph.EdgeList == nil || *summary.Graph.EdgeList != *want.EdgeList {
		t.Errorf("summary.json graph %+v %+v, want %+v %+v", summary.Graph, summary.Graph.EdgeList, want, want.EdgeList)
	}
}

func TestRunErrors(t *testing.T) {
	t.Parallel()
	tmp := t.TempDir()
	escaped := filepath.Join(tmp, "escaped.yaml")
	if err := os.WriteFile(escaped, []byte("graph: {kind: file, path: \"\\e[2J\"}\nplatforms: {a: {}}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		args     []string
		code     int
		wantErr  string
		contains bool
	}{
		{"unknown format", []string{"run", "--format", "png,gif"}, 2, "error: invalid argument \"png,gif\" for \"--format\" flag: must be one of png, svg, csv, json\n", false},
		{"missing file", []string{"run", "nope.yaml"}, 1, "error: scenario nope.yaml: file not found (shipped scenarios: bass_meanfield, communities, laiwang_vs_wechat, networks_vs_meanfield, preinstall_duel)\n", false},
		{"bad override", []string{"run", "--set", "platforms.laiwang.appeal=high", "-o", tmp + "/x"}, 1, "error: --set platforms.laiwang.appeal=high: platforms.laiwang.appeal: must be a number, got \"high\"\n", false},
		{"too many args", []string{"run", "a", "b"}, 2, "error: run takes 0 to 1 arguments, got 2 (see msgsim run --help)\n", false},
		{"unknown flag", []string{"run", "--sed", "1"}, 2, "error: unknown flag: --sed\n", false},
		{"escape sequence in an argument", []string{"run", "\x1b]0;pwned\a.yaml"}, 1, "error: scenario \\x1b]0;pwned\\a.yaml: file not found (shipped scenarios: bass_meanfield, communities, laiwang_vs_wechat, networks_vs_meanfield, preinstall_duel)\n", false},
		{"escape sequence in a value", []string{"validate", escaped}, 1, "error: " + escaped + ":1:27: graph.path: edge list " + tmp + "/\\x1b[2J: file not found\n    1 | graph: {kind: file, path: \"\\e[2J\"}\n      |                           ^\nerror: 1 invalid file\n", false},
		{"set without equals", []string{"run", "--set", "platforms.laiwang.appeal", "0.4"}, 2, "error: --set takes path=value; did you mean --set platforms.laiwang.appeal=0.4?\n", false},
		{"set without equals or value", []string{"run", "--set", "agents", "-o", tmp + "/y"}, 2, "error: --set takes path=value, got \"agents\" (e.g. --set platforms.laiwang.appeal=0.4)\n", false},
		{"set without equals before a scenario", []string{"run", "--set", "agents", "communities"}, 2, "error: --set takes path=value, got \"agents\" (e.g. --set platforms.laiwang.appeal=0.4)\n", false},
		{"validate set without equals", []string{"validate", "--set", "agents", "5000", "../../scenarios/communities.yaml"}, 2, "error: --set takes path=value; did you mean --set agents=5000?\n", false},
		{"bad scenario shows caret", []string{"run", "testdata/bad.yaml"}, 1, "error: testdata/bad.yaml:4:9: decision.rule: unknown value \"logistic\" (valid: logit, threshold, bass)\n    4 |   rule: logistic\n      |         ^\n", false},
	}
	for _, tc := range tests {
		_, stderr, code := runCLI(t, tc.args...)
		if code != tc.code || stderr != tc.wantErr {
			t.Errorf("%s: exit %d, stderr:\n%s\nwant exit %d, stderr:\n%s", tc.name, code, stderr, tc.code, tc.wantErr)
		}
	}
}

func TestRunRefusesWhatCannotFit(t *testing.T) {
	t.Parallel()
	err := runRun(context.Background(), &RunOptions{
		Streams: &IOStreams{Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}}, Scenario: "preinstall_duel",
		Sets: []string{"agents=2000000000", "graph.m=50"}, Formats: allFormats, MemoryLimit: 8 << 30, Workers: 1, OutDir: t.TempDir() + "/big",
	})
	want := "scenario embedded:preinstall_duel needs about 1.5 TiB (2000000000 agents, about 1e+11 contacts, 1 run at once) but only 8.0 GiB is available; lower agents or the mean degree"
	if err == nil || err.Error() != want {
		t.Fatalf("got %v\nwant %s", err, want)
	}
}

func TestDryRun(t *testing.T) {
	t.Parallel()
	stdout, stderr, code := runCLI(t, "run", "communities", "--dry-run")
	if code != 0 {
		t.Fatal(stderr)
	}
	if !strings.Contains(stdout, "Entrant in one community: 20000 agents") || !strings.Contains(stdout, "memory: about") {
		t.Errorf("dry run printed %q", stdout)
	}
}

func TestRunFlags(t *testing.T) {
	t.Parallel()
	var got *RunOptions
	cmd := NewCmdRun(&IOStreams{Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}}, func(_ context.Context, o *RunOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"s.yaml", "-o", "d", "--seed", "9", "--replicates", "3", "--set", "a=1", "--set", "b=2", "--format", "csv", "-q", "--force", "--workers", "2", "--log-scale"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.Scenario != "s.yaml" || got.OutDir != "d" || *got.Seed != 9 || *got.Replicates != 3 || strings.Join(got.Sets, " ") != "a=1 b=2" ||
		strings.Join(got.Formats, ",") != "csv" || !got.Quiet || !got.Force || got.Workers != 2 || got.LogScale == nil || !*got.LogScale {
		t.Errorf("options %+v", got)
	}
	cmd = NewCmdRun(&IOStreams{}, func(_ context.Context, o *RunOptions) error { got = o; return nil })
	cmd.SetArgs([]string{})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.Seed != nil || got.Replicates != nil || got.LogScale != nil || got.Scenario != "" {
		t.Errorf("defaults should leave the scenario's seed and replicates: %+v", got)
	}
}

func TestValidateCommand(t *testing.T) {
	t.Parallel()
	stdout, stderr, code := runCLI(t, "validate", "../../scenarios/communities.yaml", "testdata/bad.yaml")
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if stdout != "ok ../../scenarios/communities.yaml (Entrant in one community: 20000 agents, 2 platforms, 120 steps)\n" {
		t.Errorf("stdout %q", stdout)
	}
	if !strings.HasPrefix(stderr, "error: testdata/bad.yaml:4:9: decision.rule") || !strings.HasSuffix(stderr, "error: 1 invalid file\n") {
		t.Errorf("stderr %q", stderr)
	}
}

func TestScenariosCommand(t *testing.T) {
	t.Parallel()
	stdout, _, code := runCLI(t, "scenarios")
	if code != 0 || !strings.Contains(stdout, "laiwang_vs_wechat (default)") || !strings.Contains(stdout, "bass_meanfield") {
		t.Errorf("exit %d, list:\n%s", code, stdout)
	}
	stdout, _, code = runCLI(t, "scenarios", "bass_meanfield")
	if want, _ := os.ReadFile("../../scenarios/bass_meanfield.yaml"); code != 0 || stdout != string(want) {
		t.Errorf("scenarios bass_meanfield printed %q", stdout)
	}
	_, stderr, code := runCLI(t, "scenarios", "nope")
	if code != 1 || stderr != "error: no shipped scenario \"nope\" (see msgsim scenarios)\n" {
		t.Errorf("exit %d stderr %q", code, stderr)
	}
}

func TestVersionCommand(t *testing.T) {
	t.Parallel()
	stdout, _, code := runCLI(t, "version")
	if code != 0 || !strings.HasPrefix(stdout, "msgsim dev") {
		t.Errorf("exit %d: %q", code, stdout)
	}
}

func TestInterruptedRunWritesNothing(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	dir := filepath.Join(t.TempDir(), "out")
	err := runRun(ctx, &RunOptions{Streams: &IOStreams{Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}}, Scenario: "testdata/small.yaml", OutDir: dir, Formats: allFormats})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Error("an interrupted run created its output directory")
	}
	if entries, _ := os.ReadDir(filepath.Dir(dir)); len(entries) != 0 {
		t.Errorf("an interrupted run left %v", entries)
	}
}

// TestSavedScenarioReruns: scenario.yaml in the results runs again from there and reproduces
// the series, also when the scenario reads an edge list by a relative path.
func TestSavedScenarioReruns(t *testing.T) {
	t.Parallel()
	first := filepath.Join(t.TempDir(), "first")
	if _, stderr, code := runCLI(t, "run", "../../scenarios/real/email_eu.yaml", "-o", first, "-q", "--format", "csv", "--replicates", "2", "--set", "steps=15"); code != 0 {
		t.Fatal(stderr)
	}
	second := filepath.Join(t.TempDir(), "second")
	if _, stderr, code := runCLI(t, "run", filepath.Join(first, "scenario.yaml"), "-o", second, "-q", "--format", "csv"); code != 0 {
		t.Fatal(stderr)
	}
	if !bytes.Equal(readFile(t, filepath.Join(first, "series.csv")), readFile(t, filepath.Join(second, "series.csv"))) {
		t.Error("rerunning the saved scenario.yaml gave a different series")
	}
}

func TestArgumentAndWorkerErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"validate"}, "error: validate needs at least 1 argument, got 0 (see msgsim validate --help)\n"},
		{[]string{"version", "x"}, "error: version takes no arguments, got 1 (see msgsim version --help)\n"},
		{[]string{"run", "--workers", "-3"}, "error: --workers must be in [0, 4096] (0 = all cores), got -3\n"},
		{[]string{"sweep", "testdata/sweep.yaml", "--workers", "9223372036854775807"}, "error: --workers must be in [0, 4096] (0 = all cores), got 9223372036854775807\n"},
		{[]string{"sweep", "testdata/sweep.yaml", "--workers", "10000000000", "--dry-run"}, "error: --workers must be in [0, 4096] (0 = all cores), got 10000000000\n"},
		{[]string{"calibrate", "testdata/calib.yaml", "--workers", "4097"}, "error: --workers must be in [0, 4096] (0 = all cores), got 4097\n"},
		{[]string{"bench", "--workers", "1000000"}, "error: --workers must be in [0, 4096] (0 = all cores), got 1000000\n"},
		{[]string{"run", "--workers", "5000", "--dry-run"}, "error: --workers must be in [0, 4096] (0 = all cores), got 5000\n"},
		{[]string{"run", "--format", ""}, "error: invalid argument \"\" for \"--format\" flag: must be one of png, svg, csv, json\n"},
		{[]string{"run", "--format", "x"}, "error: invalid argument \"x\" for \"--format\" flag: must be one of png, svg, csv, json\n"},
		{[]string{"bench", "--rule", "greedy"}, "error: invalid argument \"greedy\" for \"--rule\" flag: must be one of logit, threshold, bass\n"},
		{[]string{"frob"}, "error: unknown command \"frob\" for \"msgsim\"\n"},
	} {
		_, stderr, code := runCLI(t, tc.args...)
		if code != 2 || stderr != tc.want {
			t.Errorf("%v: exit %d, %q; want 2, %q", tc.args, code, stderr, tc.want)
		}
	}
}

// validate recognises sweep and fit files by their top-level keys and checks them as such,
// instead of reporting every sweep or fit field as unknown to a scenario.
func TestValidateSweepAndFitFiles(t *testing.T) {
	t.Parallel()
	stdout, stderr, code := runCLI(t, "validate", "testdata/sweep.yaml", "testdata/calib.yaml", "testdata/calib_bad.yaml")
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	wantOut := "ok testdata/sweep.yaml (sweep Preinstall against switching cost: design grid, 2 factors, 30 points x 3 replicates = 90 runs)\n" +
		"ok testdata/calib.yaml (fit Test calibration: 2 parameters, 1 target, budget 60 runs)\n"
	if stdout != wantOut {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout, wantOut)
	}
	wantErr := "error: testdata/calib_bad.yaml:5:9: method: unknown method \"simplex\" (valid: nelder_mead, cma_es)\n" +
		"    5 | method: simplex\n" +
		"      |         ^\n" +
		"error: 1 invalid file\n"
	if stderr != wantErr {
		t.Errorf("stderr:\n%s\nwant:\n%s", stderr, wantErr)
	}

	// --set overrides scenario fields; a sweep or fit carries its own set: list.
	stdout, stderr, code = runCLI(t, "validate", "--set", "agents=10", "testdata/sweep.yaml", "testdata/small.yaml")
	if code != 1 || !strings.HasPrefix(stdout, "ok testdata/small.yaml") {
		t.Errorf("exit %d, stdout %q", code, stdout)
	}
	wantErr = "error: testdata/sweep.yaml is a sweep file; --set overrides scenario files only (put the override in the sweep's set: list)\n" +
		"error: 1 invalid file\n"
	if stderr != wantErr {
		t.Errorf("stderr:\n%s\nwant:\n%s", stderr, wantErr)
	}
}
