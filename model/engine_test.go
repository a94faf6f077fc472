package model

import (
	"context"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/msgsim/msgsim/model/graph"
)

// twoPlatforms is an incumbent launched at step 0 and an entrant launched later.
func twoPlatforms(entrantLaunch int, switchingCost float64) []Platform {
	incumbent := DefaultPlatform("incumbent")
	incumbent.Appeal, incumbent.P, incumbent.Q, incumbent.SwitchingCost = 0.3, 0.01, 0.3, switchingCost
	entrant := DefaultPlatform("entrant")
	entrant.Launch, entrant.Appeal, entrant.P, entrant.Q, entrant.SwitchingCost = entrantLaunch, 0.6, 0.01, 0.3, switchingCost
	return []Platform{incumbent, entrant}
}

func testConfig(agents, steps int) *Config {
	cfg := Defaults()
	cfg.Agents, cfg.Steps = agents, steps
	cfg.Graph = GraphSpec{Kind: GraphErdosRenyi, MeanDegree: 8}
	cfg.Decision.MultiHomingCost = 0.3
	cfg.Threshold = Distribution{Kind: DistNormal, Mean: 0.1, SD: 0.2}
	cfg.Platforms = twoPlatforms(30, 1)
	return &cfg
}

func mustRun(t *testing.T, cfg *Config, seed uint64, workers int) *Series {
	t.Helper()
	s, err := Run(context.Background(), cfg, RunOptions{Seed: seed, Workers: workers})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// bassF is the closed-form Bass (1969) cumulative adoption.
func bassF(p, q, t float64) float64 {
	e := math.Exp(-(p + q) * t)
	return (1 - e) / (1 + q/p*e)
}

func TestBassMeanFieldMatchesClosedForm(t *testing.T) {
	t.Parallel()
	const n, steps = 100000, 240
	const p, q = 0.03 / 12, 0.38 / 12 // per month, from Bass's per-year values
	cfg := Defaults()
	cfg.Agents, cfg.Steps = n, steps
	cfg.Graph = GraphSpec{Kind: GraphComplete}
	cfg.Decision.Rule = RuleBass
	product := DefaultPlatform("product")
	product.P, product.Q = p, q
	cfg.Platforms = []Platform{product}
	s := mustRun(t, &cfg, 1, 0)

	// The discrete recursion F_t = F_{t-1} + (1-F_{t-1})(1-exp(-(p+q F_{t-1}))) is what the
	// engine computes in expectation: binomial noise only, so a tight bound.
	discrete := 0.0
	var worstClosed float64
	for step := 1; step <= steps; step++ {
		discrete += (1 - discrete) * (1 - math.Exp(-(p + q*discrete)))
		got := float64(s.Users[s.At(step, 0)]) / n
		if math.Abs(got-discrete) > 0.01 {
			t.Fatalf("step %d: adoption %.4f, discrete Bass recursion %.4f", step, got, discrete)
		}
		worstClosed = math.Max(worstClosed, math.Abs(got-bassF(p, q, float64(step))))
	}
	// Against the continuous closed form the gap is the Euler discretisation, O((p+q)^2 dt).
	if worstClosed > 0.015 {
		t.Errorf("largest gap to the closed-form Bass curve = %.4f, want <= 0.015", worstClosed)
	}
	if final := float64(s.Users[s.At(steps, 0)]) / n; final < 0.99 {
		t.Errorf("after 20 years adoption is %.3f, want nearly everyone", final)
	}
}

func TestNetworkBassIndependentContagion(t *testing.T) {
	t.Parallel()
	// Goldenberg, Libai & Muller (2001): with q = 0 adoption is pure innovation, so after t
	// steps 1-(1-p)^t of agents have adopted, whatever the graph.
	cfg := Defaults()
	cfg.Agents, cfg.Steps = 50000, 20
	cfg.Graph = GraphSpec{Kind: GraphWattsStrogatz, K: 6, Beta: 0.1}
	cfg.Decision.Rule = RuleBass
	cfg.Decision.Contagion = ContagionIndependent
	product := DefaultPlatform("product")
	product.P = 0.05
	cfg.Platforms = []Platform{product}
	s := mustRun(t, &cfg, 3, 0)
	want := 1 - math.Pow(1-0.05, 20)
	got := float64(s.Users[s.At(20, 0)]) / 50000
	if math.Abs(got-want) > 0.01 {
		t.Errorf("adoption after 20 steps = %.4f, want %.4f", got, want)
	}
}

func TestInvariants(t *testing.T) {
	t.Parallel()
	for _, update := range []Update{Synchronous, RandomSequential} {
		for _, rule := range []Rule{RuleLogit, RuleThreshold, RuleBass} {
			cfg := testConfig(3000, 60)
			cfg.Decision.Update, cfg.Decision.Rule = update, rule
			cfg.Platforms[0].Churn = 0.02
			s := mustRun(t, cfg, 9, 0)
			for step := 0; step <= s.Steps; step++ {
				var shares float64
				var users int64
				for j := range s.Platforms {
					i := s.At(step, j)
					if s.Users[i] < 0 || s.Users[i] > int64(cfg.Agents) {
						t.Fatalf("%s/%s step %d: %d users of %d agents", update, rule, step, s.Users[i], cfg.Agents)
					}
					if s.Registered[i] < s.Users[i] {
						t.Fatalf("%s/%s step %d: %d registered < %d users", update, rule, step, s.Registered[i], s.Users[i])
					}
					if s.MultiHomers[i] > s.Users[i] {
						t.Fatalf("%s/%s step %d: more multi-homers than users", update, rule, step)
					}
					if step > 0 {
						prev := s.Users[s.At(step-1, j)]
						if s.Users[i]-prev != s.NewUsers[i]-s.Leavers[i] {
							t.Fatalf("%s/%s step %d: users moved %d but new-leavers = %d", update, rule, step, s.Users[i]-prev, s.NewUsers[i]-s.Leavers[i])
						}
						if s.Registered[i] < s.Registered[s.At(step-1, j)] {
							t.Fatalf("%s/%s step %d: registrations fell", update, rule, step)
						}
					}
					shares += s.Share(step, j)
					users += s.Users[i]
				}
				if users > 0 && math.Abs(shares-1) > 1e-9 {
					t.Fatalf("%s/%s step %d: shares sum to %g", update, rule, step, shares)
				}
				if s.Adopters[step] > users || (users > 0 && s.Adopters[step] == 0) {
					t.Fatalf("%s/%s step %d: %d adopters for %d memberships", update, rule, step, s.Adopters[step], users)
				}
			}
			if s.Users[s.At(29, 1)] != 0 {
				t.Errorf("%s/%s: entrant has users before its launch", update, rule)
			}
		}
	}
}

func TestSameSeedSameSeriesWhateverTheWorkers(t *testing.T) {
	t.Parallel()
	cfg := testConfig(100_000, 30) // 13 blocks, so workers really split the agents
	ref := mustRun(t, cfg, 42, 1)
	for _, workers := range []int{2, 3, 8, 16} {
		got := mustRun(t, cfg, 42, workers)
		if !equalSeries(ref, got) {
			t.Fatalf("workers=%d: series differs from workers=1", workers)
		}
	}
	if other := mustRun(t, cfg, 43, 1); equalSeries(ref, other) {
		t.Fatal("seeds 42 and 43 gave the same series: the seed is not used")
	}
}

func TestEnsembleIndependentOfWorkers(t *testing.T) {
	t.Parallel()
	cfg := testConfig(2000, 30)
	run := func(workers int) []*Series {
		runs, err := RunEnsemble(context.Background(), cfg, EnsembleOptions{Seed: 5, Replicates: 4, Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		return runs
	}
	a, b := run(1), run(4)
	for r := range a {
		if !equalSeries(a[r], b[r]) {
			t.Fatalf("replicate %d differs between 1 and 4 workers", r)
		}
	}
	if equalSeries(a[0], a[1]) {
		t.Fatal("replicates 0 and 1 are identical: replicate seeds are not derived")
	}
}

func equalSeries(a, b *Series) bool {
	return slices.Equal(a.Users, b.Users) && slices.Equal(a.Registered, b.Registered) &&
		slices.Equal(a.NewUsers, b.NewUsers) && slices.Equal(a.Leavers, b.Leavers) &&
		slices.Equal(a.MultiHomers, b.MultiHomers) && slices.Equal(a.Adopters, b.Adopters)
}

func TestIncrementalCountsEqualRecount(t *testing.T) {
	t.Parallel()
	for _, update := range []Update{Synchronous, RandomSequential} {
		for _, kind := range []GraphKind{GraphErdosRenyi, GraphBarabasiAlbert, GraphComplete} {
			cfg := testConfig(20000, 25)
			cfg.Graph.Kind, cfg.Graph.M = kind, 3
			cfg.Decision.Update = update
			cfg.Platforms[0].Churn = 0.05 // keep agents moving both ways
			cfg.Platforms[1].Launch = 3
			sim, err := NewSimulation(cfg, 11, 4)
			if err != nil {
				t.Fatal(err)
			}
			for step := 1; step <= 25; step++ {
				sim.Advance()
				counts, totals := sim.counts.values(), sim.totals
				sim.recount()
				if !slices.Equal(counts, sim.counts.values()) || totals != sim.totals {
					t.Fatalf("%s on %s, step %d: incremental counts differ from a recount", update, kind, step)
				}
			}
		}
	}
}

func TestPropagateRandomMoves(t *testing.T) {
	t.Parallel()
	// Property: any sequence of joins and leaves, pushed incrementally, equals a recount.
	cfg := testConfig(5000, 0)
	sim, err := NewSimulation(cfg, 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	r := newStream(99, 0)
	for move := 0; move < 20000; move++ {
		i := int(r.next() % uint64(cfg.Agents))
		sim.setActive(i, uint8(r.next()%4))
	}
	counts := sim.counts.values()
	sim.recount()
	if !slices.Equal(counts, sim.counts.values()) {
		t.Fatal("counts after 20000 random moves differ from a recount")
	}
}

// entrantFinalShare runs the incumbent-vs-entrant market and returns the entrant's mean
// final share of users over a few seeds.
func entrantFinalShare(t *testing.T, switchingCost float64) float64 {
	cfg := testConfig(5000, 150)
	cfg.Platforms = twoPlatforms(40, switchingCost)
	// The entrant is clearly better, and running both costs more than the entrant is worth,
	// so the entrant wins only through switchers.
	cfg.Platforms[1].Appeal = 1
	for j := range cfg.Platforms {
		cfg.Platforms[j].NetworkWeight = 0.5
	}
	cfg.Decision.MultiHomingCost = 2
	cfg.Decision.RevisionRate = 0.3
	var share float64
	for seed := uint64(1); seed <= 3; seed++ {
		s := mustRun(t, cfg, seed, 0)
		share += s.Share(cfg.Steps, 1) / 3
	}
	return share
}

func TestSwitchingCostProtectsIncumbent(t *testing.T) {
	t.Parallel()
	locked, free := entrantFinalShare(t, 3), entrantFinalShare(t, 0)
	if locked > 0.25 {
		t.Errorf("with high switching costs the better entrant reaches a %.2f share, want it kept small (< 0.25)", locked)
	}
	if free < 0.5 {
		t.Errorf("with no switching costs the better entrant reaches only a %.2f share, want it to win (> 0.5)", free)
	}
}

func TestPreinstallRaisesEntrantEarlyUsers(t *testing.T) {
	t.Parallel()
	base := testConfig(5000, 60)
	base.Platforms = twoPlatforms(20, 1)
	with := *base
	with.Events = []Event{{Kind: EventPreinstall, Platform: 1, At: 20, Share: 0.2, Target: TargetRandom, Active: true}}
	const early = 30
	var without, withPre float64
	for seed := uint64(1); seed <= 3; seed++ {
		without += float64(mustRun(t, base, seed, 0).Users[early*2+1])
		s := mustRun(t, &with, seed, 0)
		withPre += float64(s.Users[s.At(early, 1)])
		if got := s.NewUsers[s.At(20, 1)]; got < 800 {
			t.Fatalf("preinstall of 20%% of 5000 agents made %d new users at its step", got)
		}
	}
	if withPre < 1.5*without {
		t.Errorf("entrant users at step %d: %.0f with preinstall vs %.0f without; want a clear rise", early, withPre/3, without/3)
	}
}

func TestSeedEvents(t *testing.T) {
	t.Parallel()
	cfg := testConfig(1000, 1)
	cfg.Platforms[0].P, cfg.Platforms[0].Q = 0, 0
	cfg.Platforms[1].Launch = 0
	cfg.Events = []Event{
		{Kind: EventSeed, Platform: 0, At: 0, Nodes: []int{1, 2, 3}},
		{Kind: EventSeed, Platform: 1, At: 0, Count: 10, Target: TargetTopDegree},
		{Kind: EventSeed, Platform: 1, At: 0, Count: 25, Target: TargetRandom},
	}
	sim, err := NewSimulation(cfg, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{1, 2, 3} {
		if sim.active[i]&1 == 0 {
			t.Errorf("agent %d was seeded on platform 0 but does not use it", i)
		}
	}
	top := sim.agentsByDegree()[:10]
	for _, i := range top {
		if sim.active[i]&2 == 0 {
			t.Errorf("top-degree agent %d was not seeded", i)
		}
	}
	s := sim.Series()
	if got := s.Users[s.At(0, 0)]; got != 3 {
		t.Errorf("platform 0 users at step 0 = %d, want 3", got)
	}
	if got := s.Users[s.At(0, 1)]; got < 25 || got > 35 {
		t.Errorf("platform 1 users at step 0 = %d, want 25 to 35 (10 top-degree, 25 random, overlapping)", got)
	}
}

func TestMarketingAndBanWindows(t *testing.T) {
	t.Parallel()
	cfg := testConfig(100, 10)
	cfg.Events = []Event{
		{Kind: EventMarketing, Platform: 0, At: 2, Until: 4, P: 0.5},
		{Kind: EventBan, Platform: 1, At: 3, AppealChange: -0.2, NetworkWeightFactor: 0.5},
	}
	sim, err := NewSimulation(cfg, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int][2]float64{1: {0.01, 0.6}, 2: {0.5, 0.6}, 3: {0.5, 0.4}, 4: {0.01, 0.4}, 9: {0.01, 0.4}}
	for step := 1; step <= 9; step++ {
		sim.Advance()
		if w, ok := want[step]; ok {
			if sim.now[0].p != w[0] || math.Abs(sim.now[1].appeal-w[1]) > 1e-12 {
				t.Errorf("step %d: incumbent p = %g, entrant appeal = %g; want %g, %g", step, sim.now[0].p, sim.now[1].appeal, w[0], w[1])
			}
		}
	}
	if sim.now[1].networkWeight != 0.5 {
		t.Errorf("banned network weight = %g, want 0.5", sim.now[1].networkWeight)
	}
}

func TestWattsCascadeWindow(t *testing.T) {
	t.Parallel()
	// Watts (2002): with threshold phi = 0.18 on an Erdos-Renyi graph, one seed triggers a
	// global cascade only inside a window of mean degree (roughly 1 < z < 1/phi ~ 5.5 here).
	// Expressed in msgsim by README's recipe (wattsConfig): the threshold rule, zero appeal,
	// network weight 1, theta = phi, everyone aware and one committed seed. Every run must end
	// on the reference cascade of its own graph; inside the window most seeds, which lie in or
	// next to the giant cluster of vulnerable agents (degree <= 5), cascade.
	const runs, steps = 8, 60
	cascades := func(z float64) []float64 {
		var shares []float64
		for seed := uint64(1); seed <= runs; seed++ {
			cfg := Defaults()
			cfg.Agents, cfg.Steps = 10000, steps
			cfg.Graph = GraphSpec{Kind: GraphErdosRenyi, MeanDegree: z}
			cfg.Decision.Rule, cfg.Decision.Contagion = RuleThreshold, ContagionIndependent
			cfg.Threshold = Distribution{Kind: DistConstant, Value: 0.18}
			product := DefaultPlatform("product")
			product.P = 1
			cfg.Platforms = []Platform{product}
			cfg.Events = []Event{{Kind: EventSeed, Platform: 0, Count: 1, Target: TargetRandom, Committed: true}}
			sim, err := NewSimulation(&cfg, seed, 0)
			if err != nil {
				t.Fatal(err)
			}
			var seedNode []int
			for i, set := range sim.active {
				if set != 0 {
					seedNode = append(seedNode, i)
				}
			}
			for sim.Advance() {
			}
			want := wattsCascade(sim.Graph(), seedNode, 9, 50, steps)[steps]
			users := 0
			for i, on := range want {
				if got := sim.active[i] != 0; got != on {
					t.Fatalf("z=%g seed %d: agent %d uses the platform: %v, reference cascade: %v", z, seed, i, got, on)
				}
				if on {
					users++
				}
			}
			shares = append(shares, float64(users)/float64(cfg.Agents))
		}
		return shares
	}
	inside := cascades(3)
	t.Logf("shares inside the window: %.3f", inside)
	global := 0
	for _, share := range inside {
		if share > 0.5 {
			global++
		}
	}
	if global < runs/2 {
		t.Errorf("mean degree 3 (inside the window): %d of %d seeds cascade globally (shares %.3f), want most", global, runs, inside)
	}
	for _, share := range cascades(12) {
		if share > 0.05 {
			t.Errorf("mean degree 12 (above the window): a seed cascaded to %.3f, want none (< 0.05)", share)
		}
	}
}

// TestThresholdSkipIsExact checks that skipping threshold agents whose inputs did not change
// gives exactly the series of evaluating every agent every step.
func TestThresholdSkipIsExact(t *testing.T) {
	t.Parallel()
	for _, update := range []Update{Synchronous, RandomSequential} {
		for _, kind := range []GraphKind{GraphErdosRenyi, GraphBarabasiAlbert, GraphWattsStrogatz} {
			for _, revision := range []float64{1, 0.3} {
				cfg := testConfig(4000, 80)
				cfg.Graph.Kind, cfg.Graph.M, cfg.Graph.K, cfg.Graph.Beta = kind, 3, 6, 0.1
				cfg.Decision.Rule, cfg.Decision.Update, cfg.Decision.RevisionRate = RuleThreshold, update, revision
				cfg.Platforms[0].Churn = 0.002
				cfg.Events = []Event{
					{Kind: EventPreinstall, Platform: 1, At: 35, Share: 0.1, Target: TargetRandom, Active: true},
					{Kind: EventBan, Platform: 0, At: 50, Until: 60, AppealChange: -0.2, NetworkWeightFactor: 0.8},
					{Kind: EventMarketing, Platform: 1, At: 40, Until: 45, P: 0.2},
				}
				run := func(skip bool) *Series {
					sim, err := NewSimulation(cfg, 5, 2)
					if err != nil {
						t.Fatal(err)
					}
					if !skip {
						sim.stale = nil
					}
					for sim.Advance() {
					}
					return sim.Series()
				}
				if !equalSeries(run(true), run(false)) {
					t.Errorf("%s on %s, revision %g: skipping unchanged agents changed the series", update, kind, revision)
				}
			}
		}
	}
}

// TestRecountAgainstBruteForce checks the one-add recount (spread, lanes flushed every 255
// contacts) against a count contact by contact, with all eight platforms and hubs on both
// sides of a flush: degrees 0, 1, 254, 255, 256, 510, 511 and 1000.
func TestRecountAgainstBruteForce(t *testing.T) {
	t.Parallel()
	hubs := []int{0, 1, 254, 255, 256, 510, 511, 1000}
	n := 1001 + len(hubs)
	b := graph.NewBuilder(n, 4000)
	for h, k := range hubs {
		for v := range k {
			b.AddEdge(int32(1001+h), int32(v))
		}
	}
	g, _ := b.Build()
	cfg := testConfig(n, 0)
	cfg.Graph = GraphSpec{Kind: GraphGiven, Given: g}
	cfg.Platforms = nil
	for j := range MaxPlatforms {
		cfg.Platforms = append(cfg.Platforms, DefaultPlatform(fmt.Sprintf("p%d", j)))
	}
	for _, fill := range []func(i int) uint8{
		func(int) uint8 { return 0xff }, // every lane at its most
		func(i int) uint8 { r := newStream(7, i); return uint8(r.next()) },
	} {
		sim, err := NewSimulation(cfg, 1, 2)
		if err != nil {
			t.Fatal(err)
		}
		for i := range sim.active {
			sim.active[i] = fill(i)
		}
		sim.recount()
		for i := range n {
			for j := range MaxPlatforms {
				want := int64(0)
				for _, v := range g.Row(i) {
					want += int64(sim.active[v] >> j & 1)
				}
				if got := sim.counts.at(i*MaxPlatforms + j); got != want {
					t.Fatalf("agent %d (degree %d), platform %d: recount gives %d contacts, want %d", i, g.Degree(i), j, got, want)
				}
			}
		}
	}
}
