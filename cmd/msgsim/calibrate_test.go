package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/msgsim/msgsim/internal/calibrate"
	"github.com/msgsim/msgsim/output"
)

func TestCalibrateCommand(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "fit")
	stdout, stderr, code := runCLI(t, "calibrate", "testdata/calib.yaml", "-o", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if stderr != "" {
		t.Errorf("not a terminal, so no progress expected on stderr; got %q", stderr)
	}
	for _, f := range calibrate.Files {
		if info, err := os.Stat(filepath.Join(dir, f)); err != nil || info.Size() == 0 {
			t.Errorf("%s missing or empty", f)
		}
	}
	for _, want := range []string{"Test calibration: nelder_mead, ", "= 60 of 60 runs in ", "platforms.app.p = ", "platforms.app.q = ", "results in " + dir} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	var report calibrate.Report
	if err := json.Unmarshal(readFile(t, filepath.Join(dir, "fit.json")), &report); err != nil {
		t.Fatal(err)
	}
	if report.Runs > report.Budget || report.Points != 7 || len(report.Parameters) != 2 || report.Parameters[0].StdErr == nil || report.Error >= report.StartError {
		t.Errorf("fit.json: %+v", report)
	}
	// The launch row is left out by from:, and the mau_revised row by having no target.
	if o := report.Observations[0]; o.Date != "2020-02-03" || o.Step != 4 || o.Line != 3 {
		t.Errorf("first observation %+v, want 2020-02-03 at step 4 from line 3", o)
	}
	fitted := string(readFile(t, filepath.Join(dir, "fitted.yaml")))
	if !strings.HasPrefix(fitted, "# Fitted by msgsim calibrate from testdata/calib.yaml on ") {
		t.Errorf("fitted.yaml header:\n%s", fitted)
	}
	// msgsim run accepts the fitted scenario.
	if _, stderr, code := runCLI(t, "run", filepath.Join(dir, "fitted.yaml"), "-o", filepath.Join(t.TempDir(), "run"), "--quiet", "--format", "json"); code != 0 {
		t.Errorf("msgsim run fitted.yaml: exit %d: %s", code, stderr)
	}
	if entries, _ := os.ReadDir(filepath.Dir(dir)); len(entries) != 1 {
		t.Errorf("staging left files beside the output: %v", entries)
	}
}

func TestCalibrateNeverOverwritesWithoutForce(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "fit")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	precious := filepath.Join(dir, "fit.json")
	if err := os.WriteFile(precious, []byte("earlier results"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := runCLI(t, "calibrate", "testdata/calib.yaml", "-o", dir, "--quiet")
	wantErr := "error: output directory already exists: " + dir + " holds earlier results (use --force to replace them, or -o to write elsewhere)\n"
	if code != 1 || stderr != wantErr {
		t.Fatalf("exit %d, stderr %q; want 1 and %q", code, stderr, wantErr)
	}
	if string(readFile(t, precious)) != "earlier results" {
		t.Fatal("earlier results were touched")
	}
	// --force replaces only msgsim's own results: these files were not written by msgsim.
	_, stderr, code = runCLI(t, "calibrate", "testdata/calib.yaml", "-o", dir, "--quiet", "--force")
	wantErr = "error: output directory already exists: " + dir + " holds files msgsim did not write (fit.json); --force only replaces msgsim's own results, so choose another -o\n"
	if code != 1 || stderr != wantErr {
		t.Fatalf("--force on a foreign directory: exit %d, stderr %q; want 1 and %q", code, stderr, wantErr)
	}
	if err := output.Mark(dir); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := runCLI(t, "calibrate", "testdata/calib.yaml", "-o", dir, "--quiet", "--force"); code != 0 {
		t.Fatalf("--force: exit %d: %s", code, stderr)
	}
	if bytes.Equal(readFile(t, precious), []byte("earlier results")) {
		t.Fatal("--force did not replace the results")
	}
}

// TestCalibrateSameResultWhateverTheWorkers: fit.json and fitted.yaml (dated by a fixed
// clock) are byte-identical on 1 and 3 goroutines.
func TestCalibrateSameResultWhateverTheWorkers(t *testing.T) {
	t.Parallel()
	var outs [][]byte
	for _, workers := range []int{1, 3} {
		dir := filepath.Join(t.TempDir(), "fit")
		err := runCalibrate(context.Background(), &CalibrateOptions{
			Streams: &IOStreams{Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}}, File: "testdata/calib.yaml", OutDir: dir, Workers: workers,
			Now: func() time.Time { return time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC) },
		})
		if err != nil {
			t.Fatal(err)
		}
		outs = append(outs, append(readFile(t, filepath.Join(dir, "fit.json")), readFile(t, filepath.Join(dir, "fitted.yaml"))...))
	}
	if !bytes.Equal(outs[0], outs[1]) {
		t.Error("results differ between --workers 1 and 3")
	}
}

func TestCalibrateErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"calibrate"}, 2, "error: calibrate takes 1 argument, got 0 (see msgsim calibrate --help)\n"},
		{[]string{"calibrate", "nope.yaml"}, 1, "error: fit nope.yaml: file not found\n"},
		{[]string{"calibrate", "testdata/calib.yaml", "--workerz", "2"}, 2, "error: unknown flag: --workerz\n"},
		{[]string{"calibrate", "testdata/calib_bad.yaml"}, 1, "error: testdata/calib_bad.yaml:5:9: method: unknown method \"simplex\" (valid: nelder_mead, cma_es)\n    5 | method: simplex\n      |         ^\n"},
	}
	for _, tc := range tests {
		_, stderr, code := runCLI(t, tc.args...)
		if code != tc.code || stderr != tc.want {
			t.Errorf("%v: exit %d, stderr:\n%s\nwant exit %d, stderr:\n%s", tc.args, code, stderr, tc.code, tc.want)
		}
	}
}

func TestCalibrateFlags(t *testing.T) {
	t.Parallel()
	var got *CalibrateOptions
	cmd := NewCmdCalibrate(&IOStreams{Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}}, func(_ context.Context, o *CalibrateOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"f.yaml", "-o", "d", "-q", "--force", "--workers", "2"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.File != "f.yaml" || got.OutDir != "d" || !got.Quiet || !got.Force || got.Workers != 2 {
		t.Errorf("options %+v", got)
	}
}

func TestInterruptedCalibrationWritesNothing(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	dir := filepath.Join(t.TempDir(), "out")
	err := runCalibrate(ctx, &CalibrateOptions{Streams: &IOStreams{Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}}, File: "testdata/calib.yaml", OutDir: dir})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	if entries, _ := os.ReadDir(filepath.Dir(dir)); len(entries) != 0 {
		t.Errorf("an interrupted calibration left %v", entries)
	}
	var out, errOut bytes.Buffer
	if code := execute(ctx, &IOStreams{Out: &out, ErrOut: &errOut}, []string{"calibrate", "testdata/calib.yaml", "-o", dir}); code != 130 {
		t.Errorf("exit %d, want 130 (%s)", code, errOut.String())
	}
}
