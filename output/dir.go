package output

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// A results directory is written by one msgsim process at a time and is never itself
// replaced: msgsim fills it in place, so that a directory made by the user (a mount point, a
// shared setgid directory, the target of a symbolic link) keeps its inode, mode and owner.
// Besides the results it holds, while a writer is at work or after one was killed:
//
//	.msgsim-results    the marker: --force replaces only directories that hold it
//	.msgsim.lock       locked by the writer (flock(2); LockFileEx on Windows), naming its
//	                   pid, start time and command; the kernel releases the lock when the
//	                   writer exits, however it dies
//	.msgsim-partial-*  a run's results staged until Commit moves them into place
//	.msgsim-old-*      earlier results set aside by a forced Commit until the new ones are in
//	.msgsim-tmp-*      a file being written atomically
//
// The writer removes the last three when it takes the lock: whoever left them is gone.
// ResultDir (resultdir.go) is how commands open one; this file holds the lock and the
// bookkeeping it rests on.

// ErrExists is returned when the output directory already holds results and replacing them
// was not asked for.
var ErrExists = errors.New("output directory already exists")

// ErrLocked is returned when another msgsim process is writing the results directory.
var ErrLocked = errors.New("results directory in use")

// MarkerFile is written into every results directory msgsim makes. --force replaces only
// directories that hold it, so that a mistyped -o never deletes anybody else's files.
const MarkerFile = ".msgsim-results"

// LockFile is the lock inside a results directory (see LockDir).
const LockFile = ".msgsim.lock"

// Prefixes of msgsim's own transient entries in a results directory.
const (
	partialPrefix = ".msgsim-partial-"
	oldPrefix     = ".msgsim-old-"
	tmpPrefix     = ".msgsim-tmp-"
)

// keptPrefix names staged results that could not be moved into place; unlike a partial
// directory they are the user's to keep, so no later writer removes them.
const keptPrefix = "msgsim-unsaved-"

// errHeld is tryLock's answer when another process holds the lock.
var errHeld = errors.New("lock held by another process")

// rename is os.Rename; a variable so that tests can make a move fail half-way.
var rename = os.Rename

// Mark labels dir as msgsim's results.
func Mark(dir string) error {
	return os.WriteFile(filepath.Join(dir, MarkerFile), []byte("results written by msgsim; --force may replace this directory\n"), 0o644)
}

// transient reports whether name is msgsim's bookkeeping rather than results.
func transient(name string) bool {
	return name == LockFile || strings.HasPrefix(name, partialPrefix) || strings.HasPrefix(name, oldPrefix) || strings.HasPrefix(name, tmpPrefix)
}

// Contents lists dir's entries other than msgsim's bookkeeping (the lock, staged and
// half-written files); a directory that does not exist has none.
func Contents(dir string) ([]fs.DirEntry, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("output directory %s: %w", dir, err)
	}
	kept := entries[:0]
	for _, e := range entries {
		if !transient(e.Name()) {
			kept = append(kept, e)
		}
	}
	return kept, nil
}

// clearResults removes dir's Contents, leaving the directory itself (and its lock) in place.
func clearResults(dir string) error {
	entries, err := Contents(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return fmt.Errorf("replace %s: %w", dir, err)
		}
	}
	return nil
}

// Replaceable returns nil when --force may replace dir: it holds msgsim's marker.
func Replaceable(dir string) error {
	if _, err := os.Stat(filepath.Join(dir, MarkerFile)); err == nil {
		return nil
	}
	entries, _ := Contents(dir)
	var names []string
	for _, e := range entries[:min(3, len(entries))] {
		names = append(names, e.Name())
	}
	if len(entries) > 3 {
		names = append(names, "...")
	}
	return fmt.Errorf("%w: %s holds files msgsim did not write (%s); --force only replaces msgsim's own results, so choose another -o", ErrExists, dir, strings.Join(names, ", "))
}

