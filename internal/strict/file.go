package strict

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// Size limits of the files msgsim reads whole. They are far above any real input and keep a
// wrong argument (a device, a huge log) from exhausting memory.
const (
	// MaxYAMLBytes bounds scenario, sweep and fit files.
	MaxYAMLBytes = 16 << 20
	// MaxCSVBytes bounds a fit's data CSV.
	MaxCSVBytes = 256 << 20
)

// FileError is a file msgsim cannot read: "KIND PATH: PROBLEM", e.g. "sweep x.yaml: file not
// found". It unwraps to the underlying error (fs.ErrNotExist for a missing file).
type FileError struct {
	Kind    string // what the file is for: "scenario", "sweep", "fit", "fit data", "edge list"
	Path    string
	Problem string // the problem alone, for callers that locate it themselves
	Err     error
}

// Error is "KIND PATH: PROBLEM".
func (e *FileError) Error() string { return fmt.Sprintf("%s %s: %s", e.Kind, e.Path, e.Problem) }

// Unwrap returns the underlying error.
func (e *FileError) Unwrap() error { return e.Err }

// ErrNotRegular is what FileError unwraps to for a directory, pipe, device or socket.
var ErrNotRegular = errors.New("not a regular file")

// ErrTooLarge is what FileError unwraps to for a file over its size limit.
var ErrTooLarge = errors.New("file too large")

// OpenRegular opens a file that must be a regular file, so that a directory, a device such as
// /dev/zero or a named pipe is refused by name instead of read forever or waited on. The
// check is made before opening (opening a pipe with no writer would block), and again on the
// opened file in case the path was replaced in between; the open itself does not block on a
// pipe (see openFlags).
func OpenRegular(kind, path string) (*os.File, error) {
	fail := func(problem string, err error) error {
		return &FileError{Kind: kind, Path: path, Problem: problem, Err: err}
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, statError(fail, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fail(notRegular(fi.Mode()), ErrNotRegular)
	}
	f, err := os.OpenFile(path, os.O_RDONLY|openFlags, 0)
	if err != nil {
		return nil, statError(fail, err)
	}
	if fi, err = f.Stat(); err != nil || !fi.Mode().IsRegular() {
		f.Close()
		if err != nil {
			return nil, fail(pathProblem(err), err)
		}
		return nil, fail(notRegular(fi.Mode()), ErrNotRegular)
	}
	return f, nil
}

// ReadFile reads a whole regular file of at most limit bytes (MaxYAMLBytes, MaxCSVBytes);
// errors are *FileError naming the file by kind.
func ReadFile(kind, path string, limit int64) ([]byte, error) {
	f, err := OpenRegular(kind, path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	tooLarge := &FileError{Kind: kind, Path: path, Err: ErrTooLarge,
		Problem: fmt.Sprintf("the file is larger than %s, the limit for a %s file; is it the right file?", sizeString(limit), kind)}
	if fi, err := f.Stat(); err == nil && fi.Size() > limit {
		return nil, tooLarge
	}
	// The limit is enforced on what is read too: the file may grow after Stat.
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, &FileError{Kind: kind, Path: path, Problem: pathProblem(err), Err: err}
	}
	if int64(len(data)) > limit {
		return nil, tooLarge
	}
	return data, nil
}

func statError(fail func(string, error) error, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return fail("file not found", err)
	}
	return fail(pathProblem(err), err)
}

// pathProblem is an os error without the operation and path it repeats ("permission denied").
func pathProblem(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// notRegular says what a path is instead of a regular file.
func notRegular(m fs.FileMode) string {
	what := "a special file"
	switch {
	case m.IsDir():
		what = "a directory"
	case m&fs.ModeNamedPipe != 0:
		what = "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		what = "a socket"
	case m&fs.ModeDevice != 0:
		what = "a device"
	}
	return "not a regular file (it is " + what + "); give the path of a file"
}

// sizeString writes a limit in MiB, as the limits are whole MiB.
func sizeString(limit int64) string {
	if limit >= 1<<20 && limit%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", limit>>20)
	}
	return fmt.Sprintf("%d bytes", limit)
}
