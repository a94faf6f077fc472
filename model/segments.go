package model

import (
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/msgsim/msgsim/internal/streams"
)

// Segment is a named group of agents: Taobao vendors, China Telecom contract subscribers.
// Segments are assigned in the order Config.Segments lists them, each from the agents not
// yet in a segment, so they are disjoint by construction; the agents left over form the
// default segment, RestSegment. The zero value of each field is its default: a random
// assignment of nobody, not committed.
type Segment struct {
	Name string
	// Count is the number of agents in the segment, exactly; when it is 0 the segment holds
	// round(Share x Agents) agents, a share of all agents (not of those left).
	Count int
	Share float64
	// Assign is how the segment's agents are picked among those not yet in a segment: at
	// random (TargetRandom, the default), the best-connected first (TargetTopDegree), or at
	// random within community Block of a stochastic_block graph (TargetBlock).
	Assign Target
	Block  int
	// Committed agents keep their platforms for good, as Event.Committed: they never churn
	// or revise, so only interventions change what they use.
	Committed bool

	// Overrides for the segment's agents; the zero value of each keeps the config's.
	//
	// Platforms, when not nil, holds one entry per Config.Platforms, in order, giving the
	// segment's appeal, p, q, network weight, switching cost and churn; its other fields
	// (name, launch, investment rate) are not read. Marketing and bans act on these values
	// as on the config's: a campaign sets p for the agents it reaches, whatever their own.
	Platforms []Platform
	// Threshold, when its Kind is not empty, is the distribution of the segment's thresholds.
	Threshold Distribution
	// RevisionRate, when above 0, is the segment's chance per step to reconsider.
	RevisionRate float64
}

// RestSegment names the default segment, index 0: the agents in no listed segment.
const RestSegment = "rest"

// MaxSegments bounds len(Config.Segments): an agent's segment is a uint8, and the default
// segment takes one value.
const MaxSegments = math.MaxUint8

// SegmentNames lists the segments by index: RestSegment, then Config.Segments in order; nil
// when the config has no segments.
func (c *Config) SegmentNames() []string {
	if len(c.Segments) == 0 {
		return nil
	}
	names := []string{RestSegment}
	for _, g := range c.Segments {
		names = append(names, g.Name)
	}
	return names
}

// Size is the number of agents segment g holds among n agents.
func (g Segment) Size(n int) int {
	if g.Count > 0 {
		return g.Count
	}
	return int(math.Round(g.Share * float64(n)))
}

// validateSegments checks that every segment can be assigned exactly: the sizes fit in the
// agents, and a block segment fits in its block even if every segment before it took its
// agents from that block.
func (c *Config) validateSegments(add func(format string, args ...any)) {
	if len(c.Segments) > MaxSegments {
		add("segments: at most %d, got %d", MaxSegments, len(c.Segments))
	}
	seen := map[string]bool{RestSegment: true}
	taken := 0
	for i, g := range c.Segments {
		switch {
		case g.Name == "":
			add("segments[%d].name is required", i)
		case seen[g.Name]:
			add("segments[%d]: name %q is taken (by an earlier segment or the default one, %s)", i, g.Name, RestSegment)
		}
		seen[g.Name] = true
		if !(g.Share >= 0 && g.Share <= 1) || g.Count < 0 {
			add("segments[%d]: share must be in [0, 1] and count >= 0, got share=%g count=%d", i, g.Share, g.Count)
			continue
		}
		if !slices.Contains(Targets, g.Assign) && g.Assign != "" {
			add("segments[%d].assign: unknown %q (valid: %s)", i, g.Assign, strings.Join(Names(Targets), ", "))
		}
		size := g.Size(c.Agents)
		if taken+size > c.Agents {
			add("segments[%d]: %d agents, but only %d of %d are left after the segments before it", i, size, max(c.Agents-taken, 0), c.Agents)
		}
		if g.Assign == TargetBlock {
			if first := c.FirstGraph(); first.Kind != GraphBlocks || g.Block < 0 || g.Block >= len(first.BlockSizes) {
				add("segments[%d]: assign block needs a stochastic_block graph and a block index in [0, %d), got kind %q and block %d", i, len(first.BlockSizes), first.Kind, g.Block)
			} else if left := first.BlockSizes[g.Block] - taken; size > left {
				add("segments[%d]: %d agents, but block %d may have only %d left after the segments before it", i, size, g.Block, max(left, 0))
			}
		}
		taken += size
		if g.Platforms != nil && len(g.Platforms) != len(c.Platforms) {
			add("segments[%d].platforms: one per platform (%d), got %d", i, len(c.Platforms), len(g.Platforms))
		}
		for j, p := range g.Platforms {
			validatePlatformParams(fmt.Sprintf("segments[%d].platforms[%d]", i, j), p, add)
		}
		if g.Threshold.Kind != "" {
			validateDistribution(fmt.Sprintf("segments[%d].threshold", i), g.Threshold, add)
		}
		if !(g.RevisionRate >= 0 && g.RevisionRate <= 1) {
			add("segments[%d].revision_rate must be in [0, 1] (0 keeps the decision's), got %g", i, g.RevisionRate)
		}
	}
}

