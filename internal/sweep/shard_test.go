package sweep

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/msgsim/msgsim/internal/evaluate"
	"github.com/msgsim/msgsim/output"
)

// TestShardPartition: for every run count up to 60 and every shard count up to it, the
// shards cover every run exactly once, their sizes differ by one at most, and Runs counts
// them.
func TestShardPartition(t *testing.T) {
	t.Parallel()
	for total := 1; total <= 60; total++ {
		for count := 1; count <= total; count++ {
			owners := make([]int, total)
			smallest, largest := total, 0
			for index := range count {
				shard := Shard{Index: index, Count: count}
				n := 0
				for run := range total {
					if shard.Has(run) {
						owners[run]++
						n++
					}
				}
				if got := shard.Runs(total); got != n {
					t.Fatalf("%d runs: shard %s: Runs says %d, holds %d", total, shard, got, n)
				}
				smallest, largest = min(smallest, n), max(largest, n)
			}
			for run, k := range owners {
				if k != 1 {
					t.Fatalf("%d runs in %d shards: run %d is in %d shards", total, count, run, k)
				}
			}
			if smallest < 1 || largest-smallest > 1 {
				t.Fatalf("%d runs in %d shards: shards of %d to %d runs", total, count, smallest, largest)
			}
		}
	}
	if whole := (Shard{}); whole.Runs(7) != 7 || !whole.Has(6) || whole.String() != "0/1" {
		t.Errorf("the zero Shard is not the whole sweep: %d runs, %s", whole.Runs(7), whole)
	}
}

func TestParseShard(t *testing.T) {
	t.Parallel()
	if s, err := ParseShard("2/4"); err != nil || s != (Shard{Index: 2, Count: 4}) {
		t.Errorf("2/4: %v, %v", s, err)
	}
	for _, text := range []string{"4/4", "-1/4", "1/0", "1", "a/4", "1/4/5", ""} {
		_, err := ParseShard(text)
		want := fmt.Sprintf("--shard %q: want i/n, shard i of n counting from 0 (0/4, 1/4, 2/4, 3/4)", text)
		if err == nil || err.Error() != want {
			t.Errorf("%q: %v, want %s", text, err, want)
		}
	}
}

// TestTooManyShardsRefused: a plan of 27 runs cannot be split into 28 shards.
func TestTooManyShardsRefused(t *testing.T) {
	t.Parallel()
	plan := mustPlan(t, "testdata/grid.yaml")
	if err := plan.CheckShards(27); err != nil {
		t.Errorf("27 shards of 27 runs: %v", err)
	}
	_, err := sweepInto(context.Background(), plan, t.TempDir(), output.DirOptions{}, Options{Shard: Shard{Index: 0, Count: 28}})
	want := "sweep testdata/grid.yaml has 27 runs, too few for 28 shards; use at most 27"
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

// runShards runs the plan's shards of a count-way split into dir/0, dir/1, ... and returns
// their paths.
func runShards(t *testing.T, plan *Plan, dir string, count int) []string {
	t.Helper()
	var paths []string
	for index := range count {
		path := filepath.Join(dir, fmt.Sprint(index))
		res, err := sweepInto(context.Background(), plan, path, output.DirOptions{}, Options{Workers: 2, Shard: Shard{Index: index, Count: count}})
		if err != nil {
			t.Fatal(err)
		}
		if want := (Shard{Index: index, Count: count}).Runs(plan.Runs()); len(res.Records) != want {
			t.Fatalf("shard %d/%d ran %d runs, want %d", index, count, len(res.Records), want)
		}
		paths = append(paths, path)
	}
	return paths
}

// mergeInto merges the shard directories into out, as `msgsim sweep merge` does.
func mergeInto(plan *Plan, out string, formats []string, shards ...string) error {
	var dirs []*output.ResultDir
	defer func() {
		for _, d := range dirs {
			d.Close()
		}
	}()
	for _, path := range shards {
		d, err := output.OpenResultDir(path, output.DirOptions{Resume: true, Resumable: true})
		if err != nil {
			return err
		}
		dirs = append(dirs, d)
	}
	res, err := Merge(plan, dirs)
	if err != nil {
		return err
	}
	d, err := output.OpenResultDir(out, output.DirOptions{})
	if err != nil {
		return err
	}
	defer d.Close()
	_, err = WriteMerged(d, res, formats)
	return err
}

// sameResults compares every file of two sweep directories: byte for byte, but for
// the journal's order (runs are journalled as they finish).
func sameResults(t *testing.T, want, got string) {
	t.Helper()
	names := func(dir string) []string {
		var out []string
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if e.Name() != output.LockFile {
				out = append(out, e.Name())
			}
		}
		return out
	}
	if w, g := names(want), names(got); !slices.Equal(w, g) {
		t.Fatalf("merged directory holds %v, the one-machine sweep's %v", g, w)
	}
	for _, name := range names(want) {
		w, err1 := os.ReadFile(filepath.Join(want, name))
		g, err2 := os.ReadFile(filepath.Join(got, name))
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		switch name {
		case JournalFile:
			w, g = sortedLines(w), sortedLines(g)
		}
		if !bytes.Equal(w, g) {
			t.Errorf("%s differs from the one-machine sweep's:\n%s\nwant\n%s", name, clip(g), clip(w))
		}
	}
}

