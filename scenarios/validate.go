package scenarios

import (
	"fmt"
	"math"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/msgsim/msgsim/internal/calendar"
	"github.com/msgsim/msgsim/internal/strict"
	"github.com/msgsim/msgsim/model"
	"github.com/msgsim/msgsim/model/graph"
)

// Limits that keep a scenario runnable; the memory check against the machine is the CLI's.
const (
	maxSteps      = 10_000_000
	maxReplicates = 100_000
)

var platformName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]*$`)

// validator checks ranges and cross-field rules on a decoded File and builds the model.Config.
type validator struct {
	*strict.Decoder
	file      *File
	dir       string
	base      *Base
	graphInfo *graph.EdgeListInfo
	graphPath string
	// unresolved holds the paths of dates that name no step of the run, already reported:
	// their range checks would only repeat the message.
	unresolved map[string]bool
	calendar   calendar.Calendar // the file's start and step length
	// dataErr holds the problems of the record's data file, located there and reported
	// once the scenario itself is valid.
	dataErr error
	rec     *Record
}

func (v *validator) inRange(path string, x, lo, hi float64) {
	if !(x >= lo && x <= hi) {
		v.Fail(path, "must be in [%g, %g], got %g%s", lo, hi, x, v.defaulted(path))
	}
}

func (v *validator) intRange(path string, x, lo, hi int) {
	if (x < lo || x > hi) && !v.unresolved[path] {
		v.Fail(path, "must be in [%d, %d], got %d%s", lo, hi, x, v.defaulted(path))
	}
}

// defaulted notes, for a field the file leaves out, that the value at fault is the default.
func (v *validator) defaulted(path string) string {
	if v.Has(path) {
		return ""
	}
	return " (the default: set it to suit the other fields)"
}

// utility checks a utility-valued field (appeal, costs, thresholds) is a sensible magnitude.
func (v *validator) utility(path string, x float64) {
	if !(math.Abs(x) <= model.MaxUtility) {
		v.Fail(path, "must be between %g and %g (a utility), got %g", -model.MaxUtility, model.MaxUtility, x)
	}
}

func (v *validator) atLeast(path string, x, lo float64) {
	if !(x >= lo) {
		v.Fail(path, "must be >= %g, got %g", lo, x)
	}
}

// oneOf checks an enumerated field against the words the path model gives it.
func (v *validator) oneOf(path, value string) bool {
	allowed := lookup(path).enum
	if slices.Contains(allowed, value) {
		return true
	}
	v.Fail(path, "unknown value %q%s (valid: %s)", value, strict.DidYouMean(value, allowed), strings.Join(allowed, ", "))
	return false
}

// onlyFor reports the fields of section that are set but that the variant chosen by its
// field selector does not use (the schema's for tags).
func (v *validator) onlyFor(section, selector, variant string) {
	for _, f := range lookup(section).fields {
		users, ok := f.uses[selector]
		path := strict.Join(section, f.name)
		if !ok || slices.Contains(users, variant) || !v.Has(path) {
			continue
		}
		v.Fail(path, "does not apply to %s (it is used by %s)", variant, strings.Join(users, ", "))
	}
}

func (v *validator) build() model.Config {
	f := v.file
	cfg := model.Defaults()
	v.calendar = v.calendarOf()
	v.resolveDates(v.calendar)
	v.intRange("steps", f.Steps.Step, 1, maxSteps)
	v.intRange("replicates", f.Replicates, 1, maxReplicates)
	if !(f.Scale > 0) {
		v.Fail("scale", "must be > 0 (real users per agent), got %g", f.Scale)
	}
	if strings.TrimSpace(f.TimeUnit) == "" {
		v.Fail("time_unit", "must not be empty (e.g. day, week, month)")
	}
	v.Label("name", f.Name)
	v.Label("time_unit", f.TimeUnit)
	cfg.Steps = f.Steps.Step
	v.intRange("active_window", f.ActiveWindow, 0, min(f.Steps.Step+1, model.MaxActiveWindow))
	cfg.ActiveWindow = f.ActiveWindow
	if len(f.Layers) == 0 {
		cfg.Graph = v.graph("graph", f.Graph, true)
	} else {
		cfg.Layers = v.layers()
	}
	cfg.Agents = f.Agents
	v.intRange("agents", f.Agents, 1, math.MaxInt32)
	cfg.Market = v.market()
	cfg.Decision = v.decision()
	cfg.Threshold = v.threshold("threshold", v.file.Threshold, v.Has("threshold.min") || v.Has("threshold.max"))
	cfg.Platforms = v.platforms()
	cfg.Events = v.interventions(cfg.Platforms)
	v.rec = v.record()
	cfg.Segments = v.segments()
	v.layerWeights(cfg.Platforms)
	return cfg
}

// graph checks the contact graph g at path (graph, or a layer) and converts it; a file
// graph is loaded. When setsAgents (the one graph, or the layer chosen by layers), its node
// count or block sizes' sum is agents when the file leaves agents out.
func (v *validator) graph(path string, g GraphFile, setsAgents bool) model.GraphSpec {
	spec := model.GraphSpec{Kind: model.GraphKind(g.Kind), MeanDegree: g.MeanDegree, M: g.M, K: g.K, Beta: g.Beta, BlockSizes: g.Blocks, PIn: g.PIn, POut: g.POut}
	if !v.oneOf(path+".kind", g.Kind) {
		return spec
	}
	v.onlyFor(path, "kind", g.Kind)
	n := float64(v.file.Agents)
	switch spec.Kind {
	case model.GraphErdosRenyi:
		v.inRange(path+".mean_degree", g.MeanDegree, 0, n-1)
	case model.GraphBarabasiAlbert:
		// Too few agents for a valid m is the agents' fault: say so rather than "m in [1, 0]".
		if g.M >= 1 && v.file.Agents >= 1 && g.M >= v.file.Agents {
			v.Fail("agents", "is %d, but a barabasi_albert graph with m = %d needs at least m+1 = %d agents", v.file.Agents, g.M, g.M+1)
		} else {
			v.intRange(path+".m", g.M, 1, v.file.Agents-1)
		}
	case model.GraphWattsStrogatz:
		switch {
		case g.K%2 == 0 && g.K >= 2 && v.file.Agents >= 1 && float64(g.K) > n-1:
			v.Fail("agents", "is %d, but a watts_strogatz graph with k = %d needs at least k+1 = %d agents", v.file.Agents, g.K, g.K+1)
		case g.K%2 != 0 || g.K < 2 || float64(g.K) > n-1:
			v.Fail(path+".k", "must be even and in [2, %g], got %d", n-1, g.K)
		}
		v.inRange(path+".beta", g.Beta, 0, 1)
	case model.GraphBlocks:
		v.blocks(path, g, setsAgents)
	case model.GraphGiven:
		v.loadGraph(path, g, &spec, setsAgents)
	case model.GraphBipartite:
		if path == "graph" {
			v.Fail("graph.kind", "bipartite ties join two segments beside a contact graph: list both under layers: (e.g. layers: {friends: {kind: erdos_renyi}, commerce: {kind: bipartite, between: [vendors, rest]}})")
		}
	}
	return spec
}

func (v *validator) blocks(path string, g GraphFile, setsAgents bool) {
	if len(g.Blocks) == 0 {
		v.Fail(path+".blocks", "is required for stochastic_block: the community sizes, e.g. [5000, 3000, 2000]")
		return
	}
	sum := 0
	for i, b := range g.Blocks {
		if b < 1 {
			v.Fail(strict.Join(path+".blocks", strconv.Itoa(i)), "a block needs at least 1 agent, got %d", b)
		}
		sum += b
	}
	switch {
	case setsAgents && !v.Has("agents"):
		v.file.Agents = sum
	case sum != v.file.Agents:
		v.Fail(path+".blocks", "block sizes sum to %d but agents is %d (leave agents out to use the sum)", sum, v.file.Agents)
	}
	v.inRange(path+".p_in", g.PIn, 0, 1)
	v.inRange(path+".p_out", g.POut, 0, 1)
}

// loadGraph loads the edge list of gf, the graph at path at; the graph's, or the first
// layer's that is an edge list, is the one summaries describe.
func (v *validator) loadGraph(at string, gf GraphFile, spec *model.GraphSpec, setsAgents bool) {
	path := gf.Path
	if path == "" {
		v.Fail(at+".path", "is required for kind file: an edge list, two node ids per line")
		return
	}
	if !filepath.IsAbs(path) && v.dir != "" {
		path = filepath.Join(v.dir, path)
	}
	g, info, err := v.base.edgeList(path)
	if err != nil {
		v.Fail(at+".path", "%v", err)
		return
	}
	spec.Given = g
	if at == "graph" || v.graphInfo == nil {
		v.graphInfo, v.graphPath = info, path
	}
	switch {
	case setsAgents && !v.Has("agents"):
		v.file.Agents = g.NumNodes()
	case v.file.Agents != g.NumNodes():
		v.Fail("agents", "is %d but the edge list %s has %d nodes (leave agents out to use the file's)", v.file.Agents, path, g.NumNodes())
	}
}

// threshold checks the threshold distribution t at path (the scenario's, or a segment's);
// bounded says whether min or max is given, which truncates a normal.
func (v *validator) threshold(path string, t ThresholdFile, bounded bool) model.Distribution {
	d := model.Distribution{Kind: model.DistributionKind(t.Distribution), Value: t.Value, Min: t.Min, Max: t.Max, Mean: t.Mean, SD: t.SD}
	if !v.oneOf(path+".distribution", t.Distribution) {
		return d
	}
	v.onlyFor(path, "distribution", t.Distribution)
	for _, f := range []struct {
		name string
		x    float64
	}{{"value", t.Value}, {"min", t.Min}, {"max", t.Max}, {"mean", t.Mean}, {"sd", t.SD}} {
		v.utility(path+"."+f.name, f.x)
	}
	switch d.Kind {
	case model.DistUniform:
		if !(t.Min < t.Max) {
			v.Fail(path+".max", "must be greater than min (%g), got %g", t.Min, t.Max)
		}
	case model.DistNormal:
		v.atLeast(path+".sd", t.SD, 0)
		if !bounded {
			d.Min, d.Max = 0, 0 // untruncated
		} else if !(t.Min < t.Max) {
			v.Fail(path+".max", "must be greater than min (%g) to truncate the normal, got %g", t.Min, t.Max)
		}
	}
	return d
}

func (v *validator) decision() model.Decision {
	d := v.file.Decision
	v.oneOf("decision.rule", d.Rule)
	v.oneOf("decision.update", d.Update)
	v.oneOf("decision.benefit", d.Benefit)
	v.oneOf("decision.contagion", d.Contagion)
	// The engine divides utility gains by T: outside these bounds T or 1/T overflows.
	v.inRange("decision.temperature", d.Temperature, model.MinTemperature, model.MaxTemperature)
	if !(d.RevisionRate > 0 && d.RevisionRate <= 1) {
		v.Fail("decision.revision_rate", "must be in (0, 1], got %g", d.RevisionRate)
	}
	v.atLeast("decision.multihoming_cost", d.MultiHomingCost, 0)
	v.utility("decision.multihoming_cost", d.MultiHomingCost)
	return model.Decision{
		Rule: model.Rule(d.Rule), Update: model.Update(d.Update), Temperature: d.Temperature,
		RevisionRate: d.RevisionRate, Benefit: model.Benefit(d.Benefit), Contagion: model.Contagion(d.Contagion),
		MultiHomingCost: d.MultiHomingCost,
	}
}

func (v *validator) platforms() []model.Platform {
	list := v.file.Platforms
	if !v.Has("platforms") {
		v.At(nil, "platforms", "is required: at least one platform, e.g. platforms: {wechat: {appeal: 0.5}}")
		return nil
	}
	if len(list) == 0 || len(list) > model.MaxPlatforms {
		v.Fail("platforms", "needs 1 to %d platforms, got %d", model.MaxPlatforms, len(list))
	}
	independent := v.file.Decision.Contagion == "independent"
	out := make([]model.Platform, 0, len(list))
	for _, p := range list {
		path := v.itemName("platforms", "platform", p.Name)
		if p.Name == "tie" || p.Name == "none" {
			v.Fail(path, "%q is reserved: summaries use it as a winner label", p.Name)
		}
		v.intRange(path+".launch", p.Launch.Step, 0, v.file.Steps.Step)
		v.platformParams(path, p.params(), independent)
		v.inRange(path+".investment_rate", p.InvestmentRate, 0, 1)
		out = append(out, p.platform())
	}
	return out
}

// platformParams checks the parameters a segment may override, of a platform or of a
// segment's override at path.
func (v *validator) platformParams(path string, p SegmentPlatformFile, independent bool) {
	if independent {
		// Probabilities in 1-(1-p)(1-q)^a.
		v.inRange(path+".p", p.P, 0, 1)
		v.inRange(path+".q", p.Q, 0, 1)
	} else {
		v.atLeast(path+".p", p.P, 0)
		v.atLeast(path+".q", p.Q, 0)
	}
	v.utility(path+".appeal", p.Appeal)
	v.atLeast(path+".network_weight", p.NetworkWeight, 0)
	v.utility(path+".network_weight", p.NetworkWeight)
	v.atLeast(path+".switching_cost", p.SwitchingCost, 0)
	v.utility(path+".switching_cost", p.SwitchingCost)
	v.inRange(path+".churn", p.Churn, 0, 1)
}

// itemName checks the name of an item of a named list (a platform, a segment), which labels
// CSV columns and plots, and returns the item's path.
func (v *validator) itemName(list, noun, name string) string {
	path := strict.Join(list, name)
	if len(name) > strict.MaxLabelBytes {
		// The path is shortened so that the message does not repeat the whole name.
		v.At(v.Nodes[path], strict.Join(list, name[:16]+"..."), "%s names must be at most %d bytes long, got %d", noun, strict.MaxLabelBytes, len(name))
	} else if !platformName.MatchString(name) {
		v.Fail(path, "%s names start with a letter and use letters, digits, _ and - only, got %q", noun, name)
	}
	return path
}

// eventKind maps an intervention kind to the model's.
func eventKind(kind string) model.EventKind {
	if kind == "block" {
		return model.EventBan
	}
	return model.EventKind(kind)
}

func (v *validator) interventions(platforms []model.Platform) []model.Event {
	names := make([]string, len(platforms))
	for i, p := range platforms {
		names[i] = p.Name
	}
	var events []model.Event
	for i, iv := range v.file.Interventions {
		path := strict.Join("interventions", strconv.Itoa(i))
		if !v.Has(path + ".kind") {
			v.Fail(path+".kind", "is required: one of %s", strings.Join(interventionKinds, ", "))
			continue
		}
		if !v.oneOf(path+".kind", iv.Kind) {
			continue
		}
		v.onlyFor(path, "kind", iv.Kind)
		e := model.Event{
			Kind: eventKind(iv.Kind), At: iv.At.Step, Until: iv.Until.Step, Count: iv.Count, Share: iv.Share,
			Target: model.Target(iv.Target), Block: iv.Block, P: iv.P,
			AppealChange: iv.AppealChange, NetworkWeightFactor: iv.NetworkWeightFactor, Committed: iv.Committed,
			Active: iv.Active, PerStep: iv.PerStep,
		}
		e.Platform = slices.Index(names, iv.Platform)
		if !v.Has(path + ".platform") {
			v.Fail(path+".platform", "is required: one of %s", strings.Join(names, ", "))
		} else if e.Platform < 0 {
			v.Fail(path+".platform", "unknown platform %q%s (platforms: %s)", iv.Platform, strict.DidYouMean(iv.Platform, names), strings.Join(names, ", "))
		}
		v.eventSegment(path, iv, &e)
		v.eventLayer(path, iv, &e)
		v.intRange(path+".at", e.At, 0, v.file.Steps.Step)
		if e.Platform >= 0 && e.At < platforms[e.Platform].Launch && (iv.Kind == "seed" || iv.Kind == "preinstall") {
			v.Fail(path+".at", "is step %d, before %s launches (step %d)", e.At, iv.Platform, platforms[e.Platform].Launch)
		}
		switch iv.Kind {
		case "seed", "preinstall":
			v.install(path, iv, &e)
		case "marketing":
			if !v.Has(path + ".p") {
				v.Fail(path+".p", "is required: the innovation rate p during the campaign")
			}
			v.atLeast(path+".p", iv.P, 0)
			v.window(path, iv)
		case "ban", "block":
			if !v.Has(path+".appeal_change") && !v.Has(path+".network_weight_factor") {
				v.Fail(path+".kind", "a %s needs appeal_change (added to appeal) or network_weight_factor (multiplies network_weight, in [0, 1])", iv.Kind)
			}
			v.inRange(path+".network_weight_factor", iv.NetworkWeightFactor, 0, 1)
			v.utility(path+".appeal_change", iv.AppealChange)
			v.window(path, iv)
		}
		events = append(events, e)
	}
	return events
}

func (v *validator) window(path string, iv Intervention) {
	at, until, steps := iv.At.Step, iv.Until.Step, v.file.Steps.Step
	if v.Has(path+".until") && !(until > at && until <= steps+1) && !v.unresolved[path+".until"] {
		v.Fail(path+".until", "must be after at (%d) and at most steps+1 (%d), got %d", at, steps+1, until)
	}
}

func (v *validator) install(path string, iv Intervention, e *model.Event) {
	given := 0
	for _, f := range []string{"nodes", "count", "share"} {
		if v.Has(path + "." + f) {
			given++
		}
	}
	if given != 1 {
		v.Fail(path, "a %s needs exactly one of nodes (agent ids), count (number of agents) or share (of non-users, in [0, 1]); got %d", iv.Kind, given)
	}
	n := v.file.Agents
	if v.Has(path+".nodes") && len(iv.Nodes) == 0 {
		v.Fail(path+".nodes", "is empty: list at least one agent id, e.g. [0, 17]")
	}
	for k, id := range iv.Nodes {
		if id < 0 || id >= n {
			v.Fail(fmt.Sprintf("%s.nodes.%d", path, k), "agent id must be in [0, %d], got %d", n-1, id)
		}
	}
	e.Nodes = iv.Nodes
	v.flow(path, iv)
	if v.Has(path + ".count") {
		v.intRange(path+".count", iv.Count, 1, n)
	}
	v.inRange(path+".share", iv.Share, 0, 1)
	if !v.oneOf(path+".target", iv.Target) {
		return
	}
	if iv.Target == "block" {
		first, at := v.firstGraph()
		blocks := first.Blocks
		switch {
		case first.Kind != "stochastic_block":
			v.Fail(path+".target", "block targets need a stochastic_block graph, but %s.kind is %s", at, first.Kind)
		case iv.Block < 0 || iv.Block >= len(blocks):
			v.Fail(path+".block", "must be a block index in [0, %d], got %d", len(blocks)-1, iv.Block)
		case v.Has(path + ".count"):
			v.Fail(path+".count", "does not apply with target block (use share)")
		}
	} else if v.Has(path + ".block") {
		v.Fail(path+".block", "only applies with target: block")
	}
}

// flow checks what a preinstall's flow and sleep fields allow: until only on a flow, a
// flow of a count or share (not listed agents), and committed only on active installs.
func (v *validator) flow(path string, iv Intervention) {
	if iv.PerStep {
		v.window(path, iv)
	} else if iv.Kind == "preinstall" && v.Has(path+".until") {
		v.Fail(path+".until", "only applies to a flow (per_step: true); a one-shot %s happens at its step", iv.Kind)
	}
	if iv.PerStep && v.Has(path+".nodes") {
		v.Fail(path+".nodes", "does not apply to a flow (per_step: true): give a count or share per step")
	}
	if iv.Kind == "preinstall" && iv.Committed && !iv.Active {
		v.Fail(path+".committed", "needs active: true: a committed agent never revises, so it would never open a sleeping install")
	}
}
