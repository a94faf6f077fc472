package model

import (
	"math"
	"math/bits"
	"slices"
	"sync"

	"github.com/msgsim/msgsim/model/graph"
)

// blockResult is what one block of agents contributes to a step.
type blockResult struct {
	changes           []change
	newUsers, leavers [MaxPlatforms]int64
	moved             [MaxPlatforms]int64 // net change by decisions, for the totals
	// levels are the block's levels after tallyAll, and its movers' change of levels during a
	// synchronous step.
	levels   levels
	windowed [MaxPlatforms]int64 // users within the active window, when there is one
	// segUsers and segRegistered are the levels per segment and platform, [segment*np + j],
	// when there are segments (else nil).
	segUsers, segRegistered []int64
	scratch                 choiceScratch
	// Workers decide adjacent blocks at once: the padding keeps the end of one block's
	// result (its decisionRules, read for every agent) off the cache line of the next one's
	// start (its changes, written for every mover).
	_ [cacheLine]byte
}

// cacheLine is the size of a CPU cache line, or more: 64 bytes on amd64 and most arm64.
const cacheLine = 64

// levels are the counts the series record at the end of a step: per platform its users,
// registered agents and multi-homing users, and the agents using any platform.
type levels struct {
	users, registered, multiHomers [MaxPlatforms]int64
	adopters                       int64
}

// add counts, sign times (1 or -1), an agent using the platforms set with the registrations
// registered. A synchronous step keeps the levels up to date from its movers alone: minus
// each one's old state, plus its new one.
func (l *levels) add(set, registered uint8, sign int64) {
	for d := registered; d != 0; d &= d - 1 {
		l.registered[bits.TrailingZeros8(d)] += sign
	}
	if set == 0 {
		return
	}
	l.adopters += sign
	many := set&(set-1) != 0
	for d := set; d != 0; d &= d - 1 {
		j := bits.TrailingZeros8(d)
		l.users[j] += sign
		if many {
			l.multiHomers[j] += sign
		}
	}
}

// addLevels adds o's counts to l's.
func (l *levels) addLevels(o *levels) {
	for j := range MaxPlatforms {
		l.users[j] += o.users[j]
		l.registered[j] += o.registered[j]
		l.multiHomers[j] += o.multiHomers[j]
	}
	l.adopters += o.adopters
}

// move changes agent i's platform set and registrations outside the parallel phase, keeping
// the levels in step.
func (s *Simulation) move(i int, set, registered uint8) {
	// The steps before this one accrued on the old set (none accrues at step 0).
	s.markUse(i, s.active[i], set, max(int32(s.step-1), 0))
	s.levels.add(s.active[i], s.registered[i], -1)
	s.active[i], s.registered[i] = set, registered
	s.levels.add(set, registered, 1)
}

// tallyWindow ages agent i's window, recent (steps left in it per platform: w on a step
// it uses the platform, one less on each step it does not, 0 once out), by its end-of-step
// set, and counts the platforms still in it. Exact, and one pass with the tally, at 2 bytes
// per agent and platform; a ring of the last w steps' sets would cost w bytes per agent.
func (res *blockResult) tallyWindow(recent []uint16, set uint8, w uint16) {
	for j, r := range recent {
		if set>>j&1 != 0 {
			r = w
		} else if r > 0 {
			r--
		}
		recent[j] = r
		if r > 0 {
			res.windowed[j]++
		}
	}
}

func (res *blockResult) clearLevels() {
	res.levels = levels{}
	clear(res.windowed[:])
}

