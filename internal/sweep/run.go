package sweep

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
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
	// Dir receives the results, opened Resumable: Resume there keeps the journal's finished
	// runs and runs only the rest, Force discards earlier results.
	Dir     *output.ResultDir
	Workers int // <= 0: GOMAXPROCS
	// Progress, if set, is called as steps and runs finish (evaluate.Options.Progress); Done
	// and Total count the sweep's runs (the shard's), those resumed from the journal included.
	Progress func(evaluate.Event)
	// Shard, if set, runs only that part of the sweep (see Shard); Merge joins the parts.
	Shard Shard
}

// Result is a finished sweep (or shard): one record per run, sorted by point then replicate.
type Result struct {
	Plan    *Plan
	Records []Record
	Resumed int           // runs taken from the journal
	Elapsed time.Duration // time spent running in this invocation
	Shard   Shard         // the part of the sweep run; Whole for a sweep and a merge
	Merged  int           // how many shards' results a merge joined; 0 if not a merge
}

// manifest identifies the sweep a results directory holds, so that --resume and a merge of
// a sharded sweep's directories refuse runs of another sweep, or of another shard.
type manifest struct {
	Hash       string   `json:"sha256"`
	Points     int      `json:"points"`
	Replicates int      `json:"replicates"`
	Outcomes   []string `json:"outcomes"`
	Shard      *Shard   `json:"shard,omitempty"` // nil: the whole sweep
}

// newManifest identifies the plan's sweep, or one shard of it.
func (p *Plan) newManifest(shard Shard) (manifest, error) {
	hash, err := p.hash()
	if err != nil {
		return manifest{}, err
	}
	man := manifest{Hash: hash, Points: len(p.Points), Replicates: p.Sweep.File.Replicates, Outcomes: OutcomeNames(p.platforms(), p.segments(), p.Sweep.At)}
	if !shard.Whole() {
		man.Shard = &shard
	}
	return man, nil
}

