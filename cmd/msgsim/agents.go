package main

import (
	"io"

	"github.com/msgsim/msgsim/model"
	"github.com/msgsim/msgsim/output"
	"github.com/msgsim/msgsim/scenarios"
)

// agentFiles are what msgsim run --agents writes: one table, as CSV and Parquet.
var agentFiles = []struct {
	name  string
	write func(io.Writer, output.Table) error
}{{"agents.csv", output.WriteTableCSV}, {"agents.parquet", output.WriteParquet}}

// agentColumns names the agents' rows of sc: the edge list's own ids when the first layer
// came from a file, segment names with segments, dates with a calendar.
func agentColumns(sc *scenarios.Scenario) output.AgentColumns {
	c := output.AgentColumns{Segments: sc.Config.SegmentNames(), Calendar: sc.Calendar}
	for _, p := range sc.Config.Platforms {
		c.Platforms = append(c.Platforms, p.Name)
	}
	if sc.Config.FirstGraph().Kind == model.GraphGiven && sc.GraphInfo != nil {
		c.IDs = sc.GraphInfo.IDs
	}
	return c
}

// agentBytes is the memory --agents adds: every replicate's agent history, kept to the end,
// and the table built from them.
func agentBytes(sc *scenarios.Scenario) float64 {
	p := len(sc.Config.Platforms)
	perAgent := model.AgentHistoryBytes(p) + output.AgentRowBytes(p, sc.Calendar.IsSet(), len(sc.Config.Segments) > 0)
	return perAgent * float64(sc.Config.Agents) * float64(sc.File.Replicates)
}

// writeAgents writes the agents of every replicate (histories in replicate order).
func writeAgents(stage *output.Staging, sc *scenarios.Scenario, histories []*model.AgentHistory) error {
	table := output.AgentsTable(histories, agentColumns(sc))
	for _, f := range agentFiles {
		if err := stage.Create(f.name, func(w io.Writer) error { return f.write(w, table) }); err != nil {
			return err
		}
	}
	return nil
}
