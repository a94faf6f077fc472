package model

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/msgsim/msgsim/internal/streams"
)

// segmentsOf builds a simulation of cfg and returns each agent's segment.
func segmentsOf(t *testing.T, cfg *Config, seed uint64, workers int) (*Simulation, []int) {
	t.Helper()
	s, err := NewSimulation(cfg, seed, workers)
	if err != nil {
		t.Fatal(err)
	}
	seg := make([]int, cfg.Agents)
	for i := range seg {
		seg[i] = s.SegmentOf(i)
	}
	return s, seg
}

// TestSegmentAssignment: every assignment kind gives its segment exactly its count or rounded
// share of all agents, from agents in no earlier segment (so segments are disjoint), top_degree
// the best-connected of those left and block only agents of its block; the rest form segment 0.
func TestSegmentAssignment(t *testing.T) {
	t.Parallel()
	cfg := testConfig(1000, 3)
	cfg.Graph = GraphSpec{Kind: GraphBlocks, BlockSizes: []int{600, 400}, PIn: 0.02, POut: 0.002}
	cfg.Segments = []Segment{
		{Name: "random", Share: 0.1234},                    // round(123.4) = 123
		{Name: "hubs", Count: 50, Assign: TargetTopDegree}, // the best-connected 50 of the 877 left
		{Name: "block1", Share: 0.2, Assign: TargetBlock, Block: 1},
		{Name: "more", Count: 7},
	}
	s, seg := segmentsOf(t, cfg, 3, 2)
	if got, want := cfg.SegmentNames(), []string{RestSegment, "random", "hubs", "block1", "more"}; !slices.Equal(got, want) {
		t.Fatalf("SegmentNames = %v, want %v", got, want)
	}
	counts := make([]int, 5)
	for _, g := range seg {
		counts[g]++
	}
	want := []int{1000 - 123 - 50 - 200 - 7, 123, 50, 200, 7}
	if !slices.Equal(counts, want) {
		t.Errorf("segment sizes %v, want %v", counts, want)
	}
	for g, n := range s.Series().SegmentAgents {
		if n != int64(want[g]) {
			t.Errorf("series: segment %d has %d agents, want %d", g, n, want[g])
		}
	}
	// hubs: no agent outside the first segment is better connected than a hub.
	minHub, maxOther := 1<<30, -1
	for i, g := range seg {
		switch {
		case g == 2:
			minHub = min(minHub, s.degree(i))
		case g != 1:
			maxOther = max(maxOther, s.degree(i))
		}
	}
	if maxOther > minHub {
		t.Errorf("an agent of degree %d is outside the top_degree segment, whose least connected has %d", maxOther, minHub)
	}
	for i, g := range seg {
		if g == 3 && s.blocks[i] != 1 {
			t.Errorf("agent %d in the block segment belongs to block %d", i, s.blocks[i])
		}
	}
}

// TestSegmentsDeterministic: the assignment depends on the seed alone, never on the workers,
// and a different seed draws a different random segment.
func TestSegmentsDeterministic(t *testing.T) {
	t.Parallel()
	cfg := testConfig(5000, 2)
	cfg.Segments = []Segment{{Name: "a", Share: 0.3}, {Name: "b", Count: 100, Assign: TargetTopDegree}}
	_, one := segmentsOf(t, cfg, 11, 1)
	_, four := segmentsOf(t, cfg, 11, 4)
	if !slices.Equal(one, four) {
		t.Error("segments differ between 1 and 4 workers")
	}
	_, other := segmentsOf(t, cfg, 12, 1)
	if slices.Equal(one, other) {
		t.Error("seeds 11 and 12 draw the same segments")
	}
	if a, b := mustRun(t, cfg, 11, 1), mustRun(t, cfg, 11, 4); !slices.Equal(a.Users, b.Users) {
		t.Error("a run with segments differs between 1 and 4 workers")
	}
}

// TestNoSegments: without segments every agent is in the default segment and there are no
// segment names.
func TestNoSegments(t *testing.T) {
	t.Parallel()
	cfg := testConfig(100, 1)
	s, seg := segmentsOf(t, cfg, 1, 1)
	if cfg.SegmentNames() != nil || s.segment != nil || slices.ContainsFunc(seg, func(g int) bool { return g != 0 }) {
		t.Error("a config without segments has segment state")
	}
}