// assignSegments gives every agent its segment, before any intervention: each listed segment
// in order takes its exact size from the agents not yet in one.
func (s *Simulation) assignSegments() {
	if len(s.cfg.Segments) == 0 {
		return
	}
	s.segment = make([]uint8, s.n)
	for k, g := range s.cfg.Segments {
		index := uint8(k + 1)
		free := func(i int) bool {
			return s.segment[i] == 0 && (g.Assign != TargetBlock || int(s.blocks[i]) == g.Block)
		}
		want := g.Size(s.n)
		var chosen []int32
		if g.Assign == TargetTopDegree {
			chosen = s.topDegree(want, free)
		} else {
			chosen = s.shuffleEligible(rand.New(rand.NewPCG(s.seed^uint64(k), streams.Segment)), want, free)
		}
		for _, i := range chosen {
			s.segment[i] = index
			if g.Committed {
				s.committed[i] = true
			}
		}
	}
}

// shuffleEligible draws min(want, eligible agents) distinct eligible agents uniformly, in no
// particular order, by a partial Fisher-Yates shuffle of the eligible agents: a segment may
// hold most agents, and this costs 4 bytes per eligible agent whatever its size.
func (s *Simulation) shuffleEligible(rng *rand.Rand, want int, eligible func(int) bool) []int32 {
	pool := s.eligibleAgents(eligible)
	want = min(want, len(pool))
	for c := range want {
		r := c + rng.IntN(len(pool)-c)
		pool[c], pool[r] = pool[r], pool[c]
	}
	return pool[:want]
}

// SegmentOf is agent i's segment: an index into Config.SegmentNames, 0 (the default segment)
// for an agent in no listed segment or when there are no segments.
func (s *Simulation) SegmentOf(i int) int {
	if s.segment == nil {
		return 0
	}
	return int(s.segment[i])
}

// segmentThresholds lists the threshold distribution of each segment by index (one entry,
// the config's, without segments), of a resolved config (withDefaults).
func (c *Config) segmentThresholds() []Distribution {
	dists := []Distribution{c.Threshold}
	for _, g := range c.Segments {
		d := c.Threshold
		if g.Threshold.Kind != "" {
			d = g.Threshold
		}
		dists = append(dists, d)
	}
	return dists
}

// initSegmentParams allocates the per-segment parameters and tallies, when there are
// segments, and sets what does not change over the run: the revision rates.
func (s *Simulation) initSegmentParams() {
	if len(s.cfg.Segments) == 0 {
		return
	}
	count := len(s.cfg.Segments) + 1
	for b := range s.results {
		s.results[b].segUsers = make([]int64, count*s.np)
		s.results[b].segRegistered = make([]int64, count*s.np)
	}
	s.segNow = make([][MaxPlatforms]platformNow, count)
	s.prevSegNow = make([][MaxPlatforms]platformNow, count)
	s.segRevision = make([]float64, count)
	s.segRevision[0] = s.cfg.Decision.RevisionRate
	for k, g := range s.cfg.Segments {
		s.segRevision[k+1] = s.cfg.Decision.RevisionRate
		if g.RevisionRate > 0 {
			s.segRevision[k+1] = g.RevisionRate
		}
	}
}

// segmentParams sets each segment's parameters in force from the config's (now, before any
// event): the segment's overrides, then the events that reach it. It reports whether any
// changed since the last step.
func (s *Simulation) segmentParams() bool {
	for g := range s.segNow {
		now := &s.segNow[g]
		*now = s.now
		if g > 0 {
			for j, p := range s.cfg.Segments[g-1].Platforms {
				o := &now[j]
				o.appeal, o.p, o.q = p.Appeal, p.P, p.Q
				setWeights(o, p.NetworkWeight, &s.cfg.Platforms[j])
				o.switchingCost, o.churn = p.SwitchingCost, p.Churn
			}
		}
		for _, e := range s.cfg.Events {
			if e.Segment == 0 || e.Segment == g {
				s.applyParams(now, e)
			}
		}
	}
	changed := !slices.Equal(s.segNow, s.prevSegNow)
	copy(s.prevSegNow, s.segNow)
	return changed
}

// tallySegments adds the end-of-step levels of agents [lo, hi) to their segments' in res.
func (s *Simulation) tallySegments(res *blockResult, lo, hi int) {
	clear(res.segUsers)
	clear(res.segRegistered)
	np := s.np
	for i := lo; i < hi; i++ {
		row := int(s.segment[i]) * np
		for d := s.active[i]; d != 0; d &= d - 1 {
			res.segUsers[row+bits.TrailingZeros8(d)]++
		}
		for d := s.registered[i]; d != 0; d &= d - 1 {
			res.segRegistered[row+bits.TrailingZeros8(d)]++
		}
	}
}
