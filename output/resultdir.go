package output

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// DirOptions say what opening a results directory may do with the results already in it.
// The zero value refuses to touch them.
type DirOptions struct {
	// Force replaces them, if msgsim wrote them: at Commit for staged results, at Start for
	// incremental ones.
	Force bool
	// Resume keeps them to be continued (incremental results only, see Resuming).
	Resume bool
	// Resumable says the writer can continue earlier results, so that refusing to touch them
	// offers --resume besides --force.
	Resumable bool
}

// ResultDir is a results directory opened for writing by this process: locked (LockDir),
// its earlier content checked against DirOptions, and filled in place. Results are written
// one of two ways:
//
//   - at once (run, calibrate): Stage collects the files in a hidden directory and Commit
//     moves them into place, so that an interrupted run leaves no half-written results;
//   - incrementally (a sweep): Start marks the directory, then WriteFile and RenderFile
//     replace one file each atomically, and a Journal appends one line per finished piece
//     of work, so that a killed writer's work is resumed rather than redone.
//
// A sweep split into shards writes each shard into a ResultDir of its own, which a merge
// reads back (ReadJournal); nothing here assumes one directory per sweep.
type ResultDir struct {
	lock    *DirLock
	opts    DirOptions
	earlier bool // holds results of an earlier writer
}

// OpenResultDir locks dir, making it if needed, and checks what it holds: earlier results
// are an error (ErrExists) unless opts allows replacing or resuming them, and either needs
// them to be msgsim's own (see Replaceable). A directory holding only the marker has no
// results: whoever marked it was killed before writing any.
func OpenResultDir(dir string, opts DirOptions) (*ResultDir, error) {
	lock, err := LockDir(dir)
	if err != nil {
		return nil, err
	}
	d := &ResultDir{lock: lock, opts: opts}
	entries, err := Contents(lock.path)
	if err == nil && len(entries) > 0 {
		d.earlier = true
		err = d.checkEarlier(dir, entries)
	}
	if err != nil {
		lock.Unlock()
		return nil, err
	}
	return d, nil
}

// checkEarlier says whether opts allow what becomes of the earlier entries in dir.
func (d *ResultDir) checkEarlier(dir string, entries []fs.DirEntry) error {
	switch {
	case d.opts.Resume && len(entries) == 1 && entries[0].Name() == MarkerFile:
		d.earlier = false // marked, then killed before any result: start afresh
		return nil
	case d.opts.Force:
		return Replaceable(dir)
	case d.opts.Resume:
		// Not msgsim's: --force would be refused too, so the advice is another -o.
		if err := Replaceable(dir); err != nil {
			return fmt.Errorf("cannot resume: %w", err)
		}
		return nil
	case d.opts.Resumable:
		// --resume and --force would both be refused a directory msgsim did not write.
		if err := Replaceable(dir); err != nil {
			return err
		}
		return fmt.Errorf("%w: %s holds earlier results (use --resume to finish an interrupted sweep, --force to start over, or -o to write elsewhere)", ErrExists, dir)
	}
	return fmt.Errorf("%w: %s holds earlier results (use --force to replace them, or -o to write elsewhere)", ErrExists, dir)
}

// Path is the directory, a symbolic link to it resolved.
func (d *ResultDir) Path() string { return d.lock.path }

// Resuming reports whether the directory holds earlier results to be continued.
func (d *ResultDir) Resuming() bool { return d.earlier && d.opts.Resume }

// Close releases the directory (see DirLock.Unlock). Closing twice is harmless.
func (d *ResultDir) Close() { d.lock.Unlock() }

// Start readies the directory for incremental results, unless Resuming: earlier results
// are removed (Force), then the marker is written before anything else, so that a kill at
// any later moment leaves a directory that --force or --resume may take over.
func (d *ResultDir) Start() error {
	if d.Resuming() {
		return nil
	}
	if d.earlier {
		// Emptied, not removed: the directory keeps its mode, owner and inode.
		if err := clearResults(d.lock.path); err != nil {
			return err
		}
		d.earlier = false
	}
	if err := Mark(d.lock.path); err != nil {
		return fmt.Errorf("results directory %s: %w", d.lock.dir, err)
	}
	return nil
}

// WriteFile replaces the file name with what fn writes, atomically: a reader or a killed
// writer never leaves half of it.
func (d *ResultDir) WriteFile(name string, fn func(w io.Writer) error) error {
	var buf bytes.Buffer
	if err := fn(&buf); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	return writeFileAtomic(filepath.Join(d.lock.path, name), buf.Bytes())
}

// RenderFile replaces the file name with what render writes to the path it is given, for
// writers that take a path rather than a stream (charts pick their encoder by extension):
// render writes to a temporary name, which then moves into place.
func (d *ResultDir) RenderFile(name string, render func(path string) error) error {
	path := filepath.Join(d.lock.path, name)
	tmp := TempPath(path)
	if err := render(tmp); err != nil {
		os.Remove(tmp)
		return err
	}
	return renameInto(tmp, path)
}

// ReadFile reads the file name of the directory.
func (d *ResultDir) ReadFile(name string) ([]byte, error) {
	return os.ReadFile(filepath.Join(d.lock.path, name))
}

// Journal is an append-only file of JSON lines, one per finished piece of work, written as
// each finishes: a killed writer loses at most a partial last line, which ReadJournal drops.
type Journal struct{ f *os.File }

