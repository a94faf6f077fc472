package model

import "testing"

// TestSeriesBytesCoversTheSeries: the memory formula's series term is at least what a run's
// series holds, and exact for one platform.
func TestSeriesBytesCoversTheSeries(t *testing.T) {
	for _, platforms := range []int{1, 3} {
		cfg := testConfig(100, 7)
		for len(cfg.Platforms) < platforms {
			p := cfg.Platforms[0]
			p.Name += "x"
			cfg.Platforms = append(cfg.Platforms, p)
		}
		cfg.Platforms = cfg.Platforms[:platforms]
		s := newSeries(cfg)
		held := 8 * float64(len(s.Users)+len(s.Registered)+len(s.NewUsers)+len(s.Leavers)+len(s.MultiHomers)+len(s.Adopters))
		if got := cfg.SeriesBytes(); got < held || platforms == 1 && got != held {
			t.Errorf("%d platforms: SeriesBytes %g, the series holds %g bytes", platforms, got, held)
		}
	}
}
