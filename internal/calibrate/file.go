package calibrate

import (
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/msgsim/msgsim/internal/evaluate"
	"github.com/msgsim/msgsim/internal/strict"
	"github.com/msgsim/msgsim/scenarios"
)

// File is a fit file as written. Defaults are in defaultFile and documented in README.md.
type File struct {
	Name        string      `yaml:"name"`
	Scenario    string      `yaml:"scenario"` // scenario file (relative to the fit file) or shipped name
	Set         []string    `yaml:"set"`      // fixed overrides of the scenario
	Data        string      `yaml:"data"`     // data CSV, relative to the fit file
	Start       string      `yaml:"start"`    // date of step 0, YYYY-MM-DD
	StepDays    float64     `yaml:"step_days"`
	Scale       float64     `yaml:"scale"` // people per agent; data values are in millions
	Targets     []Target    `yaml:"targets"`
	Parameters  []Parameter `yaml:"parameters"`
	Replicates  int         `yaml:"replicates"`
	Budget      int         `yaml:"budget"` // maximum simulation runs, Hessian included
	Seed        uint64      `yaml:"seed"`
	Method      string      `yaml:"method"`      // nelder_mead | cma_es
	Uncertainty string      `yaml:"uncertainty"` // hessian | none
}

// Target says which data rows to fit and which model series they are compared with.
type Target struct {
	Platform string `yaml:"platform"`
	Metric   string `yaml:"metric"`
	Series   string `yaml:"series"`  // registered | active | windowed_active
	Segment  string `yaml:"segment"` // optional: the series within this segment of the scenario
	From     string `yaml:"from"`    // optional: first date (YYYY-MM-DD) or step to use
	To       string `yaml:"to"`      // optional: last date or step to use
	// At, optional, fits one moment only: the rows of that date, or placed on that step; the
	// same as from and to both at it, and refused beside them.
	At string `yaml:"at"`
}

// Parameter is one fitted scenario field and its bounds.
type Parameter struct {
	Path  string  `yaml:"path"`
	Min   float64 `yaml:"min"`
	Max   float64 `yaml:"max"`
	Scale string  `yaml:"scale"` // linear | log
}

// Methods are the optimisers a fit file may name.
var Methods = []string{"nelder_mead", "cma_es"}

// SeriesNames are the model series a target may be compared with.
var SeriesNames = []string{"registered", "active", "windowed_active"}

// UncertaintyMethods are the ways standard errors may be estimated.
var UncertaintyMethods = []string{"hessian", "none"}

// reserved are scenario fields the fit controls itself.
var reserved = map[string]string{
	"seed":       "the fit sets the seeds (common random numbers from its own seed)",
	"replicates": "the fit sets the replicates (replicates: in the fit file)",
	"steps":      "the data are placed on steps, so the number of steps is fixed",
	"scale":      "scale only converts agents to people (scale: in the fit file)",
}

const dateLayout = "2006-01-02"

// fileKind is how fit files are read.
var fileKind = strict.Kind[File]{
	Name: "fit",
	Document: strict.DocumentKind{
		What: "a fit file", Fields: "scenario:, data:, targets:, parameters: ...", Needs: "at least data:, targets: and parameters:",
	},
	Defaults: func() File {
		return File{Replicates: 4, Budget: 400, Seed: 1, Method: "nelder_mead", Uncertainty: "hessian"}
	},
}

// Fit is a loaded, validated fit file with its data, ready to run.
type Fit struct {
	File     File
	Source   string          // the fit file's path
	Base     *scenarios.Base // the scenario, as read
	Start    *scenarios.Scenario
	DataPath string
	// StartDate is the date of step 0 (zero when the data has steps and no start is given).
	StartDate time.Time
	Scale     float64 // people per agent
	Targets   []ResolvedTarget
	Params    []Param
	Obs       []Observation
	fixed     []string // the set overrides, then scale
}

