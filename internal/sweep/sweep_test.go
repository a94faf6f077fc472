package sweep

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/msgsim/msgsim/internal/evaluate"
	"github.com/msgsim/msgsim/internal/golden"
	"github.com/msgsim/msgsim/output"
)

// mustPlanText plans the sweep file text, named name (for messages) in dir (for its base).
func mustPlanText(t *testing.T, text, name, dir string) *Plan {
	t.Helper()
	sw, err := Parse([]byte(text), name, dir)
	return mustPlanOf(t, sw, err)
}

// mustPlan plans the sweep file at path.
func mustPlan(t *testing.T, path string) *Plan {
	t.Helper()
	sw, err := Load(path)
	return mustPlanOf(t, sw, err)
}

// mustPlanOf plans sw, as read with err.
func mustPlanOf(t *testing.T, sw *Sweep, err error) *Plan {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	plan, err := sw.Plan()
	if err != nil {
		t.Fatal(err)
	}
	return plan
}

func TestGridPlan(t *testing.T) {
	t.Parallel()
	plan := mustPlan(t, "testdata/grid.yaml")
	if len(plan.Points) != 9 || plan.Runs() != 27 {
		t.Fatalf("%d points, %d runs; want 9 and 27", len(plan.Points), plan.Runs())
	}
	// First factor slowest.
	want := [][2]float64{{0, 0}, {0, 1}, {0, 2}, {0.2, 0}, {0.2, 1}, {0.2, 2}, {0.4, 0}, {0.4, 1}, {0.4, 2}}
	for i, w := range want {
		if v := plan.Points[i].Values; v[0] != w[0] || v[1] != w[1] {
			t.Errorf("point %d = %v, want %v", i, v, w)
		}
	}
	var assignments []string
	for _, o := range plan.Points[4].Overrides(plan.Sweep) {
		assignments = append(assignments, o.Assignment)
	}
	got := strings.Join(assignments, " ")
	if got != "interventions.0.share=0.2 platforms.incumbent.switching_cost=1" {
		t.Errorf("overrides %q", got)
	}
	if plan.RunSeed(1, 2) == plan.RunSeed(2, 1) || plan.RunSeed(0, 0) == plan.RunSeed(0, 1) {
		t.Error("run seeds collide")
	}
}

func TestSampledPlans(t *testing.T) {
	t.Parallel()
	base := "base: testdata/base.yaml\nfactors:\n  - path: platforms.entrant.appeal\n    uniform: {min: 0.2, max: 0.8}\n  - path: platforms.entrant.launch\n    range: {from: 0, to: 5}\n  - path: decision.rule\n    values: [logit, threshold]\n"
	for _, tc := range []struct {
		design string
		points int
	}{{"latin_hypercube", 16}, {"random", 16}, {"sobol", 16 * 5}, {"morris", 16 * 4}} {
		text := "design: " + tc.design + "\nsamples: 16\n" + base
		if tc.design == "morris" {
			text += "levels: 4\n"
		}
		sw, err := Parse([]byte(text), tc.design+".yaml", ".")
		if err != nil {
			t.Fatalf("%s: %v", tc.design, err)
		}
		plan, err := sw.Plan()
		if err != nil {
			t.Fatalf("%s: %v", tc.design, err)
		}
		if len(plan.Points) != tc.points {
			t.Errorf("%s: %d points, want %d", tc.design, len(plan.Points), tc.points)
		}
		for _, pt := range plan.Points {
			appeal, launch, rule := pt.Values[0].(float64), pt.Values[1].(float64), pt.Values[2].(string)
			if appeal < 0.2 || appeal > 0.8 || launch != float64(int(launch)) || launch < 0 || launch > 5 || (rule != "logit" && rule != "threshold") {
				t.Fatalf("%s: point %v out of its factors' ranges (launch must be whole)", tc.design, pt.Values)
			}
		}
		if err := plan.Validate(); err != nil {
			t.Errorf("%s: %v", tc.design, err)
		}
	}
}

// runSweep runs a sweep into a fresh directory and returns the bytes of its final tables.
func finalTables(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, name := range []string{"runs.csv", "points.csv", "runs.parquet", "points.parquet"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		out[name] = b
	}
	return out
}

