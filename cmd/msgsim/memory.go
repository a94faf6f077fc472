package main

import (
	"fmt"
	"io"

	"github.com/msgsim/msgsim/internal/memlimit"
	"github.com/msgsim/msgsim/model"
	"github.com/msgsim/msgsim/scenarios"
)

// runEstimate is the memory the scenario needs with its replicates running side by side,
// and with agents the agent-level records of every replicate (agentBytes).
func runEstimate(sc *scenarios.Scenario, workers int, agents bool) (perRun, total float64, atOnce int) {
	perRun = sc.Config.MemoryEstimate()
	atOnce = 1
	if sc.File.Replicates >= workers {
		atOnce = workers
	}
	// Every replicate's series is kept for the bands.
	series := float64(sc.File.Replicates) * sc.Config.SeriesBytes()
	if agents {
		series += agentBytes(sc)
	}
	return perRun, perRun*float64(atOnce) + series, atOnce
}

// checkMemory refuses a run that cannot fit, before anything is allocated.
func checkMemory(sc *scenarios.Scenario, workers int, override float64, agents bool) error {
	_, total, atOnce := runEstimate(sc, workers, agents)
	advice := "lower agents or the mean degree"
	if agents {
		advice += ", or fewer replicates with --agents"
	}
	if atOnce > 1 {
		advice += ", or use --workers 1"
	}
	return checkFits("scenario "+sc.Source, total, fmt.Sprintf("%d agents, %s, %s at once", sc.Config.Agents, contacts(sc), plural(atOnce, "run")), advice, memoryLimit(override))
}

// memoryLimit is the memory a command may use: override if set (tests), else the smallest
// limit in force (available memory, cgroup, ulimit -v, GOMEMLIMIT).
func memoryLimit(override float64) memlimit.Limit {
	if override > 0 {
		return memlimit.Limit{Bytes: override}
	}
	return memlimit.Available()
}

// checkFits is every command's memory check: what needs about need bytes (detail says of
// what); the message names the limit that refuses it.
func checkFits(what string, need float64, detail, advice string, limit memlimit.Limit) error {
	if limit.Source == "" && limit.Bytes <= 0 || need <= limit.Bytes {
		return nil
	}
	source := ""
	if limit.Source != "" {
		source = " (" + limit.Source + ")"
	}
	return fmt.Errorf("%s needs about %s (%s) but only %s is available%s; %s", what, memlimit.BytesString(need), detail, memlimit.BytesString(limit.Bytes), source, advice)
}

// contacts describes the graph's size: exact for an edge list, expected for a generated graph;
// a complete graph is handled in closed form. With layers, the contacts of every layer
// stored.
func contacts(sc *scenarios.Scenario) string {
	switch layers := len(sc.Config.Layers); {
	case layers > 1:
		return fmt.Sprintf("about %.3g contacts on %d layers", sc.Config.ExpectedDirectedEdges()/2, layers)
	case sc.GraphInfo != nil:
		return count(sc.GraphInfo.Edges, "contact")
	case sc.Config.FirstGraph().Kind == model.GraphComplete:
		return "everyone in contact (mean-field)"
	}
	return fmt.Sprintf("about %.3g contacts", sc.Config.ExpectedDirectedEdges()/2)
}

func printDryRun(w io.Writer, sc *scenarios.Scenario, workers int, agents bool) error {
	perRun, total, atOnce := runEstimate(sc, workers, agents)
	_, err := fmt.Fprintf(w, "%s: %s, %s, %s, %s, %s\n%smemory: about %s per run, %s with %s at once\n",
		sc.File.Name, plural(sc.Config.Agents, "agent"), contacts(sc), plural(len(sc.Config.Platforms), "platform"), plural(sc.Config.Steps, "step"), plural(sc.File.Replicates, "replicate"),
		edgeListLine(sc), memlimit.BytesString(perRun), memlimit.BytesString(total), plural(atOnce, "run"))
	return err
}
