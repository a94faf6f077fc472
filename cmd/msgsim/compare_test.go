package main

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/msgsim/msgsim/internal/golden"
)

// compareRuns runs small.yaml as the baseline and with beta launched at step 0 (and any
// more settings as a third run), in dir.
func compareRuns(t *testing.T, dir string, extra ...string) []string {
	t.Helper()
	runs := [][]string{{"base"}, {"beta_early", "--set", "platforms.beta.launch=0"}}
	if len(extra) > 0 {
		runs = append(runs, extra)
	}
	var dirs []string
	for _, r := range runs {
		out := filepath.Join(dir, r[0])
		args := append([]string{"run", "testdata/small.yaml", "-o", out, "--quiet", "--format", "csv,json"}, r[1:]...)
		if _, stderr, code := runCLI(t, args...); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
		dirs = append(dirs, out)
	}
	return dirs
}

func TestCompareGolden(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	dirs := compareRuns(t, dir)
	out := filepath.Join(dir, "compare")
	stdout, stderr, code := runCLI(t, "compare", dirs[0], dirs[1], "-o", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	golden.Check(t, filepath.Join("testdata", "compare.stdout.golden"), []byte(strings.ReplaceAll(stdout, dir, "TMP")))
	table := strings.ReplaceAll(string(readFile(t, filepath.Join(out, "comparison.csv"))), dir, "TMP")
	golden.Check(t, filepath.Join("testdata", "compare.csv.golden"), []byte(table))
	for _, measure := range []string{"adoption", "registered", "share"} {
		for _, platform := range []string{"alpha", "beta"} {
			for _, ext := range []string{"png", "svg"} {
				if info, err := os.Stat(filepath.Join(out, measure+"_"+platform+"."+ext)); err != nil || info.Size() == 0 {
					t.Errorf("%s_%s.%s missing or empty", measure, platform, ext)
				}
			}
		}
	}
	// The output is a results directory like any other: not replaced without --force.
	if _, stderr, code := runCLI(t, "compare", dirs[0], dirs[1], "-o", out); code != 1 || !strings.Contains(stderr, "--force") {
		t.Errorf("second compare without --force: exit %d, %s", code, stderr)
	}
	if _, stderr, code := runCLI(t, "compare", dirs[0], dirs[1], "-o", out, "--force", "--quiet"); code != 0 {
		t.Errorf("compare --force: exit %d, %s", code, stderr)
	}
}

func TestCompareRefusesMismatches(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	dirs := compareRuns(t, dir, "short", "--set", "steps=10")
	// Another market: the same scenario with its second platform renamed.
	other := filepath.Join(dir, "other.yaml")
	renamed := strings.NewReplacer("  beta:\n", "  gamma:\n", "platform: beta", "platform: gamma").Replace(string(readFile(t, "testdata/small.yaml")))
	if err := os.WriteFile(other, []byte(renamed), 0o644); err != nil {
		t.Fatal(err)
	}
	gamma := filepath.Join(dir, "gamma")
	if _, stderr, code := runCLI(t, "run", other, "-o", gamma, "--quiet", "--format", "csv,json"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	notRun := filepath.Join(dir, "empty")
	if err := os.Mkdir(notRun, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"one run", []string{dirs[0]}, 2, "compare needs at least 2 arguments, got 1 (see msgsim compare --help)"},
		{"calendar", []string{dirs[0], dirs[2]}, 1,
			"compare: " + dirs[2] + " runs 10 weeks, the baseline " + dirs[0] + " runs 12 weeks: runs compare only on the same calendar"},
		{"platforms", []string{dirs[0], gamma}, 1,
			"compare: " + gamma + " has platforms alpha, gamma, the baseline " + dirs[0] + " has alpha, beta: runs compare only over the same platforms, in the same order"},
		{"not a run", []string{dirs[0], notRun}, 1,
			"compare: run summary " + filepath.Join(notRun, "summary.json") + ": file not found (compare reads directories msgsim run wrote, with --format including csv and json)"},
		{"output is an input", []string{dirs[0], dirs[1], "-o", dirs[1]}, 2,
			"compare: the output directory " + dirs[1] + " is one of the runs compared; give another with -o"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, code := runCLI(t, append([]string{"compare"}, tc.args...)...)
			if code != tc.code || !strings.Contains(stderr, tc.want+"\n") {
				t.Errorf("exit %d, stderr:\n%s\nwant exit %d and:\n%s", code, stderr, tc.code, tc.want)
			}
		})
	}
}

func TestCompareFlags(t *testing.T) {
	t.Parallel()
	var got *CompareOptions
	cmd := NewCmdCompare(&IOStreams{}, func(_ context.Context, o *CompareOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"out/a", "out/b", "out/c", "-o", "out/cmp", "--format", "csv", "--force", "-q"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Dirs, []string{"out/a", "out/b", "out/c"}) || got.OutDir != "out/cmp" || !slices.Equal(got.Formats, []string{"csv"}) || !got.Force || !got.Quiet {
		t.Errorf("options %+v", got)
	}
}
