//go:build !unix

package strict

// openFlags adds nothing where named pipes cannot appear in the file system.
const openFlags = 0
