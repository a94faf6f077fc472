package model

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"runtime/debug"
	"slices"

	"github.com/msgsim/msgsim/internal/streams"
	"github.com/msgsim/msgsim/model/graph"
)

// blockSize is the number of agents a goroutine takes at a time: large enough to amortise
// scheduling, small enough to balance two to sixteen cores.
const blockSize = 8192

// RunOptions are the knobs of one run that are not part of the scenario.
type RunOptions struct {
	Seed    uint64
	Workers int // goroutines for this run; <= 0 means GOMAXPROCS
	// Progress, if set, is called after each step with the number of steps done. It runs on
	// the simulation goroutine, so it must be quick.
	Progress func(step int)
}

// Run simulates cfg once and returns its series. The result depends only on cfg and
// opts.Seed, never on opts.Workers.
func Run(ctx context.Context, cfg *Config, opts RunOptions) (*Series, error) {
	sim, err := NewSimulation(cfg, opts.Seed, opts.Workers)
	if err != nil {
		return nil, err
	}
	for sim.Step() < cfg.Steps {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		sim.Advance()
		if opts.Progress != nil {
			opts.Progress(sim.Step())
		}
	}
	return sim.Series(), nil
}

// platformNow is a platform's parameters in force at the current step, after interventions.
type platformNow struct {
	launched       bool
	appeal         float64
	networkWeight  float64
	p, q           float64
	churn          float64
	switchingCost  float64
	investmentRate float32
	// layerWeights are the network weights on the layers after the first (networkWeight is
	// the first's); zero without layers.
	layerWeights [MaxLayers - 1]float64
}

// Simulation is a run in progress. Most callers use Run; tests and benchmarks drive steps
// themselves to inspect the state.
type Simulation struct {
	cfg     *Config
	n, np   int
	g       *graph.Rows // nil for the complete graph, which is handled in closed form
	blocks  []int32     // community of each agent (stochastic_block graphs), else nil
	seed    uint64
	workers int
	step    int

	active     []uint8 // platforms each agent uses (bit j = platform j)
	aware      []uint8 // platforms each agent knows of
	registered []uint8 // platforms each agent has ever had
	// use16 or use32 counts, per agent and platform, the steps at whose end the agent used
	// the platform, from which its investment follows (see investment.go): use16 when the
	// run has fewer than 2^16 steps, use32 otherwise; both nil when no investment grows.
	use16 []uint16
	use32 []int32
	// curves holds, per platform, its investment after k steps of use (curves[j][k]).
	curves [MaxPlatforms][]float32
	// theta is each agent's threshold (taste cost of using a messenger), drawn from the
	// threshold distribution; nil when it is constant, so that the constant is compared in
	// full float64 precision (thetaConst) and ties with a/k are exact, and when its draws are
	// made again when read (uniformTheta: every distribution uniform or constant, at least
	// redrawThresholdsFrom agents).
	theta        []float32
	thetaConst   float64
	uniformTheta *uniformThresholds
	counts       neighbourCounts // [agent*np + j]: contacts using platform j; none on a complete graph
	// layers are the contact graphs after the first (g, counts), with their counts; nil with
	// one layer.
	layers []layerState
	totals [MaxPlatforms]int64
	// levels are the levels the series record, kept up to date move by move.
	levels levels
	// committed marks agents that keep their platforms for good (Event.Committed); nil when
	// no event commits anyone, so that runs without commitments pay nothing for it.
	committed []bool
	// segment is each agent's segment (an index into Config.SegmentNames); nil without
	// segments.
	segment []uint8
	// recent holds, per agent and platform, the steps left in the active window (see
	// tallyWindow); nil unless the window W (window) is above 1.
	recent []uint16
	window uint16

	now      [MaxPlatforms]platformNow
	prevNow  [MaxPlatforms]platformNow
	launched uint8 // platforms that exist this step
	// churning holds the platforms that some agent may drop by churn this step (under the
	// parameters of any segment).
	churning uint8
	// segNow is, with segments, the parameters in force for each segment's agents (its
	// overrides and the events that reach it; segNow[0] is the default segment's), which
	// decisions read instead of now; nil without segments. segRevision holds each segment's
	// revision rate, and segTheta, when every threshold distribution is constant, each
	// segment's threshold.
	segNow      [][MaxPlatforms]platformNow
	prevSegNow  [][MaxPlatforms]platformNow
	segRevision []float64
	segTheta    []float64

	// stale marks agents whose inputs may have changed since they last chose: a contact
	// moved, they moved, or the parameters changed. A threshold agent that chose to stay and
	// is not stale would choose to stay again (its investment only grows, which only makes
	// leaving dearer), so it skips the choice: a quiet step then costs little more than its
	// bookkeeping. A logit agent that is not stale has a stayBound. nil under the threshold
	// rule on the complete graph (where every move changes everyone's counts), and under
	// the others unless the run keeps stay bounds (cachesStayBounds).
	stale []uint8
	// allStale tells that every agent was marked stale (by a recount, or a change of the
	// parameters in force) and no decision has run since: no agent is quiet, so the next
	// decisions skim nothing (see skims).
	allStale bool
	// stayBound is, for a logit agent that is not stale, a bound on the largest of its
	// moves' scaled gains, which only fall while it is not stale: see cachesStayBounds.
	stayBound []float32
	market    *marketState // nil unless the market grows (Config.Market)
	// perAgent tells whether decide must look agent i up before its draws: a growing market,
	// commitments or segments. One test of it per agent stands for their three, so that a
	// run without them pays what it did before they existed.
	perAgent bool
	// decideEachAgent makes the synchronous steps of a run that decidesTwo call decide for
	// each agent instead of decideTwo: tests set it to compare the two.
	decideEachAgent bool
	results         []blockResult
	movers          int         // agents whose decision changed their set in the last step
	clock           *phaseClock // times each phase of a step; nil unless SetPhaseTimer turned it on
	byDegree        []int32     // agents sorted by degree, descending; built on first use
	series          *Series
}

