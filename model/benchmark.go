package model

// BenchmarkConfig is the market `msgsim bench` and the Go benchmarks time: two platforms on an
// Erdos-Renyi graph of the given mean degree, both launched at step 0 and quickly known to
// everyone (p = 0.05), thresholds uniform on [0, 0.6], so every step evaluates every agent
// and a share of them keep moving.
func BenchmarkConfig(agents int, meanDegree float64, rule Rule, steps int) *Config {
	cfg := Defaults()
	cfg.Agents, cfg.Steps = agents, steps
	cfg.Graph = GraphSpec{Kind: GraphErdosRenyi, MeanDegree: meanDegree}
	cfg.Decision.Rule = rule
	cfg.Decision.MultiHomingCost = 0.5
	cfg.Threshold = Distribution{Kind: DistUniform, Min: 0, Max: 0.6}
	a, b := DefaultPlatform("a"), DefaultPlatform("b")
	a.Appeal, a.P, a.Q, a.SwitchingCost = 0.3, 0.05, 0.3, 0.5
	b.Appeal, b.P, b.Q, b.SwitchingCost = 0.35, 0.05, 0.3, 0.5
	cfg.Platforms = []Platform{a, b}
	return &cfg
}
