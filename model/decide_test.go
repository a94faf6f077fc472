package model

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"testing"

	"github.com/msgsim/msgsim/model/graph"
)

// star is agent 0 with k contacts, agents 1..k, who know only agent 0.
func star(k int) *graph.CSR {
	b := graph.NewBuilder(k+1, int64(k))
	for v := 1; v <= k; v++ {
		b.AddEdge(0, int32(v))
	}
	g, _ := b.Build()
	return g
}

// centreUsesAfterOneStep runs one synchronous threshold step on a star whose first a leaves
// use the one platform (and the centre too when centreUses), every agent aware from step 1
// and the threshold constant theta; it reports whether the centre then uses the platform.
func centreUsesAfterOneStep(t *testing.T, k, a int, theta float64, centreUses bool) bool {
	t.Helper()
	cfg := Defaults()
	cfg.Agents, cfg.Steps = k+1, 1
	cfg.Graph = GraphSpec{Kind: GraphGiven, Given: star(k)}
	cfg.Decision.Rule, cfg.Decision.Contagion = RuleThreshold, ContagionIndependent
	cfg.Threshold = Distribution{Kind: DistConstant, Value: theta}
	product := DefaultPlatform("product")
	product.P = 1 // everyone hears of it at step 1
	cfg.Platforms = []Platform{product}
	var seeds []int
	for v := 1; v <= a; v++ {
		seeds = append(seeds, v)
	}
	if centreUses {
		seeds = append(seeds, 0)
	}
	if len(seeds) > 0 {
		cfg.Events = []Event{{Kind: EventSeed, Platform: 0, Nodes: seeds}}
	}
	sim, err := NewSimulation(&cfg, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	if got := sim.contactsOn(0, 0); got != int64(a) {
		t.Fatalf("k=%d: the centre has %d contacts on the platform at step 0, want %d", k, got, a)
	}
	sim.Advance()
	return sim.active[0]&1 != 0
}

// TestThresholdTiesAdopt: the threshold rule's documented tie rule, "an agent uses a platform
// when its benefit a/k is at least its threshold", holds exactly: with theta = a/k the centre
// of a star adopts (and a user keeps the platform) for every a and several degrees k, and with
// theta one float64 step above a/k it does neither.
func TestThresholdTiesAdopt(t *testing.T) {
	t.Parallel()
	for _, k := range []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 20, 49, 100, 1000} {
		for a := 0; a <= k; a++ {
			tie := float64(a) / float64(k)
			if k == 10 {
				// As a scenario writes it: the decimal 0.a.
				var err error
				if tie, err = strconv.ParseFloat(fmt.Sprintf("%.1f", float64(a)/10), 64); err != nil {
					t.Fatal(err)
				}
			}
			above := math.Nextafter(tie, math.Inf(1))
			if !centreUsesAfterOneStep(t, k, a, tie, false) {
				t.Errorf("k=%d a=%d theta=%v (a tie): a non-user does not adopt", k, a, tie)
			}
			if !centreUsesAfterOneStep(t, k, a, tie, true) {
				t.Errorf("k=%d a=%d theta=%v (a tie): a user drops the platform", k, a, tie)
			}
			if centreUsesAfterOneStep(t, k, a, above, false) {
				t.Errorf("k=%d a=%d theta=%v (just above a/k): a non-user adopts", k, a, above)
			}
			if centreUsesAfterOneStep(t, k, a, above, true) {
				t.Errorf("k=%d a=%d theta=%v (just above a/k): a user keeps the platform", k, a, above)
			}
		}
	}
}

// chooseConfigs are two-platform markets that reach every branch of choose's valuation: a
// constant threshold on a degree-10 graph with zero appeal, whose utilities tie exactly
// (3 of 10 contacts against 0.3), drawn thresholds, segments with their own parameters and
// threshold, three layers (with segments), and the complete graph.
func chooseConfigs() map[string]*Config {
	ties := BenchmarkConfig(2000, 10, RuleThreshold, 10)
	ties.Graph = GraphSpec{Kind: GraphWattsStrogatz, K: 10}
	ties.Threshold = Distribution{Kind: DistConstant, Value: 0.3}
	ties.Decision.MultiHomingCost = 0
	ties.Platforms[0].Appeal, ties.Platforms[1].Appeal = 0, 0

	drawn := testConfig(2000, 10)

	segments := BenchmarkConfig(2000, 10, RuleThreshold, 10)
	override := slices.Clone(segments.Platforms)
	override[0].Appeal, override[1].NetworkWeight = 0.1, 2
	segments.Threshold = Distribution{Kind: DistConstant, Value: 0.2}
	segments.Segments = []Segment{{Name: "a", Share: 0.3, Platforms: override, Threshold: Distribution{Kind: DistConstant, Value: 0.4}}}

	complete := testConfig(300, 10)
	complete.Graph = GraphSpec{Kind: GraphComplete}
	return map[string]*Config{"ties": ties, "drawn": drawn, "segments": segments, "layers": layeredConfig(2000, 10), "complete": complete}
}