// TestCommittedSegmentNeverLeaves: agents of a committed segment keep exactly the platforms
// an intervention gave them, through churn, a negative appeal and a rival that everyone prefers.
func TestCommittedSegmentNeverLeaves(t *testing.T) {
	t.Parallel()
	cfg := testConfig(2000, 30)
	cfg.Platforms[0].Churn, cfg.Platforms[0].Appeal, cfg.Platforms[0].NetworkWeight = 0.2, -1, 0
	cfg.Platforms[1].Launch, cfg.Platforms[1].Appeal, cfg.Platforms[1].P = 0, 5, 1
	cfg.Segments = []Segment{{Name: "loyal", Count: 300, Committed: true}}
	cfg.Events = []Event{{Kind: EventSeed, Platform: 0, Share: 1}}
	s, err := NewSimulation(cfg, 5, 2)
	if err != nil {
		t.Fatal(err)
	}
	for s.Advance() {
		loyal, others := 0, 0
		for i := range s.n {
			switch {
			case s.SegmentOf(i) == 1 && s.active[i] == 1:
				loyal++
			case s.SegmentOf(i) == 0 && s.active[i]&1 != 0:
				others++
			}
		}
		if loyal != 300 {
			t.Fatalf("step %d: %d of the 300 committed agents use only the first platform", s.Step(), loyal)
		}
		if s.Step() == cfg.Steps && others > 100 {
			t.Errorf("step %d: %d uncommitted agents still use the churning platform: the test shows nothing", s.Step(), others)
		}
	}
}

// TestSegmentValidation: exact messages for segments that cannot be assigned exactly.
func TestSegmentValidation(t *testing.T) {
	t.Parallel()
	cfg := testConfig(100, 1)
	cfg.Segments = []Segment{
		{Name: "a", Share: 0.6},
		{Name: "a", Count: 50},
		{Name: RestSegment, Share: 1.5},
		{Share: 0.1, Assign: "everyone"},
		{Name: "b", Count: 1, Assign: TargetBlock, Block: 0},
	}
	err := cfg.Validate()
	want := "invalid config: " + strings.Join([]string{
		`segments[1]: name "a" is taken (by an earlier segment or the default one, rest)`,
		`segments[1]: 50 agents, but only 40 of 100 are left after the segments before it`,
		`segments[2]: name "rest" is taken (by an earlier segment or the default one, rest)`,
		`segments[2]: share must be in [0, 1] and count >= 0, got share=1.5 count=0`,
		`segments[3].name is required`,
		`segments[3].assign: unknown "everyone" (valid: random, top_degree, block)`,
		`segments[3]: 10 agents, but only 0 of 100 are left after the segments before it`,
		`segments[4]: 1 agents, but only 0 of 100 are left after the segments before it`,
		`segments[4]: assign block needs a stochastic_block graph and a block index in [0, 0), got kind "erdos_renyi" and block 0`,
	}, "; ")
	if err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
}

// independentAgents is a config whose agents do not influence each other (no network benefit,
// no word of mouth), so that an agent's path depends on its own parameters and draws alone.
func independentAgents(agents, steps int) *Config {
	cfg := testConfig(agents, steps)
	for j := range cfg.Platforms {
		p := &cfg.Platforms[j]
		p.Launch, p.NetworkWeight, p.Q, p.P = 0, 0, 0, 0.05
	}
	return cfg
}

// runStates runs cfg and returns every agent's platform set at every step.
func runStates(t *testing.T, cfg *Config, seed uint64) (*Simulation, [][]uint8) {
	t.Helper()
	s, err := NewSimulation(cfg, seed, 2)
	if err != nil {
		t.Fatal(err)
	}
	states := [][]uint8{slices.Clone(s.active)}
	for s.Advance() {
		states = append(states, slices.Clone(s.active))
	}
	return s, states
}

