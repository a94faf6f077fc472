//go:build !unix

package memlimit

// addressSpace reports no address-space limit where there is no getrlimit.
func addressSpace() (uint64, bool) { return 0, false }