// TestChooseTwoPlatformsMatchesChooseAny: choose's written-out two-platform moves pick what
// chooseAny's loops pick (decisionRules.two off), given the same draws, for random agents in random states (every
// set, aware and launched mask, random counts, investments and degrees, 0 among them), under
// both rules, both benefit measures and temperatures from near 0 (most weights exactly 0) to
// large; and each market sees every set chosen, stays and moves alike.
func TestChooseTwoPlatformsMatchesChooseAny(t *testing.T) {
	t.Parallel()
	for name, base := range chooseConfigs() {
		for _, rule := range []Rule{RuleThreshold, RuleLogit} {
			for _, benefit := range []Benefit{BenefitFraction, BenefitCount} {
				for _, temperature := range []float64{MinTemperature, 1e-3, 0.1, 5, MaxTemperature} {
					if rule == RuleThreshold && temperature != 0.1 {
						continue
					}
					cfg := *base
					cfg.Decision.Rule, cfg.Decision.Benefit, cfg.Decision.Temperature = rule, benefit, temperature
					key := fmt.Sprintf("%s/%s/%s/T=%g", name, rule, benefit, temperature)
					if err := chooseTwoMatches(&cfg, 20000); err != nil {
						t.Errorf("%s: %v", key, err)
					}
				}
			}
		}
	}
}

// chooseTwoMatches compares choose with chooseAny on trials random agents and states of a
// simulation of cfg.
func chooseTwoMatches(cfg *Config, trials int) error {
	sim, err := NewSimulation(cfg, 3, 1)
	if err != nil {
		return err
	}
	r := newStream(17, 0)
	// Investments are read from the curves by steps of use: here a curve of 0, 0.5, 1 and
	// random values, and random steps of use.
	sim.use16 = make([]uint16, sim.n*sim.np)
	for j := range 2 {
		sim.curves[j] = []float32{0, 0.5, 1}
		for range 61 {
			sim.curves[j] = append(sim.curves[j], float32(r.float()))
		}
	}
	through := int32(sim.step - 1)
	var two, any choiceScratch
	any.rules(sim).two = false // choose takes chooseAny's path
	var chosen [4]int
	stays := 0
	for trial := range trials {
		i := int(r.next() % uint64(sim.n))
		sim.launched = uint8(r.next() % 4)
		for j := range 2 {
			sim.now[j].launched = sim.launched>>j&1 != 0
		}
		set, aware := uint8(r.next()%4), uint8(r.next()%4)
		k := float64(sim.degree(i))
		if r.next()%10 == 0 {
			k = 0
		}
		for j := range 2 {
			steps := int32(r.next() % 3)
			if r.next()%2 == 0 {
				steps = int32(r.next() % 64)
			}
			sim.use16[2*i+j] = uint16(through - steps) // a platform in use (the only ones choose reads)
			if sim.g == nil {
				sim.totals[j] = int64(r.next() % uint64(sim.n))
				continue
			}
			sim.counts.set(2*i+j, r.next()%uint64(sim.degree(i)+1))
			for _, layer := range sim.layers {
				layer.counts.set(2*i+j, r.next()%uint64(layer.g.Degree(i)+1))
			}
		}
		// In a run a platform not yet launched has never been valued (launches are for
		// good), so chooseAny finds its entries 0; the random launched masks here are not
		// monotonic.
		for _, sc := range []*choiceScratch{&two, &any} {
			clear(sc.value[:])
			clear(sc.leave[:])
		}
		draws := newStream(uint64(trial), i)
		copied := draws
		got := sim.choose(i, set, aware, k, &draws, &two)
		want := sim.choose(i, set, aware, k, &copied, &any)
		if got != want {
			return fmt.Errorf("agent %d (set %02b, aware %02b, launched %02b, k %g): choose picks %02b, chooseAny %02b", i, set, aware, sim.launched, k, got, want)
		}
		chosen[got]++
		if got == set {
			stays++
		}
	}
	if slices.Contains(chosen[:], 0) || stays == 0 || stays == trials {
		return fmt.Errorf("the trials reach too few outcomes: sets chosen %v times, %d stays in %d", chosen, stays, trials)
	}
	return nil
}

