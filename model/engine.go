package model

import (
	"context"
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

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
}

// change records an agent whose platform set moved during a synchronous step.
type change struct {
	agent    int32
	old, new uint8
}

// blockResult is what one block of agents contributes to a step.
type blockResult struct {
	changes           []change
	newUsers, leavers [MaxPlatforms]int64
	moved             [MaxPlatforms]int64 // net change by decisions, for the totals
	users, registered [MaxPlatforms]int64
	multiHomers       [MaxPlatforms]int64
	adopters          int64
	scratch           choiceScratch
}

// tally adds agent i's end-of-step levels to its block's.
func (res *blockResult) tally(set, registered uint8) {
	for d := registered; d != 0; d &= d - 1 {
		res.registered[bits.TrailingZeros8(d)]++
	}
	if set == 0 {
		return
	}
	res.adopters++
	many := set&(set-1) != 0
	for d := set; d != 0; d &= d - 1 {
		j := bits.TrailingZeros8(d)
		res.users[j]++
		if many {
			res.multiHomers[j]++
		}
	}
}

func (res *blockResult) clearLevels() {
	clear(res.users[:])
	clear(res.registered[:])
	clear(res.multiHomers[:])
	res.adopters = 0
}

// Simulation is a run in progress. Most callers use Run; tests and benchmarks drive steps
// themselves to inspect the state.
type Simulation struct {
	cfg     *Config
	n, np   int
	g       *graph.CSR // nil for the complete graph, which is handled in closed form
	blocks  []int32    // community of each agent (stochastic_block graphs), else nil
	seed    uint64
	workers int
	step    int

	active     []uint8   // platforms each agent uses (bit j = platform j)
	aware      []uint8   // platforms each agent knows of
	registered []uint8   // platforms each agent has ever had
	investment []float32 // [agent*np + j], in [0, 1]
	// theta is each agent's threshold (taste cost of using a messenger), drawn from the
	// threshold distribution; nil when it is constant, so that the constant is compared in
	// full float64 precision (thetaConst) and ties with a/k are exact.
	theta      []float32
	thetaConst float64
	counts     []int32 // [agent*np + j]: contacts currently using platform j
	totals     [MaxPlatforms]int64
	// committed marks agents that keep their platforms for good (Event.Committed); nil when
	// no event commits anyone, so that runs without commitments pay nothing for it.
	committed []bool

	now      [MaxPlatforms]platformNow
	prevNow  [MaxPlatforms]platformNow
	launched uint8 // platforms that exist this step

	// stale marks, under the threshold rule, agents whose inputs may have changed since they
	// last chose: a contact moved, they moved, or the parameters changed. A threshold agent
	// that chose to stay and is not stale would choose to stay again (its investment only
	// grows, which only makes leaving dearer), so it skips the choice: a quiet step then
	// costs little more than its bookkeeping. nil when the rule is not threshold or the
	// graph is complete (where every move changes everyone's counts).
	stale    []uint8
	results  []blockResult
	byDegree []int32 // agents sorted by degree, descending; built on first use
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
		// Hand the builder's pending edge list back before the agents' state is allocated,
		// so the two never coexist: that is what lets the largest graphs fit.
		runtime.GC()
	}
	s.active = make([]uint8, s.n)
	s.aware = make([]uint8, s.n)
	if cfg.Decision.Rule == RuleThreshold && s.g != nil {
		s.stale = make([]uint8, s.n)
	}
	s.registered = make([]uint8, s.n)
	if slices.ContainsFunc(cfg.Events, func(e Event) bool { return e.Committed }) {
		s.committed = make([]bool, s.n)
	}
	s.investment = make([]float32, s.n*s.np)
	s.counts = make([]int32, s.n*s.np)
	if cfg.Threshold.Kind == DistConstant {
		s.thetaConst = cfg.Threshold.Value
	} else {
		s.theta = drawThresholds(cfg.Threshold, s.n, seed)
	}
	s.results = make([]blockResult, (s.n+blockSize-1)/blockSize)
	s.series = newSeries(cfg)
	s.beginStep()
	s.tallyAll()
	s.record()
	return s, nil
}

