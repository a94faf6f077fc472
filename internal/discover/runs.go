package discover

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/msgsim/msgsim/internal/strict"
	"github.com/msgsim/msgsim/internal/sweep"
)

// SummaryFile is what a sweep writes last (sweep.WriteResults): a results directory without
// it holds a sweep that did not finish.
const SummaryFile = "summary.md"

// Runs is a finished sweep's runs.csv: per run, each factor's value, the winner and each
// numeric outcome.
type Runs struct {
	Dir      string
	Factors  []string    // numeric factors, in the sweep's order
	X        [][]float64 // X[f][run]
	Skipped  []string    // factors with words for values (categorical), which PRIM cannot peel
	Outcomes []string    // numeric outcome columns, in the table's order
	Values   [][]float64 // Values[o][run]; NaN for an empty cell
	Winners  []string
}

// ReadRuns reads a finished sweep's results directory. runs.csv's columns are point,
// replicate and seed, the factors in the sweep's order, winner, scale (people per agent, in
// a scaled scenario's sweep), then the outcomes (sweep.BuildTables): the factors are the
// columns between seed and winner.
func ReadRuns(dir string) (*Runs, error) {
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("sweep results %s: no such directory", dir)
	}
	if shard, ok := shardOf(dir); ok {
		return nil, fmt.Errorf("sweep results %s: a shard (%s) of a sweep, with a part of its runs: merge the shards with msgsim sweep merge FILE SHARD_DIR... and discover in the merged directory", dir, shard)
	}
	_, errSummary := os.Stat(filepath.Join(dir, SummaryFile))
	if errors.Is(errSummary, fs.ErrNotExist) {
		if _, err := os.Stat(filepath.Join(dir, sweep.JournalFile)); err == nil {
			return nil, fmt.Errorf("sweep results %s: the sweep has not finished (%s but no %s): finish it with msgsim sweep FILE -o %s --resume", dir, sweep.JournalFile, SummaryFile, dir)
		}
		return nil, fmt.Errorf("sweep results %s: no finished sweep here (no %s): give the directory msgsim sweep wrote", dir, SummaryFile)
	}
	path := filepath.Join(dir, "runs.csv")
	data, err := strict.ReadFile("runs table", path, strict.MaxCSVBytes)
	if err != nil {
		return nil, err
	}
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(rows) < 2 {
		return nil, fmt.Errorf("%s: no runs", path)
	}
	header := rows[0]
	seed, winner := slices.Index(header, "seed"), slices.Index(header, "winner")
	if seed < 0 || winner < seed {
		return nil, fmt.Errorf("%s: not a sweep's runs table (want columns point, replicate, seed, the factors, winner, the outcomes; got %v)", path, header)
	}
	r := &Runs{Dir: dir}
	column := func(c int) ([]float64, bool) {
		xs := make([]float64, len(rows)-1)
		for i, row := range rows[1:] {
			if row[c] == "" {
				xs[i] = math.NaN()
				continue
			}
			x, err := strconv.ParseFloat(row[c], 64)
			if err != nil {
				return nil, false
			}
			xs[i] = x
		}
		return xs, true
	}
	for c := seed + 1; c < winner; c++ {
		if xs, ok := column(c); ok {
			r.Factors, r.X = append(r.Factors, header[c]), append(r.X, xs)
		} else {
			r.Skipped = append(r.Skipped, header[c])
		}
	}
	first := winner + 1
	if first < len(header) && header[first] == "scale" {
		first++ // not an outcome: it turns the counts into people
	}
	for c := first; c < len(header); c++ {
		xs, ok := column(c)
		if !ok {
			return nil, fmt.Errorf("%s: outcome %s has a value that is not a number", path, header[c])
		}
		r.Outcomes, r.Values = append(r.Outcomes, header[c]), append(r.Values, xs)
	}
	for _, row := range rows[1:] {
		r.Winners = append(r.Winners, row[winner])
	}
	return r, nil
}

// Where is PRIM's data: the numeric factors, and whether c holds in each run.
func (r *Runs) Where(c Condition) Data {
	d := Data{Factors: r.Factors, X: r.X, Y: make([]bool, len(r.Winners))}
	k := slices.Index(r.Outcomes, c.Metric)
	for i := range d.Y {
		x := math.NaN()
		if k >= 0 {
			x = r.Values[k][i]
		}
		d.Y[i] = c.holds(x, r.Winners[i])
	}
	return d
}

// shardOf reports the shard a results directory holds, read from its manifest, and false for
// a whole sweep (or no manifest: ReadRuns says what is missing).
func shardOf(dir string) (sweep.Shard, bool) {
	b, err := os.ReadFile(filepath.Join(dir, sweep.ManifestFile))
	if err != nil {
		return sweep.Shard{}, false
	}
	var man struct {
		Shard *sweep.Shard `json:"shard"`
	}
	if json.Unmarshal(b, &man) != nil || man.Shard == nil || man.Shard.Whole() {
		return sweep.Shard{}, false
	}
	return *man.Shard, true
}
