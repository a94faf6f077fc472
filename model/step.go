package model

import (
	"encoding/binary"
	"math/bits"
	"math/rand/v2"
	"sync"
	"sync/atomic"

	"github.com/msgsim/msgsim/internal/streams"
)

// change records an agent whose platform set moved during a synchronous step.
type change struct {
	agent    int32
	old, new uint8
}

// Advance runs one step: interventions, every agent's decision, then the record. It returns
// false, doing nothing, once the configured steps are done.
func (s *Simulation) Advance() bool {
	if s.step >= s.cfg.Steps {
		return false
	}
	s.step++
	s.startLaps()
	s.beginStep()
	s.lap(PhaseEvents)
	if s.cfg.Decision.Update == RandomSequential {
		s.advanceSequential()
		s.lap(PhaseDecide)
		s.tallyAll()
	} else {
		s.advanceSynchronous()
	}
	s.record()
	s.lap(PhaseTally)
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
	two := s.decidesTwo()
	s.parallel(func(b, lo, hi int) {
		res := &s.results[b]
		if b != 0 {
			clear(res.newUsers[:])
			clear(res.leavers[:])
		}
		clear(res.moved[:])
		res.clearLevels()
		res.changes = res.changes[:0]
		if two {
			s.decideBlockTwo(lo, hi, key, res)
			s.tallyOptional(res, lo, hi)
			return
		}
		// Under the threshold rule (staleness without stay bounds) most agents of a quiet step
		// return from decide at once (see its quick return): the loop skims over eight of
		// them at a time.
		skim, launched, churning := s.skims(), octet(s.launched), octet(s.churning)
		before := int32(s.step - 1)
		// The sets in locals cut to the block's end: no reload of the slices after each call
		// (-0.8% of a busy threshold step's instructions).
		active, scratch := s.active[:hi], &res.scratch
		for i := lo; i < hi; i++ {
			if skim && i&7 == 0 && i+8 <= hi && s.quietOctet(i, launched, churning) {
				i += 7 // and the loop's increment: the next octet
				continue
			}
			old := active[i]
			if set := s.decide(i, old, key, scratch); set != old {
				s.recordMove(res, i, old, set, before)
			}
		}
		s.tallyOptional(res, lo, hi)
	})
	s.lap(PhaseDecide)
	s.allStale = false
	s.movers = 0
	for b := range s.results {
		s.levels.addLevels(&s.results[b].levels)
		s.movers += len(s.results[b].changes)
	}
	s.pushChanges()
	s.lap(PhaseCounts)
}

// recordMove records in res that agent i of its block moves from old to set in a synchronous
// step, after step before accrued, and applies it to the agent's state.
func (s *Simulation) recordMove(res *blockResult, i int, old, set uint8, before int32) {
	registered := s.registered[i]
	s.markUse(i, old, set, before)
	s.active[i] = set
	s.registered[i] = registered | set
	res.changes = append(res.changes, change{agent: int32(i), old: old, new: set})
	countMoves(res, old, set)
	// The levels change by the movers alone: a quiet agent is not counted again.
	res.levels.add(old, registered, -1)
	res.levels.add(set, registered|set, 1)
}

// skims reports whether this step's decisions skim over quiet agents eight at a time (see
// quietOctet): under the threshold rule (staleness without stay bounds), unless every agent
// has just been marked stale (Simulation.allStale), when the skim would find none quiet
// (and cost a busy step at 1e6 agents 1.5 ms of its decisions' 25).
func (s *Simulation) skims() bool {
	return s.stale != nil && s.stayBound == nil && !s.allStale
}

// octet repeats a platform set in each byte of a uint64, to test eight agents' sets at once.
func octet(set uint8) uint64 { return uint64(set) * 0x0101010101010101 }

// quietOctet reports whether decide would return at once, changing nothing, for each of
// agents i to i+7 (under the threshold rule): it is decide's quick return (not stale, nothing
// left to hear of, nothing it could drop by churn) on eight agents at once, with launched and
// churning the step's sets as octets. Skimming the agents so, instead of calling decide on
// each, makes a quiet step cost what moved and its neighbours: at 1e6 agents after 45 warm-up
// steps, 81 -> 17 million instructions a step (callgrind, BenchmarkQuietStep), and a median
// step (msgsim bench, 2 workers) from 0.16 of a busy step to 0.02.
func (s *Simulation) quietOctet(i int, launched, churning uint64) bool {
	set := binary.LittleEndian.Uint64(s.active[i:])
	aware := binary.LittleEndian.Uint64(s.aware[i:])
	return binary.LittleEndian.Uint64(s.stale[i:])|(launched|set)&^aware|set&churning == 0
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
	s.movers, s.allStale = 0, false
	for _, a := range order {
		i := int(a)
		old := s.active[i]
		set := s.decide(i, old, key, &res.scratch)
		if set != old {
			s.setActive(i, set)
			countMoves(res, old, set)
			s.movers++
		}
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
