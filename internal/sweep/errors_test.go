package sweep

import (
	"path/filepath"
	"testing"

	"github.com/msgsim/msgsim/internal/golden"
)

// sweepErrorCases covers every sweep-file validation path; testdata/errors.golden holds the
// exact messages.
var sweepErrorCases = []struct{ name, yaml string }{
	{"syntax", "factors: [\n"},
	{"empty", ""},
	{"not a mapping", "- a\n"},
	{"unknown field", "base: testdata/base.yaml\nfactor: []\n"},
	{"factors not a list", "base: testdata/base.yaml\nfactors: {path: steps}\n"},
	{"replicates", "base: testdata/base.yaml\nreplicates: 0\nfactors:\n  - path: steps\n    values: [1]\n"},
	{"design", "base: testdata/base.yaml\ndesign: sobel\nfactors:\n  - path: steps\n    values: [1]\n"},
	{"samples missing", "base: testdata/base.yaml\ndesign: latin_hypercube\nfactors:\n  - path: platforms.entrant.appeal\n    uniform: {min: 0, max: 1}\n"},
	{"samples on grid", "base: testdata/base.yaml\nsamples: 5\nfactors:\n  - path: steps\n    values: [1]\n"},
	{"morris levels", "base: testdata/base.yaml\ndesign: morris\nsamples: 4\nlevels: 3\nfactors:\n  - path: platforms.entrant.appeal\n    uniform: {min: 0, max: 1}\n"},
	{"levels off morris", "base: testdata/base.yaml\nlevels: 4\nfactors:\n  - path: steps\n    values: [1]\n"},
	{"base missing", "base: nowhere.yaml\nfactors:\n  - path: steps\n    values: [1]\n"},
	{"bad set", "base: testdata/base.yaml\nset: [agents=lots]\nfactors:\n  - path: steps\n    values: [1]\n"},
	{"no factors", "base: testdata/base.yaml\n"},
	{"sobol needs two", "base: testdata/base.yaml\ndesign: sobol\nsamples: 8\nfactors:\n  - path: platforms.entrant.appeal\n    uniform: {min: 0, max: 1}\n"},
	{"path missing", "base: testdata/base.yaml\nfactors:\n  - values: [1]\n"},
	{"unknown path", "base: testdata/base.yaml\nfactors:\n  - path: platforms.entrant.apeal\n    values: [1]\n"},
	{"unknown platform in path", "base: testdata/base.yaml\nfactors:\n  - path: platforms.laiwang.appeal\n    values: [1]\n"},
	{"seed path", "base: testdata/base.yaml\nfactors:\n  - path: seed\n    values: [1, 2]\n"},
	{"replicates path", "base: testdata/base.yaml\nfactors:\n  - path: replicates\n    values: [1, 2]\n"},
	{"list path", "base: testdata/base.yaml\nfactors:\n  - path: graph.blocks\n    values: [1]\n"},
	{"two specs", "base: testdata/base.yaml\nfactors:\n  - path: steps\n    values: [1]\n    range: {from: 0, to: 1, steps: 2}\n"},
	{"swept twice", "base: testdata/base.yaml\nfactors:\n  - path: steps\n    values: [1]\n  - path: steps\n    values: [2]\n"},
	{"word for number", "base: testdata/base.yaml\nfactors:\n  - path: steps\n    values: [one]\n"},
	{"number for word", "base: testdata/base.yaml\nfactors:\n  - path: decision.rule\n    values: [1]\n"},
	{"words need values", "base: testdata/base.yaml\nfactors:\n  - path: decision.rule\n    range: {from: 0, to: 1, steps: 2}\n"},
	{"empty values", "base: testdata/base.yaml\nfactors:\n  - path: steps\n    values: []\n"},
	{"value not scalar", "base: testdata/base.yaml\nfactors:\n  - path: steps\n    values: [[1]]\n"},
	{"infinite value", "base: testdata/base.yaml\nfactors:\n  - path: platforms.entrant.appeal\n    values: [.inf]\n"},
	{"range scale", "base: testdata/base.yaml\nfactors:\n  - path: platforms.entrant.appeal\n    range: {from: 0, to: 1, steps: 2, scale: exp}\n"},
	{"range order", "base: testdata/base.yaml\nfactors:\n  - path: platforms.entrant.appeal\n    range: {from: 1, to: 0, steps: 2}\n"},
	{"log range from zero", "base: testdata/base.yaml\nfactors:\n  - path: platforms.entrant.p\n    range: {from: 0, to: 1, steps: 3, scale: log}\n"},
	{"grid steps", "base: testdata/base.yaml\nfactors:\n  - path: platforms.entrant.appeal\n    range: {from: 0, to: 1}\n"},
	{"steps on sampled", "base: testdata/base.yaml\ndesign: random\nsamples: 3\nfactors:\n  - path: platforms.entrant.appeal\n    range: {from: 0, to: 1, steps: 4}\n"},
	{"distribution on grid", "base: testdata/base.yaml\nfactors:\n  - path: platforms.entrant.appeal\n    uniform: {min: 0, max: 1}\n"},
	{"uniform bounds", "base: testdata/base.yaml\ndesign: random\nsamples: 3\nfactors:\n  - path: platforms.entrant.appeal\n    uniform: {min: 1, max: 1}\n"},
	{"loguniform bounds", "base: testdata/base.yaml\ndesign: random\nsamples: 3\nfactors:\n  - path: platforms.entrant.p\n    loguniform: {min: 0, max: 1}\n"},
	{"normal sd", "base: testdata/base.yaml\ndesign: random\nsamples: 3\nfactors:\n  - path: platforms.entrant.appeal\n    normal: {mean: 0.5, sd: 0}\n"},
	{"normal truncation", "base: testdata/base.yaml\ndesign: random\nsamples: 3\nfactors:\n  - path: platforms.entrant.appeal\n    normal: {mean: 0.5, sd: 0.1, min: 1, max: 0}\n"},
	{"unknown outcome", "base: testdata/base.yaml\noutcomes: [final_shares]\nfactors:\n  - path: steps\n    values: [1]\n"},
	{"analysed outcome", "base: testdata/base.yaml\noutcome: winner\nfactors:\n  - path: steps\n    values: [1]\n"},
	{"unknown analysed outcome", "base: testdata/base.yaml\noutcome: final_share.laiwang\nfactors:\n  - path: steps\n    values: [1]\n"},
	{"at step outside", "base: testdata/base.yaml\nat: [26]\nfactors:\n  - path: steps\n    values: [30]\n"},
	{"at negative step", "base: testdata/base.yaml\nat: [-1]\nfactors:\n  - path: steps\n    values: [30]\n"},
	{"at not a moment", "base: testdata/base.yaml\nat: [soon]\nfactors:\n  - path: steps\n    values: [30]\n"},
	{"at date without calendar", "base: testdata/base.yaml\nat: [2013-09-30]\nfactors:\n  - path: steps\n    values: [30]\n"},
	{"at date before start", "base: testdata/base.yaml\nset: [start=2011-01-21]\nat: [2011-01-20]\nfactors:\n  - path: platforms.entrant.appeal\n    values: [1]\n"},
	{"at date past the run", "base: testdata/base.yaml\nset: [start=2011-01-21]\nat: [2011-07-21, 2011-07-22]\nfactors:\n  - path: platforms.entrant.appeal\n    values: [1]\n"},
	{"at not a list", "base: testdata/base.yaml\nat: 104\nfactors:\n  - path: platforms.entrant.appeal\n    values: [1]\n"},
	{"at entry not a scalar", "base: testdata/base.yaml\nat: [3, [4]]\nfactors:\n  - path: platforms.entrant.appeal\n    values: [1]\n"},
	{"at twice", "base: testdata/base.yaml\nat: [3, 3]\nfactors:\n  - path: platforms.entrant.appeal\n    values: [1]\n"},
	{"at with a swept start", "base: testdata/base.yaml\nset: [start=2011-01-21]\nat: [2011-03-01]\nfactors:\n  - path: start\n    values: [2011-01-01]\n"},
	{"at metric without at", "base: testdata/base.yaml\noutcomes: [users_at]\nfactors:\n  - path: platforms.entrant.appeal\n    values: [1]\n"},
	{"empty label", "base: testdata/base.yaml\nfactors:\n  - path: platforms.entrant.appeal\n    values: [1]\n    label: \"\"\n"},
	{"label with a line break", "base: testdata/base.yaml\nfactors:\n  - path: platforms.entrant.appeal\n    values: [1]\n    label: \"entrant\\nappeal\"\n"},
	{"label twice", "base: testdata/base.yaml\nfactors:\n  - path: platforms.entrant.appeal\n    values: [1]\n  - path: platforms.entrant.p\n    values: [0.1]\n    label: entrant appeal\n"},
	{"escape sequence in the name", "name: \"a\\e[2Jb\"\nbase: testdata/base.yaml\nfactors:\n  - path: steps\n    values: [1]\n"},
}

func TestSweepValidationErrors(t *testing.T) {
	t.Parallel()
	var names, messages []string
	for _, tc := range sweepErrorCases {
		_, err := Parse([]byte(tc.yaml), "s.yaml", ".")
		if err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		names, messages = append(names, tc.name), append(messages, err.Error())
	}
	golden.Messages(t, filepath.Join("testdata", "errors.golden"), names, messages)
}
