package sweep

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/msgsim/msgsim/output"
)

// TestResumeAfterKillAtStart: a kill at any point while a sweep sets up its directory leaves
// one that --resume finishes, with the same tables as an uninterrupted sweep.
func TestResumeAfterKillAtStart(t *testing.T) {
	t.Parallel()
	plan := mustPlan(t, "testdata/grid.yaml")
	whole := t.TempDir()
	runAll(t, plan, whole, 2, false)
	manifest, err := os.ReadFile(filepath.Join(whole, ManifestFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		files map[string][]byte // what the killed sweep left
	}{
		{"after the marker", map[string][]byte{output.MarkerFile: nil}},
		{"while writing the manifest", map[string][]byte{output.MarkerFile: nil, ".msgsim-tmp-" + ManifestFile: manifest[:10]}},
		{"after the manifest", map[string][]byte{output.MarkerFile: nil, ManifestFile: manifest}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, content := range tc.files {
				if err := os.WriteFile(filepath.Join(dir, name), content, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			runAll(t, plan, dir, 2, true)
			tw, tr := finalTables(t, whole), finalTables(t, dir)
			for name := range tw {
				if !bytes.Equal(tw[name], tr[name]) {
					t.Errorf("%s differs from the uninterrupted sweep's", name)
				}
			}
			if got, err := os.ReadFile(filepath.Join(dir, SweepFile)); err != nil || !bytes.Equal(got, plan.Sweep.Data) {
				t.Errorf("%s after resume: %q, %v; want the sweep file", SweepFile, got, err)
			}
		})
	}
}

// TestForceReplacesResultsInPlace: --force empties the results directory and refills it; the
// directory keeps its inode, mode and setgid bit, and nothing of the earlier sweep survives.
func TestForceReplacesResultsInPlace(t *testing.T) {
	t.Parallel()
	plan := mustPlan(t, "testdata/grid.yaml")
	dir := filepath.Join(t.TempDir(), "shared")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o700|os.ModeSetgid); err != nil {
		t.Fatal(err)
	}
	before, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	runAll(t, plan, dir, 2, false)
	if err := os.WriteFile(filepath.Join(dir, "heatmap.png"), []byte("stale"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := sweepInto(context.Background(), plan, dir, output.DirOptions{Force: true}, Options{Workers: 2}); err != nil {
		t.Fatal(err)
	}
	after, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !os.SameFile(before, after) {
		t.Errorf("--force replaced %s by another directory", dir)
	}
	if got, want := after.Mode()&(os.ModePerm|os.ModeSetgid), 0o700|os.ModeSetgid; got != want {
		t.Errorf("mode after --force %v, want %v", got, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "heatmap.png")); err == nil {
		t.Error("--force kept a file of the earlier sweep")
	}
}

// TestWriteResultsLeavesNoTemporaries: the atomic writes leave only the results behind.
func TestWriteResultsLeavesNoTemporaries(t *testing.T) {
	t.Parallel()
	plan := mustPlan(t, "testdata/grid.yaml")
	dir := t.TempDir()
	runAll(t, plan, dir, 2, false)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if name := e.Name(); name[0] == '.' && name != output.MarkerFile {
			t.Errorf("left behind %s", name)
		}
	}
}
