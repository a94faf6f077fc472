package meanfield

import (
	"math"

	"github.com/msgsim/msgsim/model"
)

// beginStep sets the parameters in force and applies the interventions due now, in the
// scenario's order, as model's beginStep does.
func (s *solver) beginStep() {
	for j, p := range s.cfg.Platforms {
		s.now[j] = params{
			launched: s.step >= p.Launch, appeal: p.Appeal, weight: p.NetworkWeight, p: p.P, q: p.Q,
			churn: p.Churn, switching: p.SwitchingCost, invRate: p.InvestmentRate,
		}
	}
	for _, e := range s.cfg.Events {
		inWindow := s.step >= e.At && (e.Until == 0 || s.step < e.Until)
		switch {
		case e.Kind == model.EventMarketing && inWindow:
			s.now[e.Platform].p = e.P
		case e.Kind == model.EventBan && inWindow:
			s.now[e.Platform].appeal += e.AppealChange
			s.now[e.Platform].weight *= e.NetworkWeightFactor
		}
	}
	for _, e := range s.cfg.Events {
		switch {
		case e.Kind != model.EventSeed && e.Kind != model.EventPreinstall:
		case e.PerStep && s.step >= e.At && (e.Until == 0 || s.step < e.Until):
			s.install(e, s.reach(e, s.flowCount(e), false))
		case !e.PerStep && s.step == e.At:
			s.install(e, s.oneShotReach(e))
		}
	}
}

// oneShotReach is the share of the eligible agents (or, with reachesAll, of all agents) a
// one-shot install reaches, following model's applyInstall.
func (s *solver) oneShotReach(e model.Event) reach {
	switch {
	case len(e.Nodes) > 0:
		return s.reach(e, len(e.Nodes), true)
	case e.Target == model.TargetTopDegree && e.Count == 0:
		return s.reach(e, int(math.Round(e.Share*s.n*s.eligible(e))), false)
	case e.Target == model.TargetTopDegree:
		return s.reach(e, e.Count, false)
	case e.Count > 0:
		return s.reach(e, e.Count, true)
	default:
		return reach{fraction: e.Share}
	}
}

// reach is the fraction of agents an install reaches: of the eligible ones, or of all agents
// when all (listed nodes and random counts are drawn among everybody; those that already have
// the platform are only committed).
type reach struct {
	fraction float64
	all      bool
}

// reach is the reach of an install of count agents, drawn among all agents when all is set,
// otherwise among the eligible ones (all of them when fewer remain).
func (s *solver) reach(e model.Event, count int, all bool) reach {
	if all {
		return reach{fraction: math.Min(1, float64(count)/s.n), all: true}
	}
	eligible := s.eligible(e) * s.n
	if eligible <= 0 {
		return reach{}
	}
	return reach{fraction: math.Min(1, float64(count)/eligible)}
}

// flowCount is the number of agents a flow installs at this step (model's flowCount).
func (s *solver) flowCount(e model.Event) int {
	if e.Count > 0 {
		return e.Count
	}
	k := float64(s.step - e.At)
	perStep := e.Share * s.n
	return int(math.Round(perStep*(k+1)) - math.Round(perStep*k))
}

// lacks reports whether an agent in state c is eligible for install e: it does not use the
// platform (a sleeping install: it was never registered on it).
func lacks(e model.Event, c cell) bool {
	has := c.set()
	if e.Kind == model.EventPreinstall && !e.Active {
		has = c.registered()
	}
	return has&(1<<e.Platform) == 0
}

// eligible is the share of all agents eligible for install e.
func (s *solver) eligible(e model.Event) float64 {
	var m float64
	for _, st := range s.strata {
		for k, g := range st.groups {
			if lacks(e, s.states.cells[k]) {
				m += st.weight * g.mass
			}
		}
	}
	return m
}

// install moves the reached fraction of each state to its state after the install: a user
// (seeds, active preinstalls) or registered and aware (sleeping preinstalls), committed when
// the event commits.
func (s *solver) install(e model.Event, r reach) {
	if r.fraction <= 0 {
		return
	}
	bit := uint8(1) << e.Platform
	user := e.Kind == model.EventSeed || e.Active
	for _, st := range s.strata {
		for k := range st.groups {
			g := &st.groups[k]
			c := s.states.cells[k]
			if g.mass == 0 {
				continue
			}
			if !lacks(e, c) && !(r.all && user && e.Committed) {
				s.states.add(&st.next, c, g.mass, &g.inv)
				continue
			}
			set, aware, reg, committed := c.set(), c.aware(), c.registered(), c.committed()
			if user {
				set |= bit
				committed = committed || e.Committed
			}
			s.states.add(&st.next, newCell(set, aware|bit, reg|bit, committed), g.mass*r.fraction, &g.inv)
			s.states.add(&st.next, c, g.mass*(1-r.fraction), &g.inv)
		}
		st.swap()
	}
}