// ResolvedTarget is a target with its platform's index in the scenario.
type ResolvedTarget struct {
	Target
	Platform int
	// Segment is the index of the target's segment in the scenario's segments
	// (model.Config.SegmentNames), or -1 for a target over all agents.
	Segment int
	Label   string // "wechat mau": names its curve and points in the plot
}

// measure is the model series the target compares its data with.
func (t ResolvedTarget) measure() evaluate.Measure {
	if t.Segment >= 0 {
		m, _ := evaluate.InSegment(t.Series, t.Segment) // validation admits segment measures only
		return m
	}
	m, _ := evaluate.MeasureNamed(t.Series) // the fit file admits known series only
	return m
}

// Param is a fitted parameter, resolved against the scenario.
type Param struct {
	Path     string
	Kind     scenarios.PathKind
	Min, Max float64
	Log      bool
	Current  float64 // the scenario's value (after set)
}

// Load reads and validates a fit file, its scenario and its data.
func Load(path string) (*Fit, error) {
	data, err := strict.ReadFile(fileKind.Name, path, strict.MaxYAMLBytes)
	if err != nil {
		return nil, err
	}
	return Parse(data, path, filepath.Dir(path))
}

// Parse validates fit YAML; name labels errors, dir resolves relative scenario and data paths.
func Parse(data []byte, name, dir string) (*Fit, error) {
	l, err := fileKind.Decode(data, name, nil)
	if err != nil {
		return nil, err
	}
	fit := &Fit{File: l.Value, Source: name}
	v := &validator{Decoder: l.Decoder, file: &fit.File, fit: fit, dir: dir}
	v.validate()
	if err := l.Err(); err != nil {
		return nil, err
	}
	if err := v.loadData(); err != nil {
		return nil, err
	}
	fit.File.Name = strict.DefaultName(fit.File.Name, name)
	return fit, nil
}

type validator struct {
	*strict.Decoder
	file *File
	fit  *Fit
	dir  string
	// hasDates is set once the data header is read.
	hasDates bool
}

func (v *validator) validate() {
	v.Label("name", v.file.Name)
	f := v.file
	if f.Replicates < 1 || f.Replicates > 1000 {
		v.Fail("replicates", "must be in [1, 1000], got %d", f.Replicates)
	}
	if f.Budget < 1 {
		v.Fail("budget", "must be a positive number of simulation runs, got %d", f.Budget)
	}
	if !slices.Contains(Methods, f.Method) {
		v.Fail("method", "unknown method %q%s (valid: %s)", f.Method, strict.DidYouMean(f.Method, Methods), strings.Join(Methods, ", "))
	}
	if !slices.Contains(UncertaintyMethods, f.Uncertainty) {
		v.Fail("uncertainty", "unknown method %q%s (valid: %s)", f.Uncertainty, strict.DidYouMean(f.Uncertainty, UncertaintyMethods), strings.Join(UncertaintyMethods, ", "))
	}
	if v.Has("start") {
		t, err := time.Parse(dateLayout, f.Start)
		if err != nil {
			v.Fail("start", "must be a date YYYY-MM-DD (the date of step 0), got %q", f.Start)
		}
		v.fit.StartDate = t
	}
	if v.Has("step_days") && !(f.StepDays > 0) {
		v.Fail("step_days", "must be > 0 (the length of one step in days), got %g", f.StepDays)
	}
	if v.Has("scale") && !(f.Scale > 0) {
		v.Fail("scale", "must be > 0 (people per agent), got %g", f.Scale)
	}
	if f.Data == "" {
		v.Fail("data", "is required: the CSV of observed figures (date,platform,metric,value_millions,source), relative to the fit file")
	}
	base, err := scenarios.LoadNamed(v.file.Scenario, v.dir)
	if err != nil {
		v.Fail("scenario", "%v", err)
		return
	}
	v.fit.Base = base
	v.fit.fixed = slices.Clone(f.Set)
	sc, err := base.WithOverrides(v.labelled())
	if err != nil {
		v.Fail("set", "%v", err)
		return
	}
	v.fit.Scale = sc.File.Scale
	if v.Has("scale") && f.Scale > 0 {
		v.fit.Scale = f.Scale
		v.fit.fixed = append(v.fit.fixed, "scale="+strconv.FormatFloat(f.Scale, 'g', -1, 64))
		if sc, err = base.WithOverrides(v.labelled()); err != nil {
			v.Fail("scale", "%v", err)
			return
		}
	}
	v.fit.Start = sc
	v.targets(sc)
	v.parameters(base, sc)
	v.budget()
}

