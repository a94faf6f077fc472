package main

import (
	"sync/atomic"
	"time"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"

	"github.com/msgsim/msgsim/internal/evaluate"
)

// progress shows a bar on a terminal and nothing otherwise. The evaluation reports through
// Steps or Runs from any goroutine; a ticker moves the bar, so the simulation never waits on the terminal.
type progress struct {
	done  atomic.Int64
	bar   *mpb.Bar
	p     *mpb.Progress
	stop  chan struct{}
	total int64
}

// unit names what is counted ("steps", "runs").
func newProgress(streams *IOStreams, quiet bool, total int64, name, unit string) *progress {
	pr := &progress{total: total}
	if quiet || !streams.IsTerminal || total <= 0 {
		return pr
	}
	pr.p = mpb.New(mpb.WithOutput(streams.ErrOut), mpb.WithWidth(40), mpb.WithRefreshRate(150*time.Millisecond))
	pr.bar = pr.p.AddBar(total,
		mpb.PrependDecorators(decor.Name(name+" "), decor.CountersNoUnit("%d/%d "+unit)),
		mpb.AppendDecorators(decor.Percentage(), decor.Name(" ETA "), decor.AverageETA(decor.ET_STYLE_GO)),
	)
	pr.stop = make(chan struct{})
	go func() {
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-pr.stop:
				return
			case <-tick.C:
				pr.bar.SetCurrent(pr.done.Load())
			}
		}
	}()
	return pr
}

// Steps shows the steps done: a bar in steps.
func (pr *progress) Steps(e evaluate.Event) { pr.done.Store(e.Steps) }

// Runs shows the runs done: a bar in runs.
func (pr *progress) Runs(e evaluate.Event) { pr.done.Store(int64(e.Done)) }

// Done finishes the bar (complete, or abandoned on error).
func (pr *progress) Done(ok bool) {
	if pr.bar == nil {
		return
	}
	close(pr.stop)
	if ok {
		pr.bar.SetCurrent(pr.total)
	} else {
		pr.bar.Abort(false)
	}
	pr.p.Wait()
}