// TestSegmentOverridesStayInTheirSegment: with agents that do not influence each other, a
// segment's overrides (of a platform's parameters, the threshold and the revision rate) and
// a marketing campaign and a ban aimed at it change its agents' paths and leave every other
// agent's exactly as without them.
func TestSegmentOverridesStayInTheirSegment(t *testing.T) {
	t.Parallel()
	plain := independentAgents(3000, 15)
	plain.Segments = []Segment{{Name: "a", Share: 0.2}, {Name: "b", Count: 500, Assign: TargetTopDegree}}
	overrides := map[string]func(c *Config){
		"platforms": func(c *Config) {
			c.Segments[0].Platforms = slices.Clone(c.Platforms)
			c.Segments[0].Platforms[1].Appeal, c.Segments[0].Platforms[0].Churn = 3, 0.5
		},
		"threshold":     func(c *Config) { c.Segments[0].Threshold = Distribution{Kind: DistUniform, Min: 1, Max: 2} },
		"revision rate": func(c *Config) { c.Segments[0].RevisionRate = 0.1 },
		"marketing": func(c *Config) {
			c.Events = append(c.Events, Event{Kind: EventMarketing, Platform: 1, At: 2, Until: 6, P: 0.9, Segment: 1})
		},
		"ban": func(c *Config) {
			c.Events = append(c.Events, Event{Kind: EventBan, Platform: 0, At: 4, AppealChange: -2, NetworkWeightFactor: 1, Segment: 1})
		},
	}
	s, want := runStates(t, plain, 9)
	for name, override := range overrides {
		cfg := *plain
		cfg.Segments = slices.Clone(plain.Segments)
		override(&cfg)
		_, got := runStates(t, &cfg, 9)
		changed := 0
		for step := range got {
			for i := range got[step] {
				switch {
				case s.SegmentOf(i) != 1 && got[step][i] != want[step][i]:
					t.Fatalf("%s: agent %d of segment %d moved differently at step %d", name, i, s.SegmentOf(i), step)
				case got[step][i] != want[step][i]:
					changed++
				}
			}
		}
		if changed == 0 {
			t.Errorf("%s: the segment's agents moved as without it", name)
		}
	}
}

// TestSegmentMarketingReachesOnlyItsSegment: under the bass rule with independent contagion
// and no other way to hear of it, a campaign of p = 1 aimed at a segment makes exactly its
// agents users at its first step, and nobody else ever.
func TestSegmentMarketingReachesOnlyItsSegment(t *testing.T) {
	t.Parallel()
	cfg := independentAgents(2000, 8)
	cfg.Decision.Rule, cfg.Decision.Contagion = RuleBass, ContagionIndependent
	cfg.Platforms[0].P, cfg.Platforms[1].P = 0, 0
	cfg.Segments = []Segment{{Name: "a", Count: 100}, {Name: "b", Count: 250}}
	cfg.Events = []Event{{Kind: EventMarketing, Platform: 1, At: 3, Until: 4, P: 1, Segment: 2}}
	ser := mustRun(t, cfg, 4, 2)
	for step := 0; step <= cfg.Steps; step++ {
		want := int64(0)
		if step >= 3 {
			want = 250
		}
		if got := ser.Users[ser.At(step, 1)]; got != want {
			t.Errorf("step %d: %d users, want %d", step, got, want)
		}
	}
}

// TestSegmentThresholdsKeepOthers: a segment's threshold distribution draws its own agents'
// thresholds and leaves everyone else's as without segments, normal or uniform; constant
// thresholds stay exact float64 values per segment.
func TestSegmentThresholdsKeepOthers(t *testing.T) {
	t.Parallel()
	for _, dist := range []Distribution{{Kind: DistNormal, Mean: 0.1, SD: 0.2}, {Kind: DistUniform, Min: -0.2, Max: 0.5}} {
		cfg := testConfig(1000, 1)
		cfg.Threshold = dist
		without, _ := segmentsOf(t, cfg, 2, 1)
		cfg.Segments = []Segment{{Name: "a", Share: 0.3, Threshold: Distribution{Kind: DistConstant, Value: 7}}}
		with, seg := segmentsOf(t, cfg, 2, 1)
		if with.theta == nil {
			t.Fatalf("%s thresholds of %d agents are not stored", dist.Kind, with.n)
		}
		for i, g := range seg {
			if g == 0 && with.drawnThreshold(i) != without.drawnThreshold(i) || g == 1 && with.drawnThreshold(i) != 7 {
				t.Fatalf("%s: agent %d of segment %d: threshold %g (%g without segments)", dist.Kind, i, g, with.drawnThreshold(i), without.drawnThreshold(i))
			}
		}
		cfg.Threshold = Distribution{Kind: DistConstant, Value: 0.1}
		consts, _ := segmentsOf(t, cfg, 2, 1)
		if consts.theta != nil || consts.uniformTheta != nil || !slices.Equal(consts.segTheta, []float64{0.1, 7}) {
			t.Errorf("constant thresholds: theta %v, per segment %v; want none and [0.1 7]", consts.theta != nil, consts.segTheta)
		}
	}
}

