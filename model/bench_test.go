package model

import (
	"fmt"
	"slices"
	"testing"
)

// BenchmarkStep times one synchronous step after a warm-up, by agents and rule.
func BenchmarkStep(b *testing.B) {
	for _, agents := range []int{100_000, 1_000_000} {
		for _, rule := range []Rule{RuleThreshold, RuleLogit} {
			b.Run(fmt.Sprintf("agents=%d/rule=%s", agents, rule), func(b *testing.B) {
				sim, err := NewSimulation(BenchmarkConfig(agents, 10, rule, 100_000), 1, 0)
				if err != nil {
					b.Fatal(err)
				}
				for range 20 {
					sim.Advance()
				}
				edges := float64(len(sim.g.Neighbors))
				b.ReportAllocs()
				b.ResetTimer()
				for b.Loop() {
					if !sim.Advance() {
						b.Fatal("ran out of steps")
					}
				}
				b.ReportMetric(edges*float64(b.N)/b.Elapsed().Seconds(), "edges/s")
			})
		}
	}
}

// BenchmarkBusyStep times the first eight synchronous steps of the benchmark market, from a
// fresh simulation each eight steps (as msgsim bench --warmup 0, and scripts/cport.sh's busy
// steps): most agents are still hearing of the platforms and many move, which BenchmarkStep's
// 20 warm-up steps leave behind under the threshold rule. The rebuilds are not timed.
func BenchmarkBusyStep(b *testing.B) {
	for _, rule := range []Rule{RuleThreshold, RuleLogit} {
		b.Run(fmt.Sprintf("agents=1000000/rule=%s", rule), func(b *testing.B) {
			cfg := BenchmarkConfig(1_000_000, 10, rule, 8)
			var sim *Simulation
			for b.Loop() {
				if sim != nil && sim.Advance() {
					continue
				}
				b.StopTimer()
				var err error
				if sim, err = NewSimulation(cfg, 1, 0); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				sim.Advance()
			}
		})
	}
}

// BenchmarkQuietStep times a synchronous step once the benchmark market has settled, after 45
// warm-up steps, when about 0.01% of agents move per step: what a quiet step costs (issue 15
// asks for at most 0.05 of a busy step).
func BenchmarkQuietStep(b *testing.B) {
	for _, rule := range []Rule{RuleThreshold, RuleLogit} {
		b.Run(fmt.Sprintf("agents=1000000/rule=%s", rule), func(b *testing.B) {
			sim, err := NewSimulation(BenchmarkConfig(1_000_000, 10, rule, 100_000), 1, 0)
			if err != nil {
				b.Fatal(err)
			}
			for range 45 {
				sim.Advance()
			}
			for b.Loop() {
				sim.Advance()
			}
		})
	}
}

// BenchmarkRecount times a full recount of the neighbour counts (a pull over every edge).
func BenchmarkRecount(b *testing.B) {
	for _, agents := range []int{100_000, 1_000_000} {
		b.Run(fmt.Sprintf("agents=%d", agents), func(b *testing.B) {
			sim, err := NewSimulation(BenchmarkConfig(agents, 10, RuleThreshold, 100), 1, 0)
			if err != nil {
				b.Fatal(err)
			}
			for range 10 {
				sim.Advance()
			}
			edges := float64(len(sim.g.Neighbors))
			for b.Loop() {
				sim.recountNeighbors()
			}
			b.ReportMetric(edges*float64(b.N)/b.Elapsed().Seconds(), "edges/s")
		})
	}
}

// BenchmarkStepActiveWindow times a synchronous step that also counts windowed actives.
func BenchmarkStepActiveWindow(b *testing.B) {
	cfg := BenchmarkConfig(1_000_000, 10, RuleThreshold, 100_000)
	cfg.ActiveWindow = 4
	benchmarkSteps(b, cfg)
}

// BenchmarkStepSegments times a synchronous step with three segments, one of which overrides
// a platform's parameters: the per-segment parameters and tallies.
func BenchmarkStepSegments(b *testing.B) {
	cfg := BenchmarkConfig(1_000_000, 10, RuleThreshold, 100_000)
	override := slices.Clone(cfg.Platforms)
	override[0].Appeal += 0.1
	cfg.Segments = []Segment{{Name: "a", Share: 0.1, Platforms: override}, {Name: "b", Share: 0.3}}
	benchmarkSteps(b, cfg)
}

// benchmarkSteps times synchronous steps of cfg after a warm-up of 20.
func benchmarkSteps(b *testing.B, cfg *Config) {
	sim, err := NewSimulation(cfg, 1, 0)
	if err != nil {
		b.Fatal(err)
	}
	for range 20 {
		sim.Advance()
	}
	for b.Loop() {
		if !sim.Advance() {
			b.Fatal("ran out of steps")
		}
	}
}

// BenchmarkStepLayers times a synchronous step of 1e6 agents on one Erdős–Rényi layer of mean
// degree 10 and on two (each platform weighing both by half), by rule: the second layer costs
// its counts' upkeep and a second benefit term per choice.
func BenchmarkStepLayers(b *testing.B) {
	for _, layers := range []int{1, 2} {
		for _, rule := range []Rule{RuleThreshold, RuleLogit} {
			b.Run(fmt.Sprintf("layers=%d/rule=%s", layers, rule), func(b *testing.B) {
				cfg := BenchmarkConfig(1_000_000, 10, rule, 100_000)
				if layers == 2 {
					cfg.Layers = []Layer{{Name: "friends", Graph: cfg.Graph}, {Name: "work", Graph: cfg.Graph}}
					for j := range cfg.Platforms {
						cfg.Platforms[j].LayerWeights = []float64{0.5, 0.5}
					}
				}
				sim, err := NewSimulation(cfg, 1, 0)
				if err != nil {
					b.Fatal(err)
				}
				for range 20 {
					sim.Advance()
				}
				for b.Loop() {
					if !sim.Advance() {
						b.Fatal("ran out of steps")
					}
				}
			})
		}
	}
}
