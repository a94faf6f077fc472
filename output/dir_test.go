package output

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// listDir returns the names in dir, sorted; subdirectories end in "/".
func listDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() {
			n += "/"
		}
		names = append(names, n)
	}
	return names
}

// readFiles returns name -> content for the regular files directly in dir.
func readFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, e := range entries {
		if e.Name() == MarkerFile {
			continue // checked on its own
		}
		if e.IsDir() {
			files[e.Name()+"/"] = ""
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = string(b)
	}
	return files
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func createText(s *Staging, name, content string) error {
	return s.Create(name, func(w io.Writer) error {
		_, err := io.WriteString(w, content)
		return err
	})
}

// stageAndCommit stages files in dir and commits them, failing the test on any error.
func stageAndCommit(t *testing.T, dir string, force bool, files map[string]string) {
	t.Helper()
	s, err := stage(dir, force)
	if err != nil {
		t.Fatalf("stage(%q, %v): %v", dir, force, err)
	}
	for name, content := range files {
		if err := createText(s, name, content); err != nil {
			t.Fatalf("Create(%q): %v", name, err)
		}
	}
	if err := s.Commit(); err != nil {
		t.Fatalf("Commit: %v", err)
	}
}

func equalFiles(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func TestStageCommit(t *testing.T) {
	t.Parallel()
	newFiles := map[string]string{"series.csv": "a,b\n1,2\n", "summary.json": "{}\n"}
	tests := []struct {
		name     string
		existing map[string]string // nil: dir does not exist; empty: exists and is empty
		sub      string            // dir relative to the temp dir
		force    bool
	}{
		{name: "new dir", sub: "out"},
		{name: "new dir with missing parents", sub: "a/b/out"},
		{name: "new dir, force", sub: "out", force: true},
		{name: "existing empty dir", sub: "out", existing: map[string]string{}},
		{name: "existing empty dir, force", sub: "out", existing: map[string]string{}, force: true},
		{name: "existing results, force", sub: "out", existing: map[string]string{"series.csv": "old\n", "old-only.png": "png"}, force: true},
		{name: "trailing slash", sub: "out/"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			root := t.TempDir()
			dir := filepath.Join(root, tc.sub)
			if strings.HasSuffix(tc.sub, "/") {
				dir += "/"
			}
			parent := filepath.Dir(filepath.Clean(dir))
			if tc.existing != nil {
				writeFiles(t, dir, tc.existing)
				if tc.force && len(tc.existing) > 0 {
					markResults(t, dir)
					// A subdirectory of earlier results must go too.
					writeFiles(t, filepath.Join(dir, "old-sub"), map[string]string{"x": "y"})
				}
			}

			s, err := stage(dir, tc.force)
			if err != nil {
				t.Fatalf("Stage: %v", err)
			}
			if s.Dir() != filepath.Clean(dir) {
				t.Errorf("Dir() = %q, want %q", s.Dir(), filepath.Clean(dir))
			}
			for name, content := range newFiles {
				if err := createText(s, name, content); err != nil {
					t.Fatalf("Create(%q): %v", name, err)
				}
			}
			// Before Commit the files are staged in a hidden directory inside the target.
			staged := filepath.Dir(s.Path("series.csv"))
			if filepath.Dir(staged) != filepath.Clean(dir) || !strings.HasPrefix(filepath.Base(staged), ".msgsim-partial-") {
				t.Errorf("staged in %q, want %s/.msgsim-partial-*", staged, filepath.Clean(dir))
			}
			if got := readFiles(t, staged); !equalFiles(got, newFiles) {
				t.Errorf("staged files = %v, want %v", got, newFiles)
			}
			if got, err := Contents(dir); len(tc.existing) == 0 && (err != nil || len(got) > 0) {
				t.Errorf("before Commit %s holds %v (%v), want no results yet", dir, got, err)
			} else if got := readFiles(t, dir); len(tc.existing) > 0 && got["series.csv"] != tc.existing["series.csv"] {
				t.Errorf("earlier results changed before Commit: %v", got)
			}

			if err := s.Commit(); err != nil {
				t.Fatalf("Commit: %v", err)
			}
			if got := readFiles(t, dir); !equalFiles(got, newFiles) {
				t.Errorf("after Commit %s holds %v, want exactly %v", dir, got, newFiles)
			}
			if got, want := listDir(t, parent), []string{filepath.Base(dir) + "/"}; !slices.Equal(got, want) {
				t.Errorf("parent holds %v, want only %v", got, want)
			}
			info, err := os.Stat(dir)
			if err != nil {
				t.Fatal(err)
			}
			// A directory msgsim makes gets the mode mkdir -m 755 would give it under the umask.
			ref := filepath.Join(t.TempDir(), "ref")
			if err := os.Mkdir(ref, 0o755); err != nil {
				t.Fatal(err)
			}
			if refInfo, err := os.Stat(ref); err != nil || info.Mode() != refInfo.Mode() {
				t.Errorf("mode of %s = %v, want %v (%v)", dir, info.Mode(), refInfo.Mode(), err)
			}

			// Abort after a successful Commit (the caller defers it) must not touch the results.
			s.Abort()
			if got := readFiles(t, dir); !equalFiles(got, newFiles) {
				t.Errorf("after Commit+Abort %s holds %v, want %v", dir, got, newFiles)
			}
		})
	}
}

func TestStageExistingResults(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	dir := filepath.Join(root, "out")
	old := map[string]string{"series.csv": "old\n", "notes.txt": "keep me"}
	writeFiles(t, dir, old)

	s, err := stage(dir, false)
	if err == nil {
		s.Abort()
		t.Fatal("Stage of a non-empty dir without force succeeded")
	}
	if !errors.Is(err, ErrExists) {
		t.Errorf("error %v does not wrap ErrExists", err)
	}
	want := "output directory already exists: " + dir + " holds earlier results (use --force to replace them, or -o to write elsewhere)"
	if err.Error() != want {
		t.Errorf("error = %q\nwant    %q", err, want)
	}
	if got := readFiles(t, dir); !equalFiles(got, old) {
		t.Errorf("existing files changed: %v, want %v", got, old)
	}
	if got := listDir(t, root); !slices.Equal(got, []string{"out/"}) {
		t.Errorf("root holds %v, want only out/", got)
	}

	// A hidden file counts as earlier results too.
	hidden := filepath.Join(root, "hidden")
	writeFiles(t, hidden, map[string]string{".keep": ""})
	if _, err := stage(hidden, false); !errors.Is(err, ErrExists) {
		t.Errorf("Stage of a dir with only a dotfile: error = %v, want ErrExists", err)
	}
}

func TestStageNotADirectory(t *testing.T) {
	t.Parallel()
	for _, force := range []bool{false, true} {
		root := t.TempDir()
		path := filepath.Join(root, "out")
		if err := os.WriteFile(path, []byte("a file"), 0o644); err != nil {
			t.Fatal(err)
		}
		s, err := stage(path, force)
		if err == nil {
			s.Abort()
			t.Fatalf("force=%v: Stage of a regular file succeeded", force)
		}
		if want := "output " + path + " exists and is not a directory"; err.Error() != want {
			t.Errorf("force=%v: error = %q, want %q", force, err, want)
		}
		if errors.Is(err, ErrExists) {
			t.Errorf("force=%v: error %v wraps ErrExists; it is a different problem", force, err)
		}
		if b, err := os.ReadFile(path); err != nil || string(b) != "a file" {
			t.Errorf("force=%v: file changed: %q, %v", force, b, err)
		}
		if got := listDir(t, root); !slices.Equal(got, []string{"out"}) {
			t.Errorf("force=%v: root holds %v, want only out", force, got)
		}
	}
}

func TestStageAbort(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		existing map[string]string
		force    bool
	}{
		{"new dir", nil, false},
		{"existing results, force", map[string]string{"series.csv": "old\n"}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			root := t.TempDir()
			dir := filepath.Join(root, "out")
			if tc.existing != nil {
				writeFiles(t, dir, tc.existing)
				markResults(t, dir)
			}
			s, err := stage(dir, tc.force)
			if err != nil {
				t.Fatal(err)
			}
			if err := createText(s, "series.csv", "new\n"); err != nil {
				t.Fatal(err)
			}
			staged := filepath.Dir(s.Path("series.csv"))
			s.Abort()
			if _, err := os.Stat(staged); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("staged dir still there after Abort (err %v)", err)
			}
			var want []string
			if tc.existing != nil {
				want = []string{"out/"}
				if got := readFiles(t, dir); !equalFiles(got, tc.existing) {
					t.Errorf("Abort changed earlier results: %v", got)
				}
			}
			if got := listDir(t, root); !slices.Equal(got, want) {
				t.Errorf("root holds %v after Abort, want %v", got, want)
			}
			s.Abort() // twice is harmless
		})
	}
}

