package main

import (
	"testing"

	"github.com/msgsim/msgsim/internal/memlimit"
)

// TestCheckFitsNamesTheLimit: the one memory check of every command says which limit refused
// the work, and lets it through when no limit is known.
func TestCheckFitsNamesTheLimit(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		limit memlimit.Limit
		want  string
	}{
		{memlimit.Limit{Bytes: 512 << 20, Source: "cgroup memory.max of /sys/fs/cgroup/job_17"},
			"scenario big.yaml needs about 1.0 GiB (2 runs at once) but only 512.0 MiB is available (cgroup memory.max of /sys/fs/cgroup/job_17); lower agents"},
		{memlimit.Limit{Bytes: 0, Source: "GOMEMLIMIT"},
			"scenario big.yaml needs about 1.0 GiB (2 runs at once) but only 0.0 B is available (GOMEMLIMIT); lower agents"},
		{memlimit.Limit{Bytes: 1 << 30, Source: "MemAvailable in /proc/meminfo"}, ""},
		{memlimit.Limit{}, ""},
	} {
		got := ""
		if err := checkFits("scenario big.yaml", 1<<30, "2 runs at once", "lower agents", tc.limit); err != nil {
			got = err.Error()
		}
		if got != tc.want {
			t.Errorf("within %+v:\n got %q\nwant %q", tc.limit, got, tc.want)
		}
	}
}
