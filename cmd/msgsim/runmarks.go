package main

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/msgsim/msgsim/internal/evaluate"
	"github.com/msgsim/msgsim/output/chart"
	"github.com/msgsim/msgsim/scenarios"
)

// markCharts adds to a run's charts what is drawn beside the curves: the events (launches
// after step 0 and interventions) on every chart, the record's figures on the chart of the
// series each is compared with (registered; active on adoption; windowed actives on the
// windowed chart, or on adoption without a window), and a
// panel of its own for a platform too small to see beside the others.
func markCharts(sc *scenarios.Scenario, u chart.Unit, charts []namedChart) {
	events := runEvents(sc)
	for i := range charts {
		c := &charts[i].chart
		c.Events = events
		switch charts[i].name {
		case "adoption":
			c.SplitSmall = true
			c.Points = recordPoints(sc, u, "active")
			if sc.Config.ActiveWindow <= 1 {
				// Without a window, windowed actives are the active users.
				c.Points = append(c.Points, recordPoints(sc, u, "windowed_active")...)
			}
		case "windowed":
			c.SplitSmall = true
			c.Points = recordPoints(sc, u, "windowed_active")
		case "registered":
			c.SplitSmall = true
			c.Points = recordPoints(sc, u, "registered")
		}
	}
}

// recordMarkers gives each model series its figures' marker, so that a platform's registered
// figures and its monthly actives differ on the chart.
var recordMarkers = map[string]chart.Marker{"registered": chart.Circle, "active": chart.Triangle, "windowed_active": chart.Square}

// recordPoints are the record's figures compared with the given series, a set per platform
// and metric, in the users' unit.
func recordPoints(sc *scenarios.Scenario, u chart.Unit, series ...string) []chart.PointSet {
	if sc.Record == nil {
		return nil
	}
	var sets []chart.PointSet
	for _, m := range sc.File.Record.Series {
		if !slices.Contains(series, m.Series) {
			continue
		}
		ps := chart.PointSet{Name: m.Platform, Marker: recordMarkers[m.Series], Label: m.Platform + " " + m.Metric + " (record)"}
		for _, f := range sc.Record.Figures {
			if f.Metric == m.Metric && sc.Config.Platforms[f.Platform].Name == m.Platform {
				ps.X = append(ps.X, float64(f.Step))
				ps.Y = append(ps.Y, f.Millions*1e6/sc.File.Scale*u.Factor)
			}
		}
		sets = append(sets, ps)
	}
	return sets
}

// runEvents are the scenario's launches after step 0 and its interventions, by step; events
// of one step share a line and a label.
func runEvents(sc *scenarios.Scenario) []chart.Event {
	var steps []int
	labels := map[int][]string{}
	add := func(step int, label string) {
		if _, ok := labels[step]; !ok {
			steps = append(steps, step)
		}
		labels[step] = append(labels[step], label)
	}
	for _, p := range sc.File.Platforms {
		if p.Launch.Step > 0 {
			add(p.Launch.Step, p.Name+" launch")
		}
	}
	for _, iv := range sc.File.Interventions {
		add(iv.At.Step, iv.Platform+" "+iv.Kind)
	}
	slices.Sort(steps)
	events := make([]chart.Event, len(steps))
	for i, t := range steps {
		events[i] = chart.Event{X: float64(t), Label: strings.Join(labels[t], ", ")}
	}
	return events
}

// printRecord says how the run compares with its record: how many figures fall in the 5-95%
// band, the largest miss, and which figures lie outside the run.
func printRecord(w io.Writer, sc *scenarios.Scenario, rows []evaluate.RecordRow) {
	if sc.Record == nil {
		return
	}
	inBand, worst := 0, -1
	for i, r := range rows {
		if r.InBand {
			inBand++
		}
		if r.RelativeError != nil && (worst < 0 || math.Abs(*r.RelativeError) > math.Abs(*rows[worst].RelativeError)) {
			worst = i
		}
	}
	fmt.Fprintf(w, "  record %s: %d of %s within the 5-95%% band", sc.Record.Path, inBand, plural(len(rows), "figure"))
	if worst >= 0 {
		r := rows[worst]
		fmt.Fprintf(w, "; largest miss %s %s at %s, %+.0f%%", r.Platform, r.Metric, when(r.Date, r.Step), 100**r.RelativeError)
	}
	fmt.Fprintln(w)
	if n := len(sc.Record.Outside); n > 0 {
		var at []string
		for _, f := range sc.Record.Outside {
			at = append(at, sc.Config.Platforms[f.Platform].Name+" "+f.Metric+" "+when(f.Date, f.Step))
		}
		fmt.Fprintf(w, "  record: %s outside the run left out (%s)\n", plural(n, "figure"), strings.Join(at, ", "))
	}
}

// when is a figure's date, or its step in a file of steps.
func when(date string, step int) string {
	if date != "" {
		return date
	}
	return fmt.Sprintf("step %d", step)
}
