package readme

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// SpeedBlock is the name of README's speed table, which only `readmegen -speed` rewrites.
const SpeedBlock = "speed-table"

// SpeedRun is one command behind README's speed table: `msgsim bench` with these arguments
// and --json, or, for the sweep row, the Go benchmark of sweep throughput.
type SpeedRun struct {
	Name string   // the row's key in SpeedTable's inputs
	Args []string // as a reader types them, from "msgsim" or "go"
}

// SpeedRuns are the commands `readmegen -speed` runs for README's speed table: timings, so
// they are rerun on purpose on a quiet machine, never by -check. They take a few minutes and
// the 3e8-agent run about 12 GiB.
var SpeedRuns = []SpeedRun{
	{"busy-threshold", strings.Fields("msgsim bench --agents 10000000 --degree 10 --warmup 5 --steps 10 --rule threshold")},
	{"busy-threshold-1", strings.Fields("msgsim bench --agents 10000000 --degree 10 --warmup 5 --steps 10 --rule threshold --workers 1")},
	{"busy-logit", strings.Fields("msgsim bench --agents 10000000 --degree 10 --warmup 5 --steps 10 --rule logit")},
	{"quiet-threshold", strings.Fields("msgsim bench --agents 10000000 --degree 10 --warmup 45 --steps 10 --rule threshold")},
	{"quiet-logit", strings.Fields("msgsim bench --agents 10000000 --degree 10 --warmup 45 --steps 10 --rule logit")},
	{"china", strings.Fields("msgsim bench --agents 300000000 --degree 6 --warmup 0 --steps 3 --rule threshold")},
	{"sweep", strings.Fields("go test -run ^$ -bench SweepThroughput -benchtime 40x ./internal/sweep/")},
	{"cport", strings.Fields("env ROUNDS=3 scripts/cport.sh 1000000")},
}

// benchJSON is the part of `msgsim bench --json` the table shows.
type benchJSON struct {
	Agents        int     `json:"agents"`
	Workers       int     `json:"workers"`
	BuildSeconds  float64 `json:"build_seconds"`
	StepMin       float64 `json:"step_min_seconds"`
	StepMedian    float64 `json:"step_median_seconds"`
	StepMax       float64 `json:"step_max_seconds"`
	ChangedMedian float64 `json:"changed_share_median"`
	PeakBytes     float64 `json:"peak_bytes"`
	EstimateBytes float64 `json:"estimate_bytes"`
}

// cportRE reads a row of scripts/cport.sh's table: rule, threads, busy or quiet, and
// msgsim's time over the C port's.
var cportRE = regexp.MustCompile(`(?m)^\| [0-9]+ \| (threshold|logit) \| ([0-9]+) \| (busy|quiet) \| [^|]+\| [^|]+\| ([0-9.]+) \|`)

// sweepRE reads a runs/s figure of BenchmarkSweepThroughput's output, by worker count.
var sweepRE = regexp.MustCompile(`BenchmarkSweepThroughput/workers=([0-9]+)\S*\s.*?\s([0-9.]+) runs/s`)

