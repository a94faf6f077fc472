// Package evaluate evaluates parameter points: it runs a scenario's configurations at given
// seeds on N workers (one pool, one progress shape for msgsim run, sweeps and calibrations),
// measures the runs with one table of metrics (summary.json, sweep outcomes, calibration
// series), and summarises replicates (statistics, bands, run summaries).
package evaluate

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/msgsim/msgsim/internal/pool"
	"github.com/msgsim/msgsim/model"
)

// Job is one seeded run of a parameter point. A list of jobs is the unit a caller hands to
// Evaluate: deterministic and ordered (by point, then replicate, as the callers build it),
// so that a filter that keeps some of its indices, such as a shard of a sweep, partitions it.
type Job struct {
	Point     int // the caller's index of the point
	Replicate int
	Seed      uint64
}

// Replicates lists replicates 0 to n-1 of one point under a master seed: replicate r runs
// with model.ReplicateSeed(seed, r), as model.RunEnsemble runs it.
func Replicates(point int, seed uint64, n int) []Job {
	jobs := make([]Job, n)
	for r := range jobs {
		jobs[r] = Job{Point: point, Replicate: r, Seed: model.ReplicateSeed(seed, r)}
	}
	return jobs
}

// Event is the one shape of progress: a step of one run finished, or a whole run did.
type Event struct {
	Job      int  // the run the event is about: an index into the job list
	Step     int  // the step of that run that just finished (its last one when Finished)
	Finished bool // the run is over and its series was handed to the caller
	// Totals of the evaluation so far.
	Steps       int64 // steps finished by all runs
	Done, Total int   // runs finished and handed over, of the jobs in the list
}

// Options are the knobs of an evaluation that never change its results.
type Options struct {
	Workers int // goroutines in all; <= 0 means GOMAXPROCS
	// Progress, if set, is called after every step of every run and after each run is handed
	// over. It may be called from several goroutines at once, so it must be quick.
	Progress func(Event)
	// Step, if set, is called after every step of every run with the run's job index and its
	// record so far (steps 0 to step filled in): a live view of the runs. The series is the
	// run's own, to be read during the call only, on the run's goroutine: it must be quick.
	Step func(job, step int, s *model.Series)
	// Observe, if set, is called with each run's simulation once it is built (step 0) and
	// after every step, on the run's goroutine, with the run's job index: agent-level
	// records (model.AgentHistory) read it there. It must not keep the simulation.
	Observe func(job int, sim *model.Simulation)
}

// Error is a run that failed (not one cancelled by the context).
type Error struct {
	Job Job
	Err error
}

func (e *Error) Error() string {
	return fmt.Sprintf("point %d replicate %d: %v", e.Job.Point, e.Job.Replicate, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// Evaluate runs the jobs: job i runs the configuration config(jobs[i].Point) with seed
// jobs[i].Seed, and its series goes to keep, called from Evaluate's goroutine as runs finish
// (not in job order: keep places a series by its job index, so that what it builds never
// depends on the workers; keeping a measure of it rather than the series bounds memory).
// config is called once per point a goroutine meets, in a row, and must be safe for
// concurrent use. A failing run (an *Error), config or keep stops the evaluation; a
// cancelled context stops it with the context's error.
func Evaluate(ctx context.Context, jobs []Job, config func(point int) (*model.Config, error), keep func(i int, s *model.Series) error, opts Options) error {
	atOnce, _ := pool.Shape(len(jobs), opts.Workers)
	type cached struct {
		point int
		cfg   *model.Config
	}
	configs := make([]cached, atOnce) // each goroutine's last point: replicates of a point come in a row
	for w := range configs {
		configs[w].point = -1
	}
	var steps atomic.Int64
	var done atomic.Int64
	progress := opts.Progress
	event := func(e Event) {
		e.Done, e.Total = int(done.Load()), len(jobs)
		progress(e)
	}
	run := func(ctx context.Context, worker, i, workers int) (*model.Series, error) {
		job := jobs[i]
		c := &configs[worker]
		if c.point != job.Point {
			cfg, err := config(job.Point)
			if err != nil {
				return nil, err
			}
			c.point, c.cfg = job.Point, cfg
		}
		runOpts := model.RunOptions{Seed: job.Seed, Workers: workers}
		if progress != nil {
			runOpts.Progress = func(step int) { event(Event{Job: i, Step: step, Steps: steps.Add(1)}) }
		}
		var s *model.Series
		var err error
		if opts.Step != nil || opts.Observe != nil {
			s, err = runStepwise(ctx, c.cfg, runOpts, func(sim *model.Simulation) {
				if opts.Observe != nil {
					opts.Observe(i, sim)
				}
				if opts.Step != nil && sim.Step() > 0 {
					opts.Step(i, sim.Step(), sim.Series())
				}
			})
		} else {
			s, err = model.Run(ctx, c.cfg, runOpts)
		}
		if err != nil && ctx.Err() == nil {
			err = &Error{Job: job, Err: err}
		}
		return s, err
	}
	return pool.Run(ctx, len(jobs), opts.Workers, run, func(i int, s *model.Series) error {
		if err := keep(i, s); err != nil {
			return err
		}
		done.Add(1)
		if progress != nil {
			event(Event{Job: i, Step: s.Steps, Finished: true, Steps: steps.Load()})
		}
		return nil
	})
}

// runStepwise is model.Run through a Simulation, handed to observe once built and after
// every step, so that each step's record so far can be shown (Options.Step) or its agents
// recorded (Options.Observe); the result is the same series.
func runStepwise(ctx context.Context, cfg *model.Config, opts model.RunOptions, observe func(*model.Simulation)) (*model.Series, error) {
	sim, err := model.NewSimulation(cfg, opts.Seed, opts.Workers)
	if err == nil {
		observe(sim)
	}
	for err == nil && sim.Step() < cfg.Steps {
		if err = ctx.Err(); err == nil {
			sim.Advance()
			if opts.Progress != nil {
				opts.Progress(sim.Step())
			}
			observe(sim)
		}
	}
	if err != nil {
		return nil, err
	}
	return sim.Series(), nil
}

// Series runs one configuration at the jobs and returns their series in job order.
func Series(ctx context.Context, cfg *model.Config, jobs []Job, opts Options) ([]*model.Series, error) {
	out := make([]*model.Series, len(jobs))
	err := Evaluate(ctx, jobs, func(int) (*model.Config, error) { return cfg, nil }, func(i int, s *model.Series) error {
		out[i] = s
		return nil
	}, opts)
	if err != nil {
		return nil, err
	}
	return out, nil
}
