package readme

import (
	"strconv"
	"strings"
	"testing"
)

func TestSpeedTable(t *testing.T) {
	itoa := func(i int) string { return strconv.Itoa(i) }
	ftoa := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	bench := func(workers int, build, lo, mid, hi, moved, peak, estimate float64) string {
		return strings.NewReplacer("W", itoa(workers)).Replace(`{"workers": W, "build_seconds": ` + ftoa(build) +
			`, "step_min_seconds": ` + ftoa(lo) + `, "step_median_seconds": ` + ftoa(mid) + `, "step_max_seconds": ` + ftoa(hi) +
			`, "changed_share_median": ` + ftoa(moved) + `, "peak_bytes": ` + ftoa(peak) + `, "estimate_bytes": ` + ftoa(estimate) + `}`)
	}
	outputs := map[string]string{
		"busy-threshold":   bench(2, 2.4567, 0.29, 0.3012, 0.33, 0.153, 1.1*(1<<30), 1.0*(1<<30)),
		"busy-threshold-1": bench(1, 4.1, 0.5, 0.55, 0.6, 0.153, 0, 0),
		"busy-logit":       bench(2, 2.5, 0.335, 0.34, 0.355, 0.25, 0, 0),
		"quiet-threshold":  bench(2, 2.5, 0.0071, 0.0075, 0.008, 0.000061, 0, 0),
		"quiet-logit":      bench(2, 2.5, 0.15, 0.16, 0.17, 0.0021, 0, 0),
		"china":            bench(2, 99.6, 11.7, 11.8, 11.9, 0.2, 12.34*(1<<30), 12.0*(1<<30)),
		"sweep": "BenchmarkSweepThroughput/workers=1-2   \t 40\t 441 ns/op\t 18.10 runs/s\n" +
			"BenchmarkSweepThroughput/workers=2-2   \t 40\t 228 ns/op\t 35.00 runs/s\nPASS\n",
	}
	got, err := SpeedTable(outputs)
	if err != nil {
		t.Fatal(err)
	}
	want := `
| what | time |
|---|---|
| build a 1e7-node Erdős–Rényi graph, mean degree 10, + state | 2.46 s on 2 workers, 4.10 s on 1 |
| synchronous threshold step, 1e7 agents, 15% of agents moving | 290-330 ms (median 301) |
| synchronous threshold step, same, on 1 worker, 15% of agents moving | 500-600 ms (median 550) |
| synchronous logit step, 1e7 agents, 25% of agents moving | 335-355 ms (median 340) |
| quiet step, threshold rule, 1e7 agents, after 45 steps, 0.0061% of agents moving | 7.10-8.00 ms (median 7.50) |
| quiet step, logit rule, 1e7 agents, after 45 steps, 0.21% of agents moving | 150-170 ms (median 160) |
| quiet step / busy step, threshold rule | 0.025 |
| peak memory, 1e7 agents, mean degree 10 | 1.10 GiB (estimate 1.00 GiB) |
| 3e8 agents, mean degree 6: build / busy step / peak memory | 99.6 s / 11.8 s / 12.3 GiB (estimate 12.0 GiB) |
| sweep of 10,000-agent, 200-step logit runs (` + "`BenchmarkSweepThroughput`" + `) | 18.1 runs/s on 1 worker, 35.0 on 2 (x1.93): 1,000 runs in 29 s |
`
	if got[SpeedBlock] != want {
		t.Errorf("speed table:\n%s\nwant:\n%s", got[SpeedBlock], want)
	}

	delete(outputs, "quiet-logit")
	if _, err := SpeedTable(outputs); err == nil || !strings.Contains(err.Error(), "no output of msgsim bench --agents 10000000 --degree 10 --warmup 45 --steps 10 --rule logit") {
		t.Errorf("a missing run: err = %v", err)
	}
	outputs["quiet-logit"] = "not json"
	if _, err := SpeedTable(outputs); err == nil || !strings.Contains(err.Error(), "--rule logit: invalid character") {
		t.Errorf("output that is not JSON: err = %v", err)
	}
	outputs["quiet-logit"] = outputs["busy-logit"]
	outputs["sweep"] = "PASS\n"
	if _, err := SpeedTable(outputs); err == nil || !strings.Contains(err.Error(), "no runs/s for 1 and 2 workers") {
		t.Errorf("a sweep benchmark without figures: err = %v", err)
	}
}
