package memlimit

import (
	"math"
	"testing"
	"testing/fstest"
)

const gib = 1 << 30

func file(text string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(text)} }

// machine is a fake /proc with 8 GiB available and a process of 1 GiB virtual memory.
func machine() fstest.MapFS {
	return fstest.MapFS{
		"proc/meminfo":     file("MemTotal:       16777216 kB\nMemFree:         1000 kB\nMemAvailable:    8388608 kB\n"),
		"proc/self/status": file("Name:\tmsgsim\nVmSize:\t 1048576 kB\n"),
	}
}

func TestAvailableTakesTheSmallestLimit(t *testing.T) {
	t.Parallel()
	noRlimit := func() (uint64, bool) { return 0, false }
	noGoLimit := func() (int64, float64) { return math.MaxInt64, 0 }
	v2 := machine()
	// A Slurm-like job: the limit is on the job, the process sits in a step below it.
	v2["proc/self/cgroup"] = file("0::/job_17/step_0\n")
	v2["sys/fs/cgroup/job_17/step_0/memory.max"] = file("max\n")
	v2["sys/fs/cgroup/job_17/step_0/memory.current"] = file("100\n")
	v2["sys/fs/cgroup/job_17/memory.max"] = file("1073741824\n")
	v2["sys/fs/cgroup/job_17/memory.current"] = file("805306368\n") // 768 MiB
	v2["sys/fs/cgroup/job_17/memory.stat"] = file("anon 1\nfile 2\ninactive_file 268435456\n")
	// A container's view under cgroup v1: the path names a cgroup outside the mount, so
	// only the mount's own limit is found.
	v1 := machine()
	v1["proc/self/cgroup"] = file("9:pids:/\n4:memory:/docker/abc\n0::/\n")
	v1["sys/fs/cgroup/memory/memory.limit_in_bytes"] = file("2147483648\n")
	v1["sys/fs/cgroup/memory/memory.usage_in_bytes"] = file("1073741824\n")
	v1["sys/fs/cgroup/memory/memory.stat"] = file("cache 5\ntotal_inactive_file 536870912\n")
	unlimitedV1 := machine()
	unlimitedV1["proc/self/cgroup"] = file("4:memory:/\n")
	unlimitedV1["sys/fs/cgroup/memory/memory.limit_in_bytes"] = file("9223372036854771712\n")
	unlimitedV1["sys/fs/cgroup/memory/memory.usage_in_bytes"] = file("1073741824\n")
	for _, tc := range []struct {
		name   string
		sys    System
		bytes  float64
		source string
	}{
		{"meminfo only", System{Root: machine(), AddressSpace: noRlimit, GoLimit: noGoLimit}, 8 * gib, "MemAvailable in /proc/meminfo"},
		{"cgroup v2 parent", System{Root: v2, AddressSpace: noRlimit, GoLimit: noGoLimit}, 512 << 20, "cgroup memory.max of /sys/fs/cgroup/job_17"},
		{"cgroup v1 mount", System{Root: v1, AddressSpace: noRlimit, GoLimit: noGoLimit}, 1.5 * gib, "cgroup memory.limit_in_bytes of /sys/fs/cgroup/memory"},
		{"cgroup v1 unlimited", System{Root: unlimitedV1, AddressSpace: noRlimit, GoLimit: noGoLimit}, 8 * gib, "MemAvailable in /proc/meminfo"},
		{"ulimit -v", System{Root: v2, AddressSpace: func() (uint64, bool) { return 1.25 * gib, true }, GoLimit: noGoLimit}, 256 << 20, "address-space limit (ulimit -v)"},
		{"GOMEMLIMIT", System{Root: v2, AddressSpace: noRlimit, GoLimit: func() (int64, float64) { return 300 << 20, 100 << 20 }}, 200 << 20, "GOMEMLIMIT"},
		{"limit already exceeded", System{Root: machine(), AddressSpace: noRlimit, GoLimit: func() (int64, float64) { return 100, 200 }}, 0, "GOMEMLIMIT"},
		{"nothing readable", System{Root: fstest.MapFS{}, AddressSpace: noRlimit, GoLimit: noGoLimit}, 0, ""},
	} {
		got := tc.sys.Available()
		if got.Bytes != tc.bytes || got.Source != tc.source {
			t.Errorf("%s: %v bytes from %q, want %v from %q", tc.name, got.Bytes, got.Source, tc.bytes, tc.source)
		}
	}
}
