package scenarios

import (
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"

	"github.com/msgsim/msgsim/internal/golden"
	"github.com/msgsim/msgsim/internal/strict"
	"github.com/msgsim/msgsim/model"
)

// base is a valid scenario the error cases below start from.
const base = `agents: 100
steps: 10
platforms:
  wechat: {}
  laiwang: {launch: 2}
`

// errorCases holds one case per validation error path: a scenario text (or base plus
// overrides) and, in testdata/errors.golden, the exact message it must produce.
var errorCases = []struct {
	name string
	yaml string
	sets []string
}{
	{"syntax", "agents: 1\n  steps: [\n", nil},
	{"empty file", "", nil},
	{"two documents", base + "---\nagents: 5\n", nil},
	{"root not mapping", "- a\n- b\n", nil},
	{"missing value", "agents:\n" + base[12:], nil},
	{"unknown top-level field", "agent: 100\n" + base, nil},
	{"unknown nested field", base + "graph: {kind: complete, degree: 3}\n", nil},
	{"duplicate key", base + "steps: 20\n", nil},
	{"whole number", strings.Replace(base, "agents: 100", "agents: 10.5", 1), nil},
	{"number", base + "decision: {temperature: hot}\n", nil},
	{"finite number", base + "decision: {temperature: .inf}\n", nil},
	{"negative seed", base + "seed: -1\n", nil},
	{"text", base + "name: [a, b]\n", nil},
	{"list", base + "graph: {kind: stochastic_block, blocks: 3}\n", nil},
	{"mapping", base + "graph: erdos_renyi\n", nil},
	{"platforms not mapping", "agents: 100\nplatforms: [wechat]\n", nil},
	{"interventions not list", base + "interventions: {kind: seed}\n", nil},
	{"platforms missing", "agents: 100\n", nil},
	{"too many platforms", "platforms: {a: {}, b: {}, c: {}, d: {}, e: {}, f: {}, g: {}, h: {}, i: {}}\n", nil},
	{"platform name", "platforms:\n  9lives: {}\n", nil},
	{"reserved platform name", "platforms:\n  tie: {}\n", nil},
	{"steps range", strings.Replace(base, "steps: 10", "steps: 0", 1), nil},
	{"replicates range", base + "replicates: 0\n", nil},
	{"scale", base + "scale: 0\n", nil},
	{"time unit", base + "time_unit: ''\n", nil},
	{"active window", base + "active_window: 12\n", nil},
	{"agents range", strings.Replace(base, "agents: 100", "agents: 3000000000", 1), nil},
	{"graph kind", base + "graph: {kind: erdos-renyi}\n", nil},
	{"graph param for other kind", base + "graph: {kind: erdos_renyi, m: 3}\n", nil},
	{"mean degree", base + "graph: {mean_degree: 100}\n", nil},
	{"default out of range", strings.Replace(base, "agents: 100", "agents: 5", 1), nil},
	{"ba m", base + "graph: {kind: barabasi_albert, m: 0}\n", nil},
	{"ws k odd", base + "graph: {kind: watts_strogatz, k: 3}\n", nil},
	{"ws beta", base + "graph: {kind: watts_strogatz, k: 4, beta: 2}\n", nil},
	{"blocks missing", base + "graph: {kind: stochastic_block}\n", nil},
	{"block size", base + "graph: {kind: stochastic_block, blocks: [50, 0, 50]}\n", nil},
	{"blocks sum", base + "graph: {kind: stochastic_block, blocks: [50, 40]}\n", nil},
	{"p_in", base + "graph: {kind: stochastic_block, blocks: [50, 50], p_in: 1.5}\n", nil},
	{"file path missing", base + "graph: {kind: file}\n", nil},
	{"file not found", base + "graph: {kind: file, path: nowhere.txt}\n", nil},
	{"file malformed", "graph: {kind: file, path: bad.edges}\nplatforms: {a: {}}\n", nil},
	{"file agents mismatch", base + "graph: {kind: file, path: tiny.edges}\n", nil},
	{"threshold distribution", base + "threshold: {distribution: gamma}\n", nil},
	{"threshold param for other kind", base + "threshold: {distribution: constant, sd: 1}\n", nil},
	{"uniform bounds", base + "threshold: {distribution: uniform, min: 1, max: 0}\n", nil},
	{"normal sd", base + "threshold: {distribution: normal, sd: -1}\n", nil},
	{"normal truncation", base + "threshold: {distribution: normal, min: 2, max: 1}\n", nil},
	{"rule", base + "decision: {rule: logistic}\n", nil},
	{"update", base + "decision: {update: async}\n", nil},
	{"benefit", base + "decision: {benefit: sum}\n", nil},
	{"contagion", base + "decision: {contagion: simple}\n", nil},
	{"temperature", base + "decision: {temperature: 0}\n", nil},
	{"temperature below 1/MaxFloat64", base + "decision: {temperature: 1e-310}\n", nil},
	{"temperature above its bound", base + "decision: {temperature: 1e301}\n", nil},
	{"revision rate", base + "decision: {revision_rate: 1.5}\n", nil},
	{"multihoming cost", base + "decision: {multihoming_cost: -1}\n", nil},
	{"launch", strings.Replace(base, "launch: 2", "launch: 11", 1), nil},
	{"p negative", strings.Replace(base, "launch: 2", "p: -0.1", 1), nil},
	{"q infinite", strings.Replace(base, "launch: 2", "q: .inf", 1), nil},
	{"q above 1 with independent contagion", strings.Replace(base, "launch: 2", "q: 2", 1) + "decision: {contagion: independent}\n", nil},
	{"network weight", strings.Replace(base, "launch: 2", "network_weight: -1", 1), nil},
	{"switching cost", strings.Replace(base, "launch: 2", "switching_cost: -1", 1), nil},
	{"investment rate", strings.Replace(base, "launch: 2", "investment_rate: 2", 1), nil},
	{"churn", strings.Replace(base, "launch: 2", "churn: 1.1", 1), nil},
	{"appeal magnitude", strings.Replace(base, "launch: 2", "appeal: 1e30", 1), nil},
	{"threshold magnitude", base + "threshold: {distribution: constant, value: -3.5e38}\n", nil},
	{"ban appeal magnitude", base + "interventions:\n  - kind: ban\n    platform: wechat\n    appeal_change: -1e7\n", nil},
	{"intervention kind missing", base + "interventions:\n  - platform: wechat\n", nil},
	{"intervention kind unknown", base + "interventions:\n  - kind: preinstal\n    platform: wechat\n", nil},
	{"intervention field for other kind", base + "interventions:\n  - kind: marketing\n    platform: wechat\n    p: 0.1\n    share: 0.5\n", nil},
	{"intervention platform missing", base + "interventions:\n  - kind: seed\n    count: 1\n", nil},
	{"intervention platform unknown", base + "interventions:\n  - kind: seed\n    platform: wechta\n    count: 1\n", nil},
	{"intervention at", base + "interventions:\n  - kind: seed\n    platform: wechat\n    count: 1\n    at: 11\n", nil},
	{"intervention before launch", base + "interventions:\n  - kind: seed\n    platform: laiwang\n    count: 1\n", nil},
	{"marketing p missing", base + "interventions:\n  - kind: marketing\n    platform: wechat\n", nil},
	{"marketing p negative", base + "interventions:\n  - kind: marketing\n    platform: wechat\n    p: -1\n", nil},
	{"until", base + "interventions:\n  - kind: marketing\n    platform: wechat\n    p: 0.1\n    at: 5\n    until: 5\n", nil},
	{"ban needs a change", base + "interventions:\n  - kind: ban\n    platform: wechat\n", nil},
	{"ban factor", base + "interventions:\n  - kind: block\n    platform: wechat\n    network_weight_factor: 2\n", nil},
	{"install needs one amount", base + "interventions:\n  - kind: seed\n    platform: wechat\n    count: 1\n    share: 0.5\n", nil},
	{"preinstall nodes", base + "interventions:\n  - kind: preinstall\n    platform: wechat\n    nodes: [1]\n", nil},
	{"empty nodes", base + "interventions:\n  - kind: seed\n    platform: wechat\n    nodes: []\n", nil},
	{"node id", base + "interventions:\n  - kind: seed\n    platform: wechat\n    nodes: [1, 100]\n", nil},
	{"count range", base + "interventions:\n  - kind: seed\n    platform: wechat\n    count: 101\n", nil},
	{"share range", base + "interventions:\n  - kind: preinstall\n    platform: wechat\n    share: 1.5\n", nil},
	{"target", base + "interventions:\n  - kind: preinstall\n    platform: wechat\n    share: 0.5\n    target: everyone\n", nil},
	{"block target needs blocks", base + "interventions:\n  - kind: preinstall\n    platform: wechat\n    share: 0.5\n    target: block\n", nil},
	{"block index", base + "graph: {kind: stochastic_block, blocks: [50, 50]}\ninterventions:\n  - kind: preinstall\n    platform: wechat\n    share: 0.5\n    target: block\n    block: 2\n", nil},
	{"block with count", base + "graph: {kind: stochastic_block, blocks: [50, 50]}\ninterventions:\n  - kind: seed\n    platform: wechat\n    count: 5\n    target: block\n", nil},
	{"committed for another kind", base + "interventions:\n  - kind: marketing\n    platform: wechat\n    p: 0.1\n    committed: true\n", nil},
	{"committed not a boolean", base + "interventions:\n  - kind: seed\n    platform: wechat\n    count: 1\n    committed: yes\n", nil},
	{"set committed not a boolean", base + "interventions:\n  - kind: seed\n    platform: wechat\n    count: 1\n", []string{"interventions.0.committed=1"}},
	{"until on a one-shot preinstall", base + "interventions:\n  - kind: preinstall\n    platform: wechat\n    share: 0.5\n    at: 2\n    until: 4\n", nil},
	{"until on a seed", base + "interventions:\n  - kind: seed\n    platform: wechat\n    count: 1\n    until: 4\n", nil},
	{"flow until before at", base + "interventions:\n  - kind: preinstall\n    platform: wechat\n    count: 5\n    per_step: true\n    at: 4\n    until: 4\n", nil},
	{"flow count range", base + "interventions:\n  - kind: preinstall\n    platform: wechat\n    count: 101\n    per_step: true\n", nil},
	{"per_step on a seed", base + "interventions:\n  - kind: seed\n    platform: wechat\n    count: 1\n    per_step: true\n", nil},
	{"active on a seed", base + "interventions:\n  - kind: seed\n    platform: wechat\n    count: 1\n    active: true\n", nil},
	{"committed sleeping preinstall", base + "interventions:\n  - kind: preinstall\n    platform: wechat\n    share: 0.1\n    committed: true\n", nil},
	{"set active not a boolean", base + "interventions:\n  - kind: preinstall\n    platform: wechat\n    share: 0.1\n", []string{"interventions.0.active=often"}},
	{"block without block target", base + "interventions:\n  - kind: preinstall\n    platform: wechat\n    share: 0.5\n    block: 1\n", nil},
	{"several problems at once", "agents: -5\nsteps: 10\ngraph: {kind: grid}\nplatforms: {wechat: {churn: 2}}\n", nil},
	{"set without equals", base, []string{"agents"}},
	{"set invalid yaml", base, []string{"agents=[1"}},
	{"set unknown platform", base, []string{"platforms.wehcat.appeal=1"}},
	{"set whole platform", base, []string{"platforms.wechat=1"}},
	{"set intervention index", base, []string{"interventions.3.share=0.1"}},
	{"set whole intervention", base + "interventions:\n  - kind: seed\n    platform: wechat\n    count: 1\n", []string{"interventions.0=1"}},
	{"set unknown field", base, []string{"platforms.wechat.apeal=1"}},
	{"set inside a scalar", base, []string{"agents.count=1"}},
	{"set inside a non-mapping", base + "graph: complete\n", []string{"graph.kind=complete"}},
	{"set wrong type", base, []string{"platforms.wechat.appeal=high"}},
	{"set out of range", base, []string{"decision.temperature=-1"}},
	{"set kind keeps an explicitly set parameter", base + "graph: {kind: barabasi_albert, m: 3}\n", []string{"graph.m=4", "graph.kind=complete"}},
	{"set kind then an old parameter", base + "graph: {kind: barabasi_albert, m: 3}\n", []string{"graph.kind=complete", "graph.m=4"}},
	{"ba needs more agents than m", base + "graph: {kind: barabasi_albert, m: 5}\n", []string{"agents=1"}},
	{"ws needs more agents than k", base + "graph: {kind: watts_strogatz, k: 6}\n", []string{"agents=4"}},
	{"seed above 2^64-1", base, []string{"seed=18446744073709551616"}},
	{"whole number above 2^63-1", base, []string{"steps=9223372036854775808"}},
	{"set temperature below 1/MaxFloat64", base, []string{"decision.temperature=1e-310"}},
	{"log scale not a boolean", base + "charts: {log_scale: maybe}\n", nil},
	{"set log scale not a boolean", base, []string{"charts.log_scale=maybe"}},
	{"set log scale misspelt", base, []string{"charts.logscale=true"}},
	{"date without start", base + "interventions: [{kind: seed, platform: wechat, at: 2011-02-01, count: 1}]\n", nil},
	{"step without start", base + "step: month\n", nil},
	{"step length", base + "start: 2011-01-21\nstep: fortnight\n", nil},
	{"start not a date", base + "start: 2011-02-30\n", nil},
	{"step or date", strings.Replace(base, "launch: 2", "launch: soon", 1) + "start: 2011-01-21\n", nil},
	{"steps date before start", strings.Replace(base, "steps: 10", "steps: 2010-12-31", 1) + "start: 2011-01-21\n", nil},
	{"date before start", base + "start: 2011-01-21\ninterventions: [{kind: seed, platform: wechat, at: 2011-01-20, count: 1}]\n", nil},
	{"date past horizon", base + "start: 2011-01-21\ninterventions: [{kind: marketing, platform: wechat, at: 1, until: 2011-04-01, p: 0.1}]\n", nil},
	{"set date past horizon", base + "start: 2011-01-21\nstep: month\n", []string{"platforms.laiwang.launch=2012-01-01"}},
	{"time unit with start", base + "start: 2011-01-21\ntime_unit: day\n", nil},
	{"record without file", base + "record: {series: [{platform: wechat, metric: registered, series: registered}]}\n", nil},
	{"record without series", base + "record: {file: record_steps.csv}\n", nil},
	{"record file missing", base + "record: {file: nope.csv, series: [{platform: wechat, metric: registered, series: registered}]}\n", nil},
	{"record platform unknown", base + "record: {file: record_steps.csv, series: [{platform: wechta, metric: registered, series: registered}]}\n", nil},
	{"record series unknown", base + "record: {file: record_steps.csv, series: [{platform: wechat, metric: mau, series: mau}]}\n", nil},
	{"record metric missing", base + "record: {file: record_steps.csv, series: [{platform: wechat, series: active}]}\n", nil},
	{"record mapped twice", base + "record: {file: record_steps.csv, series: [{platform: wechat, metric: mau, series: active}, {platform: wechat, metric: mau, series: windowed_active}]}\n", nil},
	{"record metric not in file", base + "record: {file: record_steps.csv, series: [{platform: wechat, metric: dau, series: active}]}\n", nil},
	{"record platform not in file", base + "record: {file: record_steps.csv, series: [{platform: laiwang, metric: registered, series: registered}]}\n", nil},
	{"record dates without start", base + "record: {file: record_dates.csv, series: [{platform: wechat, metric: registered, series: registered}]}\n", nil},
	{"record all outside the run", base + "start: 2011-01-21\nrecord: {file: record_dates.csv, series: [{platform: laiwang, metric: registered, series: registered}]}\n", nil},
	{"record bad value", base + "record: {file: record_bad.csv, series: [{platform: wechat, metric: registered, series: registered}]}\n", nil},
	{"record series not a list", base + "record: {file: record_steps.csv, series: {wechat: registered}}\n", nil},
	{"set record series", base + "record: {file: record_steps.csv, series: [{platform: wechat, metric: mau, series: active}]}\n", []string{"record.series.0.series=monthly"}},
	{"segments not mapping", base + "segments: [vendors]\n", nil},
	{"too many segments", base + "segments: {" + strings.Repeat("s: {count: 1}, ", model.MaxSegments+1) + "}\n", nil},
	{"segment name", base + "segments: {9x: {share: 0.1}}\n", nil},
	{"segment name reserved", base + "segments: {rest: {share: 0.1}}\n", nil},
	{"segment needs one amount", base + "segments: {vendors: {share: 0.1, count: 5}}\n", nil},
	{"segment without amount", base + "segments: {vendors: {assign: top_degree}}\n", nil},
	{"segment count range", base + "segments: {vendors: {count: 101}}\n", nil},
	{"segment share range", base + "segments: {vendors: {share: 1.5}}\n", nil},
	{"segment assign", base + "segments: {vendors: {share: 0.1, assign: hubs}}\n", nil},
	{"segment block without block assign", base + "segments: {vendors: {share: 0.1, block: 1}}\n", nil},
	{"segments overflow", base + "segments: {a: {share: 0.6}, b: {count: 50}}\n", nil},
	{"block segment needs blocks", base + "segments: {a: {share: 0.1, assign: block}}\n", nil},
	{"block segment index", base + "graph: {kind: stochastic_block, blocks: [50, 50]}\nsegments: {a: {share: 0.1, assign: block, block: 2}}\n", nil},
	{"block segment too big", base + "graph: {kind: stochastic_block, blocks: [60, 40]}\nsegments: {a: {count: 10}, b: {share: 0.35, assign: block, block: 1}}\n", nil},
	{"set segment without segments", base, []string{"segments.vip.share=0.1"}},
	{"set unknown segment", base + "segments: {vendors: {share: 0.1}}\n", []string{"segments.vendros.share=0.2"}},
	{"segment threshold distribution", base + "segments: {a: {share: 0.1, threshold: {distribution: gamma}}}\n", nil},
	{"segment threshold param for other kind", base + "segments: {a: {share: 0.1, threshold: {sd: 1}}}\n", nil},
	{"segment uniform bounds", base + "segments: {a: {share: 0.1, threshold: {distribution: uniform, max: -1}}}\n", nil},
	{"segment revision rate", base + "segments: {a: {share: 0.1, revision_rate: 0}}\n", nil},
	{"segment platforms not mapping", base + "segments: {a: {share: 0.1, platforms: [wechat]}}\n", nil},
	{"segment platform unknown", base + "segments: {a: {share: 0.1, platforms: {wehcat: {p: 0.1}}}}\n", nil},
	{"segment platform field", base + "segments: {a: {share: 0.1, platforms: {wechat: {launch: 3}}}}\n", nil},
	{"segment platform churn", base + "segments: {a: {share: 0.1, platforms: {wechat: {churn: 2}}}}\n", nil},
	{"set segment platform unknown", base + "segments: {a: {share: 0.1}}\n", []string{"segments.a.platforms.wehcat.p=0.1"}},
	{"intervention segment unknown", base + "segments: {vendors: {share: 0.1}}\ninterventions:\n  - kind: marketing\n    platform: wechat\n    p: 0.1\n    segment: vendros\n", nil},
	{"intervention segment without segments", base + "interventions:\n  - kind: marketing\n    platform: wechat\n    p: 0.1\n    segment: vendors\n", nil},
	{"intervention segment with nodes", base + "segments: {vendors: {share: 0.1}}\ninterventions:\n  - kind: seed\n    platform: wechat\n    nodes: [1]\n    segment: vendors\n", nil},
	{"intervention count above segment", base + "segments: {vendors: {share: 0.1}}\ninterventions:\n  - kind: seed\n    platform: wechat\n    count: 11\n    segment: vendors\n", nil},
	{"layers not mapping", base + "layers: [friends]\n", nil},
	{"too many layers", base + "layers: {a: {}, b: {}, c: {}, d: {}, e: {}}\n", nil},
	{"layer name", base + "layers: {9x: {}}\n", nil},
	{"layers and graph", base + "graph: {kind: erdos_renyi}\nlayers: {friends: {}}\n", nil},
	{"bipartite graph", base + "graph: {kind: bipartite}\n", nil},
	{"bipartite first layer", base + "segments: {vendors: {share: 0.1}}\nlayers: {commerce: {kind: bipartite, between: [vendors, rest]}}\n", nil},
	{"complete later layer", base + "layers: {friends: {}, everyone: {kind: complete}}\n", nil},
	{"layer field for other kind", base + "layers: {friends: {kind: barabasi_albert, mean_degree: 3}}\n", nil},
	{"layer mean degree", base + "layers: {friends: {mean_degree: 100}}\n", nil},
	{"layer blocks sum", base + "layers: {friends: {}, work: {kind: stochastic_block, blocks: [10, 10]}}\n", nil},
	{"bipartite between one", base + "segments: {vendors: {share: 0.1}}\nlayers: {friends: {}, commerce: {kind: bipartite, between: [vendors]}}\n", nil},
	{"bipartite between unknown", base + "segments: {vendors: {share: 0.1}}\nlayers: {friends: {}, commerce: {kind: bipartite, between: [vendros, rest]}}\n", nil},
	{"bipartite mean degree", base + "segments: {vendors: {share: 0.1}}\nlayers: {friends: {}, commerce: {kind: bipartite, between: [vendors, rest], mean_degree: 19}}\n", nil},
	{"layer weights without layers", strings.Replace(base, "wechat: {}", "wechat: {layer_weights: {commerce: 1}}", 1), nil},
	{"layer weights not mapping", strings.Replace(base, "wechat: {}", "wechat: {layer_weights: [1, 0.5]}", 1) + "layers: {friends: {}}\n", nil},
	{"layer weight unknown", strings.Replace(base, "wechat: {}", "wechat: {layer_weights: {comerce: 1}}", 1) + "layers: {friends: {}, commerce: {}}\n", nil},
	{"layer weight negative", strings.Replace(base, "wechat: {}", "wechat: {layer_weights: {commerce: -1}}", 1) + "layers: {friends: {}, commerce: {}}\n", nil},
	{"layer weight not a number", strings.Replace(base, "wechat: {}", "wechat: {layer_weights: {commerce: lots}}", 1) + "layers: {friends: {}, commerce: {}}\n", nil},
	{"set layer weight unknown", base + "layers: {friends: {}, commerce: {}}\n", []string{"platforms.wechat.layer_weights.comerce=1"}},
	{"set unknown layer", base + "layers: {friends: {}}\n", []string{"layers.freinds.kind=complete"}},
	{"ban layer unknown", base + "layers: {friends: {}, commerce: {}}\ninterventions:\n  - kind: ban\n    platform: wechat\n    network_weight_factor: 0.5\n    layer: comerce\n", nil},
	{"ban layer without layers", base + "interventions:\n  - kind: ban\n    platform: wechat\n    network_weight_factor: 0.5\n    layer: commerce\n", nil},
	{"ban layer without factor", base + "layers: {friends: {}, commerce: {}}\ninterventions:\n  - kind: ban\n    platform: wechat\n    appeal_change: -0.1\n    layer: commerce\n", nil},
	{"layer on marketing", base + "layers: {friends: {}, commerce: {}}\ninterventions:\n  - kind: marketing\n    platform: wechat\n    p: 0.1\n    layer: commerce\n", nil},
}

