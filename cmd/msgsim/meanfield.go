package main

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"

	"github.com/msgsim/msgsim/internal/evaluate"
	"github.com/msgsim/msgsim/model"
	"github.com/msgsim/msgsim/model/meanfield"
	"github.com/msgsim/msgsim/output"
	"github.com/msgsim/msgsim/output/chart"
	"github.com/msgsim/msgsim/scenarios"
)

// twinLabel names the dashed lines in the charts' titles.
const twinLabel = "dashed: mean-field twin"

// solveTwin is the mean-field twin of the scenario (run --mean-field), solved before the
// agents run so that a setting the twin does not model is refused at once.
func solveTwin(sc *scenarios.Scenario) (*meanfield.Result, error) {
	twin, err := meanfield.Solve(&sc.Config)
	if err != nil {
		return nil, fmt.Errorf("run %s --mean-field: %w", sc.Source, err)
	}
	return twin, nil
}

// writeTwin writes meanfield.csv and redraws the adoption and registered charts with the
// twin dashed over the agents' mean and band.
func writeTwin(stage *output.Staging, sc *scenarios.Scenario, runs []*model.Series, twin *meanfield.Result, formats []string) error {
	if slices.Contains(formats, "csv") {
		if err := stage.Create("meanfield.csv", func(w io.Writer) error { return writeTwinCSV(w, sc, runs, twin) }); err != nil {
			return err
		}
	}
	u := chart.PeopleUnit(sc.File.Scale, sc.Config.Agents)
	for _, c := range charts(sc, runs) {
		shares := map[string][]float64{"adoption": twin.Users, "registered": twin.Registered}[c.name]
		if shares == nil {
			continue
		}
		tc := chart.Twin{Lines: c.chart, Twins: twinCurves(twin, shares, float64(twin.Agents)*u.Factor), TwinLabel: twinLabel}
		for _, f := range chart.Formats {
			if !slices.Contains(formats, f.String()) {
				continue
			}
			if err := chart.Save(tc, stage.Path(c.name+"."+f.String())); err != nil {
				return fmt.Errorf("plot %s: %w", c.name, err)
			}
		}
	}
	return nil
}

// twinCurves is one curve per platform of the twin's shares, times factor.
func twinCurves(twin *meanfield.Result, shares []float64, factor float64) []chart.Curve {
	curves := make([]chart.Curve, len(twin.Platforms))
	for j, name := range twin.Platforms {
		curves[j].Name = name
		for t := 0; t <= twin.Steps; t++ {
			curves[j].Mean = append(curves[j].Mean, shares[twin.At(t, j)]*factor)
		}
	}
	return curves
}

// writeTwinCSV writes, per step and platform, the twin's users and registered agents beside
// the agents' mean over replicates.
func writeTwinCSV(w io.Writer, sc *scenarios.Scenario, runs []*model.Series, twin *meanfield.Result) error {
	bw := bufio.NewWriter(w)
	dates := sc.Calendar.Dates(sc.Config.Steps)
	header := "step,platform,twin_users,twin_registered,users_mean,registered_mean\n"
	if dates != nil {
		header = "step,date,platform,twin_users,twin_registered,users_mean,registered_mean\n"
	}
	bw.WriteString(header)
	users, registered := evaluate.Bands(runs, evaluate.ActiveUsers, 1), evaluate.Bands(runs, evaluate.RegisteredUsers, 1)
	n := float64(twin.Agents)
	var buf []byte
	for t := 0; t <= twin.Steps; t++ {
		for j, name := range twin.Platforms {
			buf = strconv.AppendInt(buf[:0], int64(t), 10)
			if dates != nil {
				buf = append(append(buf, ','), dates[t]...)
			}
			buf = append(append(buf, ','), name...)
			for _, x := range []float64{twin.Users[twin.At(t, j)] * n, twin.Registered[twin.At(t, j)] * n, users[j].Mean[t], registered[j].Mean[t]} {
				buf = strconv.AppendFloat(append(buf, ','), x, 'f', 6, 64)
			}
			bw.Write(append(buf, '\n'))
		}
	}
	return bw.Flush()
}

// printTwin says, per platform, where the twin ends against the agents' mean and its largest
// gap in active users, in percentage points of all agents.
func printTwin(w io.Writer, sc *scenarios.Scenario, runs []*model.Series, twin *meanfield.Result) {
	users := evaluate.Bands(runs, evaluate.ActiveUsers, 1)
	n := float64(twin.Agents)
	fmt.Fprintf(w, "mean-field twin (complete-graph limit), active users as %% of agents:\n")
	for j, name := range twin.Platforms {
		worst, at := 0.0, 0
		for t := 0; t <= twin.Steps; t++ {
			if gap := math.Abs(twin.Users[twin.At(t, j)] - users[j].Mean[t]/n); gap > worst {
				worst, at = gap, t
			}
		}
		last := twin.Steps
		fmt.Fprintf(w, "  %-12s twin %.1f%%, agents %.1f%% at the end; largest gap %.1f points, at %s %d\n",
			name, 100*twin.Users[twin.At(last, j)], 100*users[j].Mean[last]/n, 100*worst, sc.File.TimeUnit, at)
	}
}
