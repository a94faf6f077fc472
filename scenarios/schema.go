package scenarios

import (
	"github.com/msgsim/msgsim/internal/calendar"
	"github.com/msgsim/msgsim/model"
)

// File is a scenario file as written. Every field is optional unless marked required; the
// zero-value defaults live in defaultFile and defaultPlatform, documented in README.md.
//
// These types are the scenario's schema, which the path model (paths.go) reads: a field's
// yaml tag is its key; a for tag names the variants that use it, as SELECTOR=V1,V2 (a field
// of the same section that picks the variant) separated by spaces: validation refuses it
// under other variants, and --set of the selector drops it. Lists of items are declared in
// listSpecs, the words of enumerated fields in enums.
type File struct {
	Name          string           `yaml:"name"`        // title on plots
	Description   string           `yaml:"description"` // shown by `msgsim scenarios`
	Seed          uint64           `yaml:"seed"`
	Replicates    int              `yaml:"replicates"`
	Agents        int              `yaml:"agents"`
	Start         string           `yaml:"start"`     // the date of step 0, 2011-01-21; "" for bare steps
	Step          string           `yaml:"step"`      // the length of a step with start: day, week or month
	Steps         StepOrDate       `yaml:"steps"`     // a date: the last day run
	TimeUnit      string           `yaml:"time_unit"` // what one step is: day, week, month... (the step length with start)
	Scale         float64          `yaml:"scale"`     // real users one agent stands for
	Market        MarketFile       `yaml:"market"`    // the people who could use a messenger, over time
	Graph         GraphFile        `yaml:"graph"`
	Decision      DecisionFile     `yaml:"decision"`
	Threshold     ThresholdFile    `yaml:"threshold"`
	Platforms     PlatformList     `yaml:"platforms"` // required
	Interventions InterventionList `yaml:"interventions"`
	Charts        ChartsFile       `yaml:"charts"`
	Record        RecordFile       `yaml:"record"`        // observed figures drawn on the plots and compared in summary.json
	ActiveWindow  int              `yaml:"active_window"` // series also count users of the last W steps
	Segments      SegmentList      `yaml:"segments"`      // named groups of agents; the rest form segment "rest"
	Layers        LayerList        `yaml:"layers"`        // named contact graphs, instead of graph
}

// ChartsFile is how msgsim run draws the scenario's plots, which the model never sees; the
// zero value draws linear axes.
type ChartsFile struct {
	LogScale bool `yaml:"log_scale"` // the user axes (adoption, registered) on a log10 scale
}

// RecordFile names the published figures a run is set against: rows of a data file (the
// format fits read) and the model series each is compared with. The zero value has none.
type RecordFile struct {
	File   string           `yaml:"file"`   // relative to the scenario file; a shipped scenario's is shipped with it
	Series RecordSeriesList `yaml:"series"` // which rows, compared with which series
}

// RecordSeries maps the rows of one platform and metric to a model series.
type RecordSeries struct {
	Platform string `yaml:"platform"` // the data's platform column, a platform of the scenario
	Metric   string `yaml:"metric"`   // the data's metric column: registered, mau...
	Series   string `yaml:"series"`   // registered | active | windowed_active
}

// RecordSeriesList is the record's mappings, in file order (the legend's order).
type RecordSeriesList []RecordSeries

// GraphFile describes the contact graph, or one layer of them; its name is its key under
// layers.
type GraphFile struct {
	Name       string   `yaml:"-"`
	Kind       string   `yaml:"kind"`
	MeanDegree float64  `yaml:"mean_degree" for:"kind=erdos_renyi,bipartite"`
	Between    []string `yaml:"between" for:"kind=bipartite"` // two segments, whose agents the ties join
	M          int      `yaml:"m" for:"kind=barabasi_albert"`
	K          int      `yaml:"k" for:"kind=watts_strogatz"`
	Beta       float64  `yaml:"beta" for:"kind=watts_strogatz"`
	Blocks     []int    `yaml:"blocks" for:"kind=stochastic_block"`
	PIn        float64  `yaml:"p_in" for:"kind=stochastic_block"`
	POut       float64  `yaml:"p_out" for:"kind=stochastic_block"`
	Path       string   `yaml:"path" for:"kind=file"`
}

// LayerList keeps layers in file order: the first is the contact graph that word of mouth,
// segments and block targets use.
type LayerList []GraphFile

