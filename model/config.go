package model

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/msgsim/msgsim/model/graph"
)

// MaxPlatforms bounds the number of platforms: an agent's platform set is a uint8 bit mask.
const MaxPlatforms = 8

// Config fully describes one simulation. An empty enumerated field (a kind, rule, update,
// benefit, contagion or target) means its documented default, the one Defaults sets. Numbers
// have no implicit default, since zero is a meaningful value for most of them (no network
// weight, no investment, no rewiring): start from Defaults and DefaultPlatform. Validate
// refuses what the engine cannot run, such as a zero temperature under the logit rule.
type Config struct {
	Agents    int          // N, number of agents (graph nodes)
	Steps     int          // number of steps after the initial state (step 0)
	Graph     GraphSpec    // contact graph
	Decision  Decision     // how agents choose
	Platforms []Platform   // at least one, at most MaxPlatforms
	Events    []Event      // interventions on the timeline
	Threshold Distribution // per-agent taste/threshold theta_i
	// ActiveWindow W, when above 1, makes the series also count, per platform, the agents
	// that used it at some step of the last W (Series.WindowedActive): monthly actives from
	// weekly steps with W = 4. The zero value (or 1) records today's active users only and
	// costs nothing.
	ActiveWindow int
	// Market is the addressable market over time; the zero value puts everyone in it from
	// step 0 at no cost.
	Market Market
	// Segments are named groups of agents (see Segment); nil puts everyone in the default
	// segment and costs nothing.
	Segments []Segment
	// Layers, when not empty, are the contact graphs over the agents, replacing Graph (which
	// is then not read): friendships, vendor-buyer ties. The network benefit sums over them
	// (Platform.LayerWeights); word of mouth and the threshold rule's degree are the first
	// layer's. Empty, Graph is the one layer.
	Layers []Layer
}

// Layer is one named contact graph of a multi-layer config. The first layer is drawn from
// the stream Graph is drawn from, so a config whose one layer is its Graph runs alike; each
// later layer from a stream of its own.
type Layer struct {
	Name  string
	Graph GraphSpec
}

// MaxLayers bounds len(Config.Layers): each layer after the first costs every agent a
// neighbour count per platform, and a platform's parameters in force carry a weight per layer.
const MaxLayers = 4

// MaxActiveWindow bounds ActiveWindow: each agent keeps, per platform, the steps left in its
// window as a uint16.
const MaxActiveWindow = math.MaxUint16

// GraphKind names a contact-graph family.
type GraphKind string

// The graph kinds msgsim generates, plus GraphGiven for a graph supplied by the caller (an edge list).
const (
	GraphErdosRenyi     GraphKind = "erdos_renyi"
	GraphBarabasiAlbert GraphKind = "barabasi_albert"
	GraphWattsStrogatz  GraphKind = "watts_strogatz"
	GraphBlocks         GraphKind = "stochastic_block"
	GraphComplete       GraphKind = "complete"
	GraphGiven          GraphKind = "file"
	// GraphBipartite joins the agents of two segments (GraphSpec.Between), as vendors and
	// buyers: a layer after the first only, since segments are assigned on the first.
	GraphBipartite GraphKind = "bipartite"
)

// GraphKinds lists every kind, in documentation order.
var GraphKinds = []GraphKind{GraphErdosRenyi, GraphBarabasiAlbert, GraphWattsStrogatz, GraphBlocks, GraphComplete, GraphGiven, GraphBipartite}

// GraphSpec describes the contact graph. Generated graphs are drawn anew for every replicate
// from the replicate's seed; a Given graph is shared by all replicates.
type GraphSpec struct {
	Kind       GraphKind
	MeanDegree float64 // erdos_renyi, bipartite (over the agents of both segments)
	M          int     // barabasi_albert: edges per new node
	K          int     // watts_strogatz: lattice degree (even)
	Beta       float64 // watts_strogatz: rewiring probability
	BlockSizes []int   // stochastic_block: sizes, summing to Agents
	PIn, POut  float64 // stochastic_block: edge probability within and between blocks
	Given      *graph.CSR
	// Between names, for a bipartite layer, its two segments: indices into
	// Config.SegmentNames (0 is the default segment), different from each other.
	Between [2]int
}

