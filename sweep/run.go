package sweep

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/msgsim/msgsim/internal/evaluate"
	"github.com/msgsim/msgsim/internal/strict"
	"github.com/msgsim/msgsim/model"
	"github.com/msgsim/msgsim/output"
	"github.com/msgsim/msgsim/scenarios"
)

// Files in a sweep's results directory while it runs.
const (
	JournalFile  = "runs.journal" // one JSON line per finished run, appended as runs finish
	ManifestFile = "manifest.json"
	SweepFile    = "sweep.yaml"
)

// ErrExists is returned when the results directory holds results and neither resuming nor
// replacing them was asked for.
var ErrExists = errors.New("results directory already exists")

// ErrInterrupted is what a sweep stopped before it finished returns (it matches
// context.Canceled too).
var ErrInterrupted = errors.New("sweep interrupted")

// interrupted says how far a stopped sweep got.
type interrupted struct{ done, total int }

func (e interrupted) Error() string {
	return fmt.Sprintf("sweep interrupted: %d of %d runs done; run again with --resume to finish", e.done, e.total)
}

func (e interrupted) Is(target error) bool {
	return target == ErrInterrupted || target == context.Canceled
}

// Options configure a sweep's execution.
type Options struct {
	Dir     string
	Workers int  // <= 0: GOMAXPROCS
	Resume  bool // keep the journal's finished runs and run only the rest
	Force   bool // discard earlier results in Dir
	// Progress, if set, is called as steps and runs finish (evaluate.Options.Progress); Done
	// and Total count the sweep's runs, those resumed from the journal included.
	Progress func(evaluate.Event)
}

// Result is a finished sweep: one record per run, sorted by point then replicate.
type Result struct {
	Plan    *Plan
	Records []Record
	Resumed int           // runs taken from the journal
	Elapsed time.Duration // time spent running in this invocation
}

type manifest struct {
	Hash       string   `json:"sha256"`
	Points     int      `json:"points"`
	Replicates int      `json:"replicates"`
	Outcomes   []string `json:"outcomes"`
}

// journalLine is a Record as stored; numbers are JSON (shortest round-trip), NaN as null.
type journalLine struct {
	Point     int        `json:"point"`
	Replicate int        `json:"replicate"`
	Seed      uint64     `json:"seed"`
	Winner    string     `json:"winner"`
	Values    []*float64 `json:"values"`
}

// Run executes every (point, replicate) of the plan not already in the journal, appending
// each finished run to the journal at once, so that an interrupted sweep (Ctrl-C, kill -9)
// resumes where it stopped. A run cut short is not recorded. The caller holds opts.Dir's
// lock (output.LockDir), so that no other sweep writes there meanwhile.
func Run(ctx context.Context, plan *Plan, opts Options) (*Result, error) {
	sw := plan.Sweep
	outcomes := OutcomeNames(plan.platforms())
	hash, err := plan.hash()
	if err != nil {
		return nil, err
	}
	man := manifest{Hash: hash, Points: len(plan.Points), Replicates: sw.File.Replicates, Outcomes: outcomes}
	done, err := prepareDir(opts, man, sw.Data)
	if err != nil {
		return nil, err
	}
	journal, err := os.OpenFile(filepath.Join(opts.Dir, JournalFile), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("sweep journal: %w", err)
	}
	defer journal.Close()

	total := plan.Runs()
	have := make([]bool, total)
	for _, r := range done {
		have[r.Point*sw.File.Replicates+r.Replicate] = true
	}
	jobs := make([]evaluate.Job, 0, total-len(done))
	for p := range plan.Points {
		for r := range sw.File.Replicates {
			if !have[p*sw.File.Replicates+r] {
				jobs = append(jobs, evaluate.Job{Point: p, Replicate: r, Seed: plan.RunSeed(p, r)})
			}
		}
	}
	started := time.Now()
	records, err := execute(ctx, plan, jobs, opts.Workers, journal, len(done), total, opts.Progress)
	records = append(records, done...)
	slices.SortFunc(records, func(a, b Record) int {
		if a.Point != b.Point {
			return a.Point - b.Point
		}
		return a.Replicate - b.Replicate
	})
	res := &Result{Plan: plan, Records: records, Resumed: len(done), Elapsed: time.Since(started)}
	if err != nil {
		return res, err
	}
	return res, nil
}