// TempPath is where writeFileAtomic (and a writer that renders to a path, then renames)
// writes path's content first: a name the next writer of the directory cleans up if the
// process dies before the rename.
func TempPath(path string) string {
	return filepath.Join(filepath.Dir(path), tmpPrefix+filepath.Base(path))
}

// writeFileAtomic writes through TempPath and a rename, so readers never see half a file.
// The directory must be locked (LockDir): the temporary name is not unique.
func writeFileAtomic(path string, data []byte) error {
	tmp := TempPath(path)
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", filepath.Base(path), err)
	}
	return renameInto(tmp, path)
}

// renameInto moves a file written at tmp to path, removing tmp if it cannot.
func renameInto(tmp, path string) error {
	if err := rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("move %s into place: %w", filepath.Base(path), err)
	}
	return nil
}

// DirLock is one process's exclusive hold on a results directory.
type DirLock struct {
	dir     string   // as given, for messages
	path    string   // the directory, a symbolic link to it resolved
	file    *os.File // the flocked LockFile; nil once unlocked
	created bool     // LockDir made the directory, so Unlock removes it if nothing was written
}

// LockDir makes dir if it does not exist and locks it for writing by this process, or
// returns ErrLocked naming the process that holds it. A symbolic link is followed: the
// results go into its target and the link stays. Leftovers of killed writers are removed.
func LockDir(dir string) (*DirLock, error) {
	path, err := resolveDir(dir)
	if err != nil {
		return nil, err
	}
	l := &DirLock{dir: dir, path: path}
	lockPath := filepath.Join(path, LockFile)
	// A holder that unlocks removes the lock file (and the directory it made, if empty), so a
	// lock taken on a file no longer at lockPath is no lock at all: try again.
	// Refused, LockDir leaves no directory it made.
	fail := func(err error) (*DirLock, error) {
		if l.created {
			os.Remove(path)
		}
		return nil, err
	}
	for attempt := 0; l.file == nil; attempt++ {
		if attempt == 10 {
			return fail(fmt.Errorf("output directory %s: lock file %s keeps changing", dir, lockPath))
		}
		made, err := ensureDir(path)
		if err != nil {
			return fail(fmt.Errorf("output directory %s: %w", dir, err))
		}
		l.created = l.created || made
		f, err := os.OpenFile(lockPath, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			return fail(fmt.Errorf("output directory %s: %w", dir, err))
		}
		if err := tryLock(f); err != nil {
			holder, _ := io.ReadAll(io.LimitReader(f, 4096))
			f.Close()
			if errors.Is(err, errHeld) {
				return fail(fmt.Errorf("%w: %s is being written by another msgsim process (%s); wait for it to finish, or choose another -o", ErrLocked, dir, describeHolder(holder)))
			}
			return fail(fmt.Errorf("output directory %s: lock %s: %w", dir, LockFile, err))
		}
		if sameFile(f, lockPath) {
			l.file = f
		} else {
			f.Close()
		}
	}
	if err := l.writeHolder(); err != nil {
		l.Unlock()
		return nil, fmt.Errorf("output directory %s: %w", dir, err)
	}
	if err := removeLeftovers(path); err != nil {
		l.Unlock()
		return nil, fmt.Errorf("output directory %s: %w", dir, err)
	}
	return l, nil
}

// Path is the locked directory, a symbolic link to it resolved.
func (l *DirLock) Path() string { return l.path }

// Unlock releases the directory, removing the lock file, and the directory too if LockDir
// made it and nothing was written to it. Unlocking twice is harmless.
func (l *DirLock) Unlock() {
	if l.file == nil {
		return
	}
	// Removed while still held, so that whoever opened it meanwhile notices and retries.
	os.Remove(filepath.Join(l.path, LockFile))
	if l.created {
		os.Remove(l.path) // fails, as it should, unless the directory is empty
	}
	l.file.Close()
	l.file = nil
}

