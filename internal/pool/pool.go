// Package pool runs a list of independent jobs on a fixed number of goroutines: the one
// worker pool behind model.RunEnsemble, msgsim run, sweeps and calibrations. It knows
// nothing of the model, so that model can use it as well as the packages above it.
package pool

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
)

// Shape is how n jobs share workers goroutines: with at least as many jobs as workers, the
// jobs run side by side on one goroutine each (no synchronisation inside a job); with fewer,
// one after another, each on all workers, so that no core idles and at most one job's memory
// is held at a time. Workers <= 0 means GOMAXPROCS.
func Shape(n, workers int) (atOnce, perJob int) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if n >= workers {
		return workers, 1
	}
	return 1, workers
}

// Run runs jobs 0 to n-1 as Shape lays them out: job(ctx, worker, i, perJob) computes job
// i's result on goroutine number worker (for per-goroutine caches) with perJob goroutines of
// its own. Each result goes to keep, called from Run's goroutine as jobs finish, which is not
// job order: keep places a result by its index, so that what it builds never depends on the
// workers. A failing job or keep cancels the jobs not yet finished.
//
// Run returns the error of the failing job of the lowest index (a cancellation only when no
// job failed otherwise), else keep's, else the context's error when it stopped jobs early.
func Run[T any](ctx context.Context, n, workers int, job func(ctx context.Context, worker, i, perJob int) (T, error), keep func(i int, result T) error) error {
	atOnce, perJob := Shape(n, workers)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type result struct {
		i     int
		value T
	}
	results := make(chan result)
	errs := make([]error, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	for worker := range min(atOnce, max(n, 1)) {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				value, err := job(ctx, worker, i, perJob)
				if err != nil {
					errs[i] = err
					cancel()
					return
				}
				select {
				case results <- result{i, value}:
				case <-ctx.Done():
					return
				}
			}
		})
	}
	go func() {
		wg.Wait()
		close(results)
	}()
	var keepErr error
	kept := 0
	for r := range results {
		if keepErr != nil {
			continue
		}
		if keepErr = keep(r.i, r.value); keepErr != nil {
			cancel()
			continue
		}
		kept++
	}
	// The results channel closes after every job goroutine has returned: errs is complete.
	var first error
	for _, err := range errs {
		if err != nil && (first == nil || errors.Is(first, context.Canceled)) {
			first = err
		}
	}
	switch {
	case first != nil && !errors.Is(first, context.Canceled):
		return first
	case keepErr != nil:
		return keepErr
	case first != nil:
		return first
	case kept < n:
		return ctx.Err()
	}
	return nil
}