// execute runs the jobs on the workers and journals each record as it arrives.
func execute(ctx context.Context, plan *Plan, jobs []evaluate.Job, workers int, journal *os.File, already, total int, progress func(evaluate.Event)) ([]Record, error) {
	var records []Record
	opts := evaluate.Options{Workers: workers}
	if progress != nil {
		opts.Progress = func(e evaluate.Event) {
			e.Done, e.Total = already+e.Done, total
			progress(e)
		}
	}
	err := evaluate.Evaluate(ctx, jobs, plan.config, func(i int, s *model.Series) error {
		rec := measure(s, jobs[i])
		if err := appendJournal(journal, rec); err != nil {
			return fmt.Errorf("sweep journal: %w", err)
		}
		records = append(records, rec)
		return nil
	}, opts)
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return records, interrupted{done: already + len(records), total: total}
	}
	return records, err
}

func appendJournal(f *os.File, rec Record) error {
	line := journalLine{Point: rec.Point, Replicate: rec.Replicate, Seed: rec.Seed, Winner: rec.Winner, Values: make([]*float64, len(rec.Values))}
	for i := range rec.Values {
		if !math.IsNaN(rec.Values[i]) {
			line.Values[i] = &rec.Values[i]
		}
	}
	b, err := json.Marshal(line)
	if err != nil {
		return err
	}
	_, err = f.Write(append(b, '\n')) // one write per record: a kill leaves at most a partial last line
	return err
}

// prepareDir creates or checks the results directory and returns the journal's records.
// The caller holds the directory's lock (output.LockDir). The marker goes first, then the
// manifest and the sweep file, each atomically, so that a kill at any moment leaves either a
// directory holding only the marker, which --resume starts afresh, or a resumable one.
func prepareDir(opts Options, man manifest, sweepData []byte) ([]Record, error) {
	entries, err := output.Contents(opts.Dir)
	switch {
	case err != nil:
		return nil, fmt.Errorf("results directory %s: %w", opts.Dir, err)
	case len(entries) > 0 && opts.Force:
		if err := output.Replaceable(opts.Dir); err != nil {
			return nil, err
		}
		// Emptied, not removed: the directory keeps its mode, owner and inode.
		if err := output.Clear(opts.Dir); err != nil {
			return nil, err
		}
	case len(entries) == 1 && entries[0].Name() == output.MarkerFile && opts.Resume:
		// Killed before its manifest: nothing ran yet.
	case len(entries) > 0 && opts.Resume:
		// Not msgsim's: --force would be refused too, so the advice is another -o.
		if err := output.Replaceable(opts.Dir); err != nil {
			return nil, fmt.Errorf("cannot resume: %w", err)
		}
		records, err := resumeDir(opts.Dir, man)
		if err != nil {
			return nil, err
		}
		// A kill between the manifest and the sweep file leaves the latter missing.
		return records, output.WriteFileAtomic(filepath.Join(opts.Dir, SweepFile), sweepData)
	case len(entries) > 0:
		if err := output.Replaceable(opts.Dir); err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("%w: %s holds earlier results (use --resume to finish an interrupted sweep, --force to start over, or -o to write elsewhere)", ErrExists, opts.Dir)
	}
	if err := os.MkdirAll(opts.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("results directory %s: %w", opts.Dir, err)
	}
	if err := output.Mark(opts.Dir); err != nil {
		return nil, fmt.Errorf("results directory %s: %w", opts.Dir, err)
	}
	b, err := json.MarshalIndent(man, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := output.WriteFileAtomic(filepath.Join(opts.Dir, ManifestFile), append(b, '\n')); err != nil {
		return nil, err
	}
	return nil, output.WriteFileAtomic(filepath.Join(opts.Dir, SweepFile), sweepData)
}

// resumeDir checks that the directory holds this very sweep and reads its journal, cutting
// off a partial last line left by a kill.
func resumeDir(dir string, want manifest) ([]Record, error) {
	b, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil {
		return nil, fmt.Errorf("cannot resume: %s holds no sweep manifest (%v); use --force to start over", dir, err)
	}
	var have manifest
	if err := json.Unmarshal(b, &have); err != nil {
		return nil, fmt.Errorf("cannot resume: %s: %w", ManifestFile, err)
	}
	if have.Hash != want.Hash {
		return nil, fmt.Errorf("cannot resume: the sweep file, its base scenario or an edge list it reads changed since the results in %s were started; use --force to start over", dir)
	}
	return readJournal(filepath.Join(dir, JournalFile), want)
}

// maxJournalLine bounds a journal line: a record of the most outcomes is a few KiB.
const maxJournalLine = 64 << 10

// readJournal streams the journal's records, a line at a time (a sweep of millions of runs
// has a journal of gigabytes), keeping the first record of each run, and cuts off a partial
// last line left by a kill.
func readJournal(path string, want manifest) ([]Record, error) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("sweep journal: %w", err)
	}
	defer f.Close()
	var records []Record
	seen := make([]bool, want.Points*want.Replicates)
	r := bufio.NewReaderSize(f, maxJournalLine)
	var complete int64 // bytes up to the end of the last complete line
	var jl journalLine // reused: decoding into it again allocates little
	for line := 1; ; line++ {
		text, err := r.ReadSlice('\n')
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			return nil, fmt.Errorf("%s:%d: corrupt journal line: longer than %d KiB", path, line, maxJournalLine>>10)
		case errors.Is(err, io.EOF):
			if len(text) > 0 {
				if err := f.Truncate(complete); err != nil {
					return nil, fmt.Errorf("sweep journal: drop partial last line: %w", err)
				}
			}
			return records, nil
		case err != nil:
			return nil, fmt.Errorf("sweep journal: %w", err)
		}
		complete += int64(len(text))
		jl = journalLine{Values: jl.Values[:0]}
		if err := json.Unmarshal(text, &jl); err != nil {
			return nil, fmt.Errorf("%s:%d: corrupt journal line: %v", path, line, err)
		}
		if jl.Point < 0 || jl.Point >= want.Points || jl.Replicate < 0 || jl.Replicate >= want.Replicates || len(jl.Values) != len(want.Outcomes)-1 {
			return nil, fmt.Errorf("%s:%d: journal line does not fit this sweep", path, line)
		}
		run := jl.Point*want.Replicates + jl.Replicate
		if seen[run] {
			continue
		}
		seen[run] = true
		rec := Record{Point: jl.Point, Replicate: jl.Replicate, Seed: jl.Seed, Winner: jl.Winner, Values: make([]float64, len(jl.Values))}
		for i, v := range jl.Values {
			rec.Values[i] = math.NaN()
			if v != nil {
				rec.Values[i] = *v
			}
		}
		records = append(records, rec)
	}
}

