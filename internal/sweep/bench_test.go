package sweep

import (
	"context"
	"fmt"
	"testing"

	"github.com/msgsim/msgsim/output"
)

// BenchmarkSweepThroughput runs an 8-run sweep of a 10,000-agent, 200-step market per
// iteration with 1 and 2 workers; runs/s is the figure to compare.
func BenchmarkSweepThroughput(b *testing.B) {
	sw, err := Load("testdata/throughput.yaml")
	if err != nil {
		b.Fatal(err)
	}
	plan, err := sw.Plan()
	if err != nil {
		b.Fatal(err)
	}
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			for b.Loop() {
				if _, err := sweepInto(context.Background(), plan, b.TempDir(), output.DirOptions{}, Options{Workers: workers}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(plan.Runs()*b.N)/b.Elapsed().Seconds(), "runs/s")
		})
	}
}
