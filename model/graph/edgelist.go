package graph

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"math/bits"
	"slices"
	"strconv"
)

// EdgeListInfo describes a loaded edge list.
type EdgeListInfo struct {
	Lines, Edges          int64    // data lines read, edges kept
	SelfLoops, Duplicates int64    // dropped (duplicates includes the reverse direction of an already-seen pair)
	IDs                   []string // IDs[i] is the original label of node i, in order of first appearance
}

// MaxLineBytes is the longest line an edge list may have, its line end included: far more than
// two ids and a few columns need, and small enough that an input with no line ends (a binary
// file, a device) is refused after reading this much instead of filling memory.
const MaxLineBytes = 1 << 20

// BytesPerLine is the most memory ReadEdgeList needs per data line, node ids aside: the
// pending pair (8 bytes) and both directions in the graph (8), and at worst their deduplicated
// copy (8) before the pending pairs are collected. Callers size an input with it before
// reading.
const BytesPerLine = 24

// readBufferSize is large so that the reader makes few system calls, and holds a line of
// MaxLineBytes, so that every line is parsed in place in the buffer.
const readBufferSize = MaxLineBytes

// maxQuotedLine bounds how much of a malformed line an error message quotes.
const maxQuotedLine = 80

// maxConsecutiveEmptyReads is how many times in a row r may return no data and no error before
// the read fails with io.ErrNoProgress, as in bufio.
const maxConsecutiveEmptyReads = 100

// Numeric ids. A token that is the canonical decimal form of a number (digits only, no sign,
// no leading zero except for "0" itself) stands for exactly one number and vice versa, so such
// ids can be looked up in a dense table indexed by their value instead of a map keyed by their
// text without changing which tokens name the same node.
const (
	// maxNumDigits is the longest canonical number looked up in the table; longer ones are
	// beyond maxTableLen anyway and are treated as text.
	maxNumDigits = 10
	// maxTableLen bounds the dense table: values are node labels below 2^31.
	maxTableLen = 1 << 31
	// tableSlack lets the table cover ids up to tableSlack + tablePerNode*nodes, so that its
	// memory (4 bytes per slot) stays within a small multiple of what the nodes need anyway.
	tableSlack   = 1 << 20
	tablePerNode = 4
	// strLabel marks an entry of edgeParser.labels that indexes edgeParser.strs rather than
	// holding a number.
	strLabel = 1 << 31
)

// ReadEdgeList reads a contact graph from a text edge list such as the SNAP data sets, one
// edge per line; name is used in error messages (usually the file name).
//
// Format: blank lines and lines whose first non-blank character is '#' or '%' are comments;
// lines may end in LF or CRLF (a UTF-8 byte-order mark on the first line is skipped); fields
// are separated by runs of spaces and tabs, or by a comma or a semicolon (optionally surrounded
// by spaces). The first two fields are the endpoints and any further columns (weights,
// timestamps) are ignored. Node ids are arbitrary tokens, numeric or not, renumbered 0..n-1 in
// order of first appearance; Info.IDs maps them back. Ids are compared as text: "7" and "007"
// are different nodes. A header line such as "source,target" would be read as an edge, so
// comment it out.
//
// An edge list is read as undirected contacts: a->b and b->a are one contact, so the graph is
// symmetrised, the second direction is counted in Duplicates like any repeated pair, and
// self-loops are dropped and counted in SelfLoops. Every data line is therefore accounted for:
// Edges + SelfLoops + Duplicates == Lines. Nodes that appear only in self-loops are kept, as
// isolated nodes.
//
// The input is streamed through a 1 MiB buffer and parsed in place, and edges go into a
// Builder, so memory is the graph plus the id table, never a copy of the file. Ids written as
// plain decimal numbers (no sign or leading zeros) whose values are not much larger than the
// number of distinct ids, as in the SNAP files, are renumbered through a dense array indexed
// by value, with no hashing and no allocation; their labels are formatted once at the end.
// Other ids (text, numbers with leading zeros, sparse huge numbers) go through a map, and may
// be mixed freely with numeric ones.
//
// Errors: a data line with fewer than two fields, and a line longer than MaxLineBytes, are
// reported with the file and line number; an input without data lines, or one whose only
// edges are self-loops, is an error; so are more than 2^31-1 distinct ids and read errors
// from r.
func ReadEdgeList(r io.Reader, name string) (*CSR, *EdgeListInfo, error) {
	p := &edgeParser{
		name:   name,
		us:     make([]int32, 0, 1<<12),
		vs:     make([]int32, 0, 1<<12),
		lastID: -1,
	}
	if err := p.read(r); err != nil {
		return nil, nil, err
	}
	// Every data line adds exactly one pending edge.
	info := &EdgeListInfo{Lines: int64(len(p.us))}
	if info.Lines == 0 {
		return nil, nil, fmt.Errorf("%s: no edges found", name)
	}
	info.IDs = p.ids()
	b := &Builder{n: len(info.IDs), us: p.us, vs: p.vs}
	// The id tables are the largest temporaries; let them go before building.
	*p = edgeParser{}
	g, st := b.Build()
	info.Edges = g.NumEdges()
	info.SelfLoops = st.SelfLoops
	info.Duplicates = st.Duplicates
	if info.Edges == 0 {
		return nil, nil, fmt.Errorf("%s: no edges found (all %d data lines are self-loops)", name, info.Lines)
	}
	return g, info, nil
}