func (s *Simulation) buildGraph() error {
	gs := s.cfg.Graph
	rng := rand.New(rand.NewPCG(s.seed, streams.Graph))
	var err error
	switch gs.Kind {
	case GraphComplete:
		return nil
	case GraphGiven:
		s.g = gs.Given
	case GraphErdosRenyi:
		s.g, err = graph.ErdosRenyi(s.n, gs.MeanDegree, rng)
	case GraphBarabasiAlbert:
		s.g, err = graph.BarabasiAlbert(s.n, gs.M, rng)
	case GraphWattsStrogatz:
		s.g, err = graph.WattsStrogatz(s.n, gs.K, gs.Beta, rng)
	case GraphBlocks:
		s.g, s.blocks, err = graph.StochasticBlock(gs.BlockSizes, gs.PIn, gs.POut, rng)
	default:
		return fmt.Errorf("unknown graph kind %q", gs.Kind)
	}
	if err != nil {
		return fmt.Errorf("graph: %w", err)
	}
	return nil
}

func drawThresholds(d Distribution, n int, seed uint64) []float32 {
	theta := make([]float32, n)
	key := stepKey(seed, streams.Threshold, 0)
	for i := range theta {
		r := newStream(key, i)
		theta[i] = float32(d.draw(&r))
	}
	return theta
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

// Graph returns the contact graph (nil for the complete graph).
func (s *Simulation) Graph() *graph.CSR { return s.g }

// degree is agent i's number of contacts.
func (s *Simulation) degree(i int) int {
	if s.g == nil {
		return s.n - 1
	}
	return int(s.g.Offsets[i+1] - s.g.Offsets[i])
}

// contactsOn is the number of i's contacts that use platform j.
func (s *Simulation) contactsOn(i, j int) int64 {
	if s.g == nil {
		return s.totals[j] - int64(s.active[i]>>j&1)
	}
	return int64(s.counts[i*s.np+j])
}

// beginStep sets the platform parameters in force and applies the interventions due now.
func (s *Simulation) beginStep() {
	clear(s.results[0].newUsers[:])
	clear(s.results[0].leavers[:])
	for j, p := range s.cfg.Platforms {
		s.now[j] = platformNow{
			launched: s.step >= p.Launch, appeal: p.Appeal, networkWeight: p.NetworkWeight, p: p.P, q: p.Q,
			churn: p.Churn, switchingCost: p.SwitchingCost, investmentRate: float32(p.InvestmentRate),
		}
	}
	s.launched = 0
	for j := range s.np {
		if s.now[j].launched {
			s.launched |= 1 << j
		}
	}
	for _, e := range s.cfg.Events {
		inWindow := s.step >= e.At && (e.Until == 0 || s.step < e.Until)
		switch {
		case e.Kind == EventMarketing && inWindow:
			s.now[e.Platform].p = e.P
		case e.Kind == EventBan && inWindow:
			s.now[e.Platform].appeal += e.AppealChange
			s.now[e.Platform].networkWeight *= e.NetworkWeightFactor
		}
	}
	if s.stale != nil && (s.now != s.prevNow || s.step == 0) {
		for i := range s.stale {
			s.stale[i] = 1
		}
	}
	s.prevNow = s.now
	for k, e := range s.cfg.Events {
		if (e.Kind == EventSeed || e.Kind == EventPreinstall) && s.step == e.At {
			s.applyInstall(k, e)
		}
	}
}

// applyInstall makes the event's target agents users of its platform.
func (s *Simulation) applyInstall(index int, e Event) {
	bit := uint8(1) << e.Platform
	eligible := func(i int) bool { return s.active[i]&bit == 0 }
	var chosen []int32
	switch {
	case len(e.Nodes) > 0:
		for _, id := range e.Nodes {
			chosen = append(chosen, int32(id))
		}
	case e.Target == TargetTopDegree:
		want := e.Count
		if want == 0 {
			want = int(math.Round(e.Share * float64(s.countEligible(eligible))))
		}
		for _, i := range s.agentsByDegree() {
			if len(chosen) == want {
				break
			}
			if eligible(int(i)) {
				chosen = append(chosen, i)
			}
		}
	case e.Count > 0:
		chosen = s.sampleAgents(index, e.Count)
	default:
		key := stepKey(s.seed^uint64(index), streams.Event, s.step)
		for i := 0; i < s.n; i++ {
			if !eligible(i) || (e.Target == TargetBlock && (s.blocks == nil || int(s.blocks[i]) != e.Block)) {
				continue
			}
			r := newStream(key, i)
			if r.float() < e.Share {
				chosen = append(chosen, int32(i))
			}
		}
	}
	for _, i := range chosen {
		s.install(int(i), e.Platform, e.Committed)
	}
}

// install makes agent i a user of platform j (registered, aware and active), outside the
// parallel phase, and commits it for good when committed. Every way of handing agents a
// platform goes through here.
func (s *Simulation) install(i, j int, committed bool) {
	if committed {
		s.committed[i] = true
	}
	bit := uint8(1) << j
	old := s.active[i]
	if old&bit != 0 {
		return
	}
	s.setActive(i, old|bit)
	s.aware[i] |= bit
	s.registered[i] |= bit
	s.results[0].newUsers[j]++
}

func (s *Simulation) countEligible(eligible func(int) bool) int {
	c := 0
	for i := 0; i < s.n; i++ {
		if eligible(i) {
			c++
		}
	}
	return c
}

// sampleAgents draws k distinct agents uniformly (Floyd's algorithm), sorted by id.
func (s *Simulation) sampleAgents(index, k int) []int32 {
	rng := rand.New(rand.NewPCG(s.seed^uint64(index), stepKey(s.seed, streams.Event, s.step)))
	k = min(k, s.n)
	picked := make(map[int32]struct{}, k)
	out := make([]int32, 0, k)
	for j := s.n - k; j < s.n; j++ {
		t := int32(rng.IntN(j + 1))
		if _, dup := picked[t]; dup {
			t = int32(j)
		}
		picked[t] = struct{}{}
		out = append(out, t)
	}
	slices.Sort(out)
	return out
}

func (s *Simulation) agentsByDegree() []int32 {
	if s.byDegree == nil {
		s.byDegree = make([]int32, s.n)
		for i := range s.byDegree {
			s.byDegree[i] = int32(i)
		}
		slices.SortStableFunc(s.byDegree, func(a, b int32) int { return s.degree(int(b)) - s.degree(int(a)) })
	}
	return s.byDegree
}

// setActive changes one agent's platform set outside the parallel phase, keeping the
// neighbour counts in step.
func (s *Simulation) setActive(i int, set uint8) {
	old := s.active[i]
	s.active[i] = set
	if s.g != nil {
		s.propagate(s.g.Row(i), old, set)
	}
	if s.stale != nil {
		s.stale[i] = 1
	}
	for d := old ^ set; d != 0; d &= d - 1 {
		j := bits.TrailingZeros8(d)
		if set&(1<<j) != 0 {
			s.totals[j]++
		} else {
			s.totals[j]--
		}
	}
	s.registered[i] |= set
}

// propagate adds a move from old to set into the counts of the given neighbours of the
// mover, visiting each once whatever the number of platforms changed. Totals are the caller's.
func (s *Simulation) propagate(neighbors []int32, old, set uint8) {
	var platforms [MaxPlatforms]int
	var deltas [MaxPlatforms]int32
	n := 0
	for d := old ^ set; d != 0; d &= d - 1 {
		j := bits.TrailingZeros8(d)
		platforms[n], deltas[n] = j, 1
		if set&(1<<j) == 0 {
			deltas[n] = -1
		}
		n++
	}
	np := s.np
	for _, v := range neighbors {
		row := s.counts[int(v)*np : int(v)*np+np]
		for k := range n {
			row[platforms[k]] += deltas[k]
		}
	}
	if s.stale != nil {
		for _, v := range neighbors {
			s.stale[v] = 1
		}
	}
}

// Advance runs one step: interventions, every agent's decision, then the record. It returns
// false, doing nothing, once the configured steps are done.
func (s *Simulation) Advance() bool {
	if s.step >= s.cfg.Steps {
		return false
	}
	s.step++
	s.beginStep()
	if s.cfg.Decision.Update == RandomSequential {
		s.advanceSequential()
		s.tallyAll()
	} else {
		s.advanceSynchronous()
	}
	s.record()
	return true
}

// parallel runs fn over every block of agents on the simulation's workers.
func (s *Simulation) parallel(fn func(block, lo, hi int)) {
	nblocks := len(s.results)
	workers := min(s.workers, nblocks)
	if workers <= 1 {
		for b := range nblocks {
			fn(b, b*blockSize, min((b+1)*blockSize, s.n))
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				b := int(next.Add(1) - 1)
				if b >= nblocks {
					return
				}
				fn(b, b*blockSize, min((b+1)*blockSize, s.n))
			}
		})
	}
	wg.Wait()
}

