package scenarios

// File is a scenario file as written. Every field is optional unless marked required; the
// zero-value defaults live in defaultFile and defaultPlatform, documented in README.md.
type File struct {
	Name          string           `yaml:"name"`        // title on plots
	Description   string           `yaml:"description"` // shown by `msgsim scenarios`
	Seed          uint64           `yaml:"seed"`
	Replicates    int              `yaml:"replicates"`
	Agents        int              `yaml:"agents"`
	Steps         int              `yaml:"steps"`
	TimeUnit      string           `yaml:"time_unit"` // what one step is: day, week, month...
	Scale         float64          `yaml:"scale"`     // real users one agent stands for
	Graph         GraphFile        `yaml:"graph"`
	Decision      DecisionFile     `yaml:"decision"`
	Threshold     ThresholdFile    `yaml:"threshold"`
	Platforms     PlatformList     `yaml:"platforms"` // required
	Interventions InterventionList `yaml:"interventions"`
}

// GraphFile describes the contact graph.
type GraphFile struct {
	Kind       string  `yaml:"kind"`
	MeanDegree float64 `yaml:"mean_degree"`
	M          int     `yaml:"m"`
	K          int     `yaml:"k"`
	Beta       float64 `yaml:"beta"`
	Blocks     []int   `yaml:"blocks"`
	PIn        float64 `yaml:"p_in"`
	POut       float64 `yaml:"p_out"`
	Path       string  `yaml:"path"`
}

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
	Value        float64 `yaml:"value"`
	Min          float64 `yaml:"min"`
	Max          float64 `yaml:"max"`
	Mean         float64 `yaml:"mean"`
	SD           float64 `yaml:"sd"`
}

// PlatformFile is one platform; its name is its key under platforms.
type PlatformFile struct {
	Name           string  `yaml:"-"`
	Launch         int     `yaml:"launch"`
	Appeal         float64 `yaml:"appeal"`
	P              float64 `yaml:"p"`
	Q              float64 `yaml:"q"`
	NetworkWeight  float64 `yaml:"network_weight"`
	SwitchingCost  float64 `yaml:"switching_cost"`
	InvestmentRate float64 `yaml:"investment_rate"`
	Churn          float64 `yaml:"churn"`
}

// PlatformList keeps platforms in file order, which fixes colours and CSV order.
type PlatformList []PlatformFile

// Intervention is one event on the timeline.
type Intervention struct {
	Kind                string  `yaml:"kind"`
	Platform            string  `yaml:"platform"`
	At                  int     `yaml:"at"`
	Until               int     `yaml:"until"`
	Nodes               []int   `yaml:"nodes"`
	Count               int     `yaml:"count"`
	Share               float64 `yaml:"share"`
	Target              string  `yaml:"target"`
	Block               int     `yaml:"block"`
	P                   float64 `yaml:"p"`
	AppealChange        float64 `yaml:"appeal_change"`
	NetworkWeightFactor float64 `yaml:"network_weight_factor"`
	Committed           bool    `yaml:"committed"` // seed, preinstall: the agents never revise or churn
}

// defaultFile holds the documented defaults that a file overlays.
func defaultFile() File {
	return File{
		Seed:       1,
		Replicates: 1,
		Agents:     10000,
		Steps:      100,
		TimeUnit:   "step",
		Scale:      1,
		Graph:      GraphFile{Kind: "erdos_renyi", MeanDegree: 10, M: 3, K: 10, Beta: 0.1, PIn: 0.05, POut: 0.001},
		Decision: DecisionFile{
			Rule: "logit", Update: "synchronous", Temperature: 0.1, RevisionRate: 1,
			Benefit: "fraction", Contagion: "fraction",
		},
		Threshold: ThresholdFile{Distribution: "constant", Max: 1, SD: 0.1},
	}
}

func defaultPlatform(name string) PlatformFile {
	return PlatformFile{Name: name, NetworkWeight: 1, InvestmentRate: 0.05}
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