// TestHearingMatchesExposure: the exposure test as decide runs it (hazardBound in line,
// then hears below the bound) decides every draw as the one function it was split from,
// exposedReference, for both contagions, random parameters, contacts and degrees (0 among
// them), and draws at the bound, at the hazard, just below each and at random.
func TestHearingMatchesExposure(t *testing.T) {
	t.Parallel()
	r := newStream(23, 0)
	heard := 0
	for trial := range 200000 {
		rules := &decisionRules{independent: trial%2 == 0}
		now := &platformNow{p: r.float() * 0.2, q: r.float()}
		if trial%7 == 0 {
			now.p, now.q = 1, 1
		}
		k := float64(r.next() % 30)
		a := float64(r.next() % uint64(k+1))
		h := rules.hazardBound(now.p, now.q, a, k)
		chance := 1 - expNonPositive(-h)
		if rules.independent {
			chance = 1 - (1-math.Min(now.p, 1))*math.Pow(1-math.Min(now.q, 1), a)
		}
		for _, u := range []float64{h, math.Nextafter(h, 0), chance, math.Nextafter(chance, 0), r.float()} {
			got := u < h && rules.hears(now, a, h, u)
			if want := exposedReference(now, a, k, u, rules.independent); got != want {
				t.Fatalf("p %g q %g a %g k %g independent %v, u %g: hears %v, exposure %v", now.p, now.q, a, k, rules.independent, u, got, want)
			}
			if got {
				heard++
			}
		}
	}
	if heard == 0 {
		t.Fatal("no draw hears of the platform")
	}
}

// exposedReference is the exposure test of the engine before hazardBound and hears split it:
// the Bass hazard h = 1 - exp(-(p + q a/k)) (Bass 1969) or 1 - (1-p)(1-q)^a (Goldenberg,
// Libai & Muller 2001), with the draws at or above the bound p + q x settled first.
func exposedReference(now *platformNow, a, k, u float64, independent bool) bool {
	if independent {
		if u >= now.p+now.q*a {
			return false
		}
		return u < 1-(1-math.Min(now.p, 1))*math.Pow(1-math.Min(now.q, 1), a)
	}
	h := now.p
	if k > 0 {
		h += now.q * a / k
	}
	if u >= h {
		return false
	}
	return u < 1-expNonPositive(-h)
}