func TestValidationErrors(t *testing.T) {
	t.Parallel()
	var names, messages []string
	for _, tc := range errorCases {
		_, err := Parse([]byte(tc.yaml), "case.yaml", "testdata", tc.sets)
		if err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		names, messages = append(names, tc.name), append(messages, err.Error())
	}
	golden.Messages(t, filepath.Join("testdata", "errors.golden"), names, messages)
}

func TestErrorsAreLocated(t *testing.T) {
	t.Parallel()
	_, err := Parse([]byte(base+"graph: {kind: erdos_renyi, mean_degree: 200}\n"), "s.yaml", "", nil)
	var list strict.Errors
	if !errors.As(err, &list) || len(list) != 1 {
		t.Fatalf("want one located error, got %v", err)
	}
	e := list[0]
	if e.File != "s.yaml" || e.Line != 6 || e.Column != 41 || e.Path != "graph.mean_degree" {
		t.Errorf("error at %s:%d:%d path %s, want s.yaml:6:41 graph.mean_degree", e.File, e.Line, e.Column, e.Path)
	}
	want := "    6 | graph: {kind: erdos_renyi, mean_degree: 200}\n      |                                         ^"
	if e.Snippet() != want {
		t.Errorf("snippet:\n%s\nwant:\n%s", e.Snippet(), want)
	}
}

