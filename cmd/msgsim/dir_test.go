package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/msgsim/msgsim/internal/sweep"
	"github.com/msgsim/msgsim/output"
)

// longRun is a run that takes minutes: long enough to be killed or signalled mid-way.
var longRun = []string{"run", "testdata/small.yaml", "--set", "agents=20000", "--set", "steps=200000", "-q"}

// startMsgsim starts this test binary as the msgsim command (see TestMain) with args.
func startMsgsim(t *testing.T, args ...string) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "MSGSIM_TEST_ARGS="+strings.Join(args, "\x1f"))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	return cmd, &stderr
}

// waitFor polls until ready says the subprocess got far enough, failing the test after a
// generous minute (the machine may be loaded).
func waitFor(t *testing.T, cmd *exec.Cmd, what string, ready func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !ready() {
		if time.Now().After(deadline) {
			t.Fatalf("msgsim %s: not %s after a minute", cmd.Env[len(cmd.Env)-1], what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// staged reports whether a run has staged its results in dir, i.e. is under way.
func staged(dir string) bool {
	matches, _ := filepath.Glob(filepath.Join(dir, ".msgsim-partial-*"))
	return len(matches) > 0
}

// exitCode waits for cmd and returns its exit code, failing if a signal killed it.
func exitCode(t *testing.T, cmd *exec.Cmd) int {
	t.Helper()
	cmd.Wait()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		t.Fatalf("msgsim was killed by %v instead of stopping cleanly", ws.Signal())
	}
	return cmd.ProcessState.ExitCode()
}

// TestResultDirectoryLocked: while a results directory is being written, run, sweep and
// calibrate refuse it, --force or not, naming the holder, and touch nothing.
func TestResultDirectoryLocked(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "busy")
	lock, err := output.LockDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Unlock()
	if err := output.Mark(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "runs.csv"), []byte("being written\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("error: results directory in use: %s is being written by another msgsim process (pid %d, started ", dir, os.Getpid())
	for _, args := range [][]string{
		{"sweep", "testdata/sweep.yaml", "-o", dir, "--force"},
		{"sweep", "testdata/sweep.yaml", "-o", dir, "--resume"},
		{"run", "testdata/small.yaml", "-o", dir, "--force"},
		{"calibrate", "testdata/calib.yaml", "-o", dir, "--force"},
	} {
		_, stderr, code := runCLI(t, args...)
		if code != 1 || !strings.HasPrefix(stderr, want) || !strings.HasSuffix(stderr, "); wait for it to finish, or choose another -o\n") {
			t.Errorf("%v: exit %d, %q\nwant 1, %q...", args, code, stderr, want)
		}
		if got := listNames(t, dir); !slices.Equal(got, []string{output.MarkerFile, output.LockFile, "runs.csv"}) {
			t.Errorf("%v: directory now holds %v", args, got)
		}
	}
}

func listNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// TestOutputSymlinkFollowed: -o a symbolic link to a directory puts the results in its target
// and keeps the link, for run and sweep alike.
func TestOutputSymlinkFollowed(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"run", "testdata/small.yaml", "-q", "--format", "csv"},
		{"sweep", "testdata/sweep.yaml", "-q", "--format", "csv"},
	} {
		root := t.TempDir()
		target := filepath.Join(root, "target")
		link := filepath.Join(root, "link")
		if err := os.Mkdir(target, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, link); err != nil {
			t.Fatal(err)
		}
		for _, force := range []string{"--quiet", "--force"} {
			if _, stderr, code := runCLI(t, append(args, "-o", link, force)...); code != 0 {
				t.Fatalf("%v %s: exit %d: %s", args, force, code, stderr)
			}
			if info, err := os.Lstat(link); err != nil || info.Mode()&os.ModeSymlink == 0 {
				t.Fatalf("%v %s: the link was replaced (%v)", args, force, err)
			}
			if got := listNames(t, target); !slices.Contains(got, "summary.md") && !slices.Contains(got, "series.csv") {
				t.Errorf("%v %s: target holds %v", args, force, got)
			}
		}
	}
}

// TestKilledRunLeftoversCleaned: kill -9 leaves a run's staged files; the next run into the
// same directory removes them and succeeds.
func TestKilledRunLeftoversCleaned(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a subprocess")
	}
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "out")
	cmd, _ := startMsgsim(t, append(longRun, "-o", dir)...)
	waitFor(t, cmd, "staging its results", func() bool { return staged(dir) })
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	if !staged(dir) {
		t.Fatal("the killed run left no staged directory: nothing to test")
	}
	if _, stderr, code := runCLI(t, "run", "testdata/small.yaml", "-o", dir, "-q", "--format", "csv"); code != 0 {
		t.Fatalf("run after a killed run: exit %d: %s", code, stderr)
	}
	if got := listNames(t, dir); !slices.Equal(got, []string{output.MarkerFile, "bands.csv", "scenario.yaml", "series.csv"}) {
		t.Errorf("after the second run %s holds %v", dir, got)
	}
}

