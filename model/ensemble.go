package model

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
)

// EnsembleOptions configure a set of replicates of one scenario.
type EnsembleOptions struct {
	Seed       uint64 // master seed; replicate r runs with DeriveSeed(Seed, r)
	Replicates int
	Workers    int // total goroutines; <= 0 means GOMAXPROCS
	// Progress, if set, is called with the total number of steps done across replicates.
	// It may be called from several goroutines at once.
	Progress func(stepsDone int64)
}

// ReplicateSeed is the seed replicate r of a run with master seed runs with.
func ReplicateSeed(master uint64, replicate int) uint64 {
	return DeriveSeed(master, uint64(replicate))
}

// RunEnsemble runs the replicates and returns their series in replicate order. With at least
// as many replicates as workers, replicates run side by side on one goroutine each (no
// synchronisation inside a run); otherwise they run one after another, each on all workers.
// Either way every series depends only on its replicate seed.
func RunEnsemble(ctx context.Context, cfg *Config, opts EnsembleOptions) ([]*Series, error) {
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	replicates := max(opts.Replicates, 1)
	var done atomic.Int64
	runOne := func(r, runWorkers int) (*Series, error) {
		last := 0
		return Run(ctx, cfg, RunOptions{
			Seed:    ReplicateSeed(opts.Seed, r),
			Workers: runWorkers,
			Progress: func(step int) {
				total := done.Add(int64(step - last))
				last = step
				if opts.Progress != nil {
					opts.Progress(total)
				}
			},
		})
	}
	out := make([]*Series, replicates)
	if replicates < workers {
		for r := range out {
			series, err := runOne(r, workers)
			if err != nil {
				return nil, err
			}
			out[r] = series
		}
		return out, nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make([]error, replicates)
	for range workers {
		wg.Go(func() {
			for {
				r := int(next.Add(1) - 1)
				if r >= replicates {
					return
				}
				out[r], errs[r] = runOne(r, 1)
				if errs[r] != nil {
					cancel()
					return
				}
			}
		})
	}
	wg.Wait()
	// A failing replicate cancels the others: report its error, not their cancellations.
	var first error
	for _, err := range errs {
		if err != nil && (first == nil || errors.Is(first, context.Canceled)) {
			first = err
		}
	}
	if first != nil {
		return nil, first
	}
	return out, nil
}