// SpeedTable is README's speed-table block from the outputs of SpeedRuns, by name: each
// bench's JSON and the sweep benchmark's text.
func SpeedTable(outputs map[string]string) (map[string]string, error) {
	bench := map[string]benchJSON{}
	for _, run := range SpeedRuns {
		out, ok := outputs[run.Name]
		if !ok {
			return nil, fmt.Errorf("speed table: no output of %s", strings.Join(run.Args, " "))
		}
		if run.Args[0] != "msgsim" {
			continue
		}
		var b benchJSON
		if err := json.Unmarshal([]byte(out), &b); err != nil {
			return nil, fmt.Errorf("speed table: %s: %w", strings.Join(run.Args, " "), err)
		}
		bench[run.Name] = b
	}
	perSecond := map[int]float64{}
	for _, m := range sweepRE.FindAllStringSubmatch(outputs["sweep"], -1) {
		workers, _ := strconv.Atoi(m[1])
		perSecond[workers], _ = strconv.ParseFloat(m[2], 64)
	}
	if perSecond[1] == 0 || perSecond[2] == 0 {
		return nil, fmt.Errorf("speed table: no runs/s for 1 and 2 workers in the sweep benchmark's output:\n%s", outputs["sweep"])
	}
	ratio := map[string]string{} // by "rule threads steps"
	for _, m := range cportRE.FindAllStringSubmatch(outputs["cport"], -1) {
		ratio[m[1]+" "+m[2]+" "+m[3]] = m[4]
	}
	for _, rule := range []string{"threshold", "logit"} {
		for _, key := range []string{rule + " 1 busy", rule + " 2 busy", rule + " 1 quiet", rule + " 2 quiet"} {
			if ratio[key] == "" {
				return nil, fmt.Errorf("speed table: no %s row in scripts/cport.sh's table:\n%s", key, outputs["cport"])
			}
		}
	}
	busy, one, quiet, china := bench["busy-threshold"], bench["busy-threshold-1"], bench["quiet-threshold"], bench["china"]
	var b strings.Builder
	b.WriteString("\n| what | time |\n|---|---|\n")
	fmt.Fprintf(&b, "| build a 1e7-node Erdős–Rényi graph, mean degree 10, + state | %s s on %d workers, %s s on 1 |\n",
		fixed(busy.BuildSeconds, 2), busy.Workers, fixed(one.BuildSeconds, 2))
	for _, row := range []struct{ what, name string }{
		{"synchronous threshold step, 1e7 agents", "busy-threshold"},
		{"synchronous threshold step, same, on 1 worker", "busy-threshold-1"},
		{"synchronous logit step, 1e7 agents", "busy-logit"},
		{"quiet step, threshold rule, 1e7 agents, after 45 steps", "quiet-threshold"},
		{"quiet step, logit rule, 1e7 agents, after 45 steps", "quiet-logit"},
	} {
		r := bench[row.name]
		fmt.Fprintf(&b, "| %s, %s of agents moving | %s-%s ms (median %s) |\n", row.what, percent(r.ChangedMedian),
			sig3(1000*r.StepMin), sig3(1000*r.StepMax), sig3(1000*r.StepMedian))
	}
	fmt.Fprintf(&b, "| quiet step / busy step, threshold rule | %s |\n", fixed(quiet.StepMedian/busy.StepMedian, 3))
	fmt.Fprintf(&b, "| peak memory, 1e7 agents, mean degree 10 | %s GiB (estimate %s GiB) |\n", fixed(busy.PeakBytes/(1<<30), 2), fixed(busy.EstimateBytes/(1<<30), 2))
	fmt.Fprintf(&b, "| 3e8 agents, mean degree 6: build / first three steps (median) / peak memory | %s s / %s s / %s GiB (estimate %s GiB) |\n",
		sig3(china.BuildSeconds), sig3(china.StepMedian), fixed(china.PeakBytes/(1<<30), 1), fixed(china.EstimateBytes/(1<<30), 1))
	fmt.Fprintf(&b, "| sweep of 10,000-agent, 200-step logit runs (`BenchmarkSweepThroughput`) | %s runs/s on 1 worker, %s on 2 (x%s): 1,000 runs in %s s |\n",
		fixed(perSecond[1], 1), fixed(perSecond[2], 1), fixed(perSecond[2]/perSecond[1], 2), fixed(1000/perSecond[2], 0))
	for _, steps := range []string{"busy", "quiet"} {
		fmt.Fprintf(&b, "| %s step, 1e6 agents: msgsim's time over a line-by-line C port's (`scripts/cport.sh`; the port visits every agent, as msgsim did before it skimmed quiet ones) | threshold x%s on 1 thread, x%s on 2; logit x%s, x%s |\n",
			steps, ratio["threshold 1 "+steps], ratio["threshold 2 "+steps], ratio["logit 1 "+steps], ratio["logit 2 "+steps])
	}
	return map[string]string{SpeedBlock: b.String()}, nil
}

func fixed(x float64, decimals int) string { return strconv.FormatFloat(x, 'f', decimals, 64) }

// sig3 writes x with three significant figures and no exponent: 0.412, 41.2, 412, 4120.
func sig3(x float64) string {
	if x <= 0 {
		return "0"
	}
	decimals := max(0, 2-int(math.Floor(math.Log10(x))))
	return fixed(x, decimals)
}

// percent writes a share as a percentage with two significant figures: 15%, 0.21%, 0.0061%.
func percent(share float64) string {
	p := 100 * share
	if p <= 0 {
		return "0%"
	}
	decimals := max(0, 1-int(math.Floor(math.Log10(p))))
	return fixed(p, decimals) + "%"
}