// advanceSynchronous: all agents decide on the start-of-step counts, then the changes are
// pushed to the neighbours' counts.
func (s *Simulation) advanceSynchronous() {
	key := stepKey(s.seed, streams.Decide, s.step)
	s.parallel(func(b, lo, hi int) {
		res := &s.results[b]
		if b != 0 {
			clear(res.newUsers[:])
			clear(res.leavers[:])
		}
		clear(res.moved[:])
		res.clearLevels()
		res.changes = res.changes[:0]
		for i := lo; i < hi; i++ {
			old := s.active[i]
			set := s.decide(i, key, &res.scratch)
			if set != old {
				s.active[i] = set
				s.registered[i] |= set
				res.changes = append(res.changes, change{agent: int32(i), old: old, new: set})
				countMoves(res, old, set)
			}
			s.accrue(i, set)
			res.tally(set, s.registered[i])
		}
	})
	s.pushChanges()
}

// recountRatio: a full recount reads every edge once, in order; a push writes at a random
// place per moved edge, a few times dearer. Measured with msgsim bench, recounting wins once
// moved agents hold more than about 1/recountRatio of the edges (at 1e7 agents: a push costs
// ~25 ns of CPU per moved edge, bound by cache misses; a recount ~2.5 ns per edge).
const recountRatio = 10