// defaultLayer is a layer with the graph's defaults.
func defaultLayer(name string) GraphFile {
	g := defaultFile().Graph
	g.Name = name
	return g
}

// LayerWeight is a platform's weight on one layer, relative to its network_weight; its name
// is the layer's, its key under the platform's layer_weights.
type LayerWeight struct {
	Name   string `yaml:"-"`
	Weight float64
}

// LayerWeightList holds a platform's layer weights, in file order.
type LayerWeightList []LayerWeight

// DecisionFile describes the agents' choice.
type DecisionFile struct {
	Rule            string  `yaml:"rule"`
	Update          string  `yaml:"update"`
	Temperature     float64 `yaml:"temperature"`
	RevisionRate    float64 `yaml:"revision_rate"`
	Benefit         string  `yaml:"benefit"`
	Contagion       string  `yaml:"contagion"`
	MultiHomingCost float64 `yaml:"multihoming_cost"`
}

// ThresholdFile is the distribution of personal thresholds.
type ThresholdFile struct {
	Distribution string  `yaml:"distribution"`
	Value        float64 `yaml:"value" for:"distribution=constant"`
	Min          float64 `yaml:"min" for:"distribution=uniform,normal"`
	Max          float64 `yaml:"max" for:"distribution=uniform,normal"`
	Mean         float64 `yaml:"mean" for:"distribution=normal"`
	SD           float64 `yaml:"sd" for:"distribution=normal"`
}

// PlatformFile is one platform; its name is its key under platforms. Its fields are
// model.Platform's, in the same order, the launch step aside (a step or a date).
type PlatformFile struct {
	Name           string     `yaml:"-"`
	Launch         StepOrDate `yaml:"launch"`
	Appeal         float64    `yaml:"appeal"`
	P              float64    `yaml:"p"`
	Q              float64    `yaml:"q"`
	NetworkWeight  float64    `yaml:"network_weight"`
	SwitchingCost  float64    `yaml:"switching_cost"`
	InvestmentRate float64    `yaml:"investment_rate"`
	Churn          float64    `yaml:"churn"`
	// LayerWeights scale network_weight on each layer; a layer left out weighs 1 if it is
	// the first, else 0.
	LayerWeights LayerWeightList `yaml:"layer_weights"`
}

// PlatformList keeps platforms in file order, which fixes colours and CSV order.
type PlatformList []PlatformFile

// Intervention is one event on the timeline.
type Intervention struct {
	Kind                string     `yaml:"kind"`
	Platform            string     `yaml:"platform"`
	At                  StepOrDate `yaml:"at"`
	Until               StepOrDate `yaml:"until" for:"kind=marketing,ban,block,preinstall"`
	Nodes               []int      `yaml:"nodes" for:"kind=seed"`
	Count               int        `yaml:"count" for:"kind=seed,preinstall"`
	Share               float64    `yaml:"share" for:"kind=seed,preinstall"`
	Target              string     `yaml:"target" for:"kind=seed,preinstall"`
	Block               int        `yaml:"block" for:"kind=seed,preinstall target=block"`
	P                   float64    `yaml:"p" for:"kind=marketing"`
	AppealChange        float64    `yaml:"appeal_change" for:"kind=ban,block"`
	NetworkWeightFactor float64    `yaml:"network_weight_factor" for:"kind=ban,block"`
	Layer               string     `yaml:"layer" for:"kind=ban,block"`           // network_weight_factor on this layer only
	Committed           bool       `yaml:"committed" for:"kind=seed,preinstall"` // seed, preinstall: the agents never revise or churn
	Active              bool       `yaml:"active" for:"kind=preinstall"`         // preinstall: users at once, not just registered
	PerStep             bool       `yaml:"per_step" for:"kind=preinstall"`       // preinstall: a flow, count or share each step of [at, until)
	Segment             string     `yaml:"segment"`                              // only this segment's agents (its parameters, for marketing and ban)
}