// TestSignalsStopRunCleanly: SIGTERM (Slurm, timeout, docker stop) and SIGHUP stop a run as
// Ctrl-C does: a clean message, nothing written, and exit 128 + the signal's number.
func TestSignalsStopRunCleanly(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a subprocess")
	}
	t.Parallel()
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGHUP, syscall.SIGINT} {
		dir := filepath.Join(t.TempDir(), "out")
		cmd, stderr := startMsgsim(t, append(longRun, "-o", dir)...)
		waitFor(t, cmd, "staging its results", func() bool { return staged(dir) })
		if err := cmd.Process.Signal(sig); err != nil {
			t.Fatal(err)
		}
		if code := exitCode(t, cmd); code != 128+int(sig) {
			t.Errorf("%v: exit %d, want %d", sig, code, 128+int(sig))
		}
		if want := "error: run testdata/small.yaml: interrupted; nothing was written\n"; stderr.String() != want {
			t.Errorf("%v: stderr %q, want %q", sig, stderr, want)
		}
		if _, err := os.Stat(dir); !os.IsNotExist(err) {
			t.Errorf("%v: the interrupted run left %s (%v)", sig, dir, err)
		}
	}
}

// TestSIGTERMStopsSweepCleanly: SIGTERM stops a sweep as Ctrl-C does, keeping its finished
// runs for --resume, and exits with 143.
func TestSIGTERMStopsSweepCleanly(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a subprocess")
	}
	t.Parallel()
	file := longSweep(t, 200)
	dir := filepath.Join(t.TempDir(), "sw")
	cmd, stderr := startMsgsim(t, "sweep", file, "-o", dir, "-q", "--workers", "1")
	journal := filepath.Join(dir, sweep.JournalFile)
	waitFor(t, cmd, "journalling runs", func() bool { b, _ := os.ReadFile(journal); return bytes.Count(b, []byte("\n")) >= 1 })
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if code := exitCode(t, cmd); code != 143 {
		t.Errorf("exit %d, want 143", code)
	}
	b, _ := os.ReadFile(journal)
	want := fmt.Sprintf("error: sweep %s: sweep interrupted: %d of 6000 runs done; run again with --resume to finish (finished runs are kept in %s)\n", file, bytes.Count(b, []byte("\n")), dir)
	if stderr.String() != want {
		t.Errorf("stderr %q\nwant   %q", stderr, want)
	}
}

// longSweep writes testdata/sweep.yaml with the given replicates (30 points each) to a
// temporary file and returns its path.
func longSweep(t *testing.T, replicates int) string {
	t.Helper()
	text := string(readFile(t, "testdata/sweep.yaml"))
	base, err := filepath.Abs("testdata/sweep_base.yaml")
	if err != nil {
		t.Fatal(err)
	}
	text = strings.Replace(text, "base: sweep_base.yaml", "base: "+base, 1)
	text = strings.Replace(text, "replicates: 3", fmt.Sprintf("replicates: %d", replicates), 1)
	path := filepath.Join(t.TempDir(), fmt.Sprintf("sweep%d.yaml", replicates))
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestSweepResumeCleansTemporaries: a sweep killed while writing its results leaves a
// half-written temporary (here of a plot the resumed sweep does not draw again); --resume
// writes the results and leaves none behind.
func TestSweepResumeCleansTemporaries(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "sw")
	if _, stderr, code := runCLI(t, "sweep", "testdata/sweep.yaml", "-o", dir, "-q", "--format", "csv"); code != 0 {
		t.Fatal(stderr)
	}
	half := output.TempPath(filepath.Join(dir, "heatmap.svg"))
	if err := os.WriteFile(half, []byte("<svg"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := runCLI(t, "sweep", "testdata/sweep.yaml", "-o", dir, "-q", "--format", "csv", "--resume"); code != 0 {
		t.Fatal(stderr)
	}
	for _, name := range listNames(t, dir) {
		if strings.HasPrefix(name, ".") && name != output.MarkerFile {
			t.Errorf("left behind %s", name)
		}
	}
}