// shard is the part of the sweep the manifest's directory holds.
func (m manifest) shard() Shard {
	if m.Shard == nil {
		return Shard{}
	}
	return *m.Shard
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
// resumes where it stopped. A run cut short is not recorded.
func Run(ctx context.Context, plan *Plan, opts Options) (*Result, error) {
	sw := plan.Sweep
	if !opts.Shard.Whole() {
		if err := plan.CheckShards(opts.Shard.Count); err != nil {
			return nil, err
		}
	}
	man, err := plan.newManifest(opts.Shard)
	if err != nil {
		return nil, err
	}
	done, err := prepareDir(opts.Dir, man, sw.Data)
	if err != nil {
		return nil, err
	}
	journal, err := opts.Dir.OpenJournal(JournalFile)
	if err != nil {
		return nil, fmt.Errorf("sweep: %w", err)
	}
	defer journal.Close()

	total := opts.Shard.Runs(plan.Runs())
	have := make([]bool, plan.Runs())
	for _, r := range done {
		have[r.Point*sw.File.Replicates+r.Replicate] = true
	}
	jobs := make([]evaluate.Job, 0, total-len(done))
	for run := range plan.Runs() {
		if opts.Shard.Has(run) && !have[run] {
			p, r := run/sw.File.Replicates, run%sw.File.Replicates
			jobs = append(jobs, evaluate.Job{Point: p, Replicate: r, Seed: plan.RunSeed(p, r)})
		}
	}
	started := time.Now()
	records, err := execute(ctx, plan, jobs, opts.Workers, journal, len(done), total, opts.Progress)
	records = append(records, done...)
	sortRecords(records)
	res := &Result{Plan: plan, Records: records, Resumed: len(done), Elapsed: time.Since(started), Shard: opts.Shard}
	if err != nil {
		return res, err
	}
	return res, nil
}

// sortRecords puts records in point then replicate order, the tables' order.
func sortRecords(records []Record) {
	slices.SortFunc(records, func(a, b Record) int {
		if a.Point != b.Point {
			return a.Point - b.Point
		}
		return a.Replicate - b.Replicate
	})
}

// execute runs the jobs on the workers and journals each record as it arrives.
func execute(ctx context.Context, plan *Plan, jobs []evaluate.Job, workers int, journal *output.Journal, already, total int, progress func(evaluate.Event)) ([]Record, error) {
	var records []Record
	opts := evaluate.Options{Workers: workers}
	if progress != nil {
		opts.Progress = func(e evaluate.Event) {
			e.Done, e.Total = already+e.Done, total
			progress(e)
		}
	}
	err := evaluate.Evaluate(ctx, jobs, plan.config, func(i int, s *model.Series) error {
		rec := measure(s, jobs[i], plan.Sweep.At)
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

// appendJournal records a finished run in the journal.
func appendJournal(j *output.Journal, rec Record) error {
	line := journalLine{Point: rec.Point, Replicate: rec.Replicate, Seed: rec.Seed, Winner: rec.Winner, Values: make([]*float64, len(rec.Values))}
	for i := range rec.Values {
		if !math.IsNaN(rec.Values[i]) {
			line.Values[i] = &rec.Values[i]
		}
	}
	return j.Append(line)
}

// prepareDir readies the results directory and returns the journal's records. A new sweep
// writes the manifest, then the sweep file, each atomically after the marker (see
// output.ResultDir.Start), so that a kill at any moment leaves either a directory holding
// only the marker, which --resume starts afresh, or a resumable one.
func prepareDir(dir *output.ResultDir, man manifest, sweepData []byte) ([]Record, error) {
	writeSweep := func(w io.Writer) error { _, err := w.Write(sweepData); return err }
	if dir.Resuming() {
		records, err := resumeDir(dir, man)
		if err != nil {
			return nil, err
		}
		// A kill between the manifest and the sweep file leaves the latter missing.
		return records, dir.WriteFile(SweepFile, writeSweep)
	}
	if err := dir.Start(); err != nil {
		return nil, err
	}
	b, err := json.MarshalIndent(man, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := dir.WriteFile(ManifestFile, func(w io.Writer) error { _, err := w.Write(append(b, '\n')); return err }); err != nil {
		return nil, err
	}
	return nil, dir.WriteFile(SweepFile, writeSweep)
}

// resumeDir checks that the directory holds this very sweep and reads its journal, cutting
// off a partial last line left by a kill.
func resumeDir(dir *output.ResultDir, want manifest) ([]Record, error) {
	b, err := dir.ReadFile(ManifestFile)
	if err != nil {
		return nil, fmt.Errorf("cannot resume: %s holds no sweep manifest (%v); use --force to start over", dir.Path(), err)
	}
	var have manifest
	if err := json.Unmarshal(b, &have); err != nil {
		return nil, fmt.Errorf("cannot resume: %s: %w", ManifestFile, err)
	}
	if have.Hash != want.Hash {
		return nil, fmt.Errorf("cannot resume: the sweep file, its base scenario or an edge list it reads changed since the results in %s were started; use --force to start over", dir.Path())
	}
	if have.shard() != want.shard() {
		return nil, fmt.Errorf("cannot resume: %s holds %s, not %s; use -o to write elsewhere", dir.Path(), describeShard(have.shard()), describeShard(want.shard()))
	}
	return readJournal(dir, want)
}

// describeShard names a part of a sweep in messages.
func describeShard(s Shard) string {
	if s.Whole() {
		return "the whole sweep"
	}
	return "shard " + s.String() + " of the sweep"
}

// readJournal reads the journal's records, keeping the first record of each run; every run
// must belong to the manifest's shard.
func readJournal(dir *output.ResultDir, want manifest) ([]Record, error) {
	var records []Record
	seen := make([]bool, want.Points*want.Replicates)
	var jl journalLine // reused: decoding into it again allocates little
	err := dir.ReadJournal(JournalFile, func(_ int, text []byte) error {
		jl = journalLine{Values: jl.Values[:0]}
		if err := json.Unmarshal(text, &jl); err != nil {
			return fmt.Errorf("corrupt journal line: %v", err)
		}
		if jl.Point < 0 || jl.Point >= want.Points || jl.Replicate < 0 || jl.Replicate >= want.Replicates || len(jl.Values) != len(want.Outcomes)-1 {
			return errors.New("journal line does not fit this sweep")
		}
		run := jl.Point*want.Replicates + jl.Replicate
		if !want.shard().Has(run) {
			return fmt.Errorf("journal line of point %d replicate %d, which is not in shard %s", jl.Point, jl.Replicate, want.shard())
		}
		if seen[run] {
			return nil
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
		return nil
	})
	if err != nil {
		return nil, err
	}
	return records, nil
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

// withSet is the base scenario with the sweep's set overrides, nil when they do not make a
// valid scenario (validation has said so by the time tables are built).
func (p *Plan) withSet() *scenarios.Scenario {
	sc, err := p.Sweep.Base.WithOverrides(setOverrides(p.Sweep.File.Set))
	if err != nil {
		return nil
	}
	return sc
}

// platforms are the base scenario's platform names (sweeps do not add or remove platforms).
func (p *Plan) platforms() []string {
	sc := p.withSet()
	if sc == nil {
		return nil
	}
	return platformNames(sc)
}

// scales are each point's people per agent, the base's after the sweep's set overrides; nil
// when a factor varies scale.
func (p *Plan) scales() []float64 {
	if slices.ContainsFunc(p.Sweep.File.Factors, func(f Factor) bool { return f.Path == "scale" }) {
		return nil // the factor's own column gives each point's scale
	}
	base := 1.0
	if sc := p.withSet(); sc != nil {
		base = sc.File.Scale
	}
	scales := make([]float64, len(p.Points))
	for i := range scales {
		scales[i] = base
	}
	return scales
}

// segments are the base scenario's segment names (sweeps do not add or remove segments
// either), nil without segments.
func (p *Plan) segments() []string {
	sc := p.withSet()
	if sc == nil {
		return nil
	}
	return sc.Config.SegmentNames()
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
