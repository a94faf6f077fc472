package meanfield

import (
	"math"
	"math/bits"

	"github.com/msgsim/msgsim/model"
)

// Strata is the number of equal-probability strata a uniform or normal threshold
// distribution is cut into under the threshold rule, and LogitStrata under the logit rule,
// whose smooth choice makes the midpoint rule's error O(1/K²) rather than O(1/K) (see the
// package doc). The bass rule never weighs thresholds, so it takes one stratum.
const (
	Strata      = 200
	LogitStrata = 64
)

// Result is the twin's trajectory: for every step t in [0, Steps] and platform j, the entry
// at index t*len(Platforms)+j, as in model.Series, but as shares of all agents.
type Result struct {
	Platforms []string
	Agents    int
	Steps     int

	Users      []float64 // share of agents using the platform at the end of the step
	Registered []float64 // share of agents that have ever had it
	Adopters   []float64 // indexed by step only: share of agents using at least one platform
}

// At returns the index of (step, platform) in Users and Registered.
func (r *Result) At(step, platform int) int { return step*len(r.Platforms) + platform }

// cell is a state (S, A, R, committed) packed as S | A<<8 | R<<16 | committed<<24.
type cell uint32

func newCell(set, aware, registered uint8, committed bool) cell {
	c := cell(set) | cell(aware)<<8 | cell(registered)<<16
	if committed {
		c |= 1 << 24
	}
	return c
}

func (c cell) set() uint8        { return uint8(c) }
func (c cell) aware() uint8      { return uint8(c >> 8) }
func (c cell) registered() uint8 { return uint8(c >> 16) }
func (c cell) committed() bool   { return c>>24 != 0 }

// group is the mass of one state within a stratum and its mean investment per platform.
type group struct {
	mass float64
	inv  [model.MaxPlatforms]float64
}

// stratum is the agents of one threshold: its weight in the population and the mass of
// each state, groups[k] for state k of the solver's states (shorter while later states are
// new to it; a group without mass is not a state of this stratum).
type stratum struct {
	theta  float64
	weight float64
	groups []group
	next   []group // the groups being filled by a step, swapped with groups after it
}

// states numbers the states met so far, shared by all strata, in the order first met: a
// fixed order, so that sums are the same in every run.
type states struct {
	cells []cell
	index map[cell]int
	np    int // platforms: the investments to average
}

// id is c's number, given at first sight.
func (t *states) id(c cell) int {
	k, ok := t.index[c]
	if !ok {
		k = len(t.cells)
		t.cells = append(t.cells, c)
		t.index[c] = k
	}
	return k
}

// add puts mass m with investment inv into state c of groups, averaging the investment by
// mass.
func (t *states) add(groups *[]group, c cell, m float64, inv *[model.MaxPlatforms]float64) {
	if m <= 0 {
		return
	}
	k := t.id(c)
	if k >= len(*groups) {
		*groups = append(*groups, make([]group, k+1-len(*groups))...)
	}
	g := &(*groups)[k]
	total := g.mass + m
	for j := range t.np {
		g.inv[j] = (g.inv[j]*g.mass + inv[j]*m) / total
	}
	g.mass = total
}

// swap makes the filled groups the stratum's and clears the others for the next fill.
func (s *stratum) swap() {
	s.groups, s.next = s.next, s.groups[:0]
}

// params is a platform's parameters in force at a step, after interventions.
type params struct {
	launched                  bool
	appeal, weight, p, q      float64
	churn, switching, invRate float64
}

// solver holds the twin's state between steps.
type solver struct {
	cfg    *model.Config
	np     int
	n      float64
	rule   model.Rule
	strata []*stratum
	states states
	now    []params
	step   int
}

// Solve runs the mean-field twin of cfg for cfg.Steps steps. It returns an error for an
// invalid Config and for settings the twin does not model (see the package doc).
func Solve(cfg *model.Config) (*Result, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if err := checkSupported(cfg); err != nil {
		return nil, err
	}
	s := &solver{cfg: cfg, np: len(cfg.Platforms), n: float64(cfg.Agents), rule: cfg.Decision.Rule, now: make([]params, len(cfg.Platforms))}
	if s.rule == "" {
		s.rule = model.RuleLogit
	}
	s.states.index, s.states.np = map[cell]int{}, s.np
	strata := 1
	switch s.rule {
	case model.RuleThreshold:
		strata = Strata
	case model.RuleLogit:
		strata = LogitStrata
	}
	for _, st := range thresholdStrata(cfg.Threshold, strata) {
		s.states.add(&st.groups, 0, 1, &[model.MaxPlatforms]float64{}) // nobody uses anything
		s.strata = append(s.strata, st)
	}
	res := &Result{Agents: cfg.Agents, Steps: cfg.Steps}
	for _, p := range cfg.Platforms {
		res.Platforms = append(res.Platforms, p.Name)
	}
	res.Users = make([]float64, (cfg.Steps+1)*s.np)
	res.Registered = make([]float64, (cfg.Steps+1)*s.np)
	res.Adopters = make([]float64, cfg.Steps+1)
	s.beginStep()
	s.record(res)
	for s.step < cfg.Steps {
		s.step++
		s.beginStep()
		s.advance()
		s.record(res)
	}
	return res, nil
}

