// Package memlimit finds how much memory this process may still use: the smallest of the
// machine's available memory, its cgroup's limit (containers, Slurm jobs), its address-space
// rlimit and the Go runtime's memory limit, each less what is in use, and which one it was.
package memlimit

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
)

// Limit is memory still available, in bytes, and the limit it comes from.
type Limit struct {
	Bytes  float64 // 0 = unknown: no limit could be read
	Source string  // e.g. "MemAvailable in /proc/meminfo", "cgroup memory.max of /sys/fs/cgroup/job_17"
}

// System is where limits are read from; tests give fake trees and functions.
type System struct {
	// Root is the file system holding proc/ and sys/ (os.DirFS("/") for the real one).
	Root fs.FS
	// AddressSpace returns RLIMIT_AS (ok false when unlimited or unknown).
	AddressSpace func() (limit uint64, ok bool)
	// GoLimit returns the Go runtime's memory limit (GOMEMLIMIT; math.MaxInt64 when unset) and
	// the memory the runtime holds now.
	GoLimit func() (limit int64, inUse float64)
}

// Real is the running process's system.
func Real() System {
	return System{Root: os.DirFS("/"), AddressSpace: addressSpace, GoLimit: goLimit}
}

// Available returns the smallest memory still available under every limit in force.
func Available() Limit { return Real().Available() }

// unlimited is past any real limit: cgroup v1 writes "no limit" as 2^63 rounded to a page.
const unlimited = 1 << 62

// Available returns the smallest memory still available under every limit in force, or a
// zero Limit if none can be read.
func (s System) Available() Limit {
	var best Limit
	consider := func(bytes float64, source string) {
		if bytes < 0 {
			bytes = 0
		}
		if best.Source == "" || bytes < best.Bytes {
			best = Limit{Bytes: bytes, Source: source}
		}
	}
	if kb, ok := s.field("proc/meminfo", "MemAvailable:"); ok {
		consider(kb*1024, "MemAvailable in /proc/meminfo")
	}
	s.cgroups(consider)
	if s.AddressSpace != nil {
		if limit, ok := s.AddressSpace(); ok && limit < unlimited {
			used, _ := s.field("proc/self/status", "VmSize:")
			consider(float64(limit)-used*1024, "address-space limit (ulimit -v)")
		}
	}
	if s.GoLimit != nil {
		if limit, inUse := s.GoLimit(); limit < unlimited {
			consider(float64(limit)-inUse, "GOMEMLIMIT")
		}
	}
	return best
}

// cgroups reports the room left under the memory limit of this process's cgroup and of each
// of its parents (a job's limit is often set on a parent), for cgroup v2 and v1.
func (s System) cgroups(consider func(float64, string)) {
	data, err := fs.ReadFile(s.Root, "proc/self/cgroup")
	if err != nil {
		return
	}
	for _, line := range strings.Split(string(data), "\n") {
		// hierarchy-id:controllers:path
		parts := strings.SplitN(line, ":", 3)
		if len(parts) != 3 {
			continue
		}
		switch {
		case parts[0] == "0" && parts[1] == "":
			for _, mount := range []string{"sys/fs/cgroup", "sys/fs/cgroup/unified"} {
				s.walk(mount, parts[2], "memory.max", "memory.current", consider)
			}
		case strings.Contains(","+parts[1]+",", ",memory,"):
			s.walk("sys/fs/cgroup/memory", parts[2], "memory.limit_in_bytes", "memory.usage_in_bytes", consider)
		}
	}
}

// walk goes from mount/cgroupPath up to mount, reading each level's limit and usage. Levels
// that are absent (inside a container the path names a cgroup outside its view) are skipped.
func (s System) walk(mount, cgroupPath, limitFile, usageFile string, consider func(float64, string)) {
	dir := path.Join(mount, path.Clean("/"+cgroupPath))
	for {
		if limit, ok := s.number(path.Join(dir, limitFile)); ok && limit < unlimited {
			usage, _ := s.number(path.Join(dir, usageFile))
			// Page cache counts in the usage but is given back under pressure.
			cache, _ := s.field(path.Join(dir, "memory.stat"), "inactive_file")
			if cache == 0 {
				cache, _ = s.field(path.Join(dir, "memory.stat"), "total_inactive_file")
			}
			consider(limit-usage+cache, "cgroup "+limitFile+" of /"+dir)
		}
		if dir == mount {
			return
		}
		dir = path.Dir(dir)
	}
}

// number reads a file holding one number ("max" reads as unlimited).
func (s System) number(name string) (float64, bool) {
	data, err := fs.ReadFile(s.Root, name)
	if err != nil {
		return 0, false
	}
	text := strings.TrimSpace(string(data))
	if text == "max" {
		return math.Inf(1), true
	}
	x, err := strconv.ParseFloat(text, 64)
	return x, err == nil
}

// field reads the number after key in a "key value" file such as /proc/meminfo.
func (s System) field(name, key string) (float64, bool) {
	data, err := fs.ReadFile(s.Root, name)
	if err != nil {
		return 0, false
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 2 && fields[0] == key {
			x, err := strconv.ParseFloat(fields[1], 64)
			return x, err == nil
		}
	}
	return 0, false
}

func goLimit() (int64, float64) {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return debug.SetMemoryLimit(-1), float64(m.Sys - m.HeapReleased)
}

// BytesString writes a size in binary units: "1.5 GiB".
func BytesString(b float64) string {
	units := []string{"B", "KiB", "MiB", "GiB", "TiB"}
	i := 0
	for b >= 1024 && i < len(units)-1 {
		b /= 1024
		i++
	}
	return fmt.Sprintf("%.1f %s", b, units[i])
}