// config is the model configuration of one point.
func (p *Plan) config(point int) (*model.Config, error) {
	sc, err := p.Scenario(point)
	if err != nil {
		return nil, err
	}
	return &sc.Config, nil
}

// Scenario builds the scenario of one point.
func (p *Plan) Scenario(point int) (*scenarios.Scenario, error) {
	pt := p.Points[point]
	sc, err := p.Sweep.Base.WithOverrides(pt.Overrides(p.Sweep))
	if err != nil {
		return nil, fmt.Errorf("sweep %s, point %d (%s): %w", p.Sweep.Source, point, p.describe(pt), err)
	}
	return sc, nil
}

func (p *Plan) describe(pt Point) string {
	var b bytes.Buffer
	for i, f := range p.Sweep.File.Factors {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s=%s", f.Path, formatValue(pt.Values[i]))
	}
	return b.String()
}

// platforms are the base scenario's platform names (sweeps do not add or remove platforms).
func (p *Plan) platforms() []string {
	sc, err := p.Sweep.Base.WithOverrides(setOverrides(p.Sweep.File.Set))
	if err != nil {
		return nil
	}
	return platformNames(sc)
}

// hash identifies the sweep's definition: its file, its base scenario's text, and the edge
// lists that scenario reads, so that --resume refuses to mix runs on different graphs.
func (p *Plan) hash() (string, error) {
	h := sha256.New()
	h.Write(p.Sweep.Data)
	h.Write([]byte{0})
	h.Write(p.Sweep.Base.Data())
	for _, path := range p.Sweep.Base.InputFiles() {
		f, err := strict.OpenRegular("sweep input", path)
		if err != nil {
			return "", err
		}
		h.Write([]byte{0})
		_, err = io.Copy(h, f)
		f.Close()
		if err != nil {
			return "", fmt.Errorf("sweep input %s: %w", path, err)
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// validateAll is how many points Validate checks one by one; beyond it, an even spread of
// that many (building a scenario takes ~0.1 ms), and any other bad point fails when it runs.
const validateAll = 20_000

// Validate builds the points' scenarios, so that a bad point fails before any run.
func (p *Plan) Validate() error {
	stride := max(1, len(p.Points)/validateAll)
	for i := 0; i < len(p.Points); i += stride {
		if _, err := p.Scenario(i); err != nil {
			return err
		}
	}
	return nil
}
