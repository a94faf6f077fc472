// Package sweep runs a scenario over a designed set of parameter points, with replicates, on
// all cores: sweep files, designs, a resumable journal of finished runs, result tables and
// the analysis behind "what would it have taken?".
package sweep

import (
	"fmt"
	"math"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v4"

	"github.com/msgsim/msgsim/internal/calendar"
	"github.com/msgsim/msgsim/internal/strict"
	"github.com/msgsim/msgsim/scenarios"
)

// File is a sweep file as written.
type File struct {
	Name       string   `yaml:"name"`
	Base       string   `yaml:"base"` // scenario file (relative to the sweep file) or shipped name
	Seed       uint64   `yaml:"seed"`
	Replicates int      `yaml:"replicates"`
	Design     string   `yaml:"design"`  // grid | latin_hypercube | sobol | morris | random
	Samples    int      `yaml:"samples"` // points (lhs, random), base samples (sobol), trajectories (morris)
	Levels     int      `yaml:"levels"`  // morris grid levels
	Outcome    string   `yaml:"outcome"` // the outcome analysed, e.g. final_share.laiwang
	Outcomes   []string `yaml:"outcomes"`
	// At lists moments (steps, or dates with the base scenario's calendar) whose users and
	// shares are outcomes too: users_at.MOMENT.PLATFORM, share_at.MOMENT.PLATFORM.
	At      MomentList `yaml:"at"`
	Set     []string   `yaml:"set"` // fixed overrides of the base scenario
	Factors FactorList `yaml:"factors"`
}

// Factor is one swept scenario field.
type Factor struct {
	Path string `yaml:"path"`
	// Label names the factor on the plots' axes; "" for one made from the path (pathLabel).
	Label      string      `yaml:"label"`
	Values     []any       `yaml:"-"` // decoded by hand: numbers or words
	Range      *RangeSpec  `yaml:"range"`
	Uniform    *Bounds     `yaml:"uniform"`
	LogUniform *Bounds     `yaml:"loguniform"`
	Normal     *NormalSpec `yaml:"normal"`
	valuesNode *yaml.Node
}

// RangeSpec is an evenly spaced set of levels (grid) or an interval (sampled designs).
type RangeSpec struct {
	From  float64 `yaml:"from"`
	To    float64 `yaml:"to"`
	Steps int     `yaml:"steps"`
	Scale string  `yaml:"scale"` // linear | log
}

// Bounds is an interval.
type Bounds struct {
	Min float64 `yaml:"min"`
	Max float64 `yaml:"max"`
}

// NormalSpec is a normal distribution, truncated to [Min, Max] when Min < Max.
type NormalSpec struct {
	Mean float64 `yaml:"mean"`
	SD   float64 `yaml:"sd"`
	Min  float64 `yaml:"min"`
	Max  float64 `yaml:"max"`
}

// FactorList decodes factors, whose values lists may mix numbers and words.
type FactorList []Factor

// Designs msgsim sweeps with.
var Designs = []string{"grid", "latin_hypercube", "sobol", "morris", "random"}

func (fl *FactorList) DecodeCustom(d *strict.Decoder, n *yaml.Node, path string) {
	if n.Kind != yaml.SequenceNode {
		d.At(n, path, "must be a list of factors ('- path: platforms.laiwang.appeal' items), got %s", strict.Describe(n))
		return
	}
	for i, item := range n.Content {
		item = strict.Resolve(item)
		itemPath := strict.Join(path, strconv.Itoa(i))
		d.Nodes[itemPath] = item
		var f Factor
		if item.Kind == yaml.MappingNode {
			// values: takes any scalars; the rest decodes strictly.
			rest := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: item.Line, Column: item.Column}
			for k := 0; k+1 < len(item.Content); k += 2 {
				if item.Content[k].Value == "values" {
					f.valuesNode = strict.Resolve(item.Content[k+1])
					d.Nodes[itemPath+".values"] = f.valuesNode
					continue
				}
				rest.Content = append(rest.Content, item.Content[k], item.Content[k+1])
			}
			item = rest
		}
		d.DecodeStruct(item, reflect.ValueOf(&f).Elem(), itemPath)
		if f.valuesNode != nil {
			f.Values = decodeValues(d, f.valuesNode, itemPath+".values")
		}
		*fl = append(*fl, f)
	}
}

