package meanfield

import (
	"reflect"
	"testing"

	"github.com/msgsim/msgsim/model"
)

// The twin refuses what it does not model with a message naming it, never answering wrong.
func TestSolveRefusesWhatItDoesNotModel(t *testing.T) {
	base := func() *model.Config {
		cfg := model.Defaults()
		cfg.Agents, cfg.Steps = 100, 5
		cfg.Platforms = []model.Platform{model.DefaultPlatform("a")}
		return &cfg
	}
	cases := []struct {
		name   string
		change func(*model.Config)
		want   string
	}{
		{"sequential", func(c *model.Config) { c.Decision.Update = model.RandomSequential },
			"the mean-field twin does not model random_sequential updating: it solves the synchronous update"},
		{"window", func(c *model.Config) { c.ActiveWindow = 4 },
			"the mean-field twin does not model an active window (active_window 4): it tracks today's users only"},
		{"block", func(c *model.Config) {
			c.Graph = model.GraphSpec{Kind: model.GraphBlocks, BlockSizes: []int{50, 50}, PIn: 0.1, POut: 0.01}
			c.Events = []model.Event{{Kind: model.EventSeed, Target: model.TargetBlock, Block: 1, Share: 0.1}}
		}, "the mean-field twin does not model interventions targeted at a community (events[0].target block): the complete graph has none"},
		{"segments", func(c *model.Config) { c.Segments = []model.Segment{{Name: "young", Share: 0.3}} },
			"the mean-field twin does not model segments (1 defined): it has one population"},
		{"market", func(c *model.Config) {
			c.Market = model.Market{Schedule: []model.MarketPoint{{Step: 0, Agents: 50}, {Step: 5, Agents: 100}}}
		}, "the mean-field twin does not model a growing market: its population is there from step 0"},
		{"layer weights", func(c *model.Config) { c.Platforms[0].LayerWeights = []float64{1} },
			"the mean-field twin does not model contact layers (platforms[0].layer_weights): it has one complete graph"},
		{"invalid", func(c *model.Config) { c.Agents = 0 }, "invalid config: agents must be in [1, 2147483647], got 0"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := base()
			c.change(cfg)
			_, err := Solve(cfg)
			if err == nil || err.Error() != c.want {
				t.Fatalf("got %v, want %q", err, c.want)
			}
		})
	}
}

// future stands for a model struct that has gained a field since the twin was written.
type future struct {
	Known  float64
	Layers []int
}

// A field the twin does not know is refused when set and ignored when zero, so that a Config
// that gains fields makes the twin fail loudly rather than run without them.
func TestUnknownFieldsAreRefusedWhenSet(t *testing.T) {
	modelled[reflect.TypeFor[future]()] = []string{"Known"}
	defer delete(modelled, reflect.TypeFor[future]())
	if err := unknownFields("Config", reflect.ValueOf(future{Known: 1})); err != nil {
		t.Fatalf("unset unknown field: %v", err)
	}
	err := unknownFields("Config", reflect.ValueOf(future{Layers: []int{1}}))
	if want := "the mean-field twin does not model Config.Layers"; err == nil || err.Error() != want {
		t.Fatalf("got %v, want %q", err, want)
	}
	// Every name the twin lists is a field, so that a renamed one is not silently unknown.
	for typ, known := range modelled {
		for _, name := range known {
			if _, ok := typ.FieldByName(name); !ok {
				t.Errorf("%s has no field %s", typ, name)
			}
		}
	}
}

// Thresholds spread over a distribution are cut into strata of equal weight at their
// quantile midpoints.
func TestThresholdStrata(t *testing.T) {
	u := thresholdStrata(model.Distribution{Kind: model.DistUniform, Min: 1, Max: 3}, Strata)
	if len(u) != Strata || u[0].theta != 1+2*0.5/Strata || u[Strata-1].theta != 3-2*0.5/Strata || u[7].weight != 1.0/Strata {
		t.Errorf("uniform strata: first %g, last %g, weight %g", u[0].theta, u[Strata-1].theta, u[7].weight)
	}
	n := thresholdStrata(model.Distribution{Kind: model.DistNormal, Mean: 1, SD: 2, Min: 1, Max: 9}, Strata)
	// Truncated below at the mean: the median of the kept half is the 75% quantile, 1 + 2 x 0.6745.
	if mid := (n[Strata/2-1].theta + n[Strata/2].theta) / 2; mid < 2.34 || mid > 2.36 {
		t.Errorf("truncated normal median %g, want 2.349", mid)
	}
	if c := thresholdStrata(model.Distribution{Kind: model.DistConstant, Value: 0.4}, Strata); len(c) != 1 || c[0].theta != 0.4 || c[0].weight != 1 {
		t.Errorf("constant: %+v", c[0])
	}
}