// TestUniformThresholdsAreTheDraws: thresholds drawn again when read are, agent by agent, the
// draws a run stores, bit for bit, with uniform and constant distributions mixed across
// segments (a constant -0 stays -0, a zero-width uniform from -0 gives +0, as drawn), and a
// run that draws them so gives the series of one that stores them; and draws are stored below
// redrawThresholdsFrom agents or with a normal distribution, which the memory estimate follows.
func TestUniformThresholdsAreTheDraws(t *testing.T) {
	t.Parallel()
	cfg := testConfig(2000, 30)
	cfg.Decision.Rule = RuleThreshold
	cfg.Threshold = Distribution{Kind: DistUniform, Min: 0.05, Max: 0.7}
	cfg.Segments = []Segment{
		{Name: "a", Share: 0.2, Threshold: Distribution{Kind: DistUniform, Min: -1, Max: 3}},
		{Name: "b", Count: 300, Threshold: Distribution{Kind: DistConstant, Value: 0.3}},
		{Name: "c", Count: 50, Threshold: Distribution{Kind: DistConstant, Value: math.Copysign(0, -1)}},
		{Name: "d", Count: 50, Threshold: Distribution{Kind: DistUniform, Min: math.Copysign(0, -1), Max: math.Copysign(0, -1)}},
	}
	stored, err := NewSimulation(cfg, 9, 1)
	if err != nil {
		t.Fatal(err)
	}
	redrawn, err := NewSimulation(cfg, 9, 1)
	if err != nil {
		t.Fatal(err)
	}
	if stored.theta == nil || stored.uniformTheta != nil {
		t.Fatalf("the thresholds of %d agents are not stored", stored.n)
	}
	redrawn.theta = nil
	redrawn.uniformTheta = newUniformThresholds(stepKey(redrawn.seed, streams.Threshold, 0), redrawn.cfg.segmentThresholds())
	for i := range stored.n {
		if got, want := redrawn.drawnThreshold(i), stored.drawnThreshold(i); math.Float32bits(got) != math.Float32bits(want) {
			t.Fatalf("agent %d of segment %d: threshold drawn again %g, stored %g", i, stored.SegmentOf(i), got, want)
		}
	}
	for stored.Advance() {
		redrawn.Advance()
	}
	if fmt.Sprint(*stored.Series()) != fmt.Sprint(*redrawn.Series()) {
		t.Error("thresholds drawn again when read change the series")
	}

	uniform := []Distribution{cfg.Threshold, {Kind: DistConstant}}
	normal := []Distribution{cfg.Threshold, {Kind: DistNormal, SD: 1}}
	if storesThresholds(redrawThresholdsFrom, uniform) || !storesThresholds(redrawThresholdsFrom-1, uniform) ||
		!storesThresholds(redrawThresholdsFrom, normal) {
		t.Error("thresholds are not stored exactly below redrawThresholdsFrom agents or with a normal distribution")
	}
	big := testConfig(redrawThresholdsFrom, 1)
	withNormal := big.MemoryEstimate()
	big.Threshold = cfg.Threshold
	if got := withNormal - big.MemoryEstimate(); got != 4*redrawThresholdsFrom {
		t.Errorf("at %d agents, storing normal thresholds costs %g bytes more than drawing uniform ones again, want 4 per agent", big.Agents, got)
	}
}

// TestSegmentOverrideValidation: exact messages for bad overrides and event segments.
func TestSegmentOverrideValidation(t *testing.T) {
	t.Parallel()
	cfg := testConfig(100, 1)
	bad := DefaultPlatform("x")
	bad.Churn = 2
	cheap := cfg.Platforms[0]
	cheap.SwitchingCost = -1
	cfg.Segments = []Segment{
		{Name: "a", Share: 0.1, Platforms: []Platform{bad}, Threshold: Distribution{Kind: "gamma"}, RevisionRate: 2},
		{Name: "b", Share: 0.1, Platforms: []Platform{cheap, bad}},
	}
	cfg.Events = []Event{{Kind: EventMarketing, P: 0.1, Segment: 3}, {Kind: EventSeed, Nodes: []int{1}, Segment: 1}}
	want := "invalid config: " + strings.Join([]string{
		`events[0]: segment 3 out of range [0, 2] (0 is every agent)`,
		`events[1]: listed nodes cannot be limited to a segment`,
		`segments[0].platforms: one per platform (2), got 1`,
		`segments[0].platforms[0]: churn and investment_rate must be in [0, 1], got 2 and 0.05`,
		`segments[0].threshold.kind: unknown "gamma" (valid: constant, uniform, normal)`,
		`segments[0].revision_rate must be in [0, 1] (0 keeps the decision's), got 2`,
		`segments[1].platforms[0].switching_cost must be >= 0 (a cost of leaving), got -1`,
		`segments[1].platforms[1]: churn and investment_rate must be in [0, 1], got 2 and 0.05`,
	}, "; ")
	if err := cfg.Validate(); err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
}