// setActive changes one agent's platform set outside the parallel phase, keeping the
// neighbour counts in step.
func (s *Simulation) setActive(i int, set uint8) {
	old := s.active[i]
	s.move(i, set, s.registered[i]|set)
	if s.g != nil {
		s.propagate(&s.counts, s.g.Row(i), old, set)
	}
	for l := range s.layers {
		s.propagate(&s.layers[l].counts, s.layers[l].g.Row(i), old, set)
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
}

// count is the type of a neighbour count: see neighbourCounts.
type count interface{ uint16 | int32 }

// neighbourCounts are one layer's neighbour counts, [agent*np + j] the contacts of the agent
// that use platform j: uint16 (narrow) when every agent's degree on the layer is below 2^16,
// half the memory (1.1 GiB at 3e8 agents and 2 platforms), int32 (wide) otherwise. Exactly
// one of the two is non-nil. A loop over many counts takes the slice of its width as a
// generic function's []C (see count), compiled for each width; a single read (at) tests
// which is set.
type neighbourCounts struct {
	narrow []uint16
	wide   []int32
}

// newCounts allocates zero neighbour counts for np platforms on graph g, narrow when g's
// degrees allow.
func newCounts(g *graph.Rows, np int) neighbourCounts {
	n := g.NumNodes() * np
	if narrowCounts(g.MaxDegree()) {
		return neighbourCounts{narrow: make([]uint16, n)}
	}
	return neighbourCounts{wide: make([]int32, n)}
}

// narrowCounts reports whether the counts of a graph whose largest degree is maxDegree fit
// in uint16.
func narrowCounts(maxDegree int) bool { return maxDegree <= math.MaxUint16 }

// at is count k, [agent*np + j]. Its width test is the narrow read's bounds check (nil
// narrow counts have length 0), so that a narrow read costs what a read of one width did:
// testing narrow != nil as well cost decide 3% more instructions (callgrind,
// BenchmarkStep/agents=100000/rule=threshold).
func (c *neighbourCounts) at(k int) int64 {
	if uint(k) < uint(len(c.narrow)) {
		return int64(c.narrow[k])
	}
	return int64(c.wide[k])
}

// propagate adds a move from old to set into counts (a layer's) of the given neighbours of
// the mover, and marks them stale. Totals are the caller's.
func (s *Simulation) propagate(counts *neighbourCounts, neighbors []int32, old, set uint8) {
	if counts.narrow != nil {
		addMove(counts.narrow, s.np, neighbors, old, set, s.stale)
	} else {
		addMove(counts.wide, s.np, neighbors, old, set, s.stale)
	}
}

// addMove adds a move from old to set into the counts, np per agent, of the given
// neighbours of the mover, and marks them stale when there are staleness flags, visiting each
// once whatever the number of platforms changed (one pass where marking took a second:
// BenchmarkBusyStep about 1% faster under both rules). A narrow count leaving a platform adds
// 2^16-1, which wraps to one less: counts are exact modulo 2^16, and each stays within
// 0..degree < 2^16.
func addMove[C count](counts []C, np int, neighbors []int32, old, set uint8, stale []uint8) {
	var platforms [MaxPlatforms]int
	var deltas [MaxPlatforms]C
	one := C(1)
	n := 0
	for d := old ^ set; d != 0; d &= d - 1 {
		j := bits.TrailingZeros8(d)
		platforms[n], deltas[n] = j, one
		if set&(1<<j) == 0 {
			deltas[n] = -one
		}
		n++
	}
	if n == 1 {
		// Most moves change one platform: one add per neighbour, no loop over platforms.
		j, delta := platforms[0], deltas[0]
		if stale == nil {
			for _, v := range neighbors {
				counts[int(v)*np+j] += delta
			}
			return
		}
		for _, v := range neighbors {
			counts[int(v)*np+j] += delta
			stale[v] = 1
		}
		return
	}
	for _, v := range neighbors {
		row := counts[int(v)*np : int(v)*np+np]
		for k := range n {
			row[platforms[k]] += deltas[k]
		}
		if stale != nil {
			stale[v] = 1
		}
	}
}

// recountRatio: a full recount reads every edge once, in order; a push writes at a random
// place per moved edge, a few times dearer. Measured with msgsim bench, recounting wins once
// moved agents hold more than about 1/recountRatio of the edges (at 1e7 agents: a push costs
// ~25 ns of CPU per moved edge, bound by cache misses; a recount ~2.5 ns per edge).
const recountRatio = 10

// pushChanges brings counts up to date after a synchronous step, on every layer: by pushing
// each move to the mover's neighbours when few agents moved (a quiet step costs O(N), not
// O(edges)), by a full recount when so many moved that pulling is cheaper.
func (s *Simulation) pushChanges() {
	for b := range s.results {
		for j := 0; j < s.np; j++ {
			s.totals[j] += s.results[b].moved[j]
		}
	}
	if s.g != nil {
		s.pushLayer(s.g, &s.counts)
	}
	for l := range s.layers {
		s.pushLayer(s.layers[l].g, &s.layers[l].counts)
	}
}

// recountPays reports whether the movers of a synchronous step hold so many of graph g's
// edges that a full recount of its counts is cheaper than pushing their moves.
func (s *Simulation) recountPays(g *graph.Rows) bool {
	var movedEdges int64
	for b := range s.results {
		for _, c := range s.results[b].changes {
			movedEdges += int64(g.Degree(int(c.agent)))
		}
	}
	return movedEdges > int64(len(g.Neighbors))/recountRatio
}

// pushLayer brings one layer's counts up to date after a synchronous step.
//
// Pushes run without atomics: worker w owns the counts of agents in its range and applies,
// from every move, only the part of the mover's (sorted) row that falls in that range. Atomic
// adds would serialise the cache misses that dominate this phase.
func (s *Simulation) pushLayer(g *graph.Rows, counts *neighbourCounts) {
	if s.recountPays(g) {
		s.recountLayer(g, counts)
		return
	}
	parts := min(s.workers, len(s.results))
	if parts == 1 {
		for b := range s.results {
			for _, c := range s.results[b].changes {
				s.propagate(counts, g.Row(int(c.agent)), c.old, c.new)
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
					row := g.Row(int(c.agent))
					from, _ := slices.BinarySearch(row, lo)
					to, _ := slices.BinarySearch(row[from:], hi)
					s.propagate(counts, row[from:from+to], c.old, c.new)
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

// recountNeighbors rebuilds every agent's neighbour counts, on every layer.
func (s *Simulation) recountNeighbors() {
	if s.g != nil {
		s.recountLayer(s.g, &s.counts)
	}
	for l := range s.layers {
		s.recountLayer(s.layers[l].g, &s.layers[l].counts)
	}
}

// recountLayer rebuilds one layer's neighbour counts by reading each agent's contacts'
// platform sets: one pass over the edges in order, one table load and one add per contact
// (see spread) whatever the number of platforms.
func (s *Simulation) recountLayer(g *graph.Rows, counts *neighbourCounts) {
	np, active, stale := s.np, s.active, s.stale
	s.parallel(func(_, lo, hi int) {
		switch nb := g.Neighbors; {
		case g.Narrow != nil && counts.narrow != nil:
			recountRows(g.Narrow, nb, active, counts.narrow, np, lo, hi)
		case g.Narrow != nil:
			recountRows(g.Narrow, nb, active, counts.wide, np, lo, hi)
		case counts.narrow != nil:
			recountRows(g.Wide, nb, active, counts.narrow, np, lo, hi)
		default:
			recountRows(g.Wide, nb, active, counts.wide, np, lo, hi)
		}
		if stale != nil {
			markAll(stale[lo:hi])
		}
	})
	s.allStale = stale != nil
}

// markAll sets every flag of flags to 1, by doubling copies (memmove), not byte by byte: a
// recount marks every agent stale, 1e6 of them in 4.5 million instructions a byte at a time.
func markAll(flags []uint8) {
	if len(flags) == 0 {
		return
	}
	flags[0] = 1
	for done := 1; done < len(flags); done *= 2 {
		copy(flags[done:], flags[:done])
	}
}

// recountRows rebuilds the counts of agents lo to hi-1 (see recountLayer). Agents are taken
// in runs whose contacts fill at most runEdges entries (see runPrefix), which costs no branch
// per agent on its number of contacts: a loop over one agent's contacts mispredicts its exit
// about once an agent (ER degrees are Poisson), 40% of a recount's time at 1e6 agents (a flat
// sum over all the edges took 11 ms, one loop per agent 18). BenchmarkRecount at 1e6: 20.0 ->
// 14.0 ms. An agent of more contacts than a lane can count (or than a run holds) takes
// recountWide.
func recountRows[O graph.Offset, C count](offsets []O, neighbors []int32, active []uint8, counts []C, np, lo, hi int) {
	var prefix runPrefix
	for a := lo; a < hi; {
		base := offsets[a]
		b := a
		for b < hi && offsets[b+1]-offsets[b] <= laneCapacity && int(offsets[b+1]-base) <= runEdges {
			b++
		}
		if b == a {
			recountWide(&prefix, active, neighbors[base:offsets[a+1]], counts[a*np:a*np+np])
			a++
			continue
		}
		prefix.sum(active, neighbors[base:offsets[b]])
		runCounts(&prefix, offsets[a+1:b+1], base, counts[a*np:b*np], np)
		a = b
	}
}

// runEdges is the most contacts a run of recountRows holds, 2^k - 1 so that an index masked
// by it needs no bounds check: its prefix sums take 8 KiB.
const runEdges = 1023

// runPrefix holds the spread sums (see spread) of the platform sets of a run of contacts, the
// contacts of a run of agents in order (or a chunk of one agent's, recountWide): p[e] sums the
// first e. An agent's counts are the
// difference of the sums at the ends of its contacts, exact modulo 2^64 (the lanes of the
// difference do not overflow when the agent has at most laneCapacity contacts).
type runPrefix struct{ p [runEdges + 1]uint64 }

// sum fills the prefix sums of contacts (at most runEdges). A function of its own, so that
// its loop keeps the sum in a register, four contacts at a time through subslices of four,
// which cost fewer instructions than reslicing the slices themselves (BenchmarkRecount at 1e6:
// 15.9 ms one at a time, 14.7 reslicing, 14.0).
//
//go:noinline
func (r *runPrefix) sum(active []uint8, contacts []int32) {
	var sum uint64
	p := r.p[1 : len(contacts)+1]
	e := 0
	for ; e+4 <= len(contacts); e += 4 {
		c, q := contacts[e:e+4:e+4], p[e:e+4:e+4]
		s0 := sum + spread[active[c[0]]]
		s1 := s0 + spread[active[c[1]]]
		s2 := s1 + spread[active[c[2]]]
		sum = s2 + spread[active[c[3]]]
		q[0], q[1], q[2], q[3] = s0, s1, s2, sum
	}
	contacts, p = contacts[e:], p[e:]
	for e, v := range contacts {
		sum += spread[active[v]]
		p[e] = sum
	}
}

// runCounts writes the counts, np per agent, of the agents whose contacts end at ends (the
// offsets past the run's first agent's start, base) from the run's prefix sums into rows. A
// function of its own, as runPrefix.sum is.
//
//go:noinline
func runCounts[O graph.Offset, C count](prefix *runPrefix, ends []O, base O, rows []C, np int) {
	before := uint64(0)
	if np == 2 {
		// Two platforms, as in every shipped scenario: two stores, no loop over the lanes.
		rows = rows[:2*len(ends)]
		for k, end := range ends {
			at := prefix.p[int(end-base)&runEdges]
			sum := at - before
			before = at
			rows[2*k], rows[2*k+1] = C(sum&0xff), C(sum>>8&0xff)
		}
		return
	}
	for k, end := range ends {
		at := prefix.p[int(end-base)&runEdges]
		sum := at - before
		before = at
		row := rows[k*np : k*np+np]
		for j := range row {
			row[j] = C(sum >> (8 * j) & 0xff)
		}
	}
}

// recountWide is recountRows for an agent of more than laneCapacity contacts: the lanes are
// summed in prefix, a chunk of laneCapacity contacts at a time, and flushed into its counts
// (row) after each.
func recountWide[C count](prefix *runPrefix, active []uint8, contacts []int32, row []C) {
	clear(row)
	for len(contacts) > 0 {
		chunk := contacts[:min(len(contacts), laneCapacity)]
		contacts = contacts[len(chunk):]
		prefix.sum(active, chunk)
		sum := prefix.p[len(chunk)]
		for j := range row {
			row[j] += C(sum >> (8 * j) & 0xff)
		}
	}
}

// spread[set] holds bit j of a platform set in byte j: summed over contacts, it counts every
// platform at once, in eight 8-bit lanes of one 64-bit add.
var spread = func() (table [256]uint64) {
	for set := range table {
		for j := range MaxPlatforms {
			table[set] |= uint64(set>>j&1) << (8 * j)
		}
	}
	return table
}()

// laneCapacity is the most contacts a spread sum can count before a lane overflows.
const laneCapacity = 255

// tallyAll recomputes every block's levels in a pass over the agents (the synchronous step
// tallies as it decides instead).
func (s *Simulation) tallyAll() {
	s.parallel(func(b, lo, hi int) {
		res := &s.results[b]
		res.clearLevels()
		for i := lo; i < hi; i++ {
			res.levels.add(s.active[i], s.registered[i], 1)
		}
		s.tallyOptional(res, lo, hi)
	})
	s.levels = levels{}
	for b := range s.results {
		s.levels.addLevels(&s.results[b].levels)
	}
}

// tallyOptional adds a block's levels that only some runs keep: windowed actives and the
// per-segment levels. They get loops of their own, run only when wanted and outside the
// tally loops' closures, so that those loops are the same as before either existed.
func (s *Simulation) tallyOptional(res *blockResult, lo, hi int) {
	if recent, w, np := s.recent, s.window, s.np; recent != nil {
		for i := lo; i < hi; i++ {
			res.tallyWindow(recent[i*np:(i+1)*np], s.active[i], w)
		}
	}
	if s.segment != nil {
		s.tallySegments(res, lo, hi)
	}
}

// record appends the end-of-step levels and flows to the series.
func (s *Simulation) record() {
	ser := s.series
	base := s.step * s.np
	for j := 0; j < s.np; j++ {
		ser.Users[base+j] = s.levels.users[j]
		ser.Registered[base+j] = s.levels.registered[j]
		ser.MultiHomers[base+j] = s.levels.multiHomers[j]
	}
	ser.Adopters[s.step] = s.levels.adopters
	for b := range s.results {
		res := &s.results[b]
		for j := 0; j < s.np; j++ {
			ser.NewUsers[base+j] += res.newUsers[j]
			ser.Leavers[base+j] += res.leavers[j]
		}
		if ser.WindowedActive != nil {
			for j := 0; j < s.np; j++ {
				ser.WindowedActive[base+j] += res.windowed[j]
			}
		}
		if ser.SegmentUsers != nil {
			at := ser.AtSegment(s.step, 0, 0)
			for c := range res.segUsers {
				ser.SegmentUsers[at+c] += res.segUsers[c]
				ser.SegmentRegistered[at+c] += res.segRegistered[c]
			}
		}
	}
}