func decodeValues(d *strict.Decoder, n *yaml.Node, path string) []any {
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		d.At(n, path, "must be a non-empty list of values, e.g. [0, 0.1, 0.2], got %s", strict.Describe(n))
		return nil
	}
	var out []any
	for i, v := range n.Content {
		v = strict.Resolve(v)
		if v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
			d.At(v, strict.Join(path, strconv.Itoa(i)), "must be a number or a word, got %s", strict.Describe(v))
			continue
		}
		if v.Tag == "!!int" || v.Tag == "!!float" {
			x, err := strconv.ParseFloat(strings.ReplaceAll(v.Value, "_", ""), 64)
			if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
				d.At(v, strict.Join(path, strconv.Itoa(i)), "must be a finite number, got %s", v.Value)
				continue
			}
			out = append(out, x)
			continue
		}
		out = append(out, v.Value)
	}
	return out
}

// Sweep is a loaded, validated sweep, ready to plan.
type Sweep struct {
	File    File
	Source  string // the sweep file's path
	Data    []byte // its text, for the manifest and the copy beside the results
	Base    *scenarios.Base
	Kinds   []scenarios.PathKind // per factor
	Outcome string               // analysed outcome (resolved default)
	At      []Moment             // the at: list, resolved to series rows
	Labels  []string             // per factor: its label on the plots (label:, or its path's)
}

// fileKind is how sweep files are read.
var fileKind = strict.Kind[File]{
	Name:     "sweep",
	Document: strict.DocumentKind{What: "a sweep", Fields: "base:, design:, factors: ...", Needs: "at least a factors: list"},
	Defaults: func() File { return File{Seed: 1, Replicates: 1, Design: "grid", Levels: 4} },
}

// LoadPlan loads a sweep file, lays out its points and validates every point's scenario:
// what a sweep, its dry run and `msgsim validate` all need before anything runs.
func LoadPlan(path string) (*Plan, error) {
	sw, err := Load(path)
	if err != nil {
		return nil, err
	}
	plan, err := sw.Plan()
	if err != nil {
		return nil, err
	}
	if err := plan.Validate(); err != nil {
		return nil, err
	}
	return plan, nil
}

// Load reads and validates a sweep file: its fields, its base scenario, and every factor
// path against that scenario.
func Load(path string) (*Sweep, error) {
	data, err := strict.ReadFile(fileKind.Name, path, strict.MaxYAMLBytes)
	if err != nil {
		return nil, err
	}
	return Parse(data, path, filepath.Dir(path))
}

// Parse validates sweep YAML; name labels errors, dir resolves a relative base path.
func Parse(data []byte, name, dir string) (*Sweep, error) {
	l, err := fileKind.Decode(data, name, nil)
	if err != nil {
		return nil, err
	}
	v := &validator{Decoder: l.Decoder, file: &l.Value}
	sw := &Sweep{File: l.Value, Source: name, Data: data}
	v.validate(sw, dir)
	if err := l.Err(); err != nil {
		return nil, err
	}
	sw.File.Name = strict.DefaultName(sw.File.Name, name)
	return sw, nil
}

type validator struct {
	*strict.Decoder
	file *File
}