// labelled is the fit's fixed overrides as messages name them, like a sweep's: "set" for
// the file's set, "scale" for its scale (rather than "--set", which the user never typed).
func (v *validator) labelled() []scenarios.Override {
	out := make([]scenarios.Override, len(v.fit.fixed))
	for i, a := range v.fit.fixed {
		origin := "set"
		if i >= len(v.file.Set) {
			origin = "scale"
		}
		out[i] = scenarios.Override{Assignment: a, Origin: origin}
	}
	return out
}

func (v *validator) targets(sc *scenarios.Scenario) {
	if len(v.file.Targets) == 0 {
		v.Fail("targets", "needs at least one target, e.g. - {platform: wechat, metric: registered, series: registered}")
		return
	}
	names := make([]string, len(sc.Config.Platforms))
	for j, p := range sc.Config.Platforms {
		names[j] = p.Name
	}
	seen := map[[2]string]int{}
	for i, t := range v.file.Targets {
		path := "targets." + strconv.Itoa(i)
		rt := ResolvedTarget{Target: t, Platform: slices.Index(names, t.Platform), Segment: -1, Label: t.Platform + " " + t.Metric}
		v.targetSegment(path, sc, &rt)
		switch {
		case t.Platform == "":
			v.Fail(path+".platform", "is required: a platform of the scenario (%s)", strings.Join(names, ", "))
		case rt.Platform < 0:
			v.Fail(path+".platform", "no platform %q in scenario %s%s (platforms: %s)", t.Platform, v.fit.Base.Name(), strict.DidYouMean(t.Platform, names), strings.Join(names, ", "))
		}
		if t.Metric == "" {
			v.Fail(path+".metric", "is required: the metric column's value in the data rows to fit, e.g. registered or mau")
		}
		switch {
		case t.Series == "":
			v.Fail(path+".series", "is required: the model series to compare with (%s)", strings.Join(SeriesNames, ", "))
		case !slices.Contains(SeriesNames, t.Series):
			v.Fail(path+".series", "unknown series %q%s (valid: %s)", t.Series, strict.DidYouMean(t.Series, SeriesNames), strings.Join(SeriesNames, ", "))
		}
		if t.Platform != "" && t.Metric != "" {
			key := [2]string{t.Platform, t.Metric}
			if j, dup := seen[key]; dup {
				v.Fail(path, "platform %s, metric %s is already fitted by targets.%d", t.Platform, t.Metric, j)
			} else {
				seen[key] = i
			}
		}
		v.targetAt(path, &rt)
		from, fromOK := v.bound(path+".from", t.From)
		to, toOK := v.bound(path+".to", t.To)
		if fromOK && toOK && v.Has(path+".from") && v.Has(path+".to") && from.isDate == to.isDate && from.after(to) {
			v.Fail(path+".to", "must not be before from (%s), got %s", t.From, t.To)
		}
		v.fit.Targets = append(v.fit.Targets, rt)
	}
}

// targetAt turns a target's at into from and to at it.
func (v *validator) targetAt(path string, rt *ResolvedTarget) {
	if !v.Has(path + ".at") {
		return
	}
	if v.Has(path+".from") || v.Has(path+".to") {
		v.Fail(path+".at", "fits the one date or step %s, as from and to both at it: give at, or from and to, not both", rt.At)
		return
	}
	if _, ok := v.bound(path+".at", rt.At); ok {
		rt.From, rt.To = rt.At, rt.At
	}
}

