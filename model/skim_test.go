package model

import (
	"math"
	"slices"
	"testing"
)

// TestQuietOctetIsTheQuickReturn: the skim over eight agents (quietOctet) finds them quiet
// exactly when decide's quick return holds for each one, over random states of the sets, the
// staleness and the step's launched and churning platforms; and for quiet agents decide
// changes nothing.
func TestQuietOctetIsTheQuickReturn(t *testing.T) {
	cfg := testConfig(64, 5)
	cfg.Decision.Rule = RuleThreshold
	sim, err := NewSimulation(cfg, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	r := newStream(99, 0)
	bits := func(p float64) uint8 { // a set of the platforms, each in it with probability p
		var set uint8
		for j := range sim.np {
			if r.float() < p {
				set |= 1 << j
			}
		}
		return set
	}
	var quiet, noisy int
	for trial := range 20000 {
		sim.launched, sim.churning = bits(0.8), bits(0.1)
		for i := range 8 {
			sim.active[i], sim.aware[i], sim.stale[i] = bits(0.3), bits(0.9), 0
			sim.aware[i] |= sim.active[i]
			if r.float() < 0.05 {
				sim.stale[i] = 1
			}
		}
		want := true
		for i := range 8 {
			set, aware := sim.active[i], sim.aware[i]
			want = want && sim.stale[i] == 0 && (sim.launched|set)&^aware|set&sim.churning == 0
		}
		if got := sim.quietOctet(0, octet(sim.launched), octet(sim.churning)); got != want {
			t.Fatalf("trial %d: quietOctet %v, the quick return of each agent %v (launched %b, churning %b, sets %v, aware %v, stale %v)",
				trial, got, want, sim.launched, sim.churning, sim.active[:8], sim.aware[:8], sim.stale[:8])
		}
		if !want {
			noisy++
			continue
		}
		quiet++
		before := [3][8]uint8{[8]uint8(sim.active), [8]uint8(sim.aware), [8]uint8(sim.stale)}
		for i := range 8 {
			if set := sim.decide(i, sim.active[i], 1, &sim.results[0].scratch); set != sim.active[i] {
				t.Fatalf("trial %d: quiet agent %d moved from %b to %b", trial, i, sim.active[i], set)
			}
		}
		if after := [3][8]uint8{[8]uint8(sim.active), [8]uint8(sim.aware), [8]uint8(sim.stale)}; after != before {
			t.Fatalf("trial %d: decide changed quiet agents' state from %v to %v", trial, before, after)
		}
	}
	if quiet < 100 || noisy < 100 {
		t.Errorf("%d quiet and %d noisy octets: the test exercises too little of one side", quiet, noisy)
	}
}

// TestSkippingIsExactOnRandomMarkets: the threshold rule's skips (the quiet return, the skim
// over octets, a choice skipped by an agent that is not stale) and the logit rule's stay
// bounds (a choice settled by the bound of an agent that is not stale) change nothing, on
// random markets of every feature that can change what an agent chooses on: two or three platforms
// with launches, switching costs, investment, network weights of both signs, churn, segments with their own
// parameters, thresholds and revision rates, committed agents, seeds, preinstalls (asleep,
// active, flows), marketing, bans, a growing market, layers and both update schemes. Each
// market runs twice from one seed, skipping and choosing afresh (every agent marked stale
// after each step), and the two series must be identical; after each step of the second run
// the neighbour counts and totals, kept up to date by pushes and recounts, are a recount's.
// One market in ten has several blocks of agents and also runs on 3 workers, which must give
// the 1-worker series.
func TestSkippingIsExactOnRandomMarkets(t *testing.T) {
	t.Parallel()
	r := newStream(2026, 11)
	between := func(lo, hi float64) float64 { return lo + (hi-lo)*r.float() }
	upTo := func(n int) int { return int(r.next() % uint64(n+1)) }
	for trial := range 200 {
		rule := []Rule{RuleThreshold, RuleLogit}[trial%2]
		agents := 300 + upTo(900)
		if trial%10 == 0 {
			agents = 2*blockSize + upTo(blockSize)
		}
		cfg := randomMarket(rule, agents, between, upTo)
		if err := cfg.Validate(); err != nil {
			t.Fatalf("trial %d: the random market is not valid: %v", trial, err)
		}
		run := func(skip bool, workers int) *Series {
			sim, err := NewSimulation(cfg, uint64(trial), workers)
			if err != nil {
				t.Fatal(err)
			}
			for sim.Advance() {
				if skip {
					continue
				}
				for i := range sim.stale {
					sim.stale[i] = 1
				}
				// The counts kept up to date by pushes and recounts, on every layer, are a
				// fresh count's.
				kept := [][]int64{sim.counts.values()}
				for l := range sim.layers {
					kept = append(kept, sim.layers[l].counts.values())
				}
				totals := sim.totals
				sim.recount()
				for l, counts := range kept {
					fresh := sim.counts.values()
					if l > 0 {
						fresh = sim.layers[l-1].counts.values()
					}
					if !slices.Equal(counts, fresh) || totals != sim.totals {
						t.Fatalf("trial %d, step %d: layer %d's counts or the totals (%v) differ from a recount's (%v)", trial, sim.step, l, totals, sim.totals)
					}
				}
			}
			return sim.series
		}
		skipping := run(true, 1)
		compare := func(what string, other *Series) {
			for name, pair := range map[string][2][]int64{
				"users": {skipping.Users, other.Users}, "new users": {skipping.NewUsers, other.NewUsers},
				"leavers": {skipping.Leavers, other.Leavers}, "registered": {skipping.Registered, other.Registered},
			} {
				if !slices.Equal(pair[0], pair[1]) {
					t.Fatalf("trial %d (%s, %d agents, %d platforms, %d segments, %d events, %d layers, %s): %s differ between skipping and %s:\n%v\n%v",
						trial, rule, cfg.Agents, len(cfg.Platforms), len(cfg.Segments), len(cfg.Events), len(cfg.Layers), cfg.Decision.Update, name, what, pair[0], pair[1])
				}
			}
		}
		compare("choosing afresh", run(false, 1))
		if agents > blockSize {
			compare("skipping on 3 workers", run(true, 3))
		}
	}
}

// randomMarket is a market of the given rule and agents with random features (see
// TestSkippingIsExactOnRandomMarkets), drawn with between (a uniform float in [lo, hi)) and
// upTo (a uniform int in [0, n]).
func randomMarket(rule Rule, agents int, between func(lo, hi float64) float64, upTo func(n int) int) *Config {
	cfg := Defaults()
	cfg.Agents, cfg.Steps = agents, 30+upTo(30)
	cfg.Graph = GraphSpec{Kind: GraphErdosRenyi, MeanDegree: between(2, 10)}
	cfg.Decision.Rule = rule
	if rule == RuleLogit {
		// Mostly temperatures at which choices are mixed; now and then the extremes.
		cfg.Decision.Temperature = []float64{between(0.01, 0.5), between(0.01, 0.5), MinTemperature, 1e-5, 1e3, MaxTemperature}[upTo(5)]
	}
	if upTo(3) == 0 {
		cfg.Decision.Update = RandomSequential
	}
	cfg.Decision.MultiHomingCost = between(-0.3, 1)
	if upTo(2) == 0 {
		cfg.Decision.RevisionRate = between(0.3, 1)
	}
	switch upTo(2) {
	case 0:
		cfg.Threshold = Distribution{Kind: DistConstant, Value: between(0, 0.5)}
	case 1:
		lo := between(-0.2, 0.4)
		cfg.Threshold = Distribution{Kind: DistUniform, Min: lo, Max: lo + between(0, 0.6)}
	default:
		cfg.Threshold = Distribution{Kind: DistNormal, Mean: between(0, 0.4), SD: between(0, 0.2)}
	}
	platform := func(name string) Platform {
		p := DefaultPlatform(name)
		p.Appeal, p.P, p.Q = between(-0.2, 0.8), between(0, 0.1), between(0, 0.5)
		p.SwitchingCost, p.InvestmentRate, p.NetworkWeight = between(0, 1), between(0, 0.4), between(-0.5, 2)
		p.Launch = upTo(10)
		if upTo(2) == 0 {
			p.Churn = between(0, 0.05)
		}
		return p
	}
	for j := range 2 + upTo(3)/3 { // three platforms one time in four
		cfg.Platforms = append(cfg.Platforms, platform(string(rune('a'+j))))
	}
	for g := range upTo(2) {
		seg := Segment{Name: string(rune('s' + g)), Share: between(0.05, 0.3), Committed: upTo(5) == 0}
		if upTo(1) == 0 {
			for j := range cfg.Platforms {
				seg.Platforms = append(seg.Platforms, platform(cfg.Platforms[j].Name))
			}
		}
		if upTo(1) == 0 {
			seg.Threshold = Distribution{Kind: DistConstant, Value: between(0, 0.6)}
		}
		if upTo(1) == 0 {
			seg.RevisionRate = between(0.2, 1)
		}
		cfg.Segments = append(cfg.Segments, seg)
	}
	for range upTo(4) {
		e := Event{Platform: upTo(len(cfg.Platforms) - 1), At: upTo(cfg.Steps - 1), Segment: upTo(len(cfg.Segments))}
		switch upTo(3) {
		case 0:
			e.Kind, e.Count, e.Committed = EventSeed, 1+upTo(20), upTo(3) == 0
		case 1:
			e.Kind, e.Share, e.Active = EventPreinstall, between(0, 0.2), upTo(1) == 0
			if upTo(1) == 0 {
				e.PerStep, e.Share, e.Until = true, between(0, 0.02), e.At+1+upTo(20)
			}
		case 2:
			e.Kind, e.P, e.Until = EventMarketing, between(0, 0.2), e.At+1+upTo(20)
		default:
			e.Kind, e.AppealChange, e.NetworkWeightFactor = EventBan, between(-0.5, 0.2), between(0, 1)
		}
		cfg.Events = append(cfg.Events, e)
	}
	if upTo(3) == 0 {
		cfg.Market = Market{Schedule: []MarketPoint{{Step: 0, Agents: float64(cfg.Agents) / 3}, {Step: cfg.Steps, Agents: float64(cfg.Agents)}}}
	}
	if upTo(3) == 0 {
		cfg.Layers = []Layer{{Name: "friends", Graph: cfg.Graph}, {Name: "trade", Graph: GraphSpec{Kind: GraphErdosRenyi, MeanDegree: between(1, 4)}}}
		for j := range cfg.Platforms {
			cfg.Platforms[j].LayerWeights = []float64{1, between(0, 2)}
		}
	}
	return &cfg
}

// TestCeilFloat32: the bound stored for a gain z <= 0 is the smallest float32 at or above z,
// at -Inf, -0, the float32 limits, subnormals and random gains.
func TestCeilFloat32(t *testing.T) {
	r := newStream(7, 7)
	zs := []float64{math.Inf(-1), -math.MaxFloat64, -math.MaxFloat32, -1e39, -1, -0.1, -1e-40, -1e-46, -math.SmallestNonzeroFloat64, math.Copysign(0, -1), 0}
	for range 100000 {
		zs = append(zs, -r.float()*math.Pow(10, 80*r.float()-40))
	}
	for _, z := range zs {
		b := ceilFloat32(z)
		if float64(b) < z || b > float32(math.Inf(-1)) && float64(math.Nextafter32(b, float32(math.Inf(-1)))) >= z {
			t.Fatalf("ceilFloat32(%g) = %g: not the smallest float32 at or above it", z, b)
		}
	}
}