// runsTable reads the runs.csv in dir: its rows, the header first, and col, the index of a
// column, which fails the test if the header lacks it.
func runsTable(t *testing.T, dir string) (rows [][]string, col func(name string) int) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "runs.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err = csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col = func(name string) int {
		i := slices.Index(rows[0], name)
		if i < 0 {
			t.Fatalf("runs.csv header %v lacks %s", rows[0], name)
		}
		return i
	}
	return rows, col
}

func runAll(t *testing.T, plan *Plan, dir string, workers int, resume bool) *Result {
	t.Helper()
	d := openDir(t, dir, output.DirOptions{Resume: resume})
	defer d.Close()
	res, err := Run(context.Background(), plan, Options{Dir: d, Workers: workers})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := WriteResults(d, res, []string{"parquet"}); err != nil {
		t.Fatal(err)
	}
	return res
}

func TestTablesIndependentOfWorkers(t *testing.T) {
	t.Parallel()
	plan := mustPlan(t, "testdata/grid.yaml")
	a, b := t.TempDir(), t.TempDir()
	runAll(t, plan, a, 1, false)
	runAll(t, plan, b, 3, false)
	ta, tb := finalTables(t, a), finalTables(t, b)
	for name := range ta {
		if !bytes.Equal(ta[name], tb[name]) {
			t.Errorf("%s differs between 1 and 3 workers", name)
		}
	}
	golden.Check(t, filepath.Join("testdata", "grid.points.csv.golden"), ta["points.csv"])
}

func TestResumeAfterCancelEqualsUninterrupted(t *testing.T) {
	t.Parallel()
	plan := mustPlan(t, "testdata/grid.yaml")
	whole := t.TempDir()
	runAll(t, plan, whole, 2, false)

	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	_, err := sweepInto(ctx, plan, dir, output.DirOptions{}, Options{Workers: 2, Progress: func(e evaluate.Event) {
		if e.Finished && e.Done == 10 {
			cancel()
		}
	}})
	if !errors.Is(err, ErrInterrupted) || !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled sweep returned %v", err)
	}
	journal, _ := os.ReadFile(filepath.Join(dir, JournalFile))
	if n := bytes.Count(journal, []byte("\n")); n < 10 || n >= plan.Runs() {
		t.Fatalf("journal holds %d runs after cancelling at 10 of %d", n, plan.Runs())
	}
	// Simulate a kill in the middle of writing a line.
	f, _ := os.OpenFile(filepath.Join(dir, JournalFile), os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"point":8,"replica`)
	f.Close()
	if _, err := sweepInto(context.Background(), plan, dir, output.DirOptions{}, Options{Workers: 2}); !errors.Is(err, output.ErrExists) {
		t.Fatalf("rerun without --resume: %v, want ErrExists", err)
	}
	res := runAll(t, plan, dir, 2, true)
	if res.Resumed < 10 {
		t.Errorf("resumed %d runs, want at least 10", res.Resumed)
	}
	tw, tr := finalTables(t, whole), finalTables(t, dir)
	for name := range tw {
		if !bytes.Equal(tw[name], tr[name]) {
			t.Errorf("%s of the resumed sweep differs from the uninterrupted one", name)
		}
	}
}

func TestResumeRefusesAChangedSweep(t *testing.T) {
	t.Parallel()
	plan := mustPlan(t, "testdata/grid.yaml")
	dir := t.TempDir()
	runAll(t, plan, dir, 2, false)
	changed := *plan.Sweep
	changed.Data = append([]byte("# edited\n"), changed.Data...)
	other := *plan
	other.Sweep = &changed
	_, err := sweepInto(context.Background(), &other, dir, output.DirOptions{Resume: true}, Options{})
	want := "cannot resume: the sweep file, its base scenario or an edge list it reads changed since the results in " + dir + " were started; use --force to start over"
	if err == nil || err.Error() != want {
		t.Errorf("got %v", err)
	}
}

