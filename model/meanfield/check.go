package meanfield

import (
	"fmt"
	"math"
	"reflect"
	"slices"

	"github.com/msgsim/msgsim/model"
)

// modelled lists, per Config struct, the fields the twin reads, may safely ignore (the
// graph: the twin is the complete-graph limit) or refuses by name (segments, layers, a
// growing market). A field missing here, as one added to model
// after the twin was written, is refused when set: the twin would otherwise ignore it.
var modelled = map[reflect.Type][]string{
	reflect.TypeFor[model.Config]():       {"Agents", "Steps", "Graph", "Decision", "Platforms", "Events", "Threshold", "ActiveWindow", "Segments", "Market", "Layers"},
	reflect.TypeFor[model.Decision]():     {"Rule", "Update", "Temperature", "RevisionRate", "Benefit", "Contagion", "MultiHomingCost"},
	reflect.TypeFor[model.Platform]():     {"Name", "Launch", "Appeal", "P", "Q", "NetworkWeight", "SwitchingCost", "InvestmentRate", "Churn", "LayerWeights"},
	reflect.TypeFor[model.Distribution](): {"Kind", "Value", "Min", "Max", "Mean", "SD"},
	reflect.TypeFor[model.Market]():       {"Schedule", "Order"},
	reflect.TypeFor[model.Event](): {"Kind", "Platform", "At", "Until", "Nodes", "Count", "Share", "Target", "Block",
		"Committed", "Active", "PerStep", "P", "AppealChange", "NetworkWeightFactor", "Segment", "Layer"},
}

// checkSupported refuses the settings the twin does not model (see the package doc).
func checkSupported(cfg *model.Config) error {
	if err := unknownFields("Config", reflect.ValueOf(*cfg)); err != nil {
		return err
	}
	for _, v := range []struct {
		path string
		v    any
	}{{"Decision", cfg.Decision}, {"Threshold", cfg.Threshold}, {"Market", cfg.Market}} {
		if err := unknownFields(v.path, reflect.ValueOf(v.v)); err != nil {
			return err
		}
	}
	for i, p := range cfg.Platforms {
		if err := unknownFields(fmt.Sprintf("Platforms[%d]", i), reflect.ValueOf(p)); err != nil {
			return err
		}
		if len(p.LayerWeights) > 0 {
			return fmt.Errorf("the mean-field twin does not model contact layers (platforms[%d].layer_weights): it has one complete graph", i)
		}
	}
	for i, e := range cfg.Events {
		if err := unknownFields(fmt.Sprintf("Events[%d]", i), reflect.ValueOf(e)); err != nil {
			return err
		}
		if e.Layer > 0 {
			return fmt.Errorf("the mean-field twin does not model contact layers (events[%d].layer): it has one complete graph", i)
		}
		if e.Segment > 0 {
			return fmt.Errorf("the mean-field twin does not model segments (events[%d] reaches segment %d): it has one population", i, e.Segment)
		}
		if e.Target == model.TargetBlock {
			return fmt.Errorf("the mean-field twin does not model interventions targeted at a community (events[%d].target block): the complete graph has none", i)
		}
	}
	if len(cfg.Layers) > 0 {
		return fmt.Errorf("the mean-field twin does not model contact layers (%d defined): it has one complete graph", len(cfg.Layers))
	}
	if len(cfg.Market.Schedule) > 0 { // its order alone changes nothing
		return fmt.Errorf("the mean-field twin does not model a growing market: its population is there from step 0")
	}
	if len(cfg.Segments) > 0 {
		return fmt.Errorf("the mean-field twin does not model segments (%d defined): it has one population", len(cfg.Segments))
	}
	if cfg.Decision.Update == model.RandomSequential {
		return fmt.Errorf("the mean-field twin does not model random_sequential updating: it solves the synchronous update")
	}
	if cfg.ActiveWindow > 1 {
		return fmt.Errorf("the mean-field twin does not model an active window (active_window %d): it tracks today's users only", cfg.ActiveWindow)
	}
	return nil
}

// unknownFields reports the first field of struct v that the twin does not know and that is
// set.
func unknownFields(path string, v reflect.Value) error {
	known := modelled[v.Type()]
	for i := range v.NumField() {
		name := v.Type().Field(i).Name
		if !slices.Contains(known, name) && !v.Field(i).IsZero() {
			return fmt.Errorf("the mean-field twin does not model %s.%s", path, name)
		}
	}
	return nil
}

// thresholdStrata cuts the threshold distribution into n strata of equal probability at
// their quantile midpoints; a constant, or n = 1, is one stratum (at the median).
func thresholdStrata(d model.Distribution, n int) []*stratum {
	var quantile func(p float64) float64
	switch d.Kind {
	case model.DistUniform:
		quantile = func(p float64) float64 { return d.Min + (d.Max-d.Min)*p }
	case model.DistNormal:
		lo, hi := 0.0, 1.0
		if d.Min < d.Max {
			lo, hi = normalCDF((d.Min-d.Mean)/d.SD), normalCDF((d.Max-d.Mean)/d.SD)
		}
		quantile = func(p float64) float64 {
			return d.Mean + d.SD*math.Sqrt2*math.Erfinv(2*(lo+(hi-lo)*p)-1)
		}
		if d.SD == 0 { // every draw is the mean, clamped to the bounds as model clamps it
			x := d.Mean
			if d.Min < d.Max {
				x = math.Min(math.Max(x, d.Min), d.Max)
			}
			return []*stratum{{theta: x, weight: 1}}
		}
	default:
		return []*stratum{{theta: d.Value, weight: 1}}
	}
	out := make([]*stratum, n)
	for k := range out {
		out[k] = &stratum{theta: quantile((float64(k) + 0.5) / float64(n)), weight: 1 / float64(n)}
	}
	return out
}

func normalCDF(z float64) float64 { return 0.5 * math.Erfc(-z/math.Sqrt2) }