// NewSimulation builds the graph and the initial state (step 0, after step-0 interventions).
func NewSimulation(config *Config, seed uint64, workers int) (*Simulation, error) {
	if err := config.Validate(); err != nil {
		return nil, err
	}
	resolved := config.withDefaults()
	cfg := &resolved
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	s := &Simulation{cfg: cfg, n: cfg.Agents, np: len(cfg.Platforms), seed: seed, workers: workers}
	if err := s.buildGraph(); err != nil {
		return nil, err
	}
	if s.g != nil && len(s.g.Neighbors) > 1<<26 {
		// Hand the builder's pending edge list and the graph's int64 offsets (graph.Compact)
		// back to the system before the agents' state is allocated, so the two never
		// coexist: that is what lets the largest graphs fit. A collection alone leaves the
		// freed pages resident until the heap reuses them, and the state's slices do not
		// fit them exactly: at 3e8 agents, 1.2 GB of them stayed in the peak.
		debug.FreeOSMemory()
	}
	s.active = make([]uint8, s.n)
	s.aware = make([]uint8, s.n)
	if cfg.Decision.Rule == RuleThreshold && s.g != nil {
		s.stale = make([]uint8, s.n)
	}
	if cachesStayBounds(cfg) {
		s.stale = make([]uint8, s.n)
		s.stayBound = make([]float32, s.n)
	}
	s.registered = make([]uint8, s.n)
	if cfg.commits() {
		s.committed = make([]bool, s.n)
	}
	s.assignSegments()
	if err := s.buildLayers(); err != nil {
		return nil, err
	}
	if cfg.ActiveWindow > 1 {
		s.recent, s.window = make([]uint16, s.n*s.np), uint16(cfg.ActiveWindow)
	}
	s.startInvestment()
	if s.g != nil {
		s.counts = newCounts(s.g, s.np)
	}
	s.assignThresholds()
	s.results = make([]blockResult, (s.n+blockSize-1)/blockSize)
	s.initSegmentParams()
	s.series = newSeries(cfg)
	if cfg.Market.Growing() {
		s.market = s.newMarketState(cfg.Market)
	}
	s.perAgent = s.market != nil || s.committed != nil || s.segment != nil
	for _, g := range s.segment {
		s.series.SegmentAgents[g]++
	}
	s.beginStep()
	s.tallyAll()
	s.record()
	return s, nil
}