// Rule is the decision rule agents use.
type Rule string

// Decision rules.
const (
	// RuleBass: a non-user adopts platform j with the Bass hazard and never revises; users leave only by churn.
	RuleBass Rule = "bass"
	// RuleLogit: aware agents pick among moves with probability proportional to exp(U/T).
	RuleLogit Rule = "logit"
	// RuleThreshold: aware agents make the best move, and only when it is strictly better than staying.
	RuleThreshold Rule = "threshold"
)

// Update is the order in which agents decide within a step.
type Update string

// Update schemes.
const (
	// Synchronous: every agent decides on the state at the start of the step; runs on all cores.
	Synchronous Update = "synchronous"
	// RandomSequential: agents decide one by one in a fresh random order, each seeing earlier moves.
	RandomSequential Update = "random_sequential"
)

// Benefit is how a platform's network benefit counts contacts.
type Benefit string

// Network benefit measures.
const (
	BenefitFraction Benefit = "fraction" // share of one's contacts on the platform, in [0, 1]
	BenefitCount    Benefit = "count"    // number of one's contacts on the platform
)

// Contagion is the form of the word-of-mouth hazard.
type Contagion string

// Contagion forms.
const (
	// ContagionFraction: hazard 1 - exp(-(p + q a/k)), Bass (1969) with the share of adopted contacts.
	ContagionFraction Contagion = "fraction"
	// ContagionIndependent: 1 - (1-p)(1-q)^a, each adopted contact a separate chance
	// (Goldenberg, Libai & Muller 2001).
	ContagionIndependent Contagion = "independent"
)

// Decision configures the agents' choice.
type Decision struct {
	Rule            Rule
	Update          Update
	Temperature     float64 // logit temperature T, in [MinTemperature, MaxTemperature]
	RevisionRate    float64 // chance per step that an aware agent reconsiders, in (0, 1]
	Benefit         Benefit
	Contagion       Contagion
	MultiHomingCost float64 // utility cost of each platform used beyond the first
}

// Platform is one messenger.
type Platform struct {
	Name           string
	Launch         int     // first step at which it exists
	Appeal         float64 // intrinsic utility a_j
	P              float64 // innovation (marketing) rate per step
	Q              float64 // imitation (word-of-mouth) rate per step
	NetworkWeight  float64 // w_j, utility per unit of network benefit
	SwitchingCost  float64 // utility lost when leaving it with full investment, >= 0
	InvestmentRate float64 // investment grows by rate*(1-investment) per step of use
	Churn          float64 // chance per step that a user drops it regardless of utility
	// LayerWeights scale NetworkWeight on each layer of Config.Layers, in order: the weight
	// of the network benefit on layer l is NetworkWeight x LayerWeights[l]. nil means 1 on
	// the first layer and 0 on the others, which is the one-layer model; a segment's or a
	// ban's change of NetworkWeight scales every layer alike.
	LayerWeights []float64
}

// DistributionKind names a distribution for per-agent thresholds.
type DistributionKind string

// Distribution kinds.
const (
	DistConstant DistributionKind = "constant"
	DistUniform  DistributionKind = "uniform"
	DistNormal   DistributionKind = "normal"
)

// Distribution is a one-dimensional distribution: constant (Value), uniform [Min, Max], or
// normal (Mean, SD) truncated to [Min, Max] when Min < Max.
type Distribution struct {
	Kind     DistributionKind
	Value    float64
	Min, Max float64
	Mean, SD float64
}

// EventKind names an intervention.
type EventKind string

