package meanfield_test

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/msgsim/msgsim/model"
	"github.com/msgsim/msgsim/model/meanfield"
)

// bass is Bass's model with p and q per step: one platform on a complete graph of n agents.
func bass(n, steps int, p, q float64) *model.Config {
	cfg := model.Defaults()
	cfg.Agents, cfg.Steps = n, steps
	cfg.Graph = model.GraphSpec{Kind: model.GraphComplete}
	cfg.Decision.Rule = model.RuleBass
	product := model.DefaultPlatform("product")
	product.P, product.Q = p, q
	cfg.Platforms = []model.Platform{product}
	return &cfg
}

// closedBass is the closed-form Bass (1969) curve F(t) = (1-e^{-(p+q)t}) / (1+(q/p)e^{-(p+q)t}).
func closedBass(p, q, t float64) float64 {
	e := math.Exp(-(p + q) * t)
	return (1 - e) / (1 + q/p*e)
}

// The twin of Bass's model is the discrete-time Bass map: a non-adopter hears with the
// hazard 1 - e^{-(p + q a/k)}, a = N F the adopters and k = N-1 its contacts, so
// 1 - F_{t+1} = (1 - F_t) e^{-(p + q F_t N/(N-1))}, to rounding.
func TestBassIsTheDiscreteBassMap(t *testing.T) {
	const n, steps, p, q = 20000, 240, 0.0025, 0.031667
	res, err := meanfield.Solve(bass(n, steps, p, q))
	if err != nil {
		t.Fatal(err)
	}
	f := 0.0
	for step := 0; step <= steps; step++ {
		if got := res.Users[res.At(step, 0)]; math.Abs(got-f) > 1e-12 {
			t.Fatalf("step %d: twin %.15f, discrete Bass map %.15f", step, got, f)
		}
		if got := res.Registered[res.At(step, 0)]; math.Abs(got-f) > 1e-12 {
			t.Fatalf("step %d: registered %.15f, discrete Bass map %.15f", step, got, f)
		}
		f += (1 - f) * (1 - math.Exp(-(p + q*f*n/(n-1))))
	}
}

// The discrete map freezes the hazard over a step, an error of order the step length: with
// p = 0.03 and q = 0.38 per year (Bass's consumer durables) over 20 years, monthly steps stay
// within 1 percentage point of the closed form (0.92), and steps ten times shorter within a
// tenth of that (0.093): the gap is the discretisation, and shrinks with the step.
func TestBassConvergesToTheClosedForm(t *testing.T) {
	const p, q, years = 0.03, 0.38, 20
	for _, c := range []struct {
		perYear int
		within  float64
	}{{12, 1e-2}, {120, 1e-3}} {
		dt := 1 / float64(c.perYear)
		res, err := meanfield.Solve(bass(math.MaxInt32, years*c.perYear, p*dt, q*dt))
		if err != nil {
			t.Fatal(err)
		}
		worst := 0.0
		for step := 0; step <= res.Steps; step++ {
			worst = math.Max(worst, math.Abs(res.Users[res.At(step, 0)]-closedBass(p, q, float64(step)*dt)))
		}
		if worst > c.within || worst < c.within/20 {
			t.Errorf("%d steps a year: largest gap to the closed form %.2g, want in [%.2g, %.2g] (order dt)", c.perYear, worst, c.within/20, c.within)
		}
	}
}

// duel is an incumbent and an entrant launched later with more appeal and a switching cost
// on the incumbent, on a complete graph of 100,000 agents, with thresholds spread uniformly.
func duel(rule model.Rule) *model.Config {
	cfg := model.Defaults()
	cfg.Agents, cfg.Steps = 100000, 60
	cfg.Graph = model.GraphSpec{Kind: model.GraphComplete}
	cfg.Decision.Rule = rule
	cfg.Decision.MultiHomingCost = 0.5
	incumbent, entrant := model.DefaultPlatform("incumbent"), model.DefaultPlatform("entrant")
	incumbent.P, incumbent.Q, incumbent.Churn, incumbent.SwitchingCost = 0.01, 0.3, 0.01, 0.3
	entrant.P, entrant.Q, entrant.Launch, entrant.Appeal = 0.01, 0.3, 10, 0.2
	cfg.Platforms = []model.Platform{incumbent, entrant}
	cfg.Threshold = model.Distribution{Kind: model.DistUniform, Min: 0, Max: 0.6}
	return &cfg
}

// On a complete graph of 100,000 agents one run stays within 2 percentage points of the twin
// at every step, for every rule, with seeds (a share, a count, committed best-connected
// agents), preinstalls (a flow, a sleeping and an active one), marketing and a ban.
func TestTwinMatchesAgentsOnACompleteGraph(t *testing.T) {
	interventions := []model.Event{
		{Kind: model.EventSeed, Platform: 0, At: 0, Share: 0.01},
		{Kind: model.EventPreinstall, Platform: 1, At: 12, Until: 20, PerStep: true, Share: 0.01},
		{Kind: model.EventMarketing, Platform: 1, At: 15, Until: 25, P: 0.03},
		{Kind: model.EventBan, Platform: 0, At: 30, Until: 40, AppealChange: -0.1, NetworkWeightFactor: 0.8},
		{Kind: model.EventSeed, Platform: 1, At: 11, Count: 500, Target: model.TargetTopDegree, Committed: true},
		{Kind: model.EventSeed, Platform: 0, At: 5, Count: 300},
		{Kind: model.EventPreinstall, Platform: 1, At: 25, Share: 0.1},
		{Kind: model.EventPreinstall, Platform: 0, At: 35, Share: 0.05, Active: true, Target: model.TargetTopDegree},
	}
	for _, rule := range []model.Rule{model.RuleBass, model.RuleLogit, model.RuleThreshold} {
		t.Run(string(rule), func(t *testing.T) {
			cfg := duel(rule)
			cfg.Events = interventions
			twin, err := meanfield.Solve(cfg)
			if err != nil {
				t.Fatal(err)
			}
			run, err := model.Run(context.Background(), cfg, model.RunOptions{Seed: 3})
			if err != nil {
				t.Fatal(err)
			}
			worst, at := 0.0, ""
			for step := 0; step <= cfg.Steps; step++ {
				for j, name := range run.Platforms {
					for _, v := range []struct {
						what   string
						agents int64
						twin   float64
					}{{"users", run.Users[run.At(step, j)], twin.Users[twin.At(step, j)]}, {"registered", run.Registered[run.At(step, j)], twin.Registered[twin.At(step, j)]}} {
						if gap := math.Abs(float64(v.agents)/float64(cfg.Agents) - v.twin); gap > worst {
							worst, at = gap, fmt.Sprintf("%s %s at step %d", name, v.what, step)
						}
					}
				}
			}
			t.Logf("largest gap %.4f (%s)", worst, at)
			if worst > 0.02 {
				t.Errorf("largest gap %.4f (%s), want <= 0.02", worst, at)
			}
			if final := twin.Users[twin.At(cfg.Steps, 1)]; final < 0.5 {
				t.Errorf("the entrant ends with %.2f of agents in the twin: the test scenario no longer tips", final)
			}
		})
	}
}

// BenchmarkSolve times the twin of the duel, with thresholds spread over a distribution (so
// with its strata), under each rule.
func BenchmarkSolve(b *testing.B) {
	for _, rule := range []model.Rule{model.RuleBass, model.RuleLogit, model.RuleThreshold} {
		b.Run(string(rule), func(b *testing.B) {
			cfg := duel(rule)
			for b.Loop() {
				if _, err := meanfield.Solve(cfg); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
