package main

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/msgsim/msgsim/internal/memlimit"
	"github.com/msgsim/msgsim/model"
	"github.com/msgsim/msgsim/output"
)

// BenchOptions are `msgsim bench`'s inputs.
type BenchOptions struct {
	Streams *IOStreams
	Agents  int
	Degree  float64
	Steps   int
	Warmup  int
	Rule    string
	Workers int
	Seed    uint64
	JSON    bool
	// CPUProfile, if set, receives a pprof CPU profile of the timed steps.
	CPUProfile string
	// MemoryLimit is the bytes a run may use; 0 = the smallest limit in force (available memory, cgroup, ulimit -v, GOMEMLIMIT).
	MemoryLimit float64
}

// BenchResult is what `msgsim bench --json` prints.
type BenchResult struct {
	Agents         int       `json:"agents"`
	MeanDegree     float64   `json:"mean_degree"`
	DirectedEdges  int64     `json:"directed_edges"`
	Rule           string    `json:"rule"`
	Workers        int       `json:"workers"`
	BuildSeconds   float64   `json:"build_seconds"`
	StepSeconds    []float64 `json:"step_seconds"`
	StepMin        float64   `json:"step_min_seconds"`
	StepMedian     float64   `json:"step_median_seconds"`
	StepMax        float64   `json:"step_max_seconds"`
	EdgesPerSecond float64   `json:"edges_per_second"`     // directed edges / median step time
	ChangedMedian  float64   `json:"changed_share_median"` // share of agents that moved per step
	// Phases is the time the timed steps spent in each phase of a step, in the order a step
	// runs them; their sum is at most the step's time.
	Phases []BenchPhase `json:"phases"`
	// Movers is, per timed step, the agents whose platform set their decision changed.
	Movers        []int   `json:"movers"`
	MoversMin     int     `json:"movers_min"`
	MoversMedian  int     `json:"movers_median"`
	MoversMax     int     `json:"movers_max"`
	PeakBytes     float64 `json:"peak_bytes"`
	EstimateBytes float64 `json:"estimate_bytes"`
	GoVersion     string  `json:"go_version"`
	GOMAXPROCS    int     `json:"gomaxprocs"`
}

// BenchPhase is the time one phase of a step took at each timed step.
type BenchPhase struct {
	Name    string    `json:"name"` // events, decide, counts or tally (see model.Phase)
	Seconds []float64 `json:"seconds"`
	Median  float64   `json:"median_seconds"`
	Share   float64   `json:"share"` // of the time of all timed steps
}