// pushChanges brings counts up to date after a synchronous step: by pushing each move to
// the mover's neighbours when few agents moved (a quiet step costs O(N), not O(edges)), by a
// full recount when so many moved that pulling is cheaper.
//
// Pushes run without atomics: worker w owns the counts of agents in its range and applies,
// from every move, only the part of the mover's (sorted) row that falls in that range. Atomic
// adds would serialise the cache misses that dominate this phase.
func (s *Simulation) pushChanges() {
	var movedEdges int64
	for b := range s.results {
		for _, c := range s.results[b].changes {
			movedEdges += int64(s.degree(int(c.agent)))
		}
	}
	for b := range s.results {
		for j := 0; j < s.np; j++ {
			s.totals[j] += s.results[b].moved[j]
		}
	}
	if s.g != nil && movedEdges > int64(len(s.g.Neighbors))/recountRatio {
		s.recountNeighbors()
		return
	}
	if s.g == nil {
		return
	}
	parts := min(s.workers, len(s.results))
	if parts == 1 {
		for b := range s.results {
			for _, c := range s.results[b].changes {
				s.propagate(s.g.Row(int(c.agent)), c.old, c.new)
			}
		}
		return
	}
	var wg sync.WaitGroup
	for w := range parts {
		lo := int32(int64(s.n) * int64(w) / int64(parts))
		hi := int32(int64(s.n) * int64(w+1) / int64(parts))
		wg.Go(func() {
			for b := range s.results {
				for _, c := range s.results[b].changes {
					row := s.g.Row(int(c.agent))
					from, _ := slices.BinarySearch(row, lo)
					to, _ := slices.BinarySearch(row[from:], hi)
					s.propagate(row[from:from+to], c.old, c.new)
				}
			}
		})
	}
	wg.Wait()
}