// writeHolder records who holds the lock, for the message of whoever is refused it.
func (l *DirLock) writeHolder() error {
	info := fmt.Sprintf("pid %d\nstarted %s\ncommand %s\n", os.Getpid(), time.Now().UTC().Format(time.DateTime+" MST"), holderCommand())
	if err := l.file.Truncate(0); err != nil {
		return err
	}
	_, err := l.file.WriteAt([]byte(info), 0)
	return err
}

// holderCommand is this process's command line, quoted where a word needs it.
func holderCommand() string {
	words := []string{filepath.Base(os.Args[0])}
	for _, a := range os.Args[1:] {
		if a == "" || strings.ContainsFunc(a, func(r rune) bool { return r <= ' ' || r == '"' || r == '\'' || r == 0x7f }) {
			a = strconv.Quote(a)
		}
		words = append(words, a)
	}
	return strings.Join(words, " ")
}

// describeHolder turns a lock file's content into "pid N, started T: COMMAND".
func describeHolder(content []byte) string {
	fields := map[string]string{}
	for line := range bytes.Lines(content) {
		key, value, _ := strings.Cut(strings.TrimSpace(string(line)), " ")
		fields[key] = value
	}
	if fields["pid"] == "" {
		return "which has not said who it is yet"
	}
	// The file is anybody's to write: keep its control characters off the terminal.
	printable := func(s string) string {
		return strings.Map(func(r rune) rune {
			if unicode.IsControl(r) {
				return -1
			}
			return r
		}, s)
	}
	return printable(fmt.Sprintf("pid %s, started %s: %s", fields["pid"], fields["started"], fields["command"]))
}

// resolveDir follows dir if it is a symbolic link, and checks it is a directory if it exists.
func resolveDir(dir string) (string, error) {
	info, err := os.Lstat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return filepath.Clean(dir), nil
	case err != nil:
		return "", fmt.Errorf("output directory %s: %w", dir, err)
	case info.Mode()&fs.ModeSymlink != 0:
		path, err := filepath.EvalSymlinks(dir)
		if errors.Is(err, fs.ErrNotExist) {
			target, _ := os.Readlink(dir)
			return "", fmt.Errorf("output %s is a symbolic link to %s, which does not exist; create it, or choose another -o", dir, target)
		}
		if err != nil {
			return "", fmt.Errorf("output directory %s: %w", dir, err)
		}
		if info, err := os.Stat(path); err != nil || !info.IsDir() {
			return "", fmt.Errorf("output %s exists and is not a directory", dir)
		}
		return path, nil
	case !info.IsDir():
		return "", fmt.Errorf("output %s exists and is not a directory", dir)
	}
	return filepath.Clean(dir), nil
}

// ensureDir makes path (and its parents) unless it exists, and says whether it made it.
func ensureDir(path string) (bool, error) {
	if _, err := os.Stat(path); err == nil {
		return false, nil
	}
	if err := os.MkdirAll(path, 0o755); err != nil {
		return false, err
	}
	return true, nil
}

// sameFile reports whether f is still the file at path.
func sameFile(f *os.File, path string) bool {
	a, err := f.Stat()
	if err != nil {
		return false
	}
	b, err := os.Stat(path)
	return err == nil && os.SameFile(a, b)
}

// removeLeftovers removes the staged, set-aside and half-written entries of killed writers.
func removeLeftovers(path string) error {
	entries, err := os.ReadDir(path)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if transient(e.Name()) && e.Name() != LockFile {
			if err := os.RemoveAll(filepath.Join(path, e.Name())); err != nil {
				return fmt.Errorf("remove a killed run's leftovers: %w", err)
			}
		}
	}
	return nil
}

// moveAll renames entries from one directory into another; if one fails, it moves back those
// already moved, so that the move happens in full or not at all.
func moveAll(from, to string, entries []fs.DirEntry) error {
	for i, e := range entries {
		if err := rename(filepath.Join(from, e.Name()), filepath.Join(to, e.Name())); err != nil {
			for _, back := range entries[:i] {
				rename(filepath.Join(to, back.Name()), filepath.Join(from, back.Name()))
			}
			return err
		}
	}
	return nil
}
