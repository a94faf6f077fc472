package explore

import (
	"fmt"
	"math"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/msgsim/msgsim/output/chart"
	"github.com/msgsim/msgsim/scenarios"
)

// description is what the page needs of a scenario: its controls, axes and marks.
type description struct {
	Name       string        `json:"name"`
	Source     string        `json:"source"`
	Agents     int           `json:"agents"`
	Steps      int           `json:"steps"`
	Replicates int           `json:"replicates"`
	TimeUnit   string        `json:"time_unit"`
	Dates      []string      `json:"dates,omitempty"` // the first day of each step, with a start
	Unit       unitJSON      `json:"unit"`            // how the charts show counts of agents
	Platforms  []string      `json:"platforms"`
	LogScale   bool          `json:"log_scale"`
	Fields     []fieldJSON   `json:"fields"`
	Marks      []mark        `json:"marks"`
	Record     []RecordPoint `json:"record"`
}

type unitJSON struct {
	Name   string  `json:"name"`
	Factor float64 `json:"factor"`
}

// fieldJSON is one control: a scenario field as the path model describes it.
type fieldJSON struct {
	Path  string   `json:"path"`
	Group string   `json:"group"` // the box the page puts it in
	Kind  string   `json:"kind"`  // number, integer, text or list
	Words []string `json:"words,omitempty"`
	Step  bool     `json:"step,omitempty"`
	Min   *float64 `json:"min"` // null: open
	Max   *float64 `json:"max"`
	Used  bool     `json:"used"`
	Value any      `json:"value"`
}

// mark is a date drawn on the charts: a launch, or an intervention (over [at, until) when
// it lasts).
type mark struct {
	Step  int    `json:"step"`
	Until int    `json:"until,omitempty"`
	Label string `json:"label"`
}

var kindNames = map[scenarios.PathKind]string{
	scenarios.PathNumber: "number", scenarios.PathInteger: "integer", scenarios.PathText: "text", scenarios.PathList: "list",
}

func (s *Server) describe(sc *scenarios.Scenario) description {
	f := sc.File
	u := chart.PeopleUnit(f.Scale, sc.Config.Agents)
	d := description{
		Name: f.Name, Source: sc.Source, Agents: sc.Config.Agents, Steps: sc.Config.Steps, Replicates: f.Replicates,
		TimeUnit: f.TimeUnit, Dates: sc.Calendar.Dates(sc.Config.Steps), Unit: unitJSON{u.Name, u.Factor},
		LogScale: f.Charts.LogScale, Marks: marks(sc), Record: []RecordPoint{},
	}
	for _, p := range f.Platforms {
		d.Platforms = append(d.Platforms, p.Name)
	}
	for _, fd := range sc.Fields() {
		if n, ok := fd.Value.(uint64); ok && n > 1<<53 {
			fd.Value = strconv.FormatUint(n, 10) // beyond JavaScript's exact integers: a text box
		}
		d.Fields = append(d.Fields, fieldJSON{
			Path: fd.Path, Group: group(sc, fd.Path), Kind: kindNames[fd.Kind], Words: fd.Words, Step: fd.Step,
			Min: finite(fd.Min), Max: finite(fd.Max), Used: fd.Used, Value: fd.Value,
		})
	}
	if s.opts.Record != nil {
		d.Record = append(d.Record, s.opts.Record(sc)...)
	}
	return d
}

func finite(x float64) *float64 {
	if math.IsInf(x, 0) {
		return nil
	}
	return &x
}

// group names the box of the page a field goes in: a platform, an intervention, a section
// of the file, or the run's own settings.
func group(sc *scenarios.Scenario, path string) string {
	head, rest, nested := strings.Cut(path, ".")
	switch {
	case !nested:
		return "run"
	case head == "platforms":
		name, _, _ := strings.Cut(rest, ".")
		return "platform " + name
	case head == "interventions":
		index, _, _ := strings.Cut(rest, ".")
		i, _ := strconv.Atoi(index)
		iv := sc.File.Interventions[i]
		return fmt.Sprintf("intervention %d: %s %s", i, iv.Kind, iv.Platform)
	}
	return head
}

// marks are the launches after step 0 and the interventions, in file order, labelled as on
// msgsim run's charts.
func marks(sc *scenarios.Scenario) []mark {
	out := []mark{}
	for _, p := range sc.File.Platforms {
		if p.Launch.Step > 0 {
			out = append(out, mark{Step: p.Launch.Step, Label: p.Name + " launch"})
		}
	}
	for _, iv := range sc.File.Interventions {
		m := mark{Step: iv.At.Step, Label: iv.Platform + " " + iv.Kind}
		if iv.Until.Step > iv.At.Step {
			m.Until = iv.Until.Step
		}
		out = append(out, m)
	}
	return out
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9_.-]+`)

// fileStem names downloads after the scenario's file, or its built-in name.
func fileStem(sc *scenarios.Scenario) string {
	base := filepath.Base(strings.TrimPrefix(sc.Source, "embedded:"))
	return unsafeName.ReplaceAllString(strings.TrimSuffix(base, filepath.Ext(base)), "_")
}