// NewCmdBench builds `msgsim bench`.
func NewCmdBench(streams *IOStreams, runF func(context.Context, *BenchOptions) error) *cobra.Command {
	opts := &BenchOptions{Streams: streams}
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Time graph building and simulation steps on a synthetic market",
		Long: `Builds an Erdos-Renyi contact graph of --agents nodes and mean degree --degree, with two
platforms every agent soon knows of, runs --warmup untimed steps and then times --steps
synchronous steps. Prints build time, step time (min/median/max), directed edges per
second at the median step, the share of agents that moved per step, the agents that moved
per step (min/median/max), the time per phase of a step (median, and share of the steps'
time), and peak memory.`,
		Example: `  msgsim bench --agents 10000000 --degree 10 --steps 10 --rule threshold
  msgsim bench --agents 1000000 --rule logit --json`,
		Args: rangeArgs(0, 0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runBench(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.IntVar(&opts.Agents, "agents", 1_000_000, "number of agents")
	f.Float64Var(&opts.Degree, "degree", 10, "mean degree of the Erdos-Renyi contact graph")
	f.IntVar(&opts.Steps, "steps", 10, "timed steps")
	f.IntVar(&opts.Warmup, "warmup", 5, "untimed steps first")
	enumFlag(cmd, &opts.Rule, "rule", string(model.RuleThreshold), "decision rule", model.Names(model.Rules))
	f.IntVar(&opts.Workers, "workers", 0, fmt.Sprintf("goroutines, at most %d (default: all cores)", maxWorkers))
	f.Uint64Var(&opts.Seed, "seed", 1, "seed")
	f.BoolVar(&opts.JSON, "json", false, "print JSON")
	f.StringVar(&opts.CPUProfile, "cpuprofile", "", "write a pprof CPU profile of the timed steps to `file`")
	return cmd
}

func runBench(ctx context.Context, opts *BenchOptions) error {
	workers, err := workerCount(opts.Workers)
	if err != nil {
		return err
	}
	switch {
	case opts.Agents < 2 || opts.Agents > 1<<31-1:
		return &usageError{msg: fmt.Sprintf("--agents must be in [2, %d], got %d", 1<<31-1, opts.Agents)}
	case !(opts.Degree >= 0 && opts.Degree <= float64(opts.Agents-1)):
		return &usageError{msg: fmt.Sprintf("--degree must be in [0, %d], got %g", opts.Agents-1, opts.Degree)}
	case opts.Steps < 1 || opts.Warmup < 0:
		return &usageError{msg: "--steps must be >= 1 and --warmup >= 0"}
	}
	cfg := model.BenchmarkConfig(opts.Agents, opts.Degree, model.Rule(opts.Rule), opts.Warmup+opts.Steps)
	if err := checkFits("bench", cfg.MemoryEstimate(), fmt.Sprintf("%d agents, mean degree %g", opts.Agents, opts.Degree), "lower --agents or --degree", memoryLimit(opts.MemoryLimit)); err != nil {
		return err
	}
	if !opts.JSON {
		fmt.Fprintf(opts.Streams.Out, "msgsim bench: %d agents, mean degree %g, rule %s, %d workers, %d timed steps after %d warm-up\n",
			opts.Agents, opts.Degree, opts.Rule, workers, opts.Steps, opts.Warmup)
	}
	started := time.Now()
	sim, err := model.NewSimulation(cfg, opts.Seed, workers)
	if err != nil {
		return err
	}
	res := BenchResult{
		Agents: opts.Agents, MeanDegree: opts.Degree, Rule: opts.Rule, Workers: workers,
		BuildSeconds: time.Since(started).Seconds(), EstimateBytes: cfg.MemoryEstimate(),
		GoVersion: runtime.Version(), GOMAXPROCS: runtime.GOMAXPROCS(0),
	}
	if g := sim.Graph(); g != nil {
		res.DirectedEdges = int64(len(g.Neighbors))
	}
	for range opts.Warmup {
		if err := ctx.Err(); err != nil {
			return err
		}
		sim.Advance()
	}
	if opts.CPUProfile != "" {
		f, err := os.Create(opts.CPUProfile)
		if err != nil {
			return fmt.Errorf("cpu profile: %w", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fmt.Errorf("cpu profile: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	var changed []float64
	res.Phases = make([]BenchPhase, len(model.Phases))
	for k, p := range model.Phases {
		res.Phases[k].Name = p.String()
	}
	sim.SetPhaseTimer(true)
	for range opts.Steps {
		if err := ctx.Err(); err != nil {
			return err
		}
		t0 := time.Now()
		sim.Advance()
		res.StepSeconds = append(res.StepSeconds, time.Since(t0).Seconds())
		times := sim.PhaseTimes()
		for k, p := range model.Phases {
			res.Phases[k].Seconds = append(res.Phases[k].Seconds, times[p].Seconds())
		}
		res.Movers = append(res.Movers, sim.Movers())
		s := sim.Series()
		var moves int64
		for j := range s.Platforms {
			moves += s.NewUsers[s.At(sim.Step(), j)] + s.Leavers[s.At(sim.Step(), j)]
		}
		changed = append(changed, float64(moves)/float64(opts.Agents))
	}
	res.StepMin, res.StepMedian, res.StepMax = spread(res.StepSeconds)
	var total float64
	for _, x := range res.StepSeconds {
		total += x
	}
	for k := range res.Phases {
		ph := &res.Phases[k]
		_, ph.Median, _ = spread(ph.Seconds)
		for _, x := range ph.Seconds {
			ph.Share += x / total
		}
	}
	res.MoversMin, res.MoversMedian, res.MoversMax = spread(res.Movers)
	res.EdgesPerSecond = float64(res.DirectedEdges) / res.StepMedian
	_, res.ChangedMedian, _ = spread(changed)
	res.PeakBytes = peakMemory()
	runtime.KeepAlive(sim)
	if opts.JSON {
		return output.WriteJSON(opts.Streams.Out, res)
	}
	w := opts.Streams.Out
	fmt.Fprintf(w, "build (graph + state)  %8.3f s   %d directed edges\n", res.BuildSeconds, res.DirectedEdges)
	fmt.Fprintf(w, "step                   min %s   median %s   max %s\n", ms(res.StepMin), ms(res.StepMedian), ms(res.StepMax))
	fmt.Fprintf(w, "edges per second       %.3g (directed edges / median step)\n", res.EdgesPerSecond)
	fmt.Fprintf(w, "agents moved per step  %.3g%% (median)   movers min %d   median %d   max %d\n", 100*res.ChangedMedian, res.MoversMin, res.MoversMedian, res.MoversMax)
	for _, ph := range res.Phases {
		fmt.Fprintf(w, "  phase %-14s median %9.3f ms   %5.1f%% of the steps' time\n", ph.Name, 1000*ph.Median, 100*ph.Share)
	}
	fmt.Fprintf(w, "peak memory            %s (estimate %s)\n", memlimit.BytesString(res.PeakBytes), memlimit.BytesString(res.EstimateBytes))
	return nil
}

// spread is the least, median and greatest of xs (not empty).
func spread[T int | float64](xs []T) (least, median, greatest T) {
	sorted := slices.Sorted(slices.Values(xs))
	return sorted[0], sorted[len(sorted)/2], sorted[len(sorted)-1]
}

func ms(seconds float64) string { return strconv.FormatFloat(seconds*1000, 'f', 1, 64) + " ms" }

// peakMemory is the process's peak resident set (VmHWM on Linux), or the Go runtime's
// obtained memory elsewhere.
func peakMemory() float64 {
	if data, err := os.ReadFile("/proc/self/status"); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if fields := strings.Fields(line); len(fields) >= 2 && fields[0] == "VmHWM:" {
				if kb, err := strconv.ParseFloat(fields[1], 64); err == nil {
					return kb * 1024
				}
			}
		}
	}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return float64(m.Sys)
}
