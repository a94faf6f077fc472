package scenarios

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/msgsim/msgsim/internal/golden"
)

// limitCases are scenarios past the bounds on sizes and text that keep validation fast and
// terminals safe; testdata/limits.golden holds their exact messages.
var limitCases = []struct {
	name string
	yaml string
}{
	{"1001 interventions", base + "interventions:\n" + strings.Repeat("  - {kind: seed, platform: wechat, count: 1}\n", 1001)},
	{"200000 interventions", base + "interventions:\n" + strings.Repeat("  - {kind: seed, platform: wechat, count: 1}\n", 200_000)},
	{"platform name of 65 bytes", base + "  " + strings.Repeat("x", 65) + ": {}\n"},
	{"platform name of 1 MB", base + "  " + strings.Repeat("y", 1<<20) + ": {}\n"},
	{"scenario name of 65 bytes", base + "name: " + strings.Repeat("n", 65) + "\n"},
	{"escape sequence in the name", base + "name: \"Laiwang\\e]0;pwned\\a\"\n"},
	{"line break in the name", base + "name: \"two\\nlines\"\n"},
	{"escape sequence in time_unit", base + "time_unit: \"\\e[2Jweek\"\n"},
	{"time_unit of 65 bytes", base + "time_unit: " + strings.Repeat("w", 65) + "\n"},
}

func TestLimitErrors(t *testing.T) {
	t.Parallel()
	var names, messages []string
	for _, tc := range limitCases {
		_, err := Parse([]byte(tc.yaml), "case.yaml", "testdata", nil)
		if err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		names, messages = append(names, tc.name), append(messages, err.Error())
	}
	golden.Messages(t, filepath.Join("testdata", "limits.golden"), names, messages, *update)
}
