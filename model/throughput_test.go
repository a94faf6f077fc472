package model

import (
	"context"
	"testing"
)

// BenchmarkSmallRuns times whole runs of a 10,000-agent, 200-step market: the unit of work of
// a sweep. Replicates run one per worker, as in a sweep.
func BenchmarkSmallRuns(b *testing.B) {
	cfg := BenchmarkConfig(10_000, 10, RuleLogit, 200)
	cfg.Platforms[0].P, cfg.Platforms[1].P = 0.01, 0.01
	cfg.Platforms[1].Launch = 20
	for b.Loop() {
		if _, err := RunEnsemble(context.Background(), cfg, EnsembleOptions{Seed: 1, Replicates: 8}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(8*b.N)/b.Elapsed().Seconds(), "runs/s")
}
