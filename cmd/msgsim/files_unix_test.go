//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestInputsMustBeRegularFiles gives every command a directory, a device and a named pipe
// where a file is expected, and a file over its size limit: each is refused by name at once
// (a pipe used to hang validate, /dev/zero to fill memory).
func TestInputsMustBeRegularFiles(t *testing.T) {
	t.Parallel()
	tmp := t.TempDir()
	fifo := filepath.Join(tmp, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(tmp, "big.yaml")
	bigCSV := filepath.Join(tmp, "big.csv")
	for path, size := range map[string]int64{big: 16<<20 + 1, bigCSV: 256<<20 + 1} {
		if err := os.WriteFile(path, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Truncate(path, size); err != nil { // sparse: nothing is written
			t.Fatal(err)
		}
	}
	write := func(name, text string) string {
		path := filepath.Join(tmp, name)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	scenario := func(edges string) string {
		return write("edges_"+filepath.Base(edges)+".yaml", "graph: {kind: file, path: "+edges+"}\nplatforms: {a: {}}\n")
	}
	calibBase, err := filepath.Abs("testdata/calib_base.yaml")
	if err != nil {
		t.Fatal(err)
	}
	fitWithData := write("fit.yaml", strings.Replace(string(readFile(t, "testdata/calib.yaml")), "calib_data.csv", bigCSV, 1))
	fitWithData = write("fit.yaml", strings.Replace(string(readFile(t, fitWithData)), "calib_base.yaml", calibBase, 1))
	const notRegular = "not a regular file (it is %s); give the path of a file"
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"validate", "/dev/zero"}, "scenario /dev/zero: " + strings.Replace(notRegular, "%s", "a device", 1)},
		{[]string{"validate", fifo}, "scenario " + fifo + ": " + strings.Replace(notRegular, "%s", "a named pipe (FIFO)", 1)},
		{[]string{"validate", tmp}, "scenario " + tmp + ": " + strings.Replace(notRegular, "%s", "a directory", 1)},
		{[]string{"validate", big}, "scenario " + big + ": the file is larger than 16 MiB, the limit for a scenario file; is it the right file?"},
		{[]string{"run", "--dry-run", fifo}, "scenario " + fifo + ": " + strings.Replace(notRegular, "%s", "a named pipe (FIFO)", 1)},
		{[]string{"sweep", "/dev/zero"}, "sweep /dev/zero: " + strings.Replace(notRegular, "%s", "a device", 1)},
		{[]string{"sweep", big, "--dry-run"}, "sweep " + big + ": the file is larger than 16 MiB, the limit for a sweep file; is it the right file?"},
		{[]string{"calibrate", fifo}, "fit " + fifo + ": " + strings.Replace(notRegular, "%s", "a named pipe (FIFO)", 1)},
		{[]string{"calibrate", big}, "fit " + big + ": the file is larger than 16 MiB, the limit for a fit file; is it the right file?"},
		{[]string{"calibrate", fitWithData}, fitWithData + ":4:7: data: cannot read " + bigCSV + ": the file is larger than 256 MiB, the limit for a fit data file; is it the right file?"},
		{[]string{"validate", scenario(fifo)}, scenario(fifo) + ":1:27: graph.path: edge list " + fifo + ": " + strings.Replace(notRegular, "%s", "a named pipe (FIFO)", 1)},
		{[]string{"validate", scenario("/dev/zero")}, scenario("/dev/zero") + ":1:27: graph.path: edge list /dev/zero: " + strings.Replace(notRegular, "%s", "a device", 1)},
	} {
		done := make(chan string, 1)
		go func() {
			_, stderr, _ := runCLI(t, tc.args...)
			done <- stderr
		}()
		select {
		case stderr := <-done:
			first, _, _ := strings.Cut(stderr, "\n")
			if first != "error: "+tc.want {
				t.Errorf("%v:\n got %s\nwant error: %s", tc.args, first, tc.want)
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("%v: still running after 20 s", tc.args)
		}
	}
}

// TestFileNamesAreEscaped: a file name may hold anything (a shell glob picks up whatever is
// in a directory); printed, its control characters are escaped.
func TestFileNamesAreEscaped(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "x\x1b]0;pwned\a.yaml")
	if err := os.WriteFile(path, []byte("agents: 100\nplatforms: {a: {}}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := runCLI(t, "validate", path)
	escaped := strings.ReplaceAll(strings.ReplaceAll(path, "\x1b", `\x1b`), "\a", `\a`)
	want := "ok " + escaped + ` (x\x1b]0;pwned\a: 100 agents, 1 platform, 100 steps)` + "\n"
	if code != 0 || stdout != want {
		t.Errorf("exit %d, stdout %q, stderr %q; want %q", code, stdout, stderr, want)
	}
}
