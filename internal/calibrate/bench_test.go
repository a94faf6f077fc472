package calibrate

import (
	"context"
	"testing"
)

// BenchmarkCalibrate fits p and q of the small Bass market (2,000 agents, 60 steps) with a
// budget of 60 runs, Hessian included, per iteration; runs/s is the figure to compare.
func BenchmarkCalibrate(b *testing.B) {
	fit := smallFit(b, "replicates: 3\nbudget: 60\n")
	var runs int
	for b.Loop() {
		res, err := Run(context.Background(), fit, Options{Workers: 2})
		if err != nil {
			b.Fatal(err)
		}
		runs += res.Runs
	}
	b.ReportMetric(float64(runs)/b.Elapsed().Seconds(), "runs/s")
}