// edgeParser holds the state of one ReadEdgeList call.
//
// Node i's label is labels[i]: either the canonical decimal number labels[i] (numeric ids) or,
// with the strLabel bit set, strs[labels[i]&^strLabel]. A canonical numeric id x lives in
// table[x] if it was below len(table) or could grow the table when first seen, and in index
// otherwise (numInMap records that this happened, so that a table miss must also consult
// index: the table may have grown over x since). Any other token lives in index.
type edgeParser struct {
	name   string
	size   int64            // bytes in the input, if known (see sizeHint), else 0
	base   int64            // input offset of the start of the read buffer
	lineNo int              // lines read so far, including comments and blank lines
	us, vs []int32          // pending edges
	table  []int32          // node of canonical numeric id x, or -1
	labels []uint32         // see above
	strs   []string         // labels of nodes kept in index
	index  map[string]int32 // node of a non-numeric token (or of a numeric one outside table)

	numInMap bool // some canonical numeric id below maxTableLen is in index

	// Edge lists are usually grouped by their first column, so the first id of a line is often
	// the previous line's: for text ids a string comparison then saves a map lookup.
	lastTok string
	lastID  int32
}

// read parses all of r.
func (p *edgeParser) read(r io.Reader) error {
	p.size = sizeHint(r)
	buf := make([]byte, readBufferSize)
	rpos, wpos := 0, 0
	// buf[rpos:searched] is known to hold no '\n', so that a line arriving in many small reads
	// is not rescanned from its start after each one (which would be quadratic in its length).
	searched := 0
	var rerr error
	for {
		if bytes.IndexByte(buf[searched:wpos], '\n') >= 0 {
			var err error
			if rpos, err = p.scan(buf[:wpos], rpos); err != nil {
				return err
			}
		}
		searched = wpos
		// buf[rpos:wpos] is the start of a line whose end has not been read yet.
		if rerr != nil {
			if line := buf[rpos:wpos]; len(line) > 0 {
				if err := p.line(line); err != nil {
					return err
				}
			}
			if rerr == io.EOF {
				return nil
			}
			return fmt.Errorf("%s: reading after line %d: %w", p.name, p.lineNo, rerr)
		}
		switch {
		case rpos == 0 && wpos == len(buf):
			return fmt.Errorf("%s:%d: line longer than %d MiB, the limit for an edge list line (two node ids per line); is it an edge list?", p.name, p.lineNo+1, MaxLineBytes>>20)
		case rpos > 0:
			wpos = copy(buf, buf[rpos:wpos])
			p.base += int64(rpos)
			searched -= rpos
			rpos = 0
		}
		var n int
		n, rerr = readSome(r, buf[wpos:])
		wpos += n
	}
}