func TestSensitivityOutputs(t *testing.T) {
	t.Parallel()
	factors := "factors:\n  - path: platforms.entrant.appeal\n    uniform: {min: 0.2, max: 0.8}\n  - path: interventions.0.share\n    uniform: {min: 0, max: 0.5}\n  - path: platforms.incumbent.churn\n    uniform: {min: 0, max: 0.01}\n"
	for _, tc := range []struct{ design, header string }{
		{"sobol\nsamples: 16", "factor,first_order,first_order_low,first_order_high,total,total_low,total_high\n"},
		{"morris\nsamples: 6\nlevels: 4", "factor,mu_star,mu_star_low,mu_star_high,mu,sigma\n"},
	} {
		plan := mustPlanText(t, "base: testdata/base.yaml\noutcome: final_share.entrant\ndesign: "+tc.design+"\n"+factors, "s.yaml", ".")
		dir := t.TempDir()
		d := openDir(t, dir, output.DirOptions{})
		res, err := Run(context.Background(), plan, Options{Dir: d})
		if err != nil {
			t.Fatal(err)
		}
		a, err := WriteResults(d, res, []string{"png"})
		if err != nil {
			t.Fatal(err)
		}
		csv, err := os.ReadFile(filepath.Join(dir, "sensitivity.csv"))
		if err != nil || !strings.HasPrefix(string(csv), tc.header) || strings.Count(string(csv), "\n") != 4 {
			t.Errorf("%s: sensitivity.csv = %q (%v)", tc.design, csv, err)
		}
		if _, err := os.Stat(filepath.Join(dir, "sensitivity.png")); err != nil {
			t.Errorf("%s: no sensitivity.png", tc.design)
		}
		// The entrant's appeal drives its share far more than the incumbent's churn in [0, 0.01].
		if len(a.Ranking) != 3 || a.Ranking[2].Factor != "platforms.incumbent.churn" {
			t.Errorf("%s: ranking %+v, want the churn factor last", tc.design, a.Ranking)
		}
	}
}

func TestForceKeepsForeignDirectories(t *testing.T) {
	t.Parallel()
	plan := mustPlan(t, "testdata/grid.yaml")
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "keep.go"), []byte("package keep\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := sweepInto(context.Background(), plan, dir, output.DirOptions{Force: true}, Options{})
	if !errors.Is(err, output.ErrExists) && (err == nil || !strings.Contains(err.Error(), "holds files msgsim did not write (keep.go)")) {
		t.Fatalf("--force on a foreign directory: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "keep.go")); err != nil {
		t.Fatal("--force deleted a file msgsim did not write")
	}
}

// TestForeignDirectoryAdviceWorks: on a directory msgsim did not write, neither --resume nor
// a plain run may advise --force, which would then be refused.
func TestForeignDirectoryAdviceWorks(t *testing.T) {
	t.Parallel()
	plan := mustPlan(t, "testdata/grid.yaml")
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "keep.go"), []byte("package keep\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, opts := range []output.DirOptions{{Resume: true}, {}} {
		_, err := sweepInto(context.Background(), plan, dir, opts, Options{})
		want := "output directory already exists: " + dir + " holds files msgsim did not write (keep.go); --force only replaces msgsim's own results, so choose another -o"
		if opts.Resume {
			want = "cannot resume: " + want
		}
		if err == nil || err.Error() != want {
			t.Errorf("resume %v: got %v\nwant %s", opts.Resume, err, want)
		}
	}
}

func TestPlanRefusesHugeDesigns(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ text, want string }{
		{"factors:\n  - {path: platforms.incumbent.appeal, range: {from: 0, to: 1, steps: 10000}}\n  - {path: platforms.entrant.appeal, range: {from: 0, to: 1, steps: 1000}}\n",
			"sweep h.yaml: the grid has more than 1000000 points; use fewer levels, or a sampled design (latin_hypercube, sobol)"},
		{"factors:\n  - {path: platforms.incumbent.appeal, range: {from: 0, to: 1, steps: 9000000000000000000}}\n",
			"sweep h.yaml: the grid has more than 1000000 points; use fewer levels, or a sampled design (latin_hypercube, sobol)"},
		{"design: sobol\nsamples: 300000\nfactors:\n  - {path: platforms.incumbent.appeal, uniform: {min: 0, max: 1}}\n  - {path: platforms.entrant.appeal, uniform: {min: 0, max: 1}}\n",
			"sweep h.yaml: design sobol with 300000 samples has 1200000 points, more than 1000000"},
		{"replicates: 100000\nfactors:\n  - {path: platforms.incumbent.appeal, range: {from: 0, to: 1, steps: 1000}}\n  - {path: platforms.entrant.appeal, range: {from: 0, to: 1, steps: 1000}}\n",
			"sweep h.yaml: 1000000 points x 100000 replicates = 100000000000 runs, more than 10000000; use fewer points or replicates"},
		{"replicates: 11\nfactors:\n  - {path: platforms.incumbent.appeal, range: {from: 0, to: 1, steps: 1000000}}\n",
			"sweep h.yaml: 1000000 points x 11 replicates = 11000000 runs, more than 10000000; use fewer points or replicates"},
		{"design: latin_hypercube\nsamples: 1000000\nreplicates: 11\nfactors:\n  - {path: platforms.incumbent.appeal, uniform: {min: 0, max: 1}}\n",
			"sweep h.yaml: 1000000 points x 11 replicates = 11000000 runs, more than 10000000; use fewer points or replicates"},
	} {
		sw, err := Parse([]byte("base: testdata/base.yaml\n"+tc.text), "h.yaml", ".")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := sw.Plan(); err == nil || err.Error() != tc.want {
			t.Errorf("got %v\nwant %s", err, tc.want)
		}
	}
}