// Intervention kinds.
const (
	// EventSeed makes chosen agents (ids, top-degree or random) start using the platform.
	EventSeed EventKind = "seed"
	// EventPreinstall puts the platform on the phones of a share or count of agents that lack
	// it (e.g. a carrier deal): they become registered and aware of it, and use it only when
	// their own choice rule says so (Event.Active makes them users at once). Event.PerStep
	// makes it a flow: phones sold each step with the app on them.
	EventPreinstall EventKind = "preinstall"
	// EventMarketing sets the platform's innovation rate p for a period.
	EventMarketing EventKind = "marketing"
	// EventBan lowers a platform's appeal and scales its network benefit for a period (a
	// feature block, e.g. Taobao links banned from WeChat).
	EventBan EventKind = "ban"
)

// Target says which agents an event reaches.
type Target string

// Targets.
const (
	TargetRandom    Target = "random"     // a uniformly random share
	TargetTopDegree Target = "top_degree" // the best-connected agents first
	TargetBlock     Target = "block"      // a share of one community (stochastic_block graphs)
)

// Event is one intervention. It starts at step At and, for marketing, ban and a preinstall
// flow, lasts until step Until (exclusive; 0 = to the end). The zero value of each field is
// its default: a random target, a one-shot and sleeping preinstall, nobody committed.
type Event struct {
	Kind     EventKind
	Platform int // index into Config.Platforms
	At       int
	Until    int
	// seed
	Nodes []int // explicit agent ids
	Count int   // number of agents (top_degree or random)
	// seed, preinstall
	Share  float64 // share of eligible agents, in [0, 1]; of all agents (in the market) per step for a flow
	Target Target
	Block  int
	// Committed agents keep their platforms for good: they never churn or revise (nor, under
	// the bass rule, adopt by hearing), so only interventions change what they use. Committed
	// seeds are the fixed early adopters of Watts's (2002) cascade model.
	Committed bool
	// preinstall
	// Active makes the installed agents users at once, as a seed does (seeds always are).
	// Without it (the default) they are registered and aware but not users: most
	// preinstalled apps are never opened, and an agent opens it only when its own choice rule
	// says so (under the bass rule, by hearing of it; otherwise when it next revises).
	Active bool
	// PerStep makes a preinstall a flow over [At, Until): each step installs Count agents, or
	// a share of all agents such that the first k steps install round(k*Share*Agents) in
	// total, among the agents that lack the platform (all of them when fewer remain).
	PerStep bool
	// marketing
	P float64
	// Segment narrows the event to one segment's agents: 1 + an index into Config.Segments
	// (an index into Config.SegmentNames); 0, the default, reaches every agent. A seed or
	// preinstall then picks its agents within the segment (a share is of its eligible
	// agents, a flow's share of its agents per step; listed Nodes are not allowed);
	// marketing and bans change the segment's parameters only.
	Segment int
	// ban
	AppealChange        float64 // added to the appeal
	NetworkWeightFactor float64 // multiplies the network weight, in [0, 1]: set 1 to keep it (0 removes it)
	// Layer narrows a ban's NetworkWeightFactor to one layer: 1 + an index into
	// Config.Layers; 0, the default, scales the weight on every layer. With Segment, it cuts
	// one platform's benefit on one layer for one segment's agents (Taobao vendors'
	// commerce ties on WeChat).
	Layer int
}

// Temperature bounds for the logit rule. Utility gains are divided by T, so T and 1/T must
// both stay far from float64's limits: below about 5.6e-309, 1/T overflows to +Inf and a tie
// between two moves weighs 0 x Inf = NaN.
const (
	MinTemperature = 1e-300
	MaxTemperature = 1e300
)

// MaxUtility bounds the magnitude of utility-valued fields (appeals, weights, costs,
// thresholds, appeal changes): sums of utilities far beyond it lose all precision, and
// infinite ones give NaN gains.
const MaxUtility = 1e6