// OpenJournal opens the journal name for appending, creating it if needed.
func (d *ResultDir) OpenJournal(name string) (*Journal, error) {
	f, err := os.OpenFile(filepath.Join(d.lock.path, name), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("journal %s: %w", name, err)
	}
	return &Journal{f: f}, nil
}

// Append writes v as one JSON line, in one write, so that a kill leaves at most a partial
// last line.
func (j *Journal) Append(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = j.f.Write(append(b, '\n'))
	return err
}

// Close closes the journal.
func (j *Journal) Close() error { return j.f.Close() }

// maxJournalLine bounds a journal line, so that a corrupt journal cannot take all memory.
const maxJournalLine = 64 << 10

// ReadJournal streams the complete lines of the journal name to each, numbered from 1, a
// line at a time (a journal of millions of lines is gigabytes), and cuts off a partial last
// line left by a kill. A journal that does not exist has no lines.
func (d *ResultDir) ReadJournal(name string, each func(line int, text []byte) error) error {
	path := filepath.Join(d.lock.path, name)
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("journal %s: %w", name, err)
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, maxJournalLine)
	var complete int64 // bytes up to the end of the last complete line
	for line := 1; ; line++ {
		text, err := r.ReadSlice('\n')
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			return fmt.Errorf("%s:%d: corrupt journal line: longer than %d KiB", path, line, maxJournalLine>>10)
		case errors.Is(err, io.EOF):
			if len(text) > 0 {
				if err := f.Truncate(complete); err != nil {
					return fmt.Errorf("journal %s: drop partial last line: %w", name, err)
				}
			}
			return nil
		case err != nil:
			return fmt.Errorf("journal %s: %w", name, err)
		}
		complete += int64(len(text))
		if err := each(line, text); err != nil {
			return fmt.Errorf("%s:%d: %w", path, line, err)
		}
	}
}

// Staging collects a run's files in a hidden directory inside its ResultDir and moves them
// into place on Commit: an interrupted run leaves no half-written results, and an
// earlier run's results are replaced only when the caller says so (--force).
type Staging struct {
	dir  *ResultDir
	tmp  string // the staged files; "" once committed
	kept bool   // Commit failed and tmp holds results to keep
}

// Stage prepares to write results at once: they are collected in a hidden directory until
// Commit. Commit and Abort release the directory: staged results are written once.
func (d *ResultDir) Stage() (*Staging, error) {
	tmp, err := os.MkdirTemp(d.lock.path, partialPrefix)
	if err == nil {
		err = Mark(tmp)
	}
	if err != nil {
		os.RemoveAll(tmp)
		d.Close()
		return nil, fmt.Errorf("output directory %s: %w", d.lock.dir, err)
	}
	return &Staging{dir: d, tmp: tmp}, nil
}

// Path is where a file named name is staged.
func (s *Staging) Path(name string) string { return filepath.Join(s.tmp, name) }

// Dir is the final directory, a symbolic link to it resolved.
func (s *Staging) Dir() string { return s.dir.lock.path }

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

// Commit moves the staged files into place and releases the directory. With force, earlier
// results are set aside first and removed only once the new ones are in place. If the move
// fails, the earlier results are put back and the new ones are kept where the error says.
func (s *Staging) Commit() error {
	defer s.dir.Close()
	dir := s.dir.lock.path
	earlier, err := Contents(dir)
	if err != nil {
		return s.keep(err)
	}
	if len(earlier) > 0 && !s.dir.opts.Force {
		return s.keep(fmt.Errorf("%w: %s was filled by another program while the run went on", ErrExists, s.dir.lock.dir))
	}
	var old string
	if len(earlier) > 0 {
		if old, err = os.MkdirTemp(dir, oldPrefix); err != nil {
			return s.keep(fmt.Errorf("set aside earlier results in %s: %w", s.dir.lock.dir, err))
		}
		if err := moveAll(dir, old, earlier); err != nil {
			return s.keep(fmt.Errorf("set aside earlier results in %s: %w", s.dir.lock.dir, err))
		}
	}
	staged, err := os.ReadDir(s.tmp)
	if err == nil {
		err = moveAll(s.tmp, dir, staged)
	}
	if err != nil {
		err = fmt.Errorf("move results into %s: %w", s.dir.lock.dir, err)
		if old != "" {
			if back, _ := os.ReadDir(old); moveAll(old, dir, back) == nil {
				os.Remove(old)
			}
		}
		return s.keep(err)
	}
	os.Remove(s.tmp)
	s.tmp = ""
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}

// keep saves the staged results from Abort and the next writer's cleanup under a visible
// name, and says where they are.
func (s *Staging) keep(err error) error {
	kept := filepath.Join(s.dir.lock.path, keptPrefix+strings.TrimPrefix(filepath.Base(s.tmp), partialPrefix))
	if rename(s.tmp, kept) == nil {
		s.tmp = kept
	}
	s.kept = true
	return fmt.Errorf("%w; results kept in %s", err, s.tmp)
}

// Abort removes the staged files, unless Commit kept them, and releases the directory.
func (s *Staging) Abort() {
	if s.tmp != "" && !s.kept {
		os.RemoveAll(s.tmp)
		s.tmp = ""
	}
	s.dir.Close()
}