func (v *validator) validate(sw *Sweep, dir string) {
	f := v.file
	v.Label("name", f.Name)
	if f.Replicates < 1 || f.Replicates > 100_000 {
		v.Fail("replicates", "must be in [1, 100000], got %d", f.Replicates)
	}
	if !slices.Contains(Designs, f.Design) {
		v.Fail("design", "unknown design %q%s (valid: %s)", f.Design, strict.DidYouMean(f.Design, Designs), strings.Join(Designs, ", "))
		return
	}
	if f.Design != "grid" && f.Samples < 1 {
		v.Fail("samples", "is required for design %s: %s", f.Design, samplesMeaning[f.Design])
	}
	if f.Design == "grid" && v.Has("samples") {
		v.Fail("samples", "does not apply to design grid (its points are all combinations of the factors' values)")
	}
	if f.Design == "morris" && (f.Levels < 2 || f.Levels%2 != 0) {
		v.Fail("levels", "must be an even number >= 2 for morris, got %d", f.Levels)
	}
	if f.Design != "morris" && v.Has("levels") {
		v.Fail("levels", "only applies to design morris")
	}
	base, err := scenarios.LoadNamed(v.file.Base, dir)
	if err != nil {
		v.Fail("base", "%v", err)
		return
	}
	sw.Base = base
	if len(f.Set) > 0 {
		if _, err := base.WithOverrides(setOverrides(f.Set)); err != nil {
			v.Fail("set", "%v", err)
		}
	}
	if len(f.Factors) == 0 {
		v.Fail("factors", "needs at least one factor, e.g. - path: platforms.laiwang.appeal")
		return
	}
	if f.Design == "sobol" && len(f.Factors) < 2 {
		v.Fail("factors", "sobol sensitivity needs at least 2 factors, got %d", len(f.Factors))
	}
	seen := map[string]bool{}
	for i, fac := range f.Factors {
		path := "factors." + strconv.Itoa(i)
		kind, ok := v.factor(base, path, fac)
		sw.Kinds = append(sw.Kinds, kind)
		if ok && seen[fac.Path] {
			v.Fail(path+".path", "%s is swept twice", fac.Path)
		}
		seen[fac.Path] = true
	}
	if sc, err := base.WithOverrides(setOverrides(f.Set)); err == nil {
		v.labels(sw, sc)
	}
	v.outcomes(sw, base)
}

var samplesMeaning = map[string]string{
	"latin_hypercube": "the number of points",
	"random":          "the number of points",
	"sobol":           "the base sample size N (runs: N x (factors + 2) points)",
	"morris":          "the number of trajectories r (points: r x (factors + 1))",
}

// factor checks one factor: its path exists in the base scenario, and its levels or
// distribution suit the design and the field.
func (v *validator) factor(base *scenarios.Base, path string, fac Factor) (scenarios.PathKind, bool) {
	if fac.Path == "" {
		v.Fail(path+".path", "is required: the dotted path of a scenario field, as with --set")
		return 0, false
	}
	if fac.Path == "seed" || fac.Path == "replicates" {
		v.Fail(path+".path", "%s is the sweep's own: runs take their seeds from the sweep's seed, and replicates: is set in the sweep file", fac.Path)
		return 0, false
	}
	kind, err := base.CheckPath(fac.Path)
	if err != nil {
		v.Fail(path+".path", "%v", err)
		return 0, false
	}
	if kind == scenarios.PathList {
		v.Fail(path+".path", "%s is a list; sweep a single-valued field", fac.Path)
		return kind, false
	}
	specs := 0
	for _, set := range []bool{fac.Values != nil, fac.Range != nil, fac.Uniform != nil, fac.LogUniform != nil, fac.Normal != nil} {
		if set {
			specs++
		}
	}
	if specs != 1 {
		v.Fail(path, "needs exactly one of values, range, uniform, loguniform or normal; got %d", specs)
		return kind, false
	}
	grid := v.file.Design == "grid"
	switch {
	case fac.Values != nil:
		for i, x := range fac.Values {
			word, isWord := x.(string)
			// A step field takes a date too (scenarios.StepOrDate); the scenario checks it.
			_, dateErr := calendar.ParseDate(word)
			if isWord && kind != scenarios.PathText && !(kind == scenarios.PathInteger && dateErr == nil) {
				v.Fail(fmt.Sprintf("%s.values.%d", path, i), "%s takes numbers, got %q", fac.Path, x)
			}
			if _, isNum := x.(float64); isNum && kind == scenarios.PathText {
				v.Fail(fmt.Sprintf("%s.values.%d", path, i), "%s takes a word, got %v", fac.Path, x)
			}
		}
	case kind == scenarios.PathText:
		v.Fail(path, "%s takes words: list them with values: [...]", fac.Path)
	case fac.Range != nil:
		r := fac.Range
		if r.Scale == "" {
			r.Scale = "linear"
		}
		if r.Scale != "linear" && r.Scale != "log" {
			v.Fail(path+".range.scale", "unknown scale %q (valid: linear, log)", r.Scale)
		}
		if !(r.From < r.To) {
			v.Fail(path+".range.to", "must be greater than from (%g), got %g", r.From, r.To)
		}
		if r.Scale == "log" && !(r.From > 0) {
			v.Fail(path+".range.from", "must be > 0 on a log scale, got %g", r.From)
		}
		if grid && r.Steps < 2 {
			v.Fail(path+".range.steps", "must be >= 2 for a grid (the number of levels from from to to), got %d", r.Steps)
		}
		if !grid && v.Has(path+".range.steps") {
			v.Fail(path+".range.steps", "only applies to design grid: sampled designs draw from the whole range")
		}
	case grid:
		v.Fail(path, "design grid needs values or range; uniform, loguniform and normal are for sampled designs")
	case fac.Uniform != nil && !(fac.Uniform.Min < fac.Uniform.Max):
		v.Fail(path+".uniform.max", "must be greater than min (%g), got %g", fac.Uniform.Min, fac.Uniform.Max)
	case fac.LogUniform != nil && !(fac.LogUniform.Min > 0 && fac.LogUniform.Min < fac.LogUniform.Max):
		v.Fail(path+".loguniform", "needs 0 < min < max, got min %g, max %g", fac.LogUniform.Min, fac.LogUniform.Max)
	case fac.Normal != nil && !(fac.Normal.SD > 0):
		v.Fail(path+".normal.sd", "must be > 0, got %g", fac.Normal.SD)
	case fac.Normal != nil && (v.Has(path+".normal.min") || v.Has(path+".normal.max")) && !(fac.Normal.Min < fac.Normal.Max):
		v.Fail(path+".normal.max", "must be greater than min (%g) to truncate, got %g", fac.Normal.Min, fac.Normal.Max)
	case fac.Normal != nil && !(fac.Normal.Min < fac.Normal.Max) && !normalSpanFinite(*fac.Normal):
		v.Fail(path+".normal.sd", "sampled values reach %d sd either side of the mean, and %g ± %d x %g is beyond the largest number (about 1.8e308); give a smaller mean or sd, or truncate with min and max",
			normalReach, fac.Normal.Mean, normalReach, fac.Normal.SD)
	}
	return kind, true
}