// Defaults returns the documented defaults for every optional field; the scenarios package
// overlays a file on them.
func Defaults() Config {
	return Config{
		Agents: 10000,
		Steps:  100,
		Graph:  GraphSpec{Kind: GraphErdosRenyi, MeanDegree: 10},
		Decision: Decision{
			Rule:         RuleLogit,
			Update:       Synchronous,
			Temperature:  0.1,
			RevisionRate: 1,
			Benefit:      BenefitFraction,
			Contagion:    ContagionFraction,
		},
		Threshold: Distribution{Kind: DistConstant},
		Market:    Market{Order: EntryRandom},
	}
}

// DefaultPlatform returns a platform's defaults: launched at step 0, neutral appeal, unit network weight.
func DefaultPlatform(name string) Platform {
	return Platform{Name: name, NetworkWeight: 1, InvestmentRate: 0.05}
}

// withDefaults returns c with every empty enumerated field set to its documented default.
// Targets need no entry: the engine reads an empty one as random.
func (c *Config) withDefaults() Config {
	out, d := *c, Defaults()
	if out.Graph.Kind == "" {
		out.Graph.Kind = d.Graph.Kind
	}
	out.Layers = slices.Clone(out.Layers)
	for l := range out.Layers {
		if out.Layers[l].Graph.Kind == "" {
			out.Layers[l].Graph.Kind = d.Graph.Kind
		}
	}
	if out.Decision.Rule == "" {
		out.Decision.Rule = d.Decision.Rule
	}
	if out.Decision.Update == "" {
		out.Decision.Update = d.Decision.Update
	}
	if out.Decision.Benefit == "" {
		out.Decision.Benefit = d.Decision.Benefit
	}
	if out.Decision.Contagion == "" {
		out.Decision.Contagion = d.Decision.Contagion
	}
	if out.Threshold.Kind == "" {
		out.Threshold.Kind = d.Threshold.Kind
	}
	if out.Market.Order == "" {
		out.Market.Order = d.Market.Order
	}
	return out
}

