//go:build unix

package strict

import "syscall"

// openFlags makes opening a named pipe return at once rather than wait for a writer, should
// the path become one between the check and the open; it does not affect regular files.
const openFlags = syscall.O_NONBLOCK