// readSome reads into buf (which is not empty) until it gets data or an error, like bufio's
// fill.
func readSome(r io.Reader, buf []byte) (int, error) {
	for range maxConsecutiveEmptyReads {
		n, err := r.Read(buf)
		if n < 0 || n > len(buf) {
			panic(fmt.Sprintf("graph.ReadEdgeList: reader returned count %d from a Read of %d bytes", n, len(buf)))
		}
		if n > 0 || err != nil {
			return n, err
		}
	}
	return 0, io.ErrNoProgress
}

// scan parses the complete lines of buf[pos:] and returns the start of the first incomplete
// one (len(buf) if there is none).
//
// The common line, two canonical decimal numbers of at most maxNumDigits digits separated as
// splitEndpoints allows and followed by the line end or by a field separator and anything, is
// parsed inline and its ids are looked up in the table. Anything else, including lines that
// start with a blank, a comment character or a byte-order mark, and lines that the fast path
// cannot finish, goes through line, which implements the format in full.
func (p *edgeParser) scan(buf []byte, pos int) (int, error) {
	us, vs, table := p.us, p.vs, p.table
	lineNo := p.lineNo // p.lineNo is kept up to date only where it may be read
	for pos < len(buf) {
		var x, y uint64
		var i, next int
		var c byte
		var u, v int32

		// First id.
		i = pos
		if x = uint64(buf[i]) - '0'; x > 9 {
			goto general
		}
		i++
		if x != 0 { // "0" must stand alone: a following digit fails the separator test
			for i < len(buf) {
				d := uint64(buf[i]) - '0'
				if d > 9 {
					break
				}
				x = x*10 + d
				i++
			}
			if i-pos > maxNumDigits {
				goto general
			}
		}
		// Separator: blanks with at most one comma or semicolon.
		if i >= len(buf) {
			goto general
		}
		if c = buf[i]; !isFieldEnd(c) {
			goto general
		}
		for isBlank(c) {
			if i++; i >= len(buf) {
				goto general
			}
			c = buf[i]
		}
		if c == ',' || c == ';' {
			if i++; i >= len(buf) {
				goto general
			}
			for c = buf[i]; isBlank(c); c = buf[i] {
				if i++; i >= len(buf) {
					goto general
				}
			}
		}
		// Second id.
		if y = uint64(c) - '0'; y > 9 {
			goto general
		}
		next = i // start of the second id, for now
		i++
		if y != 0 {
			for i < len(buf) {
				d := uint64(buf[i]) - '0'
				if d > 9 {
					break
				}
				y = y*10 + d
				i++
			}
			if i-next > maxNumDigits {
				goto general
			}
		}
		// Line end, or further columns.
		if i >= len(buf) {
			goto general
		}
		switch buf[i] {
		case '\n':
			next = i + 1
		case '\r': // part of the id unless it ends the line
			if i+1 >= len(buf) || buf[i+1] != '\n' {
				goto general
			}
			next = i + 2
		case ' ', '\t', ',', ';':
			j := bytes.IndexByte(buf[i+1:], '\n')
			if j < 0 {
				goto general
			}
			next = i + j + 2
		default:
			goto general
		}

		lineNo++
		u, v = -1, -1
		if x < uint64(len(table)) {
			u = table[x]
		}
		if u < 0 {
			var err error
			p.lineNo = lineNo
			if u, err = p.numID(x); err != nil {
				return pos, err
			}
			table = p.table
		}
		if y < uint64(len(table)) {
			v = table[y]
		}
		if v < 0 {
			var err error
			p.lineNo = lineNo
			if v, err = p.numID(y); err != nil {
				return pos, err
			}
			table = p.table
		}
		if len(us) == cap(us) {
			us, vs = p.growEdges(us, vs, p.base+int64(pos))
		}
		us = append(us, u)
		vs = append(vs, v)
		pos = next
		continue

	general:
		i = bytes.IndexByte(buf[pos:], '\n')
		if i < 0 {
			break
		}
		p.us, p.vs, p.lineNo = us, vs, lineNo
		if err := p.line(buf[pos : pos+i+1]); err != nil {
			return pos, err
		}
		us, vs, table, lineNo = p.us, p.vs, p.table, p.lineNo
		pos += i + 1
	}
	p.us, p.vs, p.lineNo = us, vs, lineNo
	return pos, nil
}

