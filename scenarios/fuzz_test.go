package scenarios

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/msgsim/msgsim/model"
)

// Fuzzed scenarios are run only when they are this small, so that each execution stays
// within milliseconds; larger ones are still parsed and validated.
const (
	fuzzMaxAgents = 200
	fuzzMaxSteps  = 20
)

// addFileSeeds adds every file matching the patterns to f's seed corpus.
func addFileSeeds(f *testing.F, patterns ...string) {
	f.Helper()
	n := 0
	for _, pattern := range patterns {
		paths, err := filepath.Glob(pattern)
		if err != nil {
			f.Fatal(err)
		}
		for _, path := range paths {
			data, err := os.ReadFile(path)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
			n++
		}
	}
	if n == 0 {
		f.Fatalf("no seed files match %q", patterns)
	}
}

// fuzzScenarioSeeds are small scenarios that run, and the hostile inputs of issue 8 that
// must be refused or run without a crash.
var fuzzScenarioSeeds = []string{
	base,
	"agents: 50\nsteps: 5\ngraph: {kind: complete}\nplatforms: {a: {}}\n",
	"steps: 8\ngraph: {kind: file, path: tiny.edges}\nplatforms: {a: {p: 0.1}}\n",
	"agents: 8\nsteps: 4\ngraph: {kind: file, path: bad.edges}\nplatforms: {a: {}}\n",
	"agents: 100\nsteps: 10\ngraph: {kind: watts_strogatz, k: 4, beta: 0.1}\ndecision: {rule: threshold}\n" +
		"threshold: {distribution: constant, value: 0.2}\nplatforms: {a: {}, b: {launch: 3}}\n" +
		"interventions:\n  - {kind: seed, platform: a, at: 0, nodes: [1, 2, 3]}\n",
	"agents: 120\nsteps: 12\ngraph: {kind: erdos_renyi, mean_degree: 4}\ndecision: {rule: bass}\nplatforms: {a: {p: 0.01, q: 0.3, churn: 0.05}}\n",
	"agents: 150\nsteps: 15\ngraph: {kind: stochastic_block, blocks: [50, 100], p_in: 0.1, p_out: 0.01}\nplatforms: {a: {}, b: {}}\n",
	layeredText,
	"steps: 5\nplatforms: {a: {layer_weights: {mail: .nan}}}\nlayers: {friends: {kind: complete}, mail: {kind: file, path: tiny.edges}}\n",
	// NaN and infinities where numbers belong.
	base + "decision: {temperature: .nan}\n",
	"agents: 100\nsteps: 10\nplatforms:\n  wechat: {appeal: .inf, p: -.inf}\n",
	"agents: .nan\nsteps: 10\nplatforms: {a: {}}\n",
	"agents: 100\nsteps: 10\nplatforms: {a: {q: 1e400}}\nthreshold: {distribution: normal, mean: .nan, sd: 1}\n",
	// Names with terminal escape sequences.
	"name: \"\\e[31mred\\e[0m\"\ntime_unit: \"\\e]0;title\\a\"\nagents: 20\nsteps: 3\nplatforms: {a: {}}\n",
	"agents: 20\nsteps: 3\nplatforms: {\"\\e[2J\": {}}\n",
	// A platform name of a few KB.
	"agents: 20\nsteps: 3\nplatforms:\n  " + strings.Repeat("w", 4096) + ": {}\n",
	// Deep nesting and a small alias bomb.
	"agents: " + strings.Repeat("[", 2000) + strings.Repeat("]", 2000) + "\n",
	"a: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b]\n" +
		"d: [*c, *c, *c, *c, *c, *c, *c, *c]\nagents: 10\n",
	"agents: 10\nsteps: 2\nplatforms: {a: {}}\ninterventions: &a [[x, x, x, x], [x, x, x, x]]\ndescription: &b [*a, *a, *a, *a, *a, *a]\n" +
		"name: [*b, *b, *b, *b, *b, *b, *b]\n",
	"agents: 10\nsteps: 2\nplatforms: &p {a: {}}\ngraph: *p\n",
	// A modest number of interventions.
	"agents: 100\nsteps: 20\nplatforms: {a: {}, b: {launch: 1}}\ninterventions:\n" +
		strings.Repeat("  - {kind: marketing, platform: b, at: 2, until: 9, p: 0.01}\n  - {kind: ban, platform: a, at: 3, appeal_change: -0.01}\n", 100),
}

// FuzzScenario parses arbitrary scenario text. Whatever validates must also pass the model's
// own validation, come back unchanged from the YAML it would be saved as, and, when small,
// run to the end with every count in range and the same result on one worker and three.
func FuzzScenario(f *testing.F) {
	addFileSeeds(f, "*.yaml", "real/*.yaml", "../cmd/msgsim/testdata/*.yaml")
	for _, s := range fuzzScenarioSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := Parse(data, "fuzz.yaml", "testdata", nil)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		if err := sc.Config.Validate(); err != nil {
			t.Fatalf("scenario validates but the model refuses it: %v", err)
		}
		saved, err := sc.YAML()
		if err != nil {
			t.Fatalf("YAML: %v", err)
		}
		again, err := Parse(saved, "saved.yaml", "testdata", nil)
		if err != nil {
			t.Fatalf("the saved scenario does not load: %v\n%s", err, saved)
		}
		if !reflect.DeepEqual(again.Config, sc.Config) {
			t.Fatalf("the saved scenario differs:\n%+v\nsaved as\n%+v", sc.Config, again.Config)
		}
		cfg := sc.Config
		if cfg.Agents > fuzzMaxAgents || cfg.Steps > fuzzMaxSteps {
			return // too slow to run on every execution
		}
		one := fuzzRun(t, &cfg, sc.File.Seed, 1)
		three := fuzzRun(t, &cfg, sc.File.Seed, 3)
		if !reflect.DeepEqual(one, three) {
			t.Fatalf("one worker and three differ:\n%+v\n%+v", one, three)
		}
	})
}

// fuzzRun runs cfg and checks that its series has the right shape and every count lies in
// [0, agents].
func fuzzRun(t *testing.T, cfg *model.Config, seed uint64, workers int) *model.Series {
	t.Helper()
	s, err := model.Run(context.Background(), cfg, model.RunOptions{Seed: seed, Workers: workers})
	if err != nil {
		t.Fatalf("valid scenario does not run: %v", err)
	}
	cells := (cfg.Steps + 1) * len(cfg.Platforms)
	for name, xs := range map[string][]int64{"users": s.Users, "registered": s.Registered, "new users": s.NewUsers,
		"leavers": s.Leavers, "multi-homers": s.MultiHomers, "adopters": s.Adopters} {
		want := cells
		if name == "adopters" {
			want = cfg.Steps + 1
		}
		if len(xs) != want {
			t.Fatalf("%s: %d values, want %d", name, len(xs), want)
		}
		for i, x := range xs {
			if x < 0 || x > int64(cfg.Agents) {
				t.Fatalf("%s[%d] = %d, outside [0, %d]", name, i, x, cfg.Agents)
			}
		}
	}
	return s
}