// Validate reports every inconsistency in c that would make the engine fail or run something
// other than what c says. The scenarios package checks the same rules with file positions;
// this guards programmatic callers.
func (c *Config) Validate() error {
	var errs []string
	add := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }
	// An empty enumerated field is its default (see withDefaults); an event needs a kind.
	oneOf := func(field string, value string, valid ...string) {
		if value != "" && !slices.Contains(valid, value) {
			add("%s: unknown %q (valid: %s)", field, value, strings.Join(valid, ", "))
		}
	}
	kinds := make([]string, len(GraphKinds))
	for i, k := range GraphKinds {
		kinds[i] = string(k)
	}
	oneOf("graph.kind", string(c.Graph.Kind), kinds...)
	first := c.FirstGraph()
	dec := c.Decision
	oneOf("decision.rule", string(dec.Rule), string(RuleLogit), string(RuleThreshold), string(RuleBass))
	oneOf("decision.update", string(dec.Update), string(Synchronous), string(RandomSequential))
	oneOf("decision.benefit", string(dec.Benefit), string(BenefitFraction), string(BenefitCount))
	oneOf("decision.contagion", string(dec.Contagion), string(ContagionFraction), string(ContagionIndependent))
	if c.Agents < 1 || c.Agents > math.MaxInt32 {
		add("agents must be in [1, %d], got %d", math.MaxInt32, c.Agents)
	}
	if c.Steps < 0 {
		add("steps must be >= 0, got %d", c.Steps)
	}
	if c.ActiveWindow < 0 || c.ActiveWindow > MaxActiveWindow {
		add("active_window must be in [0, %d], got %d", MaxActiveWindow, c.ActiveWindow)
	}
	if n := len(c.Platforms); n < 1 || n > MaxPlatforms {
		add("platforms: need 1 to %d, got %d", MaxPlatforms, n)
	}
	if t := dec.Temperature; (dec.Rule == RuleLogit || dec.Rule == "") && !(t >= MinTemperature && t <= MaxTemperature) {
		add("decision.temperature must be in [%g, %g] for the logit rule, got %g", MinTemperature, MaxTemperature, t)
	}
	if r := dec.RevisionRate; !(r > 0 && r <= 1) {
		add("decision.revision_rate must be in (0, 1], got %g", r)
	}
	utility(add, "decision.multihoming_cost", dec.MultiHomingCost)
	validateDistribution("threshold", c.Threshold, add)
	for i, p := range c.Platforms {
		validatePlatformParams(fmt.Sprintf("platforms[%d]", i), p, add)
	}
	for i, e := range c.Events {
		if e.Kind == "" {
			add("events[%d].kind is required", i)
		}
		oneOf(fmt.Sprintf("events[%d].kind", i), string(e.Kind), string(EventSeed), string(EventPreinstall), string(EventMarketing), string(EventBan))
		oneOf(fmt.Sprintf("events[%d].target", i), string(e.Target), string(TargetRandom), string(TargetTopDegree), string(TargetBlock))
		if e.Platform < 0 || e.Platform >= len(c.Platforms) {
			add("events[%d]: platform index %d out of range", i, e.Platform)
		}
		for _, id := range e.Nodes {
			if id < 0 || id >= c.Agents {
				add("events[%d]: node %d out of range [0, %d)", i, id, c.Agents)
			}
		}
		utility(add, fmt.Sprintf("events[%d].appeal_change", i), e.AppealChange)
		if e.At < 0 || e.Until != 0 && e.Until <= e.At {
			add("events[%d]: at must be >= 0 and until 0 (to the end) or after at, got at=%d until=%d", i, e.At, e.Until)
		}
		if !(e.Share >= 0 && e.Share <= 1) || e.Count < 0 || !(e.P >= 0) {
			add("events[%d]: share must be in [0, 1], count and p >= 0, got share=%g count=%d p=%g", i, e.Share, e.Count, e.P)
		}
		if e.Kind == EventBan && !(e.NetworkWeightFactor >= 0 && e.NetworkWeightFactor <= 1) {
			add("events[%d].network_weight_factor must be in [0, 1] (0 removes the network benefit; no ban is 1), got %g", i, e.NetworkWeightFactor)
		}
		if e.Target == TargetBlock && (first.Kind != GraphBlocks || e.Block < 0 || e.Block >= len(first.BlockSizes)) {
			add("events[%d]: target block needs a stochastic_block graph and a block index in [0, %d), got kind %q and block %d", i, len(first.BlockSizes), first.Kind, e.Block)
		}
		if e.Layer != 0 && (e.Kind != EventBan || e.Layer < 0 || e.Layer > len(c.Layers)) {
			add("events[%d]: layer %d needs a ban and a layer index in [1, %d] (0 is every layer)", i, e.Layer, len(c.Layers))
		}
		if e.Segment < 0 || e.Segment > len(c.Segments) {
			add("events[%d]: segment %d out of range [0, %d] (0 is every agent)", i, e.Segment, len(c.Segments))
		} else if e.Segment > 0 && len(e.Nodes) > 0 {
			add("events[%d]: listed nodes cannot be limited to a segment", i)
		}
		if e.Committed && e.Kind != EventSeed && e.Kind != EventPreinstall {
			add("events[%d].committed applies to seed and preinstall events, not %s", i, e.Kind)
		}
		validateInstall(i, e, add)
	}
	c.Market.validate(add)
	c.validateSegments(add)
	if len(c.Layers) == 0 {
		c.validateGraph("graph", c.Graph, add)
	}
	c.validateLayers(add)
	if len(errs) > 0 {
		return fmt.Errorf("invalid config: %s", strings.Join(errs, "; "))
	}
	return nil
}

// validateGraph checks a graph spec that needs more than its kind; name is where it is.
func (c *Config) validateGraph(name string, g GraphSpec, add func(format string, args ...any)) {
	switch g.Kind {
	case GraphGiven:
		if g.Given == nil {
			add("%s: kind file needs a loaded graph", name)
		} else if g.Given.NumNodes() != c.Agents {
			add("agents (%d) must equal the loaded graph's node count (%d)", c.Agents, g.Given.NumNodes())
		}
	case GraphBlocks:
		sum := 0
		for _, s := range g.BlockSizes {
			sum += s
		}
		if sum != c.Agents {
			add("%s.blocks must sum to agents (%d), got %d", name, c.Agents, sum)
		}
	}
}

