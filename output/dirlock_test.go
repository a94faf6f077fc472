package output

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// keptPath is the directory a failed Commit's message says the results are kept in.
func keptPath(t *testing.T, err error) string {
	t.Helper()
	_, after, ok := strings.Cut(err.Error(), "results kept in ")
	if !ok {
		t.Fatalf("error %q does not say where the results are kept", err)
	}
	return strings.TrimRight(after, ".; ")
}

// TestCommitRefusedKeepsResults: when something else fills the directory while the run goes
// on, Commit refuses, and the results survive at the path it prints even after the caller's
// deferred Abort.
func TestCommitRefusedKeepsResults(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	dir := filepath.Join(root, "out")
	s, err := stage(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := createText(s, "series.csv", "new\n"); err != nil {
		t.Fatal(err)
	}
	other := map[string]string{"notes.txt": "someone else's\n"}
	writeFiles(t, dir, other)
	err = s.Commit()
	if !errors.Is(err, ErrExists) {
		t.Fatalf("Commit error = %v, want ErrExists", err)
	}
	kept := keptPath(t, err)
	s.Abort()
	if got, want := readFiles(t, kept), map[string]string{"series.csv": "new\n"}; !equalFiles(got, want) {
		t.Errorf("after Abort %s holds %v, want %v", kept, got, want)
	}
	if got := readFiles(t, dir); got["notes.txt"] != other["notes.txt"] {
		t.Errorf("Commit changed the other files: %v", got)
	}
}

// TestCommitRenameFailureKeepsResults makes moving a result into place fail half-way: the
// earlier results are back as they were, and the new ones survive at the printed path.
func TestCommitRenameFailureKeepsResults(t *testing.T) {
	// Not parallel: it replaces the package's rename.
	root := t.TempDir()
	dir := filepath.Join(root, "out")
	old := map[string]string{"series.csv": "old\n", "plot.png": "old png"}
	writeFiles(t, dir, old)
	markResults(t, dir)
	s, err := stage(dir, true)
	if err != nil {
		t.Fatal(err)
	}
	newFiles := map[string]string{"a.csv": "1\n", "b.csv": "2\n", "series.csv": "new\n"}
	for name, content := range newFiles {
		if err := createText(s, name, content); err != nil {
			t.Fatal(err)
		}
	}
	boom := errors.New("no space left on device")
	moves := 0
	rename = func(from, to string) error {
		if filepath.Dir(from) == s.tmp {
			if moves++; moves == 2 {
				return boom
			}
		}
		return os.Rename(from, to)
	}
	defer func() { rename = os.Rename }()
	err = s.Commit()
	if !errors.Is(err, boom) {
		t.Fatalf("Commit error = %v, want the rename's", err)
	}
	kept := keptPath(t, err)
	s.Abort()
	if got := readFiles(t, kept); !equalFiles(got, newFiles) {
		t.Errorf("kept results %s hold %v, want %v", kept, got, newFiles)
	}
	got := readFiles(t, dir)
	delete(got, filepath.Base(kept)+"/")
	if !equalFiles(got, old) {
		t.Errorf("earlier results now %v, want them back as %v", got, old)
	}
	if err := Replaceable(dir); err != nil {
		t.Errorf("earlier results lost their marker: %v", err)
	}
}

// TestLockContention: a second writer of a results directory is refused with a message
// naming the holder, and the holder's staged files are left alone; once the holder is done
// the directory is free.
func TestLockContention(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "out")
	s, err := stage(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := createText(s, "series.csv", "first\n"); err != nil {
		t.Fatal(err)
	}
	want := regexp.MustCompile("^" + regexp.QuoteMeta(fmt.Sprintf("results directory in use: %s is being written by another msgsim process (pid %d, started ", dir, os.Getpid())) +
		`\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [A-Z]+` + regexp.QuoteMeta(": "+holderCommand()+"); wait for it to finish, or choose another -o") + "$")
	for _, force := range []bool{false, true} {
		s2, err := stage(dir, force)
		if err == nil {
			s2.Abort()
			t.Fatalf("force=%v: second Stage of a directory being written succeeded", force)
		}
		if !errors.Is(err, ErrLocked) || !want.MatchString(err.Error()) {
			t.Errorf("force=%v: error = %q\nwant match %s", force, err, want)
		}
	}
	if _, err := LockDir(dir); !errors.Is(err, ErrLocked) {
		t.Errorf("LockDir of a staged directory: %v, want ErrLocked", err)
	}
	if b, err := os.ReadFile(s.Path("series.csv")); err != nil || string(b) != "first\n" {
		t.Errorf("the holder's staged file: %q, %v", b, err)
	}
	if err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	stageAndCommit(t, dir, true, map[string]string{"series.csv": "second\n"})
	if got := readFiles(t, dir); !equalFiles(got, map[string]string{"series.csv": "second\n"}) {
		t.Errorf("after both runs %s holds %v", dir, got)
	}
}

// TestLockDirHeld: LockDir holds a sweep's directory until Unlock, leaves no lock file
// behind, and removes a directory it created and nothing was written to.
func TestLockDirHeld(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	dir := filepath.Join(root, "sw")
	l, err := LockDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := LockDir(dir); !errors.Is(err, ErrLocked) {
		t.Errorf("second LockDir: %v, want ErrLocked", err)
	}
	if _, err := stage(dir, true); !errors.Is(err, ErrLocked) {
		t.Errorf("Stage of a locked directory: %v, want ErrLocked", err)
	}
	l.Unlock()
	l.Unlock() // twice is harmless
	if got := listDir(t, root); len(got) != 0 {
		t.Errorf("an unused locked directory left %v", got)
	}
	l, err = LockDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	writeFiles(t, l.Path(), map[string]string{"runs.csv": "x\n"})
	l.Unlock()
	if got := listDir(t, dir); !slices.Equal(got, []string{"runs.csv"}) {
		t.Errorf("after Unlock %s holds %v, want only runs.csv", dir, got)
	}
}

// TestStageFillsExistingDirInPlace: an existing empty directory (a mount point, a shared
// setgid directory) is filled, not replaced: it keeps its inode, mode and setgid bit; so does
// a forced rerun into it.
func TestStageFillsExistingDirInPlace(t *testing.T) {
	t.Parallel()
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
	for _, force := range []bool{false, true} {
		stageAndCommit(t, dir, force, map[string]string{"series.csv": fmt.Sprint(force)})
		after, err := os.Stat(dir)
		if err != nil {
			t.Fatal(err)
		}
		if !os.SameFile(before, after) {
			t.Errorf("force=%v: %s was replaced by another directory", force, dir)
		}
		if got, want := after.Mode()&(os.ModePerm|os.ModeSetgid), 0o700|os.ModeSetgid; got != want {
			t.Errorf("force=%v: mode %v, want %v", force, got, want)
		}
		if got := readFiles(t, dir); !equalFiles(got, map[string]string{"series.csv": fmt.Sprint(force)}) {
			t.Errorf("force=%v: %s holds %v", force, dir, got)
		}
	}
}

// TestStageFollowsSymlink: -o a symbolic link to a directory writes into the link's target
// and keeps the link, as Unix tools do; a dangling link is refused before anything runs.
func TestStageFollowsSymlink(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	target := filepath.Join(root, "target")
	if err := os.Mkdir(target, 0o755); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(root, "link")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	stageAndCommit(t, link, false, map[string]string{"a.csv": "1\n"})
	stageAndCommit(t, link, true, map[string]string{"b.csv": "2\n"})
	if info, err := os.Lstat(link); err != nil || info.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the link was replaced: %v, %v", info, err)
	}
	if got := readFiles(t, target); !equalFiles(got, map[string]string{"b.csv": "2\n"}) {
		t.Errorf("target holds %v, want the second run's b.csv", got)
	}
	if got := listDir(t, root); !slices.Equal(got, []string{"link", "target/"}) {
		t.Errorf("root holds %v", got)
	}
	l, err := LockDir(link)
	if err != nil {
		t.Fatal(err)
	}
	if l.Path() != target {
		t.Errorf("LockDir(link).Path() = %q, want %q", l.Path(), target)
	}
	l.Unlock()

	dangling := filepath.Join(root, "dangling")
	missing := filepath.Join(root, "gone", "results")
	if err := os.Symlink(missing, dangling); err != nil {
		t.Fatal(err)
	}
	_, err = stage(dangling, false)
	want := "output " + dangling + " is a symbolic link to " + missing + ", which does not exist; create it, or choose another -o"
	if err == nil || err.Error() != want {
		t.Errorf("stage(dangling link) = %v\nwant %s", err, want)
	}
	if _, err := os.Stat(filepath.Join(root, "gone")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Stage created the dangling link's target: %v", err)
	}
}

// TestStaleLeftoversCleaned: a killed run's staged directory, its lock file and a half-written
// file do not count as results, and are removed by the next writer.
func TestStaleLeftoversCleaned(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "out")
	writeFiles(t, filepath.Join(dir, ".msgsim-partial-123"), map[string]string{"series.csv": "half\n", MarkerFile: ""})
	writeFiles(t, dir, map[string]string{LockFile: "pid 99999999\n", ".msgsim-tmp-points.csv": "half"})
	stageAndCommit(t, dir, false, map[string]string{"a.csv": "1\n"})
	if got := listDir(t, dir); !slices.Equal(got, []string{MarkerFile, "a.csv"}) {
		t.Errorf("after a run over a killed run's leftovers %s holds %v, want only the marker and a.csv", dir, got)
	}
}
