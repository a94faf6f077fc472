package calibrate

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/msgsim/msgsim/internal/evaluate"
)

// TestSegmentTarget: a target that names a segment is compared with the series of that
// segment's agents alone (the replicate mean in millions), and one that does not with the
// platform's total.
func TestSegmentTarget(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for name, content := range map[string]string{"base.yaml": errorsBase + errorsSegments, "d.csv": errorsData} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	text := strings.Replace(valid, "series: registered}", "series: registered, segment: vip}\n  - {platform: app, metric: mau, series: active}", 1)
	fit, err := Parse([]byte(text), "f.yaml", dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := fit.Targets[0]; got.Segment != 1 || got.Label != "app registered (vip)" || fit.Targets[1].Segment != -1 {
		t.Fatalf("targets resolved to %+v", fit.Targets)
	}
	runs, err := evaluate.Series(context.Background(), &fit.Start.Config, evaluate.Replicates(0, 1, 2), evaluate.Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	sim := fit.simulated(runs)
	for i, o := range fit.Obs {
		var want float64
		for _, s := range runs {
			if o.Target == 0 {
				want += float64(s.SegmentRegistered[s.AtSegment(o.Step, 1, 0)])
			} else {
				want += float64(s.Users[s.At(o.Step, 0)])
			}
		}
		want = want / 2 * fit.Scale / 1e6
		if sim[i] != want {
			t.Errorf("observation %d (target %d, step %d): simulated %g, want %g", i, o.Target, o.Step, sim[i], want)
		}
	}
	if final := runs[0].SegmentRegistered[runs[0].AtSegment(runs[0].Steps, 1, 0)]; final == 0 || final == runs[0].Registered[runs[0].At(runs[0].Steps, 0)] {
		t.Errorf("the segment's registered (%d) do not tell it from the total: the test shows nothing", final)
	}
}