// TestStaysSurelyOnlyWhenTheWalkStays checks choose's shortcut against the walk it replaces:
// whenever staysSurely, or the draw's range in stayBounds, says an agent whose best move is
// staying stays, the full two-platform softmax (three choiceExp weights, their sum, the draw's
// walk) stays too; and each bound is the largest that staysSurely allows. The gains are random,
// tied, padded with -Inf and at temperatures from 1e-300 to 1e300, and the draws include the
// last ones that stay and their neighbours, where rounding decides; the shortcut must also
// settle most of the draws that stay, or it would be dead weight.
func TestStaysSurelyOnlyWhenTheWalkStays(t *testing.T) {
	t.Parallel()
	walkStays := func(u, g1, g2, g3, invT float64) bool {
		w1, w2, w3 := choiceExp(g1*invT), choiceExp(g2*invT), choiceExp(g3*invT)
		return float64(u*(1+w1+w2+w3))-1 < 0
	}
	r := newStream(23, 0)
	gain := func() float64 {
		switch r.next() % 8 {
		case 0:
			return 0
		case 1:
			return math.Inf(-1)
		case 2:
			return -float64(r.next()%4) / 4 // ties between moves, and with staying
		default:
			return -r.float() * math.Pow(10, float64(r.next()%7)-3)
		}
	}
	temperatures := []float64{MinTemperature, 1e-30, 1e-3, 0.1, 1, 37, 1e6, MaxTemperature}
	settled, stays, boundaries := 0, 0, 0
	for trial := range 200000 {
		g1, g2, g3 := gain(), gain(), gain()
		if math.IsInf(g1, -1) {
			g1 = -r.float() // the first move always exists
		}
		invT := 1 / temperatures[trial%len(temperatures)]
		z := max(g1, g2, g3) * invT
		draws := []float64{r.float(), 0, math.Nextafter(1, 0)}
		// The last draw the walk stays at, by bisection on the grid of draws, and its
		// neighbours.
		lo, hi := uint64(0), uint64(1)<<53 // walkStays(lo), !walkStays(hi) (u < 1 always)
		if walkStays(math.Nextafter(1, 0), g1, g2, g3, invT) {
			lo = hi - 1
		}
		for hi-lo > 1 {
			mid := (lo + hi) / 2
			if walkStays(float64(mid)/(1<<53), g1, g2, g3, invT) {
				lo = mid
			} else {
				hi = mid
			}
		}
		for d := lo - min(lo, 2); d <= min(lo+2, 1<<53-1); d++ {
			draws = append(draws, float64(d)/(1<<53))
		}
		// And the first and last draws of the range of the first draw, and that range's bound.
		b := int(draws[0] * stayBuckets)
		draws = append(draws, float64(b)/stayBuckets, math.Nextafter(float64(b+1)/stayBuckets, 0))
		if trial%4 == 0 {
			z = stayBounds[b]
			g1, g2, g3 = z/invT, z/invT, math.Inf(-1)
			if z = max(g1, g2, g3) * invT; z > stayBounds[b] {
				continue
			}
		}
		for _, u := range draws {
			want := walkStays(u, g1, g2, g3, invT)
			if z <= stayBounds[int(u*stayBuckets)] && !want {
				t.Fatalf("gains %g %g %g, 1/T %g, draw %v: within stayBounds, but the walk moves", g1, g2, g3, invT, u)
			}
			if staysSurely(u, z) {
				settled++
				if !want {
					t.Fatalf("gains %g %g %g, 1/T %g, draw %v: staysSurely, but the walk moves", g1, g2, g3, invT, u)
				}
				if u == float64(lo)/(1<<53) {
					boundaries++
				}
			}
			if want {
				stays++
			}
		}
	}
	for b, z := range stayBounds {
		if last := math.Nextafter(float64(b+1)/stayBuckets, 0); !staysSurely(last, z) || z < 0 && staysSurely(last, math.Nextafter(z, 0)) {
			t.Errorf("stayBounds[%d] = %v is not the largest z for which the range's last draw %v stays surely", b, z, last)
		}
	}
	if settled < stays/2 || boundaries == 0 {
		t.Errorf("staysSurely settled %d of %d draws that stay (%d on the last staying draw): too few to test or to be worth it", settled, stays, boundaries)
	}
}

// TestNextRangeIsTheDrawsRange: the stayBounds range nextRange reads off the stream is the
// one the draw float then takes falls in, int(draw x stayBuckets), at the states whose draw's
// bits sit at the edges of ranges (unmix64 inverts the mixing) and at random states.
func TestNextRangeIsTheDrawsRange(t *testing.T) {
	r := newStream(5, 5)
	var states []uint64
	for b := range uint64(stayBuckets) {
		for _, bits := range []uint64{b << 56, b<<56 | 1<<11, b<<56 | (1<<56 - 1), b<<56 | (1<<56 - 1<<11)} {
			states = append(states, unmix64(bits)-golden)
		}
	}
	for range 100000 {
		states = append(states, r.next())
	}
	for _, state := range states {
		s := stream{state: state}
		got := s.nextRange()
		if want := int(s.float() * stayBuckets); int(got) != want {
			t.Fatalf("state %#x: nextRange %d, the draw's range %d", state, got, want)
		}
	}
}

// unmix64 is the inverse of mix64: each xorshift undone by repeating it until the shifted
// bits run out, each multiplication by its odd factor's inverse modulo 2^64.
func unmix64(z uint64) uint64 {
	unshift := func(z uint64, k uint) uint64 {
		x := z
		for s := k; s < 64; s += k {
			x = z ^ x>>k
		}
		return x
	}
	inverse := func(a uint64) uint64 { // Newton's iteration: each step doubles the bits right
		x := a
		for range 5 {
			x *= 2 - a*x
		}
		return x
	}
	z = unshift(z, 31)
	z = unshift(z*inverse(0x94d049bb133111eb), 27)
	return unshift(z*inverse(0xbf58476d1ce4e5b9), 30)
}

// TestUnmix64: unmix64 inverts mix64.
func TestUnmix64(t *testing.T) {
	r := newStream(6, 6)
	for range 10000 {
		if x := r.next(); unmix64(mix64(x)) != x {
			t.Fatalf("unmix64(mix64(%#x)) = %#x", x, unmix64(mix64(x)))
		}
	}
}