func TestStageCreateError(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	s, err := stage(filepath.Join(root, "out"), false)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Abort()
	boom := errors.New("boom")
	err = s.Create("bands.csv", func(w io.Writer) error {
		io.WriteString(w, "partial")
		return boom
	})
	if !errors.Is(err, boom) {
		t.Errorf("error %v does not wrap the writer's error", err)
	}
	if err == nil || err.Error() != "write bands.csv: boom" {
		t.Errorf("error = %v, want %q", err, "write bands.csv: boom")
	}
	// A file that cannot be created at all is reported too.
	if err := createText(s, filepath.Join("no-such-dir", "x.csv"), ""); err == nil {
		t.Error("Create in a missing subdirectory succeeded")
	}
}

// TestStageTwice checks that a second run into the same dir needs force, and replaces the
// first run's results completely when given it.
func TestStageTwice(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	dir := filepath.Join(root, "out")
	stageAndCommit(t, dir, false, map[string]string{"a.csv": "1", "plot.png": "p"})
	if _, err := stage(dir, false); !errors.Is(err, ErrExists) {
		t.Fatalf("second Stage without force: error = %v, want ErrExists", err)
	}
	stageAndCommit(t, dir, true, map[string]string{"a.csv": "2"})
	if got, want := readFiles(t, dir), map[string]string{"a.csv": "2"}; !equalFiles(got, want) {
		t.Errorf("after forced rerun %s holds %v, want %v", dir, got, want)
	}
	if got := listDir(t, root); !slices.Equal(got, []string{"out/"}) {
		t.Errorf("root holds %v, want only out/", got)
	}
}