// record writes the shares at the current step into res.
func (s *solver) record(res *Result) {
	for _, st := range s.strata {
		for k, g := range st.groups {
			c, m := s.states.cells[k], st.weight*g.mass
			for j := range s.np {
				if c.set()&(1<<j) != 0 {
					res.Users[res.At(s.step, j)] += m
				}
				if c.registered()&(1<<j) != 0 {
					res.Registered[res.At(s.step, j)] += m
				}
			}
			if c.set() != 0 {
				res.Adopters[s.step] += m
			}
		}
	}
}

// users is the share of agents using each platform now.
func (s *solver) users() []float64 {
	u := make([]float64, s.np)
	for _, st := range s.strata {
		for k, g := range st.groups {
			for d := s.states.cells[k].set(); d != 0; d &= d - 1 {
				u[bits.TrailingZeros8(d)] += st.weight * g.mass
			}
		}
	}
	return u
}

// advance moves every stratum's mass through one step's exposure, churn and revision.
func (s *solver) advance() {
	u := s.users()
	var launched uint8
	for j, p := range s.now {
		if p.launched {
			launched |= 1 << j
		}
	}
	for _, st := range s.strata {
		for k := range st.groups {
			if g := &st.groups[k]; g.mass > 0 {
				s.move(st, s.states.cells[k], g, u, launched)
			}
		}
		st.swap()
	}
}

// move sends the mass of state c of stratum st to its successors in st.next.
func (s *solver) move(st *stratum, c cell, g *group, u []float64, launched uint8) {
	set, aware, reg := c.set(), c.aware(), c.registered()
	if c.committed() {
		s.states.add(&st.next, c, g.mass, s.accrued(g, set))
		return
	}
	bass := s.rule == model.RuleBass
	candidates := launched &^ set
	if !bass {
		candidates &^= aware
	}
	hazard := make([]float64, s.np)
	for d := candidates; d != 0; d &= d - 1 {
		j := bits.TrailingZeros8(d)
		hazard[j] = s.hazard(j, u[j])
	}
	churn := make([]float64, s.np)
	for j := range s.np {
		churn[j] = s.now[j].churn
	}
	subsets(candidates, hazard, func(heard uint8, pHeard float64) {
		set1, aware1 := set, aware
		if bass {
			set1 |= heard
		} else {
			aware1 |= heard
		}
		aware1 |= set1
		subsets(set1, churn, func(dropped uint8, pDropped float64) {
			m := g.mass * pHeard * pDropped
			set2 := set1 &^ dropped
			if bass || dropped != 0 || aware1 == 0 {
				s.land(st, set2, aware1, reg, g, m)
				return
			}
			rev := s.cfg.Decision.RevisionRate
			s.land(st, set2, aware1, reg, g, m*(1-rev))
			s.choose(set2, aware1, launched, st.theta, g, u, func(chosen uint8, p float64) {
				s.land(st, chosen, aware1, reg, g, m*rev*p)
			})
		})
	})
}

// land adds mass m of a group of st to the state it ends the step in, with its investment
// accrued.
func (s *solver) land(st *stratum, set, aware, reg uint8, g *group, m float64) {
	s.states.add(&st.next, newCell(set, aware|set, reg|set, false), m, s.accrued(g, set))
}

// accrued is g's investment after a step of using set.
func (s *solver) accrued(g *group, set uint8) *[model.MaxPlatforms]float64 {
	inv := g.inv
	for d := set; d != 0; d &= d - 1 {
		j := bits.TrailingZeros8(d)
		inv[j] += s.now[j].invRate * (1 - inv[j])
	}
	return &inv
}

// hazard is the chance that a non-user hears of platform j when a share uj of agents uses it.
func (s *solver) hazard(j int, uj float64) float64 {
	p := s.now[j]
	a := s.n * uj // contacts on j: the agent itself is not a user
	if s.cfg.Decision.Contagion == model.ContagionIndependent {
		return 1 - (1-math.Min(p.p, 1))*math.Pow(1-math.Min(p.q, 1), a)
	}
	h := p.p
	if k := s.n - 1; k > 0 {
		h += p.q * a / k
	}
	return 1 - math.Exp(-h)
}

// subsets calls fn for every subset of bits with the probability that exactly that subset
// happens when bit j happens independently with probability prob[j]; impossible subsets are
// skipped.
func subsets(mask uint8, prob []float64, fn func(sub uint8, p float64)) {
	for sub := mask; ; sub = (sub - 1) & mask {
		p := 1.0
		for d := mask; d != 0; d &= d - 1 {
			j := bits.TrailingZeros8(d)
			if sub&(1<<j) != 0 {
				p *= prob[j]
			} else {
				p *= 1 - prob[j]
			}
		}
		if p > 0 {
			fn(sub, p)
		}
		if sub == 0 {
			return
		}
	}
}
