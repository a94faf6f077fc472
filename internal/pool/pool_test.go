package pool

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
)

func TestShape(t *testing.T) {
	for _, tc := range []struct{ n, workers, atOnce, perJob int }{
		{8, 2, 2, 1}, {2, 2, 2, 1}, {1, 4, 1, 4}, {3, 4, 1, 4}, {0, 3, 1, 3},
	} {
		if a, p := Shape(tc.n, tc.workers); a != tc.atOnce || p != tc.perJob {
			t.Errorf("Shape(%d, %d) = %d, %d; want %d, %d", tc.n, tc.workers, a, p, tc.atOnce, tc.perJob)
		}
	}
}

// TestResultsByIndex: whatever the workers, every job is kept exactly once under its own
// index, and each job learns its share of the workers.
func TestResultsByIndex(t *testing.T) {
	for _, workers := range []int{1, 2, 3, 7, 40} {
		got := make([]int, 20)
		var maxWorker atomic.Int64
		err := Run(context.Background(), len(got), workers, func(_ context.Context, worker, i, perJob int) (int, error) {
			if _, want := Shape(20, workers); perJob != want {
				return 0, fmt.Errorf("perJob %d, want %d", perJob, want)
			}
			maxWorker.Store(max(maxWorker.Load(), int64(worker)))
			return i * i, nil
		}, func(i, v int) error {
			got[i] += v + 1
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range got {
			if v != i*i+1 {
				t.Fatalf("workers %d: job %d kept as %d, want %d", workers, i, v, i*i+1)
			}
		}
		if atOnce, _ := Shape(20, workers); maxWorker.Load() >= int64(atOnce) {
			t.Errorf("workers %d: worker index %d, want below %d", workers, maxWorker.Load(), atOnce)
		}
	}
}

// TestErrors: a failing job's error wins over the cancellations it causes, the lowest
// index first; keep's error stops the jobs; a cancelled context is reported as such.
func TestErrors(t *testing.T) {
	boom := errors.New("boom")
	err := Run(context.Background(), 50, 4, func(ctx context.Context, _, i, _ int) (int, error) {
		if i == 2 { // among the first four jobs, which run at once
			return 0, boom
		}
		<-ctx.Done() // every other job waits for the cancellation
		return 0, ctx.Err()
	}, func(int, int) error { return nil })
	if !errors.Is(err, boom) {
		t.Errorf("failing job: got %v, want boom", err)
	}

	var kept []int
	full := errors.New("disk full")
	err = Run(context.Background(), 50, 2, func(_ context.Context, _, i, _ int) (int, error) { return i, nil },
		func(i, _ int) error { kept = append(kept, i); return full })
	if !errors.Is(err, full) || len(kept) != 1 {
		t.Errorf("failing keep: got %v after %v, want disk full after one", err, kept)
	}

	ctx, cancel := context.WithCancel(context.Background())
	var done []int
	err = Run(ctx, 50, 1, func(_ context.Context, _, i, _ int) (int, error) { return i, nil },
		func(i, _ int) error {
			done = append(done, i)
			if i == 2 {
				cancel()
			}
			return nil
		})
	if !errors.Is(err, context.Canceled) || !slices.Equal(done, []int{0, 1, 2}) {
		t.Errorf("cancelled: got %v after %v, want context.Canceled after 0, 1, 2", err, done)
	}
}