// line parses one line (with its line ending, if any): the general path, for comments, odd
// spacing, text ids and errors.
func (p *edgeParser) line(line []byte) error {
	p.lineNo++
	if p.lineNo == 1 && len(line) >= 3 && line[0] == 0xEF && line[1] == 0xBB && line[2] == 0xBF {
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
		return fmt.Errorf("%s:%d: expected two node ids separated by whitespace, comma or semicolon, got %q", p.name, p.lineNo, q)
	case lineEdge:
		u, err := p.id(a, true)
		if err != nil {
			return err
		}
		v, err := p.id(c, false)
		if err != nil {
			return err
		}
		if len(p.us) == cap(p.us) {
			p.us, p.vs = p.growEdges(p.us, p.vs, p.base)
		}
		p.us = append(p.us, u)
		p.vs = append(p.vs, v)
	}
	return nil
}

// id returns the node of token tok, adding a node if tok is new; first tells whether tok is a
// line's first field.
func (p *edgeParser) id(tok []byte, first bool) (int32, error) {
	if x, ok := parseCanonical(tok); ok {
		if x < uint64(len(p.table)) && p.table[x] >= 0 {
			return p.table[x], nil
		}
		return p.numID(x)
	}
	if first && p.lastID >= 0 && string(tok) == p.lastTok {
		return p.lastID, nil
	}
	u, ok := p.index[string(tok)] // no allocation: the compiler special-cases this lookup
	if !ok {
		var err error
		if u, err = p.newID(); err != nil {
			return -1, err
		}
		s := string(tok)
		p.putIndex(s, u)
	}
	if first {
		p.lastTok, p.lastID = p.strs[p.labels[u]&^strLabel], u
	}
	return u, nil
}

// numID returns the node of the canonical numeric id x when the table has no entry for it.
func (p *edgeParser) numID(x uint64) (int32, error) {
	var text [maxNumDigits]byte
	if p.numInMap || x >= maxTableLen {
		tok := strconv.AppendUint(text[:0], x, 10) // x's token, since it is canonical
		if u, ok := p.index[string(tok)]; ok {
			if x < uint64(len(p.table)) {
				p.table[x] = u // the table has grown over x: find it there next time
			}
			return u, nil
		}
	}
	u, err := p.newID()
	if err != nil {
		return -1, err
	}
	if x < uint64(len(p.table)) || p.growTable(x) {
		p.table[x] = u
		p.labels = append(p.labels, uint32(x))
		return u, nil
	}
	if x < maxTableLen {
		p.numInMap = true
	}
	p.putIndex(string(strconv.AppendUint(text[:0], x, 10)), u)
	return u, nil
}

// newID returns the next node number, failing if there are already maxNodes nodes; the caller
// must then record its label.
func (p *edgeParser) newID() (int32, error) {
	if len(p.labels) == maxNodes {
		return -1, fmt.Errorf("%s:%d: more than %d distinct node ids", p.name, p.lineNo, maxNodes)
	}
	return int32(len(p.labels)), nil
}

// putIndex records the new node u, labelled s, in the map.
func (p *edgeParser) putIndex(s string, u int32) {
	if p.index == nil {
		p.index = make(map[string]int32)
	}
	p.index[s] = u
	p.labels = append(p.labels, strLabel|uint32(len(p.strs)))
	p.strs = append(p.strs, s)
}

