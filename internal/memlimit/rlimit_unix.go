//go:build unix

package memlimit

import "syscall"

// addressSpace returns RLIMIT_AS, the most virtual memory the process may map.
func addressSpace() (uint64, bool) {
	var r syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_AS, &r); err != nil || r.Cur >= unlimited {
		return 0, false
	}
	return r.Cur, true
}