// limit is a target's from, to or at: a date or a step.
type limit struct {
	isDate bool
	date   time.Time
	step   int
}

func (a limit) after(b limit) bool {
	if a.isDate {
		return a.date.After(b.date)
	}
	return a.step > b.step
}

func parseLimit(s string) (limit, bool) {
	if t, err := time.Parse(dateLayout, s); err == nil {
		return limit{isDate: true, date: t}, true
	}
	if n, err := strconv.Atoi(s); err == nil && n >= 0 {
		return limit{step: n}, true
	}
	return limit{}, false
}

func (v *validator) bound(path, s string) (limit, bool) {
	if !v.Has(path) {
		return limit{}, true
	}
	l, ok := parseLimit(s)
	if !ok {
		v.Fail(path, "must be a date YYYY-MM-DD or a step (a whole number >= 0), got %q", s)
	}
	return l, ok
}

func (v *validator) parameters(base *scenarios.Base, sc *scenarios.Scenario) {
	if len(v.file.Parameters) == 0 {
		v.Fail("parameters", "needs at least one parameter, e.g. - {path: platforms.wechat.q, min: 0.01, max: 0.5}")
		return
	}
	fixed := map[string]bool{}
	for _, s := range v.file.Set {
		key, _, _ := strings.Cut(s, "=")
		fixed[strings.TrimSpace(key)] = true
	}
	seen := map[string]bool{}
	for i, p := range v.file.Parameters {
		path := "parameters." + strconv.Itoa(i)
		param, ok := v.parameter(base, sc, path, p, fixed)
		if ok && seen[p.Path] {
			v.Fail(path+".path", "%s is fitted twice", p.Path)
		}
		seen[p.Path] = true
		v.fit.Params = append(v.fit.Params, param)
	}
}

func (v *validator) parameter(base *scenarios.Base, sc *scenarios.Scenario, path string, p Parameter, fixed map[string]bool) (Param, bool) {
	param := Param{Path: p.Path, Min: p.Min, Max: p.Max, Log: p.Scale == "log"}
	if p.Scale != "" && p.Scale != "linear" && p.Scale != "log" {
		v.Fail(path+".scale", "unknown scale %q (valid: linear, log)", p.Scale)
	}
	okBounds := true
	for _, b := range []string{"min", "max"} {
		if !v.Has(path + "." + b) {
			v.Fail(path+"."+b, "is required: the parameter's %s bound", map[string]string{"min": "lower", "max": "upper"}[b])
			okBounds = false
		}
	}
	switch {
	case !okBounds:
	case !(p.Min < p.Max):
		v.Fail(path+".max", "must be greater than min (%g), got %g", p.Min, p.Max)
		okBounds = false
	case param.Log && !(p.Min > 0):
		v.Fail(path+".min", "must be > 0 on a log scale, got %g", p.Min)
		okBounds = false
	}
	if p.Path == "" {
		v.Fail(path+".path", "is required: the dotted path of a scenario field, as with --set")
		return param, false
	}
	kind, err := base.CheckPath(p.Path)
	if err != nil {
		v.Fail(path+".path", "%v", err)
		return param, false
	}
	param.Kind = kind
	switch {
	case kind == scenarios.PathText || kind == scenarios.PathList:
		v.Fail(path+".path", "%s is not a number; fit numeric fields (p, q, churn, appeal, share, ...)", p.Path)
		return param, false
	case reserved[p.Path] != "":
		v.Fail(path+".path", "%s cannot be fitted: %s", p.Path, reserved[p.Path])
		return param, false
	case fixed[p.Path]:
		v.Fail(path+".path", "%s is also fixed by set; fit it or fix it, not both", p.Path)
		return param, false
	}
	if kind == scenarios.PathInteger && okBounds {
		for _, b := range []struct {
			name string
			x    float64
		}{{"min", p.Min}, {"max", p.Max}} {
			if b.x != math.Trunc(b.x) {
				v.Fail(path+"."+b.name, "must be a whole number: %s is a whole-number field, got %g", p.Path, b.x)
				okBounds = false
			}
		}
	}
	if okBounds {
		// The bounds themselves must be valid values of the field (churn in [0, 1], ...).
		for _, b := range []struct {
			name string
			x    float64
		}{{"min", p.Min}, {"max", p.Max}} {
			bound := scenarios.Override{Assignment: p.Path + "=" + formatValue(b.x), Origin: "parameter"}
			if _, err := base.WithOverrides(append(v.labelled(), bound)); err != nil {
				v.Fail(path+"."+b.name, "%v", err)
			}
		}
	}
	param.Current, _ = scenarios.Value(sc.File, p.Path)
	return param, true
}