// defaultFile holds the documented defaults that a file overlays: the model's own
// (model.Defaults), plus the file's own fields and the parameters of the variants the
// model's defaults do not choose (used when a file picks, say, graph.kind: barabasi_albert).
func defaultFile() File {
	c := model.Defaults()
	g, d, t := c.Graph, c.Decision, c.Threshold
	return File{
		Seed:       1,
		Replicates: 1,
		Agents:     c.Agents,
		Steps:      At(c.Steps),
		Step:       string(calendar.Week),
		TimeUnit:   "step",
		Scale:      1,
		Market:     MarketFile{Order: string(model.EntryRandom)},
		Graph:      GraphFile{Kind: string(g.Kind), MeanDegree: g.MeanDegree, M: 3, K: 10, Beta: 0.1, PIn: 0.05, POut: 0.001},
		Decision: DecisionFile{
			Rule: string(d.Rule), Update: string(d.Update), Temperature: d.Temperature, RevisionRate: d.RevisionRate,
			Benefit: string(d.Benefit), Contagion: string(d.Contagion), MultiHomingCost: d.MultiHomingCost,
		},
		Threshold: ThresholdFile{Distribution: string(t.Kind), Value: t.Value, Min: t.Min, Max: 1, Mean: t.Mean, SD: 0.1},
	}
}

// defaultPlatform is the model's DefaultPlatform.
func defaultPlatform(name string) PlatformFile {
	p := model.DefaultPlatform(name)
	return PlatformFile{
		Name: p.Name, Launch: At(p.Launch), Appeal: p.Appeal, P: p.P, Q: p.Q, NetworkWeight: p.NetworkWeight,
		SwitchingCost: p.SwitchingCost, InvestmentRate: p.InvestmentRate, Churn: p.Churn,
	}
}

// platform is the model's platform p describes, its launch resolved to a step.
func (p PlatformFile) platform() model.Platform {
	return model.Platform{
		Name: p.Name, Launch: p.Launch.Step, Appeal: p.Appeal, P: p.P, Q: p.Q, NetworkWeight: p.NetworkWeight,
		SwitchingCost: p.SwitchingCost, InvestmentRate: p.InvestmentRate, Churn: p.Churn,
	}
}

// SegmentFile is one segment; its name is its key under segments. Exactly one of share and
// count is given. Its overrides (threshold, revision_rate, platforms) change only the fields
// they set: the others keep the scenario's values.
type SegmentFile struct {
	Name         string              `yaml:"-"`
	Share        float64             `yaml:"share"`  // of all agents, in [0, 1]
	Count        int                 `yaml:"count"`  // agents, exactly
	Assign       string              `yaml:"assign"` // random, top_degree or block
	Block        int                 `yaml:"block" for:"assign=block"`
	Committed    bool                `yaml:"committed"` // the segment's agents never revise or churn
	Threshold    ThresholdFile       `yaml:"threshold"`
	RevisionRate float64             `yaml:"revision_rate"`
	Platforms    SegmentPlatformList `yaml:"platforms"`
}

// SegmentPlatformFile is a segment's override of one platform's parameters; its name is the
// platform's, its key under the segment's platforms.
type SegmentPlatformFile struct {
	Name          string  `yaml:"-"`
	Appeal        float64 `yaml:"appeal"`
	P             float64 `yaml:"p"`
	Q             float64 `yaml:"q"`
	NetworkWeight float64 `yaml:"network_weight"`
	SwitchingCost float64 `yaml:"switching_cost"`
	Churn         float64 `yaml:"churn"`
}

// SegmentPlatformList holds a segment's platform overrides, in file order.
type SegmentPlatformList []SegmentPlatformFile

// SegmentList keeps segments in file order, the order they are assigned in.
type SegmentList []SegmentFile

// defaultSegment: a random assignment.
func defaultSegment(name string) SegmentFile {
	return SegmentFile{Name: name, Assign: string(model.TargetRandom)}
}

// params is the part of p that a segment may override.
func (p PlatformFile) params() SegmentPlatformFile {
	return SegmentPlatformFile{
		Name: p.Name, Appeal: p.Appeal, P: p.P, Q: p.Q, NetworkWeight: p.NetworkWeight,
		SwitchingCost: p.SwitchingCost, Churn: p.Churn,
	}
}

// defaultIntervention: a ban removes nothing unless told; the target defaults to random.
func defaultIntervention() Intervention {
	return Intervention{Target: "random", NetworkWeightFactor: 1}
}

// MaxInterventions bounds a scenario's timeline: each intervention is checked and applied on
// its own, and hundreds of thousands would take seconds and gigabytes to validate.
const MaxInterventions = 1000

// InterventionList is the timeline, in file order.
type InterventionList []Intervention