func sortedLines(b []byte) []byte {
	lines := strings.SplitAfter(string(b), "\n")
	slices.Sort(lines)
	return []byte(strings.Join(lines, ""))
}

func clip(b []byte) []byte { return b[:min(len(b), 300)] }

// TestMergeSameAsOneMachine: a sweep run as shards and merged leaves a directory identical to
// the sweep's run on one machine (tables, parquet, plots, sensitivity, manifest, sweep file,
// journal, summary), for a grid and a sobol design, whatever the number of shards.
func TestMergeSameAsOneMachine(t *testing.T) {
	t.Parallel()
	sobol := "name: Tiny sobol\nbase: testdata/base.yaml\nseed: 5\nreplicates: 2\ndesign: sobol\nsamples: 4\noutcome: final_share.entrant\nfactors:\n" +
		"  - path: platforms.entrant.appeal\n    uniform: {min: 0.2, max: 0.8}\n  - path: interventions.0.share\n    uniform: {min: 0, max: 0.4}\n"
	sobolPlan := mustPlanText(t, sobol, "sobol.yaml", ".")
	// A Latin hypercube with a factor of words and outcomes at a step (its scatter plot), and
	// a Morris screening (its mu*-sigma plot).
	var sampled []*Plan
	for _, text := range []string{
		"name: Tiny lhs\nbase: testdata/base.yaml\nseed: 3\nreplicates: 2\ndesign: latin_hypercube\nsamples: 6\nat: [10]\nfactors:\n" +
			"  - path: platforms.entrant.appeal\n    uniform: {min: 0.2, max: 0.8}\n  - path: decision.rule\n    values: [logit, threshold]\n",
		"name: Tiny morris\nbase: testdata/base.yaml\nseed: 4\ndesign: morris\nsamples: 3\nfactors:\n" +
			"  - path: platforms.entrant.appeal\n    uniform: {min: 0.2, max: 0.8}\n  - path: interventions.0.share\n    uniform: {min: 0, max: 0.4}\n",
	} {
		plan := mustPlanText(t, text, "s.yaml", ".")
		sampled = append(sampled, plan)
	}
	formats := []string{"png", "svg", "parquet"}
	for _, tc := range []struct {
		plan   *Plan
		shards []int
	}{{mustPlan(t, "testdata/grid.yaml"), []int{1, 4, 27}}, {sobolPlan, []int{3}}, {sampled[0], []int{2}}, {sampled[1], []int{2}}} {
		whole := filepath.Join(t.TempDir(), "whole")
		d := openDir(t, whole, output.DirOptions{})
		res, err := Run(context.Background(), tc.plan, Options{Dir: d, Workers: 2})
		if err == nil {
			_, err = WriteResults(d, res, formats)
		}
		if err != nil {
			t.Fatal(err)
		}
		d.Close()
		for _, count := range tc.shards {
			t.Run(fmt.Sprintf("%s/%d shards", tc.plan.Sweep.File.Design, count), func(t *testing.T) {
				dir := t.TempDir()
				shards := runShards(t, tc.plan, dir, count)
				out := filepath.Join(dir, "merged")
				if err := mergeInto(tc.plan, out, formats, shards...); err != nil {
					t.Fatal(err)
				}
				sameResults(t, whole, out)
			})
		}
	}
}