func TestShippedScenariosLoad(t *testing.T) {
	t.Parallel()
	names := ShippedNames()
	for _, want := range []string{"bass_meanfield", "communities", "laiwang_vs_wechat"} {
		sc, err := Shipped(want, nil)
		if err != nil {
			t.Fatalf("%s: %v", want, err)
		}
		if sc.File.Description == "" || sc.File.Name == "" {
			t.Errorf("%s: needs a name and a description for msgsim scenarios", want)
		}
	}
	if len(names) < 3 {
		t.Errorf("shipped: %v", names)
	}
	// The files on disk are what is embedded.
	for _, name := range names {
		if _, err := Load(name+".yaml", nil); err != nil {
			t.Errorf("%s.yaml: %v", name, err)
		}
	}
}

func TestDefaultsAndConversion(t *testing.T) {
	t.Parallel()
	sc, err := Parse([]byte(base), "b.yaml", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	c := sc.Config
	if c.Agents != 100 || c.Steps != 10 || c.Graph.Kind != model.GraphErdosRenyi || c.Graph.MeanDegree != 10 {
		t.Errorf("config %+v", c)
	}
	if c.Decision.Rule != model.RuleLogit || c.Decision.Temperature != 0.1 || c.Decision.RevisionRate != 1 {
		t.Errorf("decision defaults %+v", c.Decision)
	}
	if len(c.Platforms) != 2 || c.Platforms[0].Name != "wechat" || c.Platforms[1].Launch != 2 || c.Platforms[1].NetworkWeight != 1 || c.Platforms[1].InvestmentRate != 0.05 {
		t.Errorf("platforms %+v", c.Platforms)
	}
	if sc.File.Name != "b" || sc.File.Seed != 1 || sc.File.Replicates != 1 || sc.File.Scale != 1 {
		t.Errorf("file defaults %+v", sc.File)
	}
	if err := c.Validate(); err != nil {
		t.Errorf("converted config invalid: %v", err)
	}
}

func TestOverrides(t *testing.T) {
	t.Parallel()
	text := base + "interventions:\n  - kind: preinstall\n    platform: laiwang\n    at: 3\n    share: 0.1\n"
	sc, err := Parse([]byte(text), "o.yaml", "", []string{
		"platforms.laiwang.appeal=0.4",
		"interventions.0.share=0.25",
		"decision.temperature=0.5",
		"graph.kind=complete",
		"graph.mean_degree=3", // a parameter complete graphs do not take
	})
	if err == nil || !strings.Contains(err.Error(), "graph.mean_degree: does not apply to complete") {
		t.Fatalf("want mean_degree rejected for complete graphs, got %v", err)
	}
	sc, err = Parse([]byte(text), "o.yaml", "", []string{"platforms.laiwang.appeal=0.4", "interventions.0.share=0.25", "decision.temperature=0.5", "graph.kind=complete", "seed=99"})
	if err != nil {
		t.Fatal(err)
	}
	if sc.Config.Platforms[1].Appeal != 0.4 || sc.Config.Events[0].Share != 0.25 || sc.Config.Decision.Temperature != 0.5 || sc.Config.Graph.Kind != model.GraphComplete || sc.File.Seed != 99 {
		t.Errorf("overrides not applied: %+v %+v", sc.Config, sc.File)
	}
	doc, err := sc.YAML()
	if err != nil {
		t.Fatal(err)
	}
	again, err := Parse(doc, "again.yaml", "", nil)
	if err != nil {
		t.Fatalf("the scenario as run does not load: %v\n%s", err, doc)
	}
	if again.Config.Platforms[1].Appeal != 0.4 || again.File.Seed != 99 || again.Config.Graph.Kind != model.GraphComplete {
		t.Errorf("round trip lost overrides:\n%s", doc)
	}
}

// TestOverridingAVariantDropsItsFields: a kind, distribution or target set by an override
// drops the base's fields that only the old variant uses.
func TestOverridingAVariantDropsItsFields(t *testing.T) {
	t.Parallel()
	sc, err := Load("preinstall_duel", []string{"graph.kind=complete"})
	if err != nil {
		t.Fatalf("the README's --set graph.kind=complete on the default scenario: %v", err)
	}
	plain, err := Load("preinstall_duel", nil)
	if err != nil {
		t.Fatal(err)
	}
	if sc.Config.Graph.Kind != model.GraphComplete || plain.Config.Graph.M == 3 || sc.Config.Graph.M != 3 {
		t.Errorf("graph %+v, want complete with the default m (3), not the scenario's (%d)", sc.Config.Graph, plain.Config.Graph.M)
	}
	text := base + `graph: {kind: stochastic_block, blocks: [50, 50], p_in: 0.5, p_out: 0.01}
threshold: {distribution: normal, mean: 0.3, sd: 0.2, min: 0, max: 1}
interventions:
  - {kind: seed, platform: wechat, count: 5, target: block, block: 1}
  - {kind: preinstall, platform: laiwang, at: 2, share: 0.1, target: block, block: 1}
`
	sc, err = Parse([]byte(text), "v.yaml", "", []string{
		"graph.kind=erdos_renyi", "graph.mean_degree=4",
		"threshold.distribution=constant",
		"interventions.0.kind=marketing", "interventions.0.p=0.01",
		"interventions.1.target=random",
	})
	if err != nil {
		t.Fatal(err)
	}
	// What the variants' own fields are when a file leaves them out.
	defaults, err := Parse([]byte(base), "d.yaml", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	dg, dt := defaults.Config.Graph, defaults.Config.Threshold
	if g := sc.Config.Graph; g.Kind != model.GraphErdosRenyi || len(g.BlockSizes) != 0 || g.PIn != dg.PIn || g.POut != dg.POut || g.MeanDegree != 4 {
		t.Errorf("graph %+v, want erdos_renyi with default block fields %+v", g, dg)
	}
	if d := sc.Config.Threshold; d.Kind != model.DistConstant || d.SD != dt.SD || d.Mean != dt.Mean || d.Max != dt.Max {
		t.Errorf("threshold %+v, want constant with default normal fields %+v", d, dt)
	}
	if e := sc.Config.Events[0]; e.Kind != model.EventMarketing || e.Count != 0 || e.Block != 0 || e.P != 0.01 {
		t.Errorf("intervention 0 %+v, want marketing without seed fields", e)
	}
	if e := sc.Config.Events[1]; e.Target != model.Target("random") || e.Block != 0 || e.Share != 0.1 {
		t.Errorf("intervention 1 %+v, want random target without block", e)
	}
}

func TestSeedBounds(t *testing.T) {
	t.Parallel()
	sc, err := Parse([]byte(base), "s.yaml", "", []string{"seed=18446744073709551615"})
	if err != nil || sc.File.Seed != 1<<64-1 {
		t.Fatalf("seed 2^64-1: %v", err)
	}
	// Below 2^64 but above 2^63, written as a float.
	sc, err = Parse([]byte(base), "s.yaml", "", []string{"seed=1e19"})
	if err != nil || sc.File.Seed != 10_000_000_000_000_000_000 {
		t.Fatalf("seed 1e19: %v", err)
	}
}

// TestSavedScenarioKeepsFlowNulls: empty values in flow style ({wechat, laiwang: }) mean the
// defaults; the scenario as saved must say null there, not an empty quoted string (refused), so
// that it runs again. Found by FuzzScenario.
func TestSavedScenarioKeepsFlowNulls(t *testing.T) {
	t.Parallel()
	sc, err := Parse([]byte("agents: 50\nplatforms: {wechat, laiwang: , qq: {launch: 3}}\ngraph:\n  kind: complete\n"), "n.yaml", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := sc.YAML()
	if err != nil {
		t.Fatal(err)
	}
	want := "agents: 50\nplatforms: {wechat: null, laiwang: null, qq: {launch: 3}}\ngraph:\n  kind: complete\n"
	if string(doc) != want {
		t.Errorf("saved as\n%s\nwant\n%s", doc, want)
	}
	again, err := Parse(doc, "again.yaml", "", nil)
	if err != nil {
		t.Fatalf("the saved scenario does not load: %v\n%s", err, doc)
	}
	if !reflect.DeepEqual(again.Config, sc.Config) {
		t.Errorf("the saved scenario differs:\n%+v\nsaved as\n%+v", sc.Config, again.Config)
	}
}

func TestFileGraph(t *testing.T) {
	t.Parallel()
	sc, err := Parse([]byte("graph: {kind: file, path: tiny.edges}\nplatforms: {a: {}}\n"), "f.yaml", "testdata", nil)
	if err != nil {
		t.Fatal(err)
	}
	if sc.Config.Agents != 4 || sc.Config.Graph.Given.NumEdges() != 4 {
		t.Errorf("agents %d edges %d, want 4 and 4", sc.Config.Agents, sc.Config.Graph.Given.NumEdges())
	}
	if sc.GraphInfo.SelfLoops != 1 || sc.GraphInfo.Duplicates != 1 {
		t.Errorf("dropped %d self-loops and %d duplicates, want 1 and 1", sc.GraphInfo.SelfLoops, sc.GraphInfo.Duplicates)
	}
}

func TestPaths(t *testing.T) {
	t.Parallel()
	b := NewBase([]byte(base+"interventions:\n  - kind: seed\n    platform: wechat\n    count: 1\n"), "p.yaml", "")
	paths, err := b.Paths()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]PathKind{
		"agents": PathInteger, "seed": PathInteger, "scale": PathNumber, "graph.kind": PathText,
		"graph.blocks": PathList, "decision.temperature": PathNumber, "threshold.mean": PathNumber,
		"platforms.wechat.appeal": PathNumber, "platforms.laiwang.launch": PathInteger,
		"interventions.0.share": PathNumber, "interventions.0.nodes": PathList, "interventions.0.committed": PathText,
		"charts.log_scale": PathText, "active_window": PathInteger,
	}
	for p, kind := range want {
		if got, ok := paths[p]; !ok || got != kind {
			t.Errorf("path %s: kind %v (present %v), want %v", p, got, ok, kind)
		}
	}
	for _, p := range []string{"platforms", "platforms.wechat", "interventions.1.share", "graph"} {
		if _, ok := paths[p]; ok {
			t.Errorf("%s listed as a field path", p)
		}
	}
	if _, err := b.CheckPath("platforms.laiwang.apeal"); err == nil || err.Error() != `no field "platforms.laiwang.apeal" in scenario p.yaml; closest: platforms.laiwang.appeal, platforms.laiwang.p, platforms.laiwang.churn` {
		t.Errorf("CheckPath error: %v", err)
	}
	// Every listed path is one an override can set.
	for p := range paths {
		root, err := parseDocument(b.Data(), b.Name())
		if err != nil {
			t.Fatal(err)
		}
		rep := &strict.Reporter{Overrides: map[*yaml.Node]string{}}
		if err := applyOverride(root, Override{Assignment: p + "=1"}, rep); err != nil {
			t.Errorf("listed path %s cannot be overridden: %v", p, err)
		}
	}
}

// TestCommitted: committed: true reaches the model for seeds and preinstalls, from the file
// and from --set; it defaults to false.
func TestCommitted(t *testing.T) {
	t.Parallel()
	text := base + "interventions:\n  - kind: seed\n    platform: wechat\n    count: 1\n    committed: true\n  - kind: preinstall\n    platform: laiwang\n    at: 3\n    share: 0.1\n    active: true\n"
	sc, err := Parse([]byte(text), "c.yaml", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !sc.Config.Events[0].Committed || sc.Config.Events[1].Committed {
		t.Errorf("committed = %v, %v; want true, false", sc.Config.Events[0].Committed, sc.Config.Events[1].Committed)
	}
	sc, err = Parse([]byte(text), "c.yaml", "", []string{"interventions.0.committed=false", "interventions.1.committed=true"})
	if err != nil {
		t.Fatal(err)
	}
	if sc.Config.Events[0].Committed || !sc.Config.Events[1].Committed {
		t.Errorf("after --set, committed = %v, %v; want false, true", sc.Config.Events[0].Committed, sc.Config.Events[1].Committed)
	}
	if err := sc.Config.Validate(); err != nil {
		t.Error(err)
	}
}

// TestInstallFields: active and per_step reach the model from the file and from --set, and
// default to a one-shot sleeping install.
func TestInstallFields(t *testing.T) {
	t.Parallel()
	text := base + "interventions:\n  - kind: preinstall\n    platform: wechat\n    share: 0.1\n  - kind: preinstall\n    platform: wechat\n    count: 5\n    at: 2\n    until: 6\n    per_step: true\n    active: true\n"
	sc, err := Parse([]byte(text), "i.yaml", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	e0, e1 := sc.Config.Events[0], sc.Config.Events[1]
	if e0.Active || e0.PerStep || !e1.Active || !e1.PerStep || e1.Until != 6 {
		t.Errorf("events = %+v, %+v; want a sleeping one-shot, then an active flow until 6", e0, e1)
	}
	sc, err = Parse([]byte(text), "i.yaml", "", []string{"interventions.0.active=true", "interventions.0.per_step=true", "interventions.0.until=4"})
	if err != nil {
		t.Fatal(err)
	}
	if e := sc.Config.Events[0]; !e.Active || !e.PerStep || e.Until != 4 {
		t.Errorf("after --set, event 0 = %+v; want an active flow until 4", e)
	}
}
