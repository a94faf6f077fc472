package scenarios

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/msgsim/msgsim/internal/golden"
	"github.com/msgsim/msgsim/internal/memlimit"
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
	golden.Messages(t, filepath.Join("testdata", "limits.golden"), names, messages)
}

// TestEdgeListSizedBeforeReading: an edge list that cannot fit is refused from its size and
// its first MiB, before it is read.
func TestEdgeListSizedBeforeReading(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	snap := filepath.Join(dir, "snap.txt") // 16 bytes a line
	if err := os.WriteFile(snap, []byte(strings.Repeat("1234567 7654321\n", 1000)), 0o644); err != nil {
		t.Fatal(err)
	}
	huge := filepath.Join(dir, "huge.txt") // 1 TiB of nothing: no line end in its first MiB
	if err := os.WriteFile(huge, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(huge, 1<<40); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path  string
		limit memlimit.Limit
		want  string
	}{
		{snap, memlimit.Limit{Bytes: 24 * 1001, Source: "test"}, ""},
		{snap, memlimit.Limit{Bytes: 24*1001 - 1, Source: "test"}, "edge list SNAP is 15.6 KiB, about 1e+03 lines (judging by its first MiB): reading it needs about 23.5 KiB but only 23.5 KiB is available (test)"},
		{snap, memlimit.Limit{Bytes: 1000, Source: "cgroup memory.max of /sys/fs/cgroup/job"}, "edge list SNAP is 15.6 KiB, about 1e+03 lines (judging by its first MiB): reading it needs about 23.5 KiB but only 1000.0 B is available (cgroup memory.max of /sys/fs/cgroup/job)"},
		{snap, memlimit.Limit{}, ""},
		{huge, memlimit.Limit{Bytes: 64 << 30, Source: "test"}, "edge list HUGE is 1.0 TiB, about 2.75e+11 lines (a line per 4 bytes at most, as its first MiB holds no line end): reading it needs about 6.0 TiB but only 64.0 GiB is available (test)"},
	} {
		f, err := os.Open(tc.path)
		if err != nil {
			t.Fatal(err)
		}
		err = checkEdgeListMemory(f, tc.path, tc.limit)
		f.Close()
		got := ""
		if err != nil {
			got = strings.NewReplacer(snap, "SNAP", huge, "HUGE").Replace(err.Error())
		}
		if got != tc.want {
			t.Errorf("%s within %v:\n got %s\nwant %s", tc.path, tc.limit, got, tc.want)
		}
	}
	// Validation refuses the huge file against the real limit, without reading it.
	_, err := Parse([]byte("graph: {kind: file, path: huge.txt}\nplatforms: {a: {}}\n"), "case.yaml", dir, nil)
	prefix := "case.yaml:1:27: graph.path: edge list " + huge + " is 1.0 TiB, about 2.75e+11 lines (a line per 4 bytes at most, as its first MiB holds no line end): reading it needs about 6.0 TiB but only "
	if err == nil || !strings.HasPrefix(err.Error(), prefix) {
		t.Errorf("validating a 1 TiB edge list: %v\nwant %s...", err, prefix)
	}
}