// budget checks that the budget leaves the optimiser room to work after the Hessian.
func (v *validator) budget() {
	f := v.file
	d := len(f.Parameters)
	if d == 0 || f.Replicates < 1 || f.Budget < 1 || !slices.Contains(Methods, f.Method) || !slices.Contains(UncertaintyMethods, f.Uncertainty) {
		return
	}
	opt := minOptimiserEvaluations(f.Method, d)
	hess := 0
	if f.Uncertainty == "hessian" {
		hess = hessianEvaluations(d)
	}
	need := (opt + hess) * f.Replicates
	if f.Budget < need {
		extra := ""
		if hess > 0 {
			extra = fmt.Sprintf(", and %d for the Hessian", hess)
		}
		v.Fail("budget", "must be at least %d runs for %s and %s (%d evaluations for %s to get going%s), got %d",
			need, plural(d, "parameter"), plural(f.Replicates, "replicate"), opt, f.Method, extra, f.Budget)
	}
}

// minOptimiserEvaluations is the fewest evaluations worth running: the start, then two
// simplices (Nelder-Mead) or two generations (CMA-ES).
func minOptimiserEvaluations(method string, d int) int {
	if method == "cma_es" {
		return 1 + 2*cmaPopulation(d)
	}
	return 2 * (d + 1)
}

// cmaPopulation is gonum's default CMA-ES population size.
func cmaPopulation(d int) int { return 4 + int(3*math.Log(float64(d))) }

// hessianEvaluations is the number of objective evaluations of the finite-difference Hessian
// around a known centre: two per parameter on the diagonal, two per pair off it.
func hessianEvaluations(d int) int { return d * (d + 1) }

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

func formatValue(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// targetSegment resolves a target's segment, if it names one: a segment of the scenario (or
// its default segment), with a series the model keeps per segment.
func (v *validator) targetSegment(path string, sc *scenarios.Scenario, rt *ResolvedTarget) {
	if !v.Has(path + ".segment") {
		return
	}
	segments := sc.Config.SegmentNames()
	rt.Segment = slices.Index(segments, rt.Target.Segment)
	switch {
	case len(segments) == 0:
		v.Fail(path+".segment", "names segment %q, but scenario %s has no segments", rt.Target.Segment, v.fit.Base.Name())
	case rt.Segment < 0:
		v.Fail(path+".segment", "no segment %q in scenario %s%s (segments: %s)", rt.Target.Segment, v.fit.Base.Name(), strict.DidYouMean(rt.Target.Segment, segments), strings.Join(segments, ", "))
	default:
		rt.Label += " (" + rt.Target.Segment + ")"
	}
	var kept []string // the series a segment target may name
	for _, name := range SeriesNames {
		if slices.Contains(evaluate.SegmentMeasureNames(), name) {
			kept = append(kept, name)
		}
	}
	if slices.Contains(SeriesNames, rt.Series) && !slices.Contains(kept, rt.Series) {
		v.Fail(path+".series", "%s is not kept per segment: a target with a segment compares with %s", rt.Series, strings.Join(kept, " or "))
	}
}