// TestSegmentSeriesAddUp: per-segment users and registered add up over the segments to the
// totals at every step and platform, under both update schemes, and match a count of the
// agents' states by segment.
func TestSegmentSeriesAddUp(t *testing.T) {
	t.Parallel()
	for _, update := range []Update{Synchronous, RandomSequential} {
		cfg := testConfig(3000, 12)
		cfg.Decision.Update = update
		cfg.Platforms[1].Launch = 2
		cfg.Segments = []Segment{{Name: "a", Share: 0.25}, {Name: "b", Count: 300, Assign: TargetTopDegree}}
		cfg.Events = []Event{{Kind: EventPreinstall, Platform: 1, At: 3, Share: 0.5, Segment: 1}}
		s, err := NewSimulation(cfg, 8, 2)
		if err != nil {
			t.Fatal(err)
		}
		for s.Advance() {
			ser := s.Series()
			var users, registered [3][2]int64
			for i := range s.n {
				for j := range 2 {
					users[s.SegmentOf(i)][j] += int64(s.active[i] >> j & 1)
					registered[s.SegmentOf(i)][j] += int64(s.registered[i] >> j & 1)
				}
			}
			for j := range 2 {
				var sumUsers, sumRegistered int64
				for g := range 3 {
					at := ser.AtSegment(s.Step(), g, j)
					if ser.SegmentUsers[at] != users[g][j] || ser.SegmentRegistered[at] != registered[g][j] {
						t.Fatalf("%s step %d segment %d platform %d: %d users, %d registered; the agents say %d and %d", update, s.Step(), g, j, ser.SegmentUsers[at], ser.SegmentRegistered[at], users[g][j], registered[g][j])
					}
					sumUsers += ser.SegmentUsers[at]
					sumRegistered += ser.SegmentRegistered[at]
				}
				if sumUsers != ser.Users[ser.At(s.Step(), j)] || sumRegistered != ser.Registered[ser.At(s.Step(), j)] {
					t.Fatalf("%s step %d platform %d: segments add up to %d users and %d registered, totals %d and %d", update, s.Step(), j, sumUsers, sumRegistered, ser.Users[ser.At(s.Step(), j)], ser.Registered[ser.At(s.Step(), j)])
				}
			}
		}
	}
}

// TestSegmentInstalls: a seed, a preinstall and a flow aimed at a segment reach its agents
// only, in their exact numbers (a flow's share is of the segment).
func TestSegmentInstalls(t *testing.T) {
	t.Parallel()
	cfg := unwantedEntrant(2000, 6, RuleThreshold)
	cfg.Segments = []Segment{{Name: "a", Count: 400}, {Name: "b", Count: 500}}
	cfg.Events = []Event{
		{Kind: EventSeed, Platform: 0, Count: 30, Segment: 2},
		{Kind: EventPreinstall, Platform: 1, Count: 50, At: 1, Segment: 1},
		{Kind: EventPreinstall, Platform: 1, Share: 0.1, At: 2, Until: 5, PerStep: true, Segment: 2},
		{Kind: EventSeed, Platform: 0, Count: 20, Target: TargetTopDegree, At: 5, Segment: 1},
	}
	cfg.Platforms[0].P, cfg.Platforms[0].Q = 0, 0
	ser := mustRun(t, cfg, 3, 2)
	want := map[[2]int]int64{ // registered at the end, by segment and platform
		{0, 1}: 0, {1, 1}: 50, {2, 1}: 150, {2, 0}: 30, {1, 0}: 20, {0, 0}: 0,
	}
	for key, n := range want {
		if got := ser.SegmentRegistered[ser.AtSegment(cfg.Steps, key[0], key[1])]; got != n {
			t.Errorf("segment %d platform %d: %d registered, want %d", key[0], key[1], got, n)
		}
	}
}