// recount rebuilds the neighbour counts and totals from the platform sets. It is the reference
// the incremental updates are tested against.
func (s *Simulation) recount() {
	var totals [MaxPlatforms]int64
	for _, set := range s.active {
		for d := set; d != 0; d &= d - 1 {
			totals[bits.TrailingZeros8(d)]++
		}
	}
	s.totals = totals
	s.recountNeighbors()
}

// recountNeighbors rebuilds every agent's neighbour counts by reading its contacts' platform
// sets: one pass over the edges in order, branch-free per contact.
func (s *Simulation) recountNeighbors() {
	if s.g == nil {
		return
	}
	np := s.np
	s.parallel(func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			var local [MaxPlatforms]int32
			for _, v := range s.g.Neighbors[s.g.Offsets[i]:s.g.Offsets[i+1]] {
				set := s.active[v]
				for j := range np {
					local[j] += int32(set >> j & 1)
				}
			}
			copy(s.counts[i*np:(i+1)*np], local[:np])
			if s.stale != nil {
				s.stale[i] = 1
			}
		}
	})
}

// advanceSequential: agents decide one at a time in a random order, each seeing the moves
// made before it in the step. One goroutine, since each decision depends on the previous ones.
func (s *Simulation) advanceSequential() {
	key := stepKey(s.seed, streams.Decide, s.step)
	order := make([]int32, s.n)
	for i := range order {
		order[i] = int32(i)
	}
	rng := rand.New(rand.NewPCG(s.seed, stepKey(s.seed, streams.Order, s.step)))
	rng.Shuffle(len(order), func(a, b int) { order[a], order[b] = order[b], order[a] })
	res := &s.results[0]
	for _, a := range order {
		i := int(a)
		old := s.active[i]
		set := s.decide(i, key, &res.scratch)
		if set != old {
			s.setActive(i, set)
			countMoves(res, old, set)
		}
		s.accrue(i, set)
	}
}

func countMoves(res *blockResult, old, set uint8) {
	for d := set &^ old; d != 0; d &= d - 1 {
		j := bits.TrailingZeros8(d)
		res.newUsers[j]++
		res.moved[j]++
	}
	for d := old &^ set; d != 0; d &= d - 1 {
		j := bits.TrailingZeros8(d)
		res.leavers[j]++
		res.moved[j]--
	}
}

// accrue grows agent i's investment in the platforms it uses: contacts made, photos, timeline.
func (s *Simulation) accrue(i int, set uint8) {
	for d := set; d != 0; d &= d - 1 {
		j := bits.TrailingZeros8(d)
		rate := s.now[j].investmentRate
		inv := &s.investment[i*s.np+j]
		*inv += rate * (1 - *inv)
	}
}

// tallyAll recomputes every block's levels in a pass over the agents (the synchronous step
// tallies as it decides instead).
func (s *Simulation) tallyAll() {
	s.parallel(func(b, lo, hi int) {
		res := &s.results[b]
		res.clearLevels()
		for i := lo; i < hi; i++ {
			res.tally(s.active[i], s.registered[i])
		}
	})
}

// record appends the end-of-step levels and flows to the series.
func (s *Simulation) record() {
	ser := s.series
	base := s.step * s.np
	for b := range s.results {
		res := &s.results[b]
		for j := 0; j < s.np; j++ {
			ser.Users[base+j] += res.users[j]
			ser.Registered[base+j] += res.registered[j]
			ser.MultiHomers[base+j] += res.multiHomers[j]
			ser.NewUsers[base+j] += res.newUsers[j]
			ser.Leavers[base+j] += res.leavers[j]
		}
		ser.Adopters[s.step] += res.adopters
	}
}
