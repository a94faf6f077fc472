package main

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// TestBenchPhasesAndMovers: `msgsim bench --json` reports every phase of a step at every timed
// step, together within the step's time, and the movers per step, whose spread matches the
// list and whose median lies between a half and all of the median platform moves (each
// mover of the two-platform market makes one or two); the text report prints them.
func TestBenchPhasesAndMovers(t *testing.T) {
	t.Parallel()
	opts := &BenchOptions{Agents: 5000, Degree: 8, Steps: 6, Warmup: 2, Rule: "threshold", Workers: 2, Seed: 3, JSON: true}
	var out bytes.Buffer
	opts.Streams = &IOStreams{Out: &out, ErrOut: &bytes.Buffer{}}
	if err := runBench(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	var res BenchResult
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, ph := range res.Phases {
		names = append(names, ph.Name)
		if len(ph.Seconds) != opts.Steps {
			t.Errorf("phase %s: %d times, want one per timed step (%d)", ph.Name, len(ph.Seconds), opts.Steps)
		}
	}
	if want := []string{"events", "decide", "counts", "tally"}; !slices.Equal(names, want) {
		t.Fatalf("phases %v, want %v", names, want)
	}
	var shares float64
	for k, step := range res.StepSeconds {
		var sum float64
		for _, ph := range res.Phases {
			sum += ph.Seconds[k]
		}
		if sum <= 0 || sum > step {
			t.Errorf("step %d: phases sum to %g s, the step took %g s", k, sum, step)
		}
	}
	for _, ph := range res.Phases {
		shares += ph.Share
	}
	if shares <= 0 || shares > 1 {
		t.Errorf("phase shares sum to %g, want in (0, 1]", shares)
	}
	if len(res.Movers) != opts.Steps {
		t.Fatalf("%d movers counts, want %d", len(res.Movers), opts.Steps)
	}
	least, median, most := spread(res.Movers)
	if res.MoversMin != least || res.MoversMedian != median || res.MoversMax != most || most == 0 {
		t.Errorf("movers min/median/max %d/%d/%d, of %v", res.MoversMin, res.MoversMedian, res.MoversMax, res.Movers)
	}
	if moves := res.ChangedMedian * float64(opts.Agents); moves < float64(median) || moves > 2*float64(median) {
		t.Errorf("median platform moves %g, median movers %d", moves, median)
	}

	opts.JSON = false
	out.Reset()
	if err := runBench(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"movers min ", "phase events ", "phase decide ", "phase counts ", "phase tally ", "% of the steps' time"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("text report lacks %q:\n%s", want, out.String())
		}
	}
}