// TestMergeRefuses: another sweep's shard, shards of two splits, a shard given twice, a
// directory without a manifest and an incomplete set are refused with messages that say
// what is wrong and, for missing runs, which and how to finish them.
func TestMergeRefuses(t *testing.T) {
	t.Parallel()
	plan := mustPlan(t, "testdata/grid.yaml")
	dir := t.TempDir()
	shards := runShards(t, plan, dir, 4)
	other := *plan.Sweep
	other.Data = bytes.Replace(other.Data, []byte("seed: 3"), []byte("seed: 4"), 1)
	otherPlan := *plan
	otherPlan.Sweep = &other
	foreign := runShards(t, &otherPlan, filepath.Join(dir, "other"), 4)
	split3 := runShards(t, plan, filepath.Join(dir, "three"), 3)
	copyDir(t, shards[2], filepath.Join(dir, "copy"))
	empty := filepath.Join(dir, "empty")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	// Shard 1 keeps 2 of its 7 runs, as if it had been killed early.
	journal := filepath.Join(shards[1], JournalFile)
	b, err := os.ReadFile(journal)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(b), "\n")
	if err := os.WriteFile(journal, []byte(lines[0]+lines[1]), 0o644); err != nil {
		t.Fatal(err)
	}
	var kept []string
	for _, l := range lines[:2] {
		var p, r int
		fmt.Sscanf(l, `{"point":%d,"replicate":%d`, &p, &r)
		kept = append(kept, fmt.Sprintf("point %d replicate %d", p, r))
	}
	var missing []string
	for run := 1; run < 27; run += 4 {
		if name := plan.describeRun(run); !slices.Contains(kept, name) {
			missing = append(missing, name)
		}
	}
	for _, tc := range []struct {
		name  string
		parts []string
		want  string
	}{
		{"another sweep", []string{shards[0], foreign[1]}, fmt.Sprintf("sweep merge: %s holds results of another sweep than testdata/grid.yaml (its manifest's sha256 differs: another sweep file, or this one, its base scenario or an edge list it reads changed since)", foreign[1])},
		{"two splits", []string{shards[0], split3[1]}, fmt.Sprintf("sweep merge: %s holds shard 1/3 but %s holds shard 0/4: the parts must come from one split of the sweep", split3[1], shards[0])},
		{"duplicate", []string{shards[2], shards[0], filepath.Join(dir, "copy")}, fmt.Sprintf("sweep merge: shard 2/4 given twice: %s and %s", shards[2], filepath.Join(dir, "copy"))},
		{"no manifest", []string{shards[0], empty}, fmt.Sprintf("sweep merge: %s holds no sweep manifest (open %s: no such file or directory)", empty, filepath.Join(empty, ManifestFile))},
		{"incomplete", []string{shards[3], shards[1], shards[0]}, fmt.Sprintf("sweep merge: the shards are incomplete, 12 of 27 runs missing:\n"+
			"  shard 1/4 (%s): 5 of 7 runs missing (%s); finish it with msgsim sweep testdata/grid.yaml --shard 1/4 -o %s --resume\n"+
			"  shard 2/4: no directory given (7 runs)", shards[1], strings.Join(missing, ", "), shards[1])},
	} {
		err := mergeInto(plan, filepath.Join(t.TempDir(), "out"), nil, tc.parts...)
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s:\n got %v\nwant %s", tc.name, err, tc.want)
		}
	}
	// Fewer runs listed than missing: the rest are counted.
	os.WriteFile(journal, nil, 0o644)
	err = mergeInto(plan, filepath.Join(t.TempDir(), "out"), nil, shards...)
	if want := "7 of 7 runs missing (point 0 replicate 1, point 1 replicate 2, point 3 replicate 0, point 4 replicate 1, point 5 replicate 2, and 2 more)"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("empty shard: %v\nwant ...%s...", err, want)
	}
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	if err := os.Mkdir(to, 0o755); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err == nil {
			err = os.WriteFile(filepath.Join(to, e.Name()), b, 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// TestShardResume: an interrupted shard resumes its own runs only; resuming it as another
// shard, or with a journal line of another shard, is refused.
func TestShardResume(t *testing.T) {
	t.Parallel()
	plan := mustPlan(t, "testdata/grid.yaml")
	dir := filepath.Join(t.TempDir(), "s1")
	ctx, cancel := context.WithCancel(context.Background())
	shard := Shard{Index: 1, Count: 4}
	done := 0
	_, err := sweepInto(ctx, plan, dir, output.DirOptions{}, Options{Workers: 1, Shard: shard, Progress: func(e evaluate.Event) {
		if e.Done > done {
			done = e.Done
			if done == 2 {
				cancel()
			}
		}
	}})
	if err == nil || !strings.HasPrefix(err.Error(), "sweep interrupted: ") || !strings.HasSuffix(err.Error(), " of 7 runs done; run again with --resume to finish") {
		t.Fatalf("interrupted shard: %v", err)
	}
	_, err = sweepInto(context.Background(), plan, dir, output.DirOptions{Resume: true}, Options{Workers: 1, Shard: Shard{Index: 2, Count: 4}})
	if want := "cannot resume: " + dir + " holds shard 1/4 of the sweep, not shard 2/4 of the sweep; use -o to write elsewhere"; err == nil || err.Error() != want {
		t.Errorf("resumed as another shard: %v\nwant %s", err, want)
	}
	res, err := sweepInto(context.Background(), plan, dir, output.DirOptions{Resume: true}, Options{Workers: 1, Shard: shard})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Records) != 7 || res.Resumed < 2 || res.Shard != shard {
		t.Errorf("resumed shard: %d records, %d resumed, shard %s", len(res.Records), res.Resumed, res.Shard)
	}
	for _, r := range res.Records {
		if !shard.Has(r.Point*3 + r.Replicate) {
			t.Errorf("shard 1/4 ran point %d replicate %d", r.Point, r.Replicate)
		}
	}
	f, err := os.OpenFile(filepath.Join(dir, JournalFile), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	nulls := strings.Repeat(",null", len(OutcomeNames(plan.platforms(), plan.segments(), nil))-1)[1:]
	f.WriteString(`{"point":0,"replicate":0,"seed":1,"winner":"none","values":[` + nulls + "]}\n")
	f.Close()
	_, err = sweepInto(context.Background(), plan, dir, output.DirOptions{Resume: true}, Options{Workers: 1, Shard: shard})
	if want := "journal line of point 0 replicate 0, which is not in shard 1/4"; err == nil || !strings.HasSuffix(err.Error(), want) {
		t.Errorf("foreign journal line: %v, want ...%s", err, want)
	}
}