// normalReach is how many sd from the mean an untruncated normal factor's values can lie:
// quantile draws keep u within [1e-9, 1-1e-9] (see Factor.quantile), about 6 sd.
const normalReach = 6

// normalSpanFinite reports whether an untruncated normal factor's values are all finite.
func normalSpanFinite(n NormalSpec) bool {
	lo, hi := n.Mean-normalReach*n.SD, n.Mean+normalReach*n.SD
	return !math.IsInf(lo, 0) && !math.IsInf(hi, 0)
}

func (v *validator) outcomes(sw *Sweep, base *scenarios.Base) {
	sc, err := base.WithOverrides(setOverrides(sw.File.Set))
	if err != nil {
		return // reported under set
	}
	v.moments(sw, sc)
	names := OutcomeNames(platformNames(sc), sc.Config.SegmentNames(), sw.At)
	example := "final_share." + sc.Config.Platforms[len(sc.Config.Platforms)-1].Name
	metrics := Metrics()
	if len(sw.At) > 0 {
		metrics = append(metrics, AtMetrics...)
	}
	for i, o := range sw.File.Outcomes {
		metric, _, _ := strings.Cut(o, ".")
		if len(sw.At) == 0 && slices.Contains(AtMetrics, metric) {
			v.Fail("outcomes."+strconv.Itoa(i), "%s needs moments: list steps or dates in at: (e.g. at: [104, 2013-09-30])", o)
			continue
		}
		if !slices.Contains(names, o) && !slices.Contains(metrics, o) {
			v.Fail("outcomes."+strconv.Itoa(i), "unknown outcome %q%s (valid: adopters, %s, each for all platforms or for one, e.g. %s)", o, strict.DidYouMean(o, append(metrics, names...)), strings.Join(metrics, ", "), example)
		}
	}
	sw.Outcome = sw.File.Outcome
	if sw.Outcome == "" {
		sw.Outcome = example
	}
	switch {
	case sw.Outcome == "winner":
		v.Fail("outcome", "winner is a platform name, not a number: analyse a numeric outcome such as %s (the chance each platform wins is always reported)", example)
	case !slices.Contains(names, sw.Outcome):
		v.Fail("outcome", "unknown outcome %q%s (e.g. %s, adopters, peak_users.PLATFORM)", sw.Outcome, strict.DidYouMean(sw.Outcome, names), example)
	}
}

func platformNames(sc *scenarios.Scenario) []string {
	names := make([]string, len(sc.Config.Platforms))
	for j, p := range sc.Config.Platforms {
		names[j] = p.Name
	}
	return names
}
