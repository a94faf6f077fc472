package output

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// ErrExists is returned when the output directory already holds results and replacing them
// was not asked for.
var ErrExists = errors.New("output directory already exists")

// MarkerFile is written into every results directory msgsim makes. --force replaces only
// directories that hold it, so that a mistyped -o never deletes anybody else's files.
const MarkerFile = ".msgsim-results"

// Mark labels dir as msgsim's results.
func Mark(dir string) error {
	return os.WriteFile(filepath.Join(dir, MarkerFile), []byte("results written by msgsim; --force may replace this directory\n"), 0o644)
}

// Replaceable returns nil when --force may replace dir: it holds msgsim's marker.
func Replaceable(dir string) error {
	if _, err := os.Stat(filepath.Join(dir, MarkerFile)); err == nil {
		return nil
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries[:min(3, len(entries))] {
		names = append(names, e.Name())
	}
	if len(entries) > 3 {
		names = append(names, "...")
	}
	return fmt.Errorf("%w: %s holds files msgsim did not write (%s); --force only replaces msgsim's own results, so choose another -o", ErrExists, dir, strings.Join(names, ", "))
}

// Staging collects a run's files in a hidden directory beside the target and moves them into
// place in one rename on Commit: an interrupted run leaves no half-written results, and an
// earlier run's results are replaced only when the caller says so (--force).
type Staging struct {
	final, tmp string
	force      bool
}

// Stage prepares to write dir. An existing non-empty dir is an error unless force is set.
func Stage(dir string, force bool) (*Staging, error) {
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, fmt.Errorf("output directory %s: %w", dir, err)
	case !info.IsDir():
		return nil, fmt.Errorf("output %s exists and is not a directory", dir)
	default:
		entries, err := os.ReadDir(dir)
		switch {
		case err != nil:
			return nil, fmt.Errorf("output directory %s: %w", dir, err)
		case len(entries) > 0 && !force:
			return nil, fmt.Errorf("%w: %s holds earlier results (use --force to replace them, or -o to write elsewhere)", ErrExists, dir)
		case len(entries) > 0:
			if err := Replaceable(dir); err != nil {
				return nil, err
			}
		}
	}
	parent := filepath.Dir(filepath.Clean(dir))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("output directory %s: %w", dir, err)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".partial-")
	if err != nil {
		return nil, fmt.Errorf("output directory %s: %w", dir, err)
	}
	// MkdirTemp makes the directory private; results are for sharing.
	if err := os.Chmod(tmp, 0o755); err != nil {
		return nil, fmt.Errorf("output directory %s: %w", dir, err)
	}
	if err := Mark(tmp); err != nil {
		os.RemoveAll(tmp)
		return nil, fmt.Errorf("output directory %s: %w", dir, err)
	}
	return &Staging{final: dir, tmp: tmp, force: force}, nil
}

// Path is where a file named name is staged.
func (s *Staging) Path(name string) string { return filepath.Join(s.tmp, name) }

// Dir is the final directory.
func (s *Staging) Dir() string { return s.final }

// Create writes one staged file with fn.
func (s *Staging) Create(name string, fn func(w io.Writer) error) error {
	f, err := os.Create(s.Path(name))
	if err != nil {
		return err
	}
	if err := fn(f); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	return nil
}

// Commit moves the staged files into place. With force, earlier results are set aside first
// and removed only once the new ones are in place.
func (s *Staging) Commit() error {
	var old string
	if _, err := os.Stat(s.final); err == nil {
		if entries, _ := os.ReadDir(s.final); len(entries) > 0 && !s.force {
			return fmt.Errorf("%w: %s was created while the run went on; results kept in %s", ErrExists, s.final, s.tmp)
		}
		old = s.tmp + ".old"
		if err := os.Rename(s.final, old); err != nil {
			return fmt.Errorf("set aside %s: %w", s.final, err)
		}
	}
	if err := os.Rename(s.tmp, s.final); err != nil {
		if old != "" {
			os.Rename(old, s.final)
		}
		return fmt.Errorf("move results into %s: %w", s.final, err)
	}
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}

// Abort removes the staged files.
func (s *Staging) Abort() { os.RemoveAll(s.tmp) }
