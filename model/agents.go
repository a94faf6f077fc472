package model

import "strconv"

// AgentHistory is one run's agents, one entry per agent: who they were (degree, segment,
// threshold) and when they first knew of, had and used each platform. It reads the
// simulation's state between steps (Observe), never inside them, so a run that records no
// history pays nothing for it.
type AgentHistory struct {
	Platforms int     // P: platforms per agent in the First* slices
	Degree    []int32 // contacts on the first layer (agents - 1 on the complete graph)
	// Segment is each agent's segment, an index into Config.SegmentNames; nil without
	// segments.
	Segment   []uint8
	Threshold []float64 // each agent's threshold (the constant, or its draw)
	// FirstAware, FirstRegistered and FirstUsed hold, at [agent*P + j], the first step at
	// whose end the agent knew of, had ever had, or used platform j (0: from the start,
	// step-0 interventions included); NeverSeen when it never did.
	FirstAware, FirstRegistered, FirstUsed []int32
	// Final is each agent's platform set at the end of the run, bit j for platform j.
	Final []uint8

	seen [3][]uint8 // per agent: the platforms already recorded in FirstAware, FirstRegistered, FirstUsed
}

// NeverSeen marks in AgentHistory a platform an agent never knew of, had or used.
const NeverSeen = -1

// AgentHistoryBytes is the memory an AgentHistory holds per agent with p platforms: degree
// and threshold (4 + 8), segment and final set (1 + 1), three first steps per platform
// (12 p) and the three sets recorded so far (3).
func AgentHistoryBytes(p int) float64 { return float64(17 + 12*p) }

// Observe records the simulation's state: call it once the simulation is built (step 0) and
// after every step; the first call also reads each agent's degree, segment and threshold, and
// the call at the last step the final platform sets.
func (h *AgentHistory) Observe(s *Simulation) {
	if h.Degree == nil {
		h.start(s)
	}
	step := int32(s.step)
	np := s.np
	for k, now := range [3][]uint8{s.aware, s.registered, s.active} {
		first, seen := h.firsts(k), h.seen[k]
		for i, set := range now {
			fresh := set &^ seen[i]
			if fresh == 0 {
				continue
			}
			seen[i] |= fresh
			for j := range np {
				if fresh>>j&1 != 0 {
					first[i*np+j] = step
				}
			}
		}
	}
	if s.step == s.cfg.Steps {
		h.Final = append(h.Final[:0], s.active...)
	}
}

// firsts is FirstAware, FirstRegistered or FirstUsed by index.
func (h *AgentHistory) firsts(k int) []int32 {
	return [3][]int32{h.FirstAware, h.FirstRegistered, h.FirstUsed}[k]
}

// start sizes the history for s and reads what does not change during a run.
func (h *AgentHistory) start(s *Simulation) {
	n, np := s.n, s.np
	h.Platforms = np
	h.Degree = make([]int32, n)
	h.Threshold = make([]float64, n)
	for i := range n {
		h.Degree[i] = int32(s.degree(i))
		h.Threshold[i] = s.threshold(i)
	}
	if s.segment != nil {
		h.Segment = append([]uint8(nil), s.segment...)
	}
	for _, first := range []*[]int32{&h.FirstAware, &h.FirstRegistered, &h.FirstUsed} {
		*first = make([]int32, n*np)
		for x := range *first {
			(*first)[x] = NeverSeen
		}
	}
	for k := range h.seen {
		h.seen[k] = make([]uint8, n)
	}
}

// threshold is agent i's threshold, as the decision reads it: its draw, or its segment's or
// the scenario's constant. A draw is stored as a float32, and is given as the shortest
// decimal that reads back as it (0.23156022 rather than 0.23156021535396576).
func (s *Simulation) threshold(i int) float64 {
	switch {
	case s.theta != nil || s.uniformTheta != nil:
		x, _ := strconv.ParseFloat(strconv.FormatFloat(float64(s.drawnThreshold(i)), 'g', -1, 32), 64) // a formatted float parses
		return x
	case s.segTheta != nil:
		return s.segTheta[s.segment[i]]
	}
	return s.thetaConst
}
