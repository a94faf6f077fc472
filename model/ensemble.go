package model

import (
	"context"
	"sync/atomic"

	"github.com/msgsim/msgsim/internal/pool"
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
	out := make([]*Series, max(opts.Replicates, 1))
	var done atomic.Int64
	err := pool.Run(ctx, len(out), opts.Workers, func(ctx context.Context, _, r, workers int) (*Series, error) {
		run := RunOptions{Seed: ReplicateSeed(opts.Seed, r), Workers: workers}
		if opts.Progress != nil {
			run.Progress = func(int) { opts.Progress(done.Add(1)) }
		}
		return Run(ctx, cfg, run)
	}, func(r int, s *Series) error {
		out[r] = s
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
