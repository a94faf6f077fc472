package model

import (
	"crypto/sha256"
	"fmt"
	"slices"
	"testing"
)

// fingerprintConfigs are small runs that together reach every branch of the step: churn and a
// late launch, hubs, three platforms with a constant threshold (exact ties), and the optional
// per-agent features (segments, a window).
func fingerprintConfigs() map[string]*Config {
	churn := testConfig(3000, 40)
	churn.Platforms[0].Churn = 0.05
	churn.Platforms[1].Launch = 10

	hubs := BenchmarkConfig(20000, 6, RuleThreshold, 40)
	hubs.Graph = GraphSpec{Kind: GraphBarabasiAlbert, M: 5} // hubs of several hundred contacts

	three := testConfig(3000, 40)
	three.Graph = GraphSpec{Kind: GraphWattsStrogatz, K: 10, Beta: 0.1}
	three.Threshold = Distribution{Kind: DistConstant, Value: 0.3}
	third := DefaultPlatform("third")
	third.Appeal, third.P, third.Q, third.Launch = 0.2, 0.02, 0.2, 5
	three.Platforms = append(three.Platforms, third)

	features := BenchmarkConfig(3000, 8, RuleThreshold, 40)
	features.ActiveWindow = 4
	override := slices.Clone(features.Platforms)
	override[0].Appeal += 0.1
	features.Segments = []Segment{{Name: "a", Share: 0.1, Platforms: override}, {Name: "b", Share: 0.3}}
	return map[string]*Config{"churn": churn, "hubs": hubs, "three": three, "features": features}
}

// seriesFingerprints are the series' hashes as the engine gave them before issue 15's
// optimisations (on 12cf81e, the engine of issue 10): each optimisation must leave every one
// unchanged. The Erdős–Rényi configurations (churn, features) were re-recorded once when
// their graphs began to be drawn tile by tile on all cores (issue 15, item 4): a different
// graph from the same seed, the same on any number of workers; hubs (Barabási–Albert) and
// three (Watts–Strogatz) kept their hashes.
var seriesFingerprints = map[string]string{
	"churn/logit/random_sequential":        "132ba0b2b2fd35f7",
	"churn/logit/synchronous":              "1de8415f79087afc",
	"churn/threshold/random_sequential":    "ce5b654c65f3c7e8",
	"churn/threshold/synchronous":          "1d8bff70377a3fcb",
	"features/logit/random_sequential":     "34612641a999ea21",
	"features/logit/synchronous":           "062aad864ec20cf1",
	"features/threshold/random_sequential": "033d89f46d8e4a56",
	"features/threshold/synchronous":       "97f11080c73ff518",
	"hubs/logit/random_sequential":         "d032bdb66ff38657",
	"hubs/logit/synchronous":               "771d85c42805fa6d",
	"hubs/threshold/random_sequential":     "5732ac4ec6e5495e",
	"hubs/threshold/synchronous":           "70e1de7fdcbcd495",
	"three/logit/random_sequential":        "ba2b2c175894b96e",
	"three/logit/synchronous":              "7017ba75af41e880",
	"three/threshold/random_sequential":    "1ca53c671f1239a5",
	"three/threshold/synchronous":          "f0a75de821a94532",
}

// TestSeriesFingerprints runs each fingerprint config under both choice rules and both
// update schemes, on 1, 2 and 8 workers, and checks the series byte for byte against the
// hash recorded before the hot loops were optimised.
func TestSeriesFingerprints(t *testing.T) {
	t.Parallel()
	for name, base := range fingerprintConfigs() {
		for _, rule := range []Rule{RuleThreshold, RuleLogit} {
			for _, update := range []Update{Synchronous, RandomSequential} {
				cfg := *base
				cfg.Decision.Rule, cfg.Decision.Update = rule, update
				key := fmt.Sprintf("%s/%s/%s", name, rule, update)
				for _, workers := range []int{1, 2, 8} {
					h := sha256.Sum256(fmt.Appendf(nil, "%v", *mustRun(t, &cfg, 5, workers)))
					got := fmt.Sprintf("%x", h[:8])
					if want := seriesFingerprints[key]; got != want {
						t.Errorf("%s on %d workers: series hash %s, want %s", key, workers, got, want)
					}
				}
			}
		}
	}
}