// buildGraph builds the first layer's graph (the only one without layers).
func (s *Simulation) buildGraph() error {
	var err error
	s.g, s.blocks, err = s.generate(s.cfg.FirstGraph(), rand.New(rand.NewPCG(s.seed, streams.Graph)))
	if err != nil {
		return fmt.Errorf("graph: %w", err)
	}
	return nil
}

// generate draws a graph of spec from rng, with each agent's block for a stochastic_block
// graph; nil for the complete graph, which is never materialised. A drawn graph is kept with
// narrow offsets when they fit (graph.Compact), a given one as it is, shared by the runs
// that use it.
func (s *Simulation) generate(gs GraphSpec, rng *rand.Rand) (*graph.Rows, []int32, error) {
	var g *graph.CSR
	var blocks []int32
	var err error
	switch gs.Kind {
	case GraphComplete:
		return nil, nil, nil
	case GraphGiven:
		return graph.Shared(gs.Given), nil, nil
	case GraphErdosRenyi:
		g, err = graph.ErdosRenyi(s.n, gs.MeanDegree, rng, s.workers)
	case GraphBarabasiAlbert:
		g, err = graph.BarabasiAlbert(s.n, gs.M, rng)
	case GraphWattsStrogatz:
		g, err = graph.WattsStrogatz(s.n, gs.K, gs.Beta, rng)
	case GraphBlocks:
		g, blocks, err = graph.StochasticBlock(gs.BlockSizes, gs.PIn, gs.POut, rng, s.workers)
	case GraphBipartite:
		g, err = graph.Bipartite(s.n, s.segmentMembers(gs.Between[0]), s.segmentMembers(gs.Between[1]), gs.MeanDegree, rng, s.workers)
	default:
		return nil, nil, fmt.Errorf("unknown graph kind %q", gs.Kind)
	}
	if err != nil {
		return nil, nil, err
	}
	return graph.Compact(g), blocks, nil
}

// assignThresholds gives every agent its threshold: one constant, kept in full float64
// precision so that ties with a/k are exact (thetaConst, or segTheta per segment), or a draw
// from its segment's distribution. An agent's draw depends on its id alone, so adding a
// segment does not change the thresholds of agents outside it.
func (s *Simulation) assignThresholds() {
	dists := s.cfg.segmentThresholds()
	if !drawsThresholds(dists) {
		s.thetaConst = dists[0].Value
		if len(dists) > 1 {
			s.segTheta = make([]float64, len(dists))
			for g, d := range dists {
				s.segTheta[g] = d.Value
			}
		}
		return
	}
	key := stepKey(s.seed, streams.Threshold, 0)
	if !storesThresholds(s.n, dists) {
		s.uniformTheta = newUniformThresholds(key, dists)
		return
	}
	s.theta = make([]float32, s.n)
	for i := range s.theta {
		r := newStream(key, i)
		s.theta[i] = float32(dists[s.SegmentOf(i)].draw(&r))
	}
}

