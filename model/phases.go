package model

import "time"

// Phase is a part of a step, timed when a phase timer is on (Simulation.SetPhaseTimer).
type Phase int

// The phases of a step, in the order they run.
const (
	// PhaseEvents sets the parameters in force and applies the interventions due.
	PhaseEvents Phase = iota
	// PhaseDecide is the agents' decisions; under the random sequential update each mover's
	// push to its neighbours' counts too, since it happens before the next agent decides,
	// and in a synchronous step the tallies only some runs keep (an active window's,
	// segments'), which run in the same pass over the agents.
	PhaseDecide
	// PhaseCounts brings the neighbour counts up to date after a synchronous step: the
	// movers pushed to their neighbours, or a full recount.
	PhaseCounts
	// PhaseTally records the step; under the random sequential update it first tallies the
	// levels over every agent (a synchronous step keeps them from its movers).
	PhaseTally
	numPhases
)

// Phases lists the phases in the order a step runs them.
var Phases = []Phase{PhaseEvents, PhaseDecide, PhaseCounts, PhaseTally}

// String is the phase's name in reports.
func (p Phase) String() string {
	return [numPhases]string{"events", "decide", "counts", "tally"}[p]
}

// PhaseTimes are the times one step spent in each phase, indexed by Phase.
type PhaseTimes [numPhases]time.Duration

// phaseClock times the phases of the step under way.
type phaseClock struct {
	lapStart time.Time
	times    PhaseTimes
}

// SetPhaseTimer turns timing the phases of each step on or off (off by default). Off, it
// costs a nil test per phase.
func (s *Simulation) SetPhaseTimer(on bool) {
	s.clock = nil
	if on {
		s.clock = &phaseClock{}
	}
}

// PhaseTimes returns the times the last step spent in each phase; zero unless the phase timer
// was on during it.
func (s *Simulation) PhaseTimes() PhaseTimes {
	if s.clock == nil {
		return PhaseTimes{}
	}
	return s.clock.times
}

// Movers returns the number of agents whose platform set their decision changed in the last
// step (interventions' installs not counted).
func (s *Simulation) Movers() int { return s.movers }

// startLaps starts timing a step's phases, if the timer is on.
func (s *Simulation) startLaps() {
	if s.clock != nil {
		s.clock.times = PhaseTimes{}
		s.clock.lapStart = time.Now()
	}
}

// lap ends phase p, which started where the previous one ended, if the timer is on.
func (s *Simulation) lap(p Phase) {
	if c := s.clock; c != nil {
		now := time.Now()
		c.times[p] += now.Sub(c.lapStart)
		c.lapStart = now
	}
}
