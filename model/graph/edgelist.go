package graph

import (
	"bufio"
	"errors"
	"fmt"
	"io"
)

// EdgeListInfo describes a loaded edge list.
type EdgeListInfo struct {
	Lines, Edges          int64    // data lines read, edges kept
	SelfLoops, Duplicates int64    // dropped (duplicates includes the reverse direction of an already-seen pair)
	IDs                   []string // IDs[i] is the original label of node i, in order of first appearance
}

// readBufferSize is large so that the reader makes few system calls and nearly every line is
// returned as a slice of the buffer itself (lines longer than this are still accepted).
const readBufferSize = 1 << 20

// maxQuotedLine bounds how much of a malformed line an error message quotes.
const maxQuotedLine = 80

// ReadEdgeList reads a contact graph from a text edge list such as the SNAP data sets, one
// edge per line; name is used in error messages (usually the file name).
//
// Format: blank lines and lines whose first non-blank character is '#' or '%' are comments;
// lines may end in LF or CRLF (a UTF-8 byte-order mark on the first line is skipped); fields
// are separated by runs of spaces and tabs, or by a comma or a semicolon (optionally surrounded
// by spaces). The first two fields are the endpoints and any further columns (weights,
// timestamps) are ignored. Node ids are arbitrary tokens, numeric or not, renumbered 0..n-1 in
// order of first appearance; Info.IDs maps them back. A header line such as "source,target"
// would be read as an edge, so comment it out.
//
// An edge list is read as undirected contacts: a->b and b->a are one contact, so the graph is
// symmetrised, the second direction is counted in Duplicates like any repeated pair, and
// self-loops are dropped and counted in SelfLoops. Every data line is therefore accounted for:
// Edges + SelfLoops + Duplicates == Lines. Nodes that appear only in self-loops are kept, as
// isolated nodes.
//
// The input is streamed: lines are read as byte slices of a 1 MiB buffer, ids are looked up
// without allocating (only a new id allocates its string), and edges go into a Builder, so
// memory is the graph plus the id table, never a copy of the file.
//
// Errors: a data line with fewer than two fields is reported with the file and line number; an
// input without data lines, or one whose only edges are self-loops, is an error; so are more
// than 2^31-1 distinct ids and read errors from r.
func ReadEdgeList(r io.Reader, name string) (*CSR, *EdgeListInfo, error) {
	br := bufio.NewReaderSize(r, readBufferSize)
	index := make(map[string]int32)
	info := &EdgeListInfo{}
	b := &Builder{us: make([]int32, 0, 1<<12), vs: make([]int32, 0, 1<<12)}
	var long []byte // reassembles the rare line longer than the buffer
	lineNo := 0
	lastU := int32(-1) // first endpoint of the previous data line
	for {
		line, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			long = append(long[:0], line...)
			for errors.Is(err, bufio.ErrBufferFull) {
				line, err = br.ReadSlice('\n')
				long = append(long, line...)
			}
			line = long
		}
		if len(line) > 0 {
			lineNo++
			if lineNo == 1 && len(line) >= 3 && line[0] == 0xEF && line[1] == 0xBB && line[2] == 0xBF {
				line = line[3:]
			}
			line = trimEOL(line)
			a, c, st := splitEndpoints(line)
			switch st {
			case lineBad:
				q := line
				if len(q) > maxQuotedLine {
					q = q[:maxQuotedLine]
				}
				return nil, nil, fmt.Errorf("%s:%d: expected two node ids separated by whitespace, comma or semicolon, got %q", name, lineNo, q)
			case lineEdge:
				info.Lines++
				// Edge lists are usually grouped by their first column, so the first id is
				// often the previous line's: a string comparison then saves a map lookup.
				u, ok := lastU, lastU >= 0 && string(a) == info.IDs[lastU]
				if !ok {
					u, ok = index[string(a)] // no allocation: the compiler special-cases this lookup
				}
				if !ok {
					if len(info.IDs) == maxNodes {
						return nil, nil, fmt.Errorf("%s:%d: more than %d distinct node ids", name, lineNo, maxNodes)
					}
					s := string(a)
					u = int32(len(info.IDs))
					index[s] = u
					info.IDs = append(info.IDs, s)
				}
				v, ok := index[string(c)]
				if !ok {
					if len(info.IDs) == maxNodes {
						return nil, nil, fmt.Errorf("%s:%d: more than %d distinct node ids", name, lineNo, maxNodes)
					}
					s := string(c)
					v = int32(len(info.IDs))
					index[s] = v
					info.IDs = append(info.IDs, s)
				}
				lastU = u
				b.us = append(b.us, u)
				b.vs = append(b.vs, v)
			}
		}
		if err != nil {
			if err == io.EOF {
				break
			}
			return nil, nil, fmt.Errorf("%s: reading after line %d: %w", name, lineNo, err)
		}
	}
	if info.Lines == 0 {
		return nil, nil, fmt.Errorf("%s: no edges found", name)
	}
	index = nil // the map is the largest temporary; let it go before building
	b.n = len(info.IDs)
	g, st := b.Build()
	info.Edges = g.NumEdges()
	info.SelfLoops = st.SelfLoops
	info.Duplicates = st.Duplicates
	if info.Edges == 0 {
		return nil, nil, fmt.Errorf("%s: no edges found (all %d data lines are self-loops)", name, info.Lines)
	}
	return g, info, nil
}

// trimEOL removes a trailing LF or CRLF.
func trimEOL(line []byte) []byte {
	if n := len(line); n > 0 && line[n-1] == '\n' {
		line = line[:n-1]
	}
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return line
}

// Line kinds returned by splitEndpoints.
const (
	lineSkip = iota // blank or comment
	lineEdge        // two endpoints found
	lineBad         // data line with fewer than two fields
)

func isBlank(c byte) bool { return c == ' ' || c == '\t' }

// isFieldEnd reports whether c ends an id token.
func isFieldEnd(c byte) bool { return c == ' ' || c == '\t' || c == ',' || c == ';' }

// splitEndpoints returns the first two fields of a line (without its line ending). A separator
// is a run of blanks containing at most one comma or semicolon, so "a,,b" has an empty second
// field and is rejected rather than silently read as a-b.
func splitEndpoints(line []byte) (a, b []byte, kind int) {
	i := 0
	for i < len(line) && isBlank(line[i]) {
		i++
	}
	if i == len(line) || line[i] == '#' || line[i] == '%' {
		return nil, nil, lineSkip
	}
	j := i
	for j < len(line) && !isFieldEnd(line[j]) {
		j++
	}
	if j == i {
		return nil, nil, lineBad // line starts with a comma or semicolon
	}
	a = line[i:j]
	for j < len(line) && isBlank(line[j]) {
		j++
	}
	if j < len(line) && (line[j] == ',' || line[j] == ';') {
		j++
		for j < len(line) && isBlank(line[j]) {
			j++
		}
	}
	k := j
	for k < len(line) && !isFieldEnd(line[k]) {
		k++
	}
	if k == j {
		return nil, nil, lineBad
	}
	return a, line[j:k], lineEdge
}
