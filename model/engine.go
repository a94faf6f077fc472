package model

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
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

	active     []uint8   // platforms each agent uses (bit j = platform j)
	aware      []uint8   // platforms each agent knows of
	registered []uint8   // platforms each agent has ever had
	investment []float32 // [agent*np + j], in [0, 1], accrued through step accrued[agent]
	// accrued is, per agent, the last step whose accrual its investment includes, when
	// investment accrues lazily (settle): when it is read or the agent's set is about to
	// change, since accruing every user's investment every step was 64% of a quiet step's
	// time at 1e6 agents (its instructions 107 -> 81 million, callgrind, BenchmarkQuietStep).
	// Only under the threshold rule on a graph (stale != nil), where a step skims over quiet
	// agents; elsewhere every agent decides every step, and replaying a step at each choice
	// would only cost (+4% of a logit run's instructions), so a step accrues every agent's
	// investment as it goes (eagerAccrual). nil then, or when every investment rate is 0.
	accrued      []int32
	eagerAccrual bool
	// theta is each agent's threshold (taste cost of using a messenger), drawn from the
	// threshold distribution; nil when it is constant, so that the constant is compared in
	// full float64 precision (thetaConst) and ties with a/k are exact.
	theta      []float32
	thetaConst float64
	counts     neighbourCounts // [agent*np + j]: contacts using platform j; none on a complete graph
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

	// stale marks, under the threshold rule, agents whose inputs may have changed since they
	// last chose: a contact moved, they moved, or the parameters changed. A threshold agent
	// that chose to stay and is not stale would choose to stay again (its investment only
	// grows, which only makes leaving dearer), so it skips the choice: a quiet step then
	// costs little more than its bookkeeping. nil when the rule is not threshold or the
	// graph is complete (where every move changes everyone's counts).
	stale  []uint8
	market *marketState // nil unless the market grows (Config.Market)
	// perAgent tells whether decide must look agent i up before its draws: a growing market,
	// commitments or segments. One test of it per agent stands for their three, so that a
	// run without them pays what it did before they existed.
	perAgent bool
	results  []blockResult
	movers   int         // agents whose decision changed their set in the last step
	clock    *phaseClock // times each phase of a step; nil unless SetPhaseTimer turned it on
	byDegree []int32     // agents sorted by degree, descending; built on first use
	series   *Series
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
		// back before the agents' state is allocated, so the two never coexist: that is
		// what lets the largest graphs fit.
		runtime.GC()
	}
	s.active = make([]uint8, s.n)
	s.aware = make([]uint8, s.n)
	if cfg.Decision.Rule == RuleThreshold && s.g != nil {
		s.stale = make([]uint8, s.n)
	}
	s.registered = make([]uint8, s.n)
	if slices.ContainsFunc(cfg.Events, func(e Event) bool { return e.Committed }) ||
		slices.ContainsFunc(cfg.Segments, func(g Segment) bool { return g.Committed }) {
		s.committed = make([]bool, s.n)
	}
	s.assignSegments()
	if err := s.buildLayers(); err != nil {
		return nil, err
	}
	if cfg.ActiveWindow > 1 {
		s.recent, s.window = make([]uint16, s.n*s.np), uint16(cfg.ActiveWindow)
	}
	s.investment = make([]float32, s.n*s.np)
	if accrues(cfg.Platforms) {
		if s.stale != nil {
			s.accrued = make([]int32, s.n)
		} else {
			s.eagerAccrual = true
		}
	}
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
	dists := s.segmentThresholds()
	if !slices.ContainsFunc(dists, func(d Distribution) bool { return d.Kind != DistConstant }) {
		s.thetaConst = dists[0].Value
		if len(dists) > 1 {
			s.segTheta = make([]float64, len(dists))
			for g, d := range dists {
				s.segTheta[g] = d.Value
			}
		}
		return
	}
	s.theta = make([]float32, s.n)
	key := stepKey(s.seed, streams.Threshold, 0)
	for i := range s.theta {
		r := newStream(key, i)
		s.theta[i] = float32(dists[s.SegmentOf(i)].draw(&r))
	}
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
