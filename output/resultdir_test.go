package output

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// openIncremental opens dir as a sweep does, failing the test on error; it is released when
// the test ends.
func openIncremental(t *testing.T, dir string, opts DirOptions) *ResultDir {
	t.Helper()
	opts.Resumable = true
	d, err := OpenResultDir(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	return d
}

func writeText(content string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, content); return err }
}

// TestIncrementalWrites: Start marks the directory, WriteFile and RenderFile replace files
// whole and leave no temporary names, and a failed render keeps the earlier file.
func TestIncrementalWrites(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "sweep")
	d := openIncremental(t, dir, DirOptions{})
	if d.Resuming() {
		t.Fatal("a new directory is resuming")
	}
	if err := d.Start(); err != nil {
		t.Fatal(err)
	}
	if err := d.WriteFile("a.csv", writeText("one\n")); err != nil {
		t.Fatal(err)
	}
	if err := d.WriteFile("a.csv", writeText("two\n")); err != nil {
		t.Fatal(err)
	}
	if err := d.RenderFile("p.svg", func(path string) error { return os.WriteFile(path, []byte("<svg/>"), 0o644) }); err != nil {
		t.Fatal(err)
	}
	failed := errors.New("encoder failed")
	err := d.RenderFile("p.svg", func(path string) error {
		os.WriteFile(path, []byte("<sv"), 0o644)
		return failed
	})
	if !errors.Is(err, failed) {
		t.Errorf("failed render: error %v, want %v", err, failed)
	}
	err = d.WriteFile("b.csv", func(w io.Writer) error { io.WriteString(w, "half"); return failed })
	if want := "write b.csv: encoder failed"; err == nil || err.Error() != want {
		t.Errorf("failed write: error %v, want %q", err, want)
	}
	want := map[string]string{"a.csv": "two\n", "p.svg": "<svg/>", LockFile: ""}
	got := readFiles(t, dir)
	got[LockFile] = ""
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("directory holds %v, want %v", got, want)
	}
	if _, err := os.Stat(filepath.Join(dir, MarkerFile)); err != nil {
		t.Errorf("Start wrote no marker: %v", err)
	}
}

