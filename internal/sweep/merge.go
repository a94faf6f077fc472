package sweep

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/msgsim/msgsim/output"
)

// missingListed is how many missing runs a merge names per shard; the rest are counted.
const missingListed = 5

// part is one shard's results directory, read.
type part struct {
	dir     *output.ResultDir
	shard   Shard
	records []Record
}

// Merge joins the results directories of a sharded sweep's shards into the whole sweep's
// result, as if it had run on one machine. It refuses directories of another sweep (or of
// an earlier version of this one: the manifest's hash), shards of different splits, a shard
// given twice, and an incomplete set, naming what is missing shard by shard. The directories
// are opened by the caller, so that a shard still being written is refused.
func Merge(plan *Plan, dirs []*output.ResultDir) (*Result, error) {
	want, err := plan.newManifest(Shard{})
	if err != nil {
		return nil, err
	}
	parts := make([]part, len(dirs))
	for i, dir := range dirs {
		man, err := readManifest(dir)
		if err != nil {
			return nil, err
		}
		if man.Hash != want.Hash {
			return nil, fmt.Errorf("sweep merge: %s holds results of another sweep than %s (its manifest's sha256 differs: another sweep file, or this one, its base scenario or an edge list it reads changed since)", dir.Path(), plan.Sweep.Source)
		}
		parts[i] = part{dir: dir, shard: man.shard()}
		if first := parts[0]; parts[i].shard.Count != first.shard.Count {
			return nil, fmt.Errorf("sweep merge: %s holds shard %s but %s holds shard %s: the parts must come from one split of the sweep", dir.Path(), parts[i].shard, first.dir.Path(), first.shard)
		}
		if j := slices.IndexFunc(parts[:i], func(p part) bool { return p.shard == parts[i].shard }); j >= 0 {
			return nil, fmt.Errorf("sweep merge: shard %s given twice: %s and %s", parts[i].shard, parts[j].dir.Path(), dir.Path())
		}
		if parts[i].records, err = readJournal(dir, man); err != nil {
			return nil, err
		}
	}
	if err := checkComplete(plan, parts); err != nil {
		return nil, err
	}
	var records []Record
	for _, p := range parts {
		records = append(records, p.records...)
	}
	sortRecords(records)
	return &Result{Plan: plan, Records: records, Merged: len(parts)}, nil
}

// readManifest reads the manifest of a results directory.
func readManifest(dir *output.ResultDir) (manifest, error) {
	var man manifest
	b, err := dir.ReadFile(ManifestFile)
	if err != nil {
		return man, fmt.Errorf("sweep merge: %s holds no sweep manifest (%v)", dir.Path(), err)
	}
	if err := json.Unmarshal(b, &man); err != nil {
		return man, fmt.Errorf("sweep merge: %s: %s: %w", dir.Path(), ManifestFile, err)
	}
	return man, nil
}

// checkComplete says which runs of which shards the parts lack, if any.
func checkComplete(plan *Plan, parts []part) error {
	count := max(parts[0].shard.Count, 1)
	total := plan.Runs()
	var lines []string
	missingRuns := 0
	for index := range count {
		shard := Shard{Index: index, Count: count}
		runs := shard.Runs(total)
		i := slices.IndexFunc(parts, func(p part) bool { return p.shard.Index == index })
		if i < 0 {
			missingRuns += runs
			lines = append(lines, fmt.Sprintf("  shard %s: no directory given (%d runs)", shard, runs))
			continue
		}
		have := make([]bool, total)
		for _, r := range parts[i].records {
			have[r.Point*plan.Sweep.File.Replicates+r.Replicate] = true
		}
		var missing []string
		lacking := 0
		for run := range total {
			if shard.Has(run) && !have[run] {
				lacking++
				if lacking <= missingListed {
					missing = append(missing, plan.describeRun(run))
				}
			}
		}
		if lacking == 0 {
			continue
		}
		missingRuns += lacking
		if lacking > missingListed {
			missing = append(missing, fmt.Sprintf("and %d more", lacking-missingListed))
		}
		lines = append(lines, fmt.Sprintf("  shard %s (%s): %d of %d runs missing (%s); finish it with msgsim sweep %s --shard %s -o %s --resume",
			shard, parts[i].dir.Path(), lacking, runs, strings.Join(missing, ", "), plan.Sweep.Source, shard, parts[i].dir.Path()))
	}
	if missingRuns == 0 {
		return nil
	}
	return fmt.Errorf("sweep merge: the shards are incomplete, %d of %d runs missing:\n%s", missingRuns, total, strings.Join(lines, "\n"))
}

// WriteMerged writes a merged sweep into dir as a sweep run on one machine writes it: the
// manifest, the sweep file and the journal (in point then replicate order), so that the
// directory is a finished sweep's, then the tables, plots and summary (WriteResults).
func WriteMerged(dir *output.ResultDir, res *Result, formats []string) (*Analysis, error) {
	man, err := res.Plan.newManifest(Shard{})
	if err != nil {
		return nil, err
	}
	if _, err := prepareDir(dir, man, res.Plan.Sweep.Data); err != nil {
		return nil, err
	}
	journal, err := dir.OpenJournal(JournalFile)
	if err != nil {
		return nil, fmt.Errorf("sweep merge: %w", err)
	}
	for _, rec := range res.Records {
		if err := appendJournal(journal, rec); err != nil {
			journal.Close()
			return nil, fmt.Errorf("sweep merge: journal: %w", err)
		}
	}
	if err := journal.Close(); err != nil {
		return nil, fmt.Errorf("sweep merge: journal: %w", err)
	}
	return WriteResults(dir, res, formats)
}
