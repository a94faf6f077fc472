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
		"cport": "| agents | rule | threads | steps | msgsim ms | C port ms | msgsim / C |\n|---|---|---|---|---|---|---|\n" +
			"| 1000000 | threshold | 1 | busy | 54.6 (51.6-57.4) | 42.7 (41.7-42.9) | 1.28 |\n" +
			"| 1000000 | threshold | 1 | quiet | 2.0 (1.9-4.2) | 7.5 (7.2-7.6) | 0.27 |\n" +
			"| 1000000 | threshold | 2 | busy | 29.0 (27.8-30.2) | 21.7 (21.7-22.1) | 1.34 |\n" +
			"| 1000000 | threshold | 2 | quiet | 1.2 (1.1-2.1) | 3.7 (3.4-3.7) | 0.33 |\n" +
			"| 1000000 | logit | 1 | busy | 53.7 (53.2-55.3) | 46.7 (46.5-50.5) | 1.15 |\n" +
			"| 1000000 | logit | 1 | quiet | 24.3 (24.3-24.8) | 28.5 (28.1-28.5) | 0.85 |\n" +
			"| 1000000 | logit | 2 | busy | 29.3 (29.0-29.6) | 25.0 (24.9-25.2) | 1.17 |\n" +
			"| 1000000 | logit | 2 | quiet | 12.8 (12.3-13.0) | 14.5 (14.2-14.5) | 0.89 |\n",
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
| 3e8 agents, mean degree 6: build / first three steps (median) / peak memory | 99.6 s / 11.8 s / 12.3 GiB (estimate 12.0 GiB) |
| sweep of 10,000-agent, 200-step logit runs (` + "`BenchmarkSweepThroughput`" + `) | 18.1 runs/s on 1 worker, 35.0 on 2 (x1.93): 1,000 runs in 29 s |
| busy step, 1e6 agents: msgsim's time over a line-by-line C port's (` + "`scripts/cport.sh`" + `; the port visits every agent, as msgsim did before it skimmed quiet ones) | threshold x1.28 on 1 thread, x1.34 on 2; logit x1.15, x1.17 |
| quiet step, 1e6 agents: msgsim's time over a line-by-line C port's (` + "`scripts/cport.sh`" + `; the port visits every agent, as msgsim did before it skimmed quiet ones) | threshold x0.27 on 1 thread, x0.33 on 2; logit x0.85, x0.89 |
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
	cport := outputs["cport"]
	outputs["cport"] = strings.ReplaceAll(cport, "| logit | 2 | quiet |", "| logit | 2 | calm |")
	if _, err := SpeedTable(outputs); err == nil || !strings.Contains(err.Error(), "no logit 2 quiet row in scripts/cport.sh's table") {
		t.Errorf("a C port table without a row: err = %v", err)
	}
	outputs["cport"] = cport
	outputs["sweep"] = "PASS\n"
	if _, err := SpeedTable(outputs); err == nil || !strings.Contains(err.Error(), "no runs/s for 1 and 2 workers") {
		t.Errorf("a sweep benchmark without figures: err = %v", err)
	}
}