// growTable extends the table to cover x if x is within the bound on its size, and reports
// whether it did.
func (p *edgeParser) growTable(x uint64) bool {
	limit := min(tableSlack+tablePerNode*uint64(len(p.labels)), maxTableLen)
	if x >= limit {
		return false
	}
	n := max(x+1, min(2*uint64(len(p.table)), limit), 1<<12)
	old := len(p.table)
	p.table = slices.Grow(p.table, int(n)-old)[:n]
	for i := old; i < len(p.table); i++ {
		p.table[i] = -1
	}
	return true
}

// parseCanonical returns the value of tok if it is a canonical decimal number of at most
// maxNumDigits digits.
func parseCanonical(tok []byte) (uint64, bool) {
	if len(tok) == 0 || len(tok) > maxNumDigits || (tok[0] == '0' && len(tok) > 1) {
		return 0, false
	}
	var x uint64
	for _, c := range tok {
		d := uint64(c) - '0'
		if d > 9 {
			return 0, false
		}
		x = x*10 + d
	}
	return x, true
}

// ids returns the labels of all nodes in node order. Numeric labels are formatted into one
// shared string rather than allocated one by one. It reuses p.labels as scratch space.
func (p *edgeParser) ids() []string {
	size := 0
	for _, l := range p.labels {
		if l&strLabel == 0 {
			size += decimalLen(l)
		}
	}
	text := make([]byte, 0, size)
	for i, l := range p.labels {
		if l&strLabel == 0 {
			n := len(text)
			text = strconv.AppendUint(text, uint64(l), 10)
			p.labels[i] = uint32(len(text) - n) // now the label's length
		}
	}
	all := string(text)
	ids := make([]string, len(p.labels))
	off := 0
	for i, l := range p.labels {
		if l&strLabel != 0 {
			ids[i] = p.strs[l&^strLabel]
			continue
		}
		end := off + int(l)
		ids[i] = all[off:end]
		off = end
	}
	return ids
}

// pow10 holds the powers of ten that fit in a uint32.
var pow10 = [...]uint32{1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9}

// decimalLen returns the number of decimal digits of x.
func decimalLen(x uint32) int {
	// With b = bits.Len32(x|1), t = b*1233>>12 is floor(b*log10(2)) for b <= 32, and x, which
	// is in [2^(b-1), 2^b) (or 0), has t or t+1 digits: t+1 if and only if x >= 10^t. Testing
	// x|1 instead of x changes nothing for t > 0 (10^t is even) and counts 0 as one digit.
	t := bits.Len32(x|1) * 1233 >> 12
	if x|1 >= pow10[t] {
		t++
	}
	return t
}

// sizeHint returns how many bytes r holds, if it can tell (files, bytes.Reader, strings.Reader,
// bytes.Buffer), or 0. It only sizes the pending-edge slices, so a wrong answer costs memory or
// copying, never correctness.
func sizeHint(r io.Reader) int64 {
	switch r := r.(type) {
	case interface{ Len() int }:
		return int64(max(r.Len(), 0))
	case interface{ Stat() (fs.FileInfo, error) }:
		if fi, err := r.Stat(); err == nil && fi.Mode().IsRegular() {
			return max(fi.Size(), 0)
		}
	}
	return 0
}

// growEdges makes room for more pending edges when us and vs are full, consumed bytes into the
// input. If the input size is known, the new capacity is the number of edges the whole input
// should hold at the rate seen so far (plus a little), so that a large file is copied once or
// twice rather than at every 25% growth step of append; it is kept within 4 times the current
// capacity so that a bad size hint cannot make it explode. Otherwise the capacity doubles.
func (p *edgeParser) growEdges(us, vs []int32, consumed int64) ([]int32, []int32) {
	c := cap(us)
	newCap := 2*c + 1024
	if p.size > consumed && consumed > 0 {
		est := float64(len(us)) * float64(p.size) / float64(consumed)
		if est > float64(c) {
			newCap = int(min(est*(1+1.0/32)+1024, 4*float64(c)+1024))
		}
	}
	return slices.Grow(us, newCap-len(us)), slices.Grow(vs, newCap-len(vs))
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