// validatePlatformParams checks a platform's parameters, or a segment's overrides of them;
// name is where they are, e.g. platforms[1].
func validatePlatformParams(name string, p Platform, add func(format string, args ...any)) {
	// Finite: an infinite q made a contact-less agent's hazard p + Inf x 0 = NaN, so that it
	// never heard of the platform (a 2,000-agent Bass run stayed at 0 or 1 users, where q =
	// 1e300 reached 1,918 by step 7).
	if !(p.P >= 0 && p.P <= math.MaxFloat64) || !(p.Q >= 0 && p.Q <= math.MaxFloat64) {
		add("%s: p and q must be finite and >= 0, got p=%g q=%g", name, p.P, p.Q)
	}
	if !(p.Churn >= 0 && p.Churn <= 1) || !(p.InvestmentRate >= 0 && p.InvestmentRate <= 1) {
		add("%s: churn and investment_rate must be in [0, 1], got %g and %g", name, p.Churn, p.InvestmentRate)
	}
	utility(add, name+".appeal", p.Appeal)
	utility(add, name+".network_weight", p.NetworkWeight)
	// A cost: a threshold agent that is not stale skips its choice, and a logit agent's stay
	// bound stays a bound, because its investment only grows, which leaves leaving only
	// dearer; a negative cost (a bonus for leaving that grows with investment) would change
	// the choice of agents that skip it. (The scenario files always required >= 0; the
	// library took any utility, and such runs differed from the model in most of their
	// series.)
	if !(p.SwitchingCost >= 0) {
		add("%s.switching_cost must be >= 0 (a cost of leaving), got %g", name, p.SwitchingCost)
	} else {
		utility(add, name+".switching_cost", p.SwitchingCost)
	}
}

// validateDistribution checks a threshold distribution; name is where it is.
func validateDistribution(name string, d Distribution, add func(format string, args ...any)) {
	if d.Kind != "" && !slices.Contains(DistributionKinds, d.Kind) {
		add("%s.kind: unknown %q (valid: %s)", name, d.Kind, strings.Join(Names(DistributionKinds), ", "))
	}
	for _, f := range []struct {
		name string
		x    float64
	}{{"value", d.Value}, {"min", d.Min}, {"max", d.Max}, {"mean", d.Mean}, {"sd", d.SD}} {
		utility(add, name+"."+f.name, f.x)
	}
}

// utility checks a utility-valued field is a sensible magnitude.
func utility(add func(format string, args ...any), field string, x float64) {
	if !(math.Abs(x) <= MaxUtility) {
		add("%s must be in [%g, %g] (a utility), got %g", field, -MaxUtility, MaxUtility, x)
	}
}

// validateInstall checks the fields only preinstalls use: a sleeping install cannot be
// committed (a committed agent never revises, so it would never open the app) and until
// bounds flows only, as a one-shot install has no duration.
func validateInstall(i int, e Event, add func(format string, args ...any)) {
	if (e.Active || e.PerStep) && e.Kind != EventPreinstall {
		add("events[%d]: active and per_step apply to preinstall events, not %s", i, e.Kind)
	}
	if e.Kind == EventPreinstall && e.Committed && !e.Active {
		add("events[%d].committed needs active: a committed agent never revises, so a sleeping install would never be opened", i)
	}
	if (e.Kind == EventSeed || e.Kind == EventPreinstall) && !e.PerStep && e.Until != 0 {
		add("events[%d].until applies to flows (per_step preinstalls), not one-shot %s events", i, e.Kind)
	}
	if e.PerStep && len(e.Nodes) > 0 {
		add("events[%d]: a flow installs a count or a share per step, not listed nodes", i)
	}
}
