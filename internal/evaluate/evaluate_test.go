package evaluate

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
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

// TestMetricTable: names and summary keys are unique, and the JSON of a platform summary and
// of a platform outcome hold, after their leading fields, exactly the summary keys of the
// table, in table order, each with its own metric's value.
func TestMetricTable(t *testing.T) {
	t.Parallel()
	ps := PlatformSummary{Name: "A", WinProbability: 0.5, Stats: make([]Stat, len(Metrics))}
	po := PlatformOutcome{Name: "A", Values: make([]float64, len(Metrics))}
	var names, keys []string
	for i, m := range Metrics {
		names = append(names, m.Name)
		ps.Stats[i].N = 100 + i
		po.Values[i] = float64(100 + i)
		if m.SummaryKey != "" {
			keys = append(keys, m.SummaryKey)
		}
	}
	for _, tc := range []struct {
		v    any
		lead []string
		of   func(json.RawMessage) int
	}{
		{ps, []string{"name", "win_probability"}, func(raw json.RawMessage) int {
			var st Stat
			if json.Unmarshal(raw, &st) != nil {
				return -1
			}
			return st.N
		}},
		{po, []string{"name"}, func(raw json.RawMessage) int {
			var x int
			if json.Unmarshal(raw, &x) != nil {
				return -1
			}
			return x
		}},
	} {
		b, err := json.Marshal(tc.v)
		if err != nil {
			t.Fatal(err)
		}
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(b, &fields); err != nil {
			t.Fatal(err)
		}
		if order := jsonKeys(t, b); !slices.Equal(order, append(tc.lead, keys...)) {
			t.Errorf("%T has keys %v, want %v then the table's %v", tc.v, order, tc.lead, keys)
		}
		for i, m := range Metrics {
			if m.SummaryKey != "" && tc.of(fields[m.SummaryKey]) != 100+i {
				t.Errorf("%T: key %s holds %s, want metric %s's", tc.v, m.SummaryKey, fields[m.SummaryKey], m.Name)
			}
		}
	}
	for what, list := range map[string][]string{"names": names, "summary keys": keys} {
		if len(slices.Compact(slices.Sorted(slices.Values(list)))) != len(list) {
			t.Errorf("metric %s repeat: %v", what, list)
		}
	}
	if got := MetricNames(); !slices.Equal(slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(names))) {
		t.Errorf("MetricNames() = %v, want the table's names %v in some order", got, names)
	}
}

// jsonKeys lists a JSON object's keys in the order written.
func jsonKeys(t *testing.T, b []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	var keys []string
	if _, err := dec.Token(); err != nil { // {
		t.Fatal(err)
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

// TestSweepOrder: the headline metrics lead the sweep's columns; the rest follow the table.
func TestSweepOrder(t *testing.T) {
	t.Parallel()
	want := []string{"final_users", "final_share", "final_registered", "peak_users", "peak_step", "time_to_10", "time_to_50", "time_to_90", "multihoming"}
	if got := MetricNames(); !slices.Equal(got, want) {
		t.Errorf("MetricNames() = %v, want %v", got, want)
	}
}

// TestStepShowsEachStep: with Step set, every step of every run is shown once, in order,
// with the rows so far equal to the finished run's, and the series are model.Run's whatever
// the workers.
func TestStepShowsEachStep(t *testing.T) {
	t.Parallel()
	cfg := smallConfig(300)
	jobs := Replicates(0, 5, 3)
	want, err := Series(context.Background(), cfg, jobs, Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, workers := range []int{1, 3} {
		var mu sync.Mutex
		seen := make([][]int64, len(jobs)) // job's users of platform 0, as shown step by step
		progress := 0
		got, err := Series(context.Background(), cfg, jobs, Options{Workers: workers,
			Progress: func(e Event) {
				mu.Lock()
				defer mu.Unlock()
				if !e.Finished {
					progress++
				}
			},
			Step: func(job, step int, s *model.Series) {
				mu.Lock()
				defer mu.Unlock()
				if step != len(seen[job])+1 {
					t.Errorf("job %d: step %d after %d steps", job, step, len(seen[job]))
				}
				seen[job] = append(seen[job], s.Users[s.At(step, 0)])
			}})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("workers %d: series differ from a run without Step", workers)
		}
		if progress != len(jobs)*cfg.Steps {
			t.Errorf("workers %d: %d progress events, want %d", workers, progress, len(jobs)*cfg.Steps)
		}
		for j, users := range seen {
			var final []int64
			for step := 1; step <= cfg.Steps; step++ {
				final = append(final, want[j].Users[want[j].At(step, 0)])
			}
			if !slices.Equal(users, final) {
				t.Errorf("workers %d job %d: shown %v, final %v", workers, j, users, final)
			}
		}
	}
}
