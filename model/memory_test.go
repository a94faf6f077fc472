package model

import "testing"

// TestSeriesBytesCoversTheSeries: the memory formula's series term is at least what a run's
// series holds per step, and exact for one platform, with and without segments (whose
// per-segment agent counts, a few bytes per run, it leaves out).
func TestSeriesBytesCoversTheSeries(t *testing.T) {
	for _, platforms := range []int{1, 3} {
		for _, segments := range []bool{false, true} {
			cfg := testConfig(100, 7)
			for len(cfg.Platforms) < platforms {
				p := cfg.Platforms[0]
				p.Name += "x"
				cfg.Platforms = append(cfg.Platforms, p)
			}
			cfg.Platforms = cfg.Platforms[:platforms]
			if segments {
				cfg.Segments = []Segment{{Name: "a", Count: 3}, {Name: "b", Count: 4}}
			}
			s := newSeries(cfg)
			held := 8 * float64(len(s.Users)+len(s.Registered)+len(s.NewUsers)+len(s.Leavers)+len(s.MultiHomers)+len(s.Adopters)+len(s.SegmentUsers)+len(s.SegmentRegistered))
			if got := cfg.SeriesBytes(); got < held || platforms == 1 && got != held {
				t.Errorf("%d platforms, segments %v: SeriesBytes %g, the series holds %g bytes", platforms, segments, got, held)
			}
		}
	}
}
