package calibrate

import (
	"context"
	"github.com/msgsim/msgsim/output/chart"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/msgsim/msgsim/internal/evaluate"
	"github.com/msgsim/msgsim/model"
)

// TestSeriesNamesAreMeasures: every series a target may name is a measure of evaluate's
// table, which simulated reads it through.
func TestSeriesNamesAreMeasures(t *testing.T) {
	for _, name := range SeriesNames {
		if _, ok := evaluate.MeasureNamed(name); !ok {
			t.Errorf("target series %q is not in evaluate.Measures", name)
		}
	}
}

// TestPointKeyExact: points that differ in the last bit of one value are different points
// of the cache; equal points are one.
func TestPointKeyExact(t *testing.T) {
	x := []float64{0.1, 3}
	next := []float64{math.Nextafter(0.1, 1), 3}
	if keyOf(x) == keyOf(next) {
		t.Errorf("%v and %v share a cache key", x, next)
	}
	if keyOf(x) != keyOf([]float64{0.1, 3}) {
		t.Error("equal points have different keys")
	}
	if keyOf([]float64{1, 2}) == keyOf([]float64{2, 1}) {
		t.Error("the key ignores the order of the parameters")
	}
}

// TestWindowedActiveTarget: a target compared with windowed_active reads the series of users
// within the scenario's active window, which churn sets apart from the active users.
func TestWindowedActiveTarget(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	scenario := strings.Replace(errorsBase, "app: {p: 0.01, q: 0.3}", "app: {p: 0.01, q: 0.3, churn: 0.2}", 1) + "active_window: 4\n"
	for name, content := range map[string]string{"base.yaml": scenario, "d.csv": errorsData} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fit, err := Parse([]byte(withTargets("  - {platform: app, metric: mau, series: windowed_active}\n")), "f.yaml", dir)
	if err != nil {
		t.Fatal(err)
	}
	run, err := model.Run(context.Background(), &fit.Start.Config, model.RunOptions{Seed: 3, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	step := fit.Obs[0].Step
	windowed, active := run.WindowedActive[run.At(step, 0)], run.Users[run.At(step, 0)]
	if windowed <= active {
		t.Fatalf("step %d: %d windowed actives, %d active: churn should set them apart", step, windowed, active)
	}
	if got, want := fit.simulated([]*model.Series{run})[0], float64(windowed)*fit.Scale/1e6; got != want {
		t.Errorf("the fit compares the data with %g, want the windowed actives %g (active: %g)", got, want, float64(active)*fit.Scale/1e6)
	}
	// The fit's chart draws the series the data are compared with, not the active users.
	unit := chart.Millions(fit.Scale)
	curve := (&Result{Fit: fit, Series: []*model.Series{run}}).Chart().Curves[0]
	if got, want := curve.Mean[step], float64(windowed)*unit.Factor; got != want {
		t.Errorf("the chart's curve at step %d is %g, want the windowed actives %g (active: %g)", step, got, want, float64(active)*unit.Factor)
	}
}
