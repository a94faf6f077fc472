package evaluate

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"reflect"
	"slices"
	"sync"
	"testing"

	"github.com/msgsim/msgsim/model"
)

func smallConfig(agents int) *model.Config {
	return model.BenchmarkConfig(agents, 6, model.RuleThreshold, 20)
}

// TestEvaluateDeterministic: whatever the workers, job i's series is the one its point and
// seed give on their own, handed over once; progress counts every step and every run.
func TestEvaluateDeterministic(t *testing.T) {
	t.Parallel()
	configs := []*model.Config{smallConfig(400), smallConfig(500)}
	var jobs []Job
	for p := range configs {
		jobs = append(jobs, Replicates(p, 11, 3)...)
	}
	want := make([]*model.Series, len(jobs))
	for i, j := range jobs {
		s, err := model.Run(context.Background(), configs[j.Point], model.RunOptions{Seed: j.Seed, Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		want[i] = s
	}
	for _, workers := range []int{1, 2, 4, 9} {
		got := make([]*model.Series, len(jobs))
		var mu sync.Mutex
		var last Event
		var stepEvents, finished int
		built := map[int]int{}
		err := Evaluate(context.Background(), jobs, func(p int) (*model.Config, error) {
			mu.Lock()
			built[p]++
			mu.Unlock()
			return configs[p], nil
		}, func(i int, s *model.Series) error {
			if got[i] != nil {
				t.Errorf("job %d handed over twice", i)
			}
			got[i] = s
			return nil
		}, Options{Workers: workers, Progress: func(e Event) {
			mu.Lock()
			defer mu.Unlock()
			if e.Finished {
				finished++
				last = e
			} else {
				stepEvents++
			}
		}})
		if err != nil {
			t.Fatal(err)
		}
		for i := range jobs {
			if !reflect.DeepEqual(got[i], want[i]) {
				t.Errorf("workers %d: job %d differs from its run alone", workers, i)
			}
		}
		steps := len(jobs) * 20
		if stepEvents != steps || finished != len(jobs) || last.Done != len(jobs) || last.Total != len(jobs) || last.Steps != int64(steps) {
			t.Errorf("workers %d: %d step events, %d finished, last %+v; want %d, %d, all done", workers, stepEvents, finished, last, steps, len(jobs))
		}
		if atOnce := min(workers, len(jobs)); built[0] > atOnce || built[1] > atOnce {
			t.Errorf("workers %d: points built %v times, want at most once per goroutine", workers, built)
		}
	}
}

// TestEvaluateErrors: a failing run names its job; a failing point stops the evaluation.
func TestEvaluateErrors(t *testing.T) {
	t.Parallel()
	bad := smallConfig(100)
	bad.Agents = -1
	jobs := Replicates(4, 1, 2)
	err := Evaluate(context.Background(), jobs, func(int) (*model.Config, error) { return bad, nil },
		func(int, *model.Series) error { return nil }, Options{Workers: 2})
	var failed *Error
	if !errors.As(err, &failed) || failed.Job.Point != 4 || failed.Job.Replicate != 0 {
		t.Errorf("invalid config: got %v, want an *Error of point 4 replicate 0", err)
	}
	noPoint := errors.New("no such point")
	err = Evaluate(context.Background(), jobs, func(int) (*model.Config, error) { return nil, noPoint },
		func(int, *model.Series) error { return nil }, Options{})
	if !errors.Is(err, noPoint) {
		t.Errorf("failing config: got %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Series(ctx, smallConfig(100), jobs, Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: got %v, want context.Canceled", err)
	}
}

// TestSeriesIsRunEnsemble: the replicates of one configuration are model.RunEnsemble's.
func TestSeriesIsRunEnsemble(t *testing.T) {
	t.Parallel()
	cfg := smallConfig(300)
	want, err := model.RunEnsemble(context.Background(), cfg, model.EnsembleOptions{Seed: 9, Replicates: 3, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	got, err := Series(context.Background(), cfg, Replicates(0, 9, 3), Options{Workers: 3})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Error("Series and model.RunEnsemble differ")
	}
}

// TestMetricTable: every metric with a summary.json key fills the field of that key in the
// platform summary and reads the field of that key in the run outcome; names are unique.
func TestMetricTable(t *testing.T) {
	t.Parallel()
	var ps PlatformSummary
	for i, m := range Metrics {
		if (m.SummaryKey == "") != (m.stat == nil) {
			t.Fatalf("%s: a summary key needs a summary field and back", m.Name)
		}
		if m.stat != nil {
			m.stat(&ps).N = 100 + i
		}
	}
	var fields map[string]json.RawMessage
	b, _ := json.Marshal(ps)
	if err := json.Unmarshal(b, &fields); err != nil {
		t.Fatal(err)
	}
	var names, keys []string
	for i, m := range Metrics {
		names = append(names, m.Name)
		if m.SummaryKey == "" {
			continue
		}
		keys = append(keys, m.SummaryKey)
		var st Stat
		if err := json.Unmarshal(fields[m.SummaryKey], &st); err != nil || st.N != 100+i {
			t.Errorf("%s: summary.json key %s holds %s, want this metric's", m.Name, m.SummaryKey, fields[m.SummaryKey])
		}
		// The outcome's field of the same key is what Value reads.
		var po PlatformOutcome
		if err := json.Unmarshal([]byte(`{"`+m.SummaryKey+`": 7}`), &po); err != nil {
			t.Fatal(err)
		}
		if got := m.Value(po); got != 7 {
			t.Errorf("%s reads %g from an outcome whose %s is 7", m.Name, got, m.SummaryKey)
		}
	}
	if len(fields) != len(keys)+2 { // name and win_probability besides the metrics
		t.Errorf("platform summary has keys %v; the table names %v", slices.Sorted(maps.Keys(fields)), keys)
	}
	if len(slices.Compact(slices.Sorted(slices.Values(names)))) != len(names) {
		t.Errorf("metric names repeat: %v", names)
	}
}