func TestForceRefusesForeignDirectories(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "project")
	writeFiles(t, dir, map[string]string{"main.go": "package main\n", "notes.txt": "mine\n"})
	_, err := stage(dir, true)
	want := "output directory already exists: " + dir + " holds files msgsim did not write (main.go, notes.txt); --force only replaces msgsim's own results, so choose another -o"
	if err == nil || err.Error() != want || !errors.Is(err, ErrExists) {
		t.Fatalf("got %v\nwant %s", err, want)
	}
	if got := readFiles(t, dir); len(got) != 2 {
		t.Errorf("files touched: %v", got)
	}
	stageAndCommit(t, filepath.Join(t.TempDir(), "res"), false, map[string]string{"a.csv": "1\n"})
}

func TestCommittedResultsCarryTheMarker(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "res")
	stageAndCommit(t, dir, false, map[string]string{"a.csv": "1\n"})
	if _, err := os.Stat(filepath.Join(dir, MarkerFile)); err != nil {
		t.Fatalf("no marker in committed results: %v", err)
	}
	if err := Replaceable(dir); err != nil {
		t.Errorf("msgsim's own results not replaceable: %v", err)
	}
	stageAndCommit(t, dir, true, map[string]string{"b.csv": "2\n"})
}

// markResults makes dir look like earlier msgsim results.
func markResults(t *testing.T, dir string) {
	t.Helper()
	if err := Mark(dir); err != nil {
		t.Fatal(err)
	}
}

// stage opens dir as run and calibrate do, and stages its results.
func stage(dir string, force bool) (*Staging, error) {
	d, err := OpenResultDir(dir, DirOptions{Force: force})
	if err != nil {
		return nil, err
	}
	return d.Stage()
}
