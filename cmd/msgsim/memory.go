package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/msgsim/msgsim/model"
	"github.com/msgsim/msgsim/scenarios"
)

// runEstimate is the memory the scenario needs with its replicates running side by side.
func runEstimate(sc *scenarios.Scenario, workers int) (perRun, total float64, atOnce int) {
	perRun = sc.Config.MemoryEstimate()
	atOnce = 1
	if sc.File.Replicates >= workers {
		atOnce = workers
	}
	// Every replicate's series is kept for the bands.
	series := float64(sc.File.Replicates) * float64(sc.Config.Steps+1) * float64(len(sc.Config.Platforms)) * 48
	return perRun, perRun*float64(atOnce) + series, atOnce
}

// checkMemory refuses a run that cannot fit, before anything is allocated.
func checkMemory(sc *scenarios.Scenario, workers int, limit float64) error {
	if limit <= 0 {
		limit = availableMemory()
	}
	_, total, atOnce := runEstimate(sc, workers)
	if limit <= 0 || total <= limit {
		return nil
	}
	advice := "lower agents or the mean degree"
	if atOnce > 1 {
		advice += ", or use --workers 1"
	}
	return fmt.Errorf("scenario %s needs about %s (%d agents, %s, %s at once) but only %s is available; %s",
		sc.Source, bytesString(total), sc.Config.Agents, contacts(sc), plural(atOnce, "run"), bytesString(limit), advice)
}

// availableMemory reads MemAvailable from /proc/meminfo; 0 when unknown (no check).
func availableMemory() float64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 2 && fields[0] == "MemAvailable:" {
			kb, err := strconv.ParseFloat(fields[1], 64)
			if err == nil {
				return kb * 1024
			}
		}
	}
	return 0
}

func bytesString(b float64) string {
	units := []string{"B", "KiB", "MiB", "GiB", "TiB"}
	i := 0
	for b >= 1024 && i < len(units)-1 {
		b /= 1024
		i++
	}
	return fmt.Sprintf("%.1f %s", b, units[i])
}

// contacts describes the graph's size: exact for an edge list, expected for a generated graph;
// a complete graph is handled in closed form.
func contacts(sc *scenarios.Scenario) string {
	switch {
	case sc.GraphInfo != nil:
		return count(sc.GraphInfo.Edges, "contact")
	case sc.Config.Graph.Kind == model.GraphComplete:
		return "everyone in contact (mean-field)"
	}
	return fmt.Sprintf("about %.3g contacts", sc.Config.ExpectedDirectedEdges()/2)
}

func printDryRun(w io.Writer, sc *scenarios.Scenario, workers int) error {
	perRun, total, atOnce := runEstimate(sc, workers)
	_, err := fmt.Fprintf(w, "%s: %s, %s, %s, %s, %s\n%smemory: about %s per run, %s with %s at once\n",
		sc.File.Name, plural(sc.Config.Agents, "agent"), contacts(sc), plural(len(sc.Config.Platforms), "platform"), plural(sc.Config.Steps, "step"), plural(sc.File.Replicates, "replicate"),
		edgeListLine(sc), bytesString(perRun), bytesString(total), plural(atOnce, "run"))
	return err
}