func TestResumeRefusesAChangedEdgeList(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("edges.txt", "0 1\n1 2\n2 3\n3 0\n0 2\n")
	write("base.yaml", "steps: 5\ngraph: {kind: file, path: edges.txt}\nplatforms: {a: {p: 0.1}}\n")
	write("s.yaml", "base: base.yaml\nfactors:\n  - {path: platforms.a.q, values: [0.1, 0.2]}\n")
	plan := mustPlan(t, filepath.Join(dir, "s.yaml"))
	out := filepath.Join(dir, "out")
	if _, err := sweepInto(context.Background(), plan, out, output.DirOptions{}, Options{}); err != nil {
		t.Fatal(err)
	}
	write("edges.txt", "0 1\n1 2\n2 3\n")
	again := mustPlan(t, filepath.Join(dir, "s.yaml"))
	_, err := sweepInto(context.Background(), again, out, output.DirOptions{Resume: true}, Options{})
	if err == nil || !strings.Contains(err.Error(), "an edge list it reads changed") {
		t.Fatalf("resume after the edge list changed: %v", err)
	}
}

// TestResumeStreamsTheJournal: --resume reads the journal a line at a time, never the whole
// file at once (a sweep of millions of runs has a journal of gigabytes). The journal here is
// 30 MB of valid lines (repeats, padded with blanks); resuming must allocate far less.
// Not parallel: it measures the process's allocations.
func TestResumeStreamsTheJournal(t *testing.T) {
	plan := mustPlan(t, "testdata/grid.yaml")
	dir := t.TempDir()
	runAll(t, plan, dir, 2, false)
	path := filepath.Join(dir, JournalFile)
	journal, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(journal), "\n"), "\n")
	var padded strings.Builder
	for i := 0; padded.Len() < 30<<20; i++ {
		line := lines[i%len(lines)]
		padded.WriteString("{" + strings.Repeat(" ", 50_000) + line[1:] + "\n")
	}
	if err := os.WriteFile(path, []byte(padded.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	want := finalTables(t, dir)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	d := openDir(t, dir, output.DirOptions{Resume: true})
	res, err := Run(context.Background(), plan, Options{Dir: d, Workers: 2})
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := WriteResults(d, res, []string{"parquet"}); err != nil {
		t.Fatal(err)
	}
	if res.Resumed != plan.Runs() {
		t.Errorf("resumed %d runs, want %d", res.Resumed, plan.Runs())
	}
	allocated := after.TotalAlloc - before.TotalAlloc
	if allocated > uint64(padded.Len()/4) {
		t.Errorf("resuming from a journal of %d bytes allocated %d bytes", padded.Len(), allocated)
	}
	t.Logf("resuming from a journal of %d bytes allocated %d bytes", padded.Len(), allocated)
	got := finalTables(t, dir)
	for name := range want {
		if !bytes.Equal(want[name], got[name]) {
			t.Errorf("%s differs after resuming from the padded journal", name)
		}
	}
}

// TestRunWithAbsurdWorkers: the workers asked for bound nothing that is allocated; only as
// many goroutines as jobs are started.
func TestRunWithAbsurdWorkers(t *testing.T) {
	t.Parallel()
	plan := mustPlan(t, "testdata/grid.yaml")
	res, err := sweepInto(context.Background(), plan, t.TempDir(), output.DirOptions{}, Options{Workers: math.MaxInt64})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Records) != plan.Runs() {
		t.Errorf("%d records, want %d", len(res.Records), plan.Runs())
	}
}