// uniformThresholds draws agents' thresholds again each time they are read, when every
// distribution (the scenario's, its segments') is uniform or constant: a hash and a
// multiply-add per choice instead of 4 bytes per agent (1.1 GiB at 3e8 agents), the same
// draw as Distribution.draw's, so results are those of stored thresholds. A normal draw
// (Box-Muller, by rejection when truncated) would cost a logarithm and more per choice, so
// those are stored; and so are all thresholds of runs below redrawThresholdsFrom agents.
type uniformThresholds struct {
	key        uint64
	min, width []float64 // per segment (0: the rest): the bounds' Min and Max - Min (0 if constant)
	constant   []bool    // per segment: constant, its value min as it is (-0 stays -0)
}

// redrawThresholdsFrom is the number of agents from which uniform thresholds are drawn again
// when read rather than stored (256 MiB of them): the draw costs a busy threshold step 4.8%
// more instructions (callgrind, BenchmarkStep at 1e5 agents), which smaller runs need not pay
// to save memory they do not miss.
const redrawThresholdsFrom = 1 << 26

// drawsThresholds reports whether some of dists (see Config.segmentThresholds) is not
// constant, so that agents' thresholds are drawn.
func drawsThresholds(dists []Distribution) bool {
	return slices.ContainsFunc(dists, func(d Distribution) bool { return d.Kind != DistConstant })
}

// storesThresholds reports whether a run of n agents whose thresholds are drawn from dists
// stores each agent's draw (4 bytes) rather than drawing it again when read: with a normal
// distribution among them, or below redrawThresholdsFrom agents.
func storesThresholds(n int, dists []Distribution) bool {
	return n < redrawThresholdsFrom || slices.ContainsFunc(dists, func(d Distribution) bool { return d.Kind == DistNormal })
}

// newUniformThresholds returns the draws of dists under key, all uniform or constant.
func newUniformThresholds(key uint64, dists []Distribution) *uniformThresholds {
	u := &uniformThresholds{key: key}
	for _, d := range dists {
		if d.Kind == DistUniform {
			u.min, u.width = append(u.min, d.Min), append(u.width, d.Max-d.Min)
		} else {
			u.min, u.width = append(u.min, d.Value), append(u.width, 0)
		}
		u.constant = append(u.constant, d.Kind != DistUniform)
	}
	return u
}

// drawnThreshold is agent i's drawn threshold (s.theta or uniformTheta is set).
func (s *Simulation) drawnThreshold(i int) float32 {
	u := s.uniformTheta
	if u == nil {
		return s.theta[i]
	}
	g := 0
	if s.segment != nil {
		g = int(s.segment[i])
	}
	if u.constant[g] {
		return float32(u.min[g])
	}
	r := newStream(u.key, i)
	return float32(u.min[g] + u.width[g]*r.float())
}

// draw samples d; a truncated normal is sampled by rejection, then clamped after 64 misses so
// a bad bound cannot hang the run.
func (d Distribution) draw(r *stream) float64 {
	switch d.Kind {
	case DistUniform:
		return d.Min + (d.Max-d.Min)*r.float()
	case DistNormal:
		truncated := d.Min < d.Max
		x := d.Mean + d.SD*r.normal()
		for try := 0; truncated && (x < d.Min || x > d.Max) && try < 64; try++ {
			x = d.Mean + d.SD*r.normal()
		}
		if truncated {
			x = math.Min(math.Max(x, d.Min), d.Max)
		}
		return x
	default:
		return d.Value
	}
}

// Step returns the number of steps done.
func (s *Simulation) Step() int { return s.step }

// Series returns the record so far.
func (s *Simulation) Series() *Series { return s.series }

// Graph returns the contact graph, the first layer's with layers (nil for the complete graph).
func (s *Simulation) Graph() *graph.Rows { return s.g }

// degree is agent i's number of contacts.
func (s *Simulation) degree(i int) int {
	if s.g == nil {
		return s.n - 1
	}
	return s.g.Degree(i)
}

// contactsOn is the number of i's contacts that use platform j.
func (s *Simulation) contactsOn(i, j int) int64 {
	if s.g == nil {
		return s.totals[j] - int64(s.active[i]>>j&1)
	}
	return s.counts.at(i*s.np + j)
}