// TestJournal: lines come back in order, numbered, a partial last line (a kill mid-write) is
// cut off the file, and an over-long line is an error naming it.
func TestJournal(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	d := openIncremental(t, dir, DirOptions{})
	var lines []string
	collect := func(line int, text []byte) error {
		lines = append(lines, fmt.Sprintf("%d:%s", line, text))
		return nil
	}
	if err := d.ReadJournal("runs.journal", collect); err != nil || lines != nil {
		t.Fatalf("missing journal: lines %q, error %v; want none", lines, err)
	}
	j, err := d.OpenJournal("runs.journal")
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		if err := j.Append(map[string]int{"run": i}); err != nil {
			t.Fatal(err)
		}
	}
	j.Close()
	path := filepath.Join(dir, "runs.journal")
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(`{"run":`)
	f.Close()
	if err := d.ReadJournal("runs.journal", collect); err != nil {
		t.Fatal(err)
	}
	if want := []string{"1:{\"run\":0}\n", "2:{\"run\":1}\n"}; !slices.Equal(lines, want) {
		t.Errorf("lines %q, want %q", lines, want)
	}
	if b, _ := os.ReadFile(path); string(b) != "{\"run\":0}\n{\"run\":1}\n" {
		t.Errorf("journal after reading %q: the partial last line was not cut off", b)
	}

	refuse := errors.New("does not fit")
	err = d.ReadJournal("runs.journal", func(line int, _ []byte) error {
		if line == 2 {
			return refuse
		}
		return nil
	})
	if want := path + ":2: does not fit"; err == nil || err.Error() != want || !errors.Is(err, refuse) {
		t.Errorf("refused line: error %v, want %q", err, want)
	}

	if err := os.WriteFile(path, []byte("{}\n"+strings.Repeat(" ", maxJournalLine)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	err = d.ReadJournal("runs.journal", func(int, []byte) error { return nil })
	if want := path + ":2: corrupt journal line: longer than 64 KiB"; err == nil || err.Error() != want {
		t.Errorf("over-long line: error %v, want %q", err, want)
	}
}

// TestOpenResultDirEarlierResults: what opening does with a directory that holds results,
// for each combination of options.
func TestOpenResultDirEarlierResults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		files    map[string]string
		opts     DirOptions
		resuming bool
		err      string // with %s for the directory
	}{
		{"only the marker, resumed", map[string]string{MarkerFile: ""}, DirOptions{Resume: true, Resumable: true}, false, ""},
		{"results, resumed", map[string]string{MarkerFile: "", "runs.journal": ""}, DirOptions{Resume: true, Resumable: true}, true, ""},
		{"results, forced", map[string]string{MarkerFile: "", "runs.journal": ""}, DirOptions{Force: true, Resumable: true}, false, ""},
		{"results, resumable writer", map[string]string{MarkerFile: "", "runs.journal": ""}, DirOptions{Resumable: true}, false,
			"output directory already exists: %s holds earlier results (use --resume to finish an interrupted sweep, --force to start over, or -o to write elsewhere)"},
		{"results, one-shot writer", map[string]string{MarkerFile: "", "series.csv": ""}, DirOptions{}, false,
			"output directory already exists: %s holds earlier results (use --force to replace them, or -o to write elsewhere)"},
		{"foreign, resumed", map[string]string{"main.go": ""}, DirOptions{Resume: true, Resumable: true}, false,
			"cannot resume: output directory already exists: %s holds files msgsim did not write (main.go); --force only replaces msgsim's own results, so choose another -o"},
		{"foreign, resumable writer", map[string]string{"main.go": ""}, DirOptions{Resumable: true}, false,
			"output directory already exists: %s holds files msgsim did not write (main.go); --force only replaces msgsim's own results, so choose another -o"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			writeFiles(t, dir, tc.files)
			d, err := OpenResultDir(dir, tc.opts)
			if tc.err != "" {
				if want := fmt.Sprintf(tc.err, dir); err == nil || err.Error() != want || !errors.Is(err, ErrExists) {
					t.Fatalf("error %v, want %q", err, want)
				}
				if _, err := os.Stat(filepath.Join(dir, LockFile)); err == nil {
					t.Error("a refused open left the directory locked")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			if d.Resuming() != tc.resuming {
				t.Errorf("Resuming() = %v, want %v", d.Resuming(), tc.resuming)
			}
		})
	}
}

// TestStartForcedEmptiesInPlace: a forced Start removes earlier results but keeps the
// directory itself; a resumed Start keeps them.
func TestStartForcedEmptiesInPlace(t *testing.T) {
	t.Parallel()
	for _, opts := range []DirOptions{{Force: true}, {Resume: true}} {
		dir := t.TempDir()
		writeFiles(t, dir, map[string]string{MarkerFile: "", "runs.journal": "{}\n"})
		before, err := os.Stat(dir)
		if err != nil {
			t.Fatal(err)
		}
		d := openIncremental(t, dir, opts)
		if err := d.Start(); err != nil {
			t.Fatal(err)
		}
		after, err := os.Stat(dir)
		if err != nil {
			t.Fatal(err)
		}
		if !os.SameFile(before, after) {
			t.Errorf("%+v: Start replaced the directory", opts)
		}
		want := map[string]string{"runs.journal": "{}\n"}
		if opts.Force {
			want = map[string]string{}
		}
		got := readFiles(t, dir)
		delete(got, LockFile)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%+v: directory holds %v, want %v", opts, got, want)
		}
		d.Close()
	}
}

// TestOpenResultDirLocked: a second writer is refused while the first holds the directory,
// and admitted once it is closed.
func TestOpenResultDirLocked(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	d, err := OpenResultDir(dir, DirOptions{Resumable: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := OpenResultDir(dir, DirOptions{Force: true}); !errors.Is(err, ErrLocked) {
		t.Fatalf("second open: error %v, want ErrLocked", err)
	}
	d.Close()
	again, err := OpenResultDir(dir, DirOptions{})
	if err != nil {
		t.Fatalf("open after Close: %v", err)
	}
	again.Close()
}
