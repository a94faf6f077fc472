package graph

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
)

// referenceReadEdgeList is the original, simple ReadEdgeList (bufio.Reader.ReadSlice and one
// map[string]int32 for every id), kept with its own copies of the line helpers as an
// independent reference: ReadEdgeList must agree with it on every input, result and error.
func referenceReadEdgeList(r io.Reader, name string) (*CSR, *EdgeListInfo, error) {
	br := bufio.NewReaderSize(r, readBufferSize)
	index := make(map[string]int32)
	info := &EdgeListInfo{}
	b := &Builder{us: make([]int32, 0, 1<<12), vs: make([]int32, 0, 1<<12)}
	lineNo := 0
	for {
		line, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			return nil, nil, fmt.Errorf("%s:%d: line longer than 1 MiB, the limit for an edge list line (two node ids per line); is it an edge list?", name, lineNo+1)
		}
		if len(line) > 0 {
			lineNo++
			if lineNo == 1 && len(line) >= 3 && line[0] == 0xEF && line[1] == 0xBB && line[2] == 0xBF {
				line = line[3:]
			}
			line = refTrimEOL(line)
			a, c, st := refSplitEndpoints(line)
			switch st {
			case lineBad:
				q := line
				if len(q) > maxQuotedLine {
					q = q[:maxQuotedLine]
				}
				return nil, nil, fmt.Errorf("%s:%d: expected two node ids separated by whitespace, comma or semicolon, got %q", name, lineNo, q)
			case lineEdge:
				info.Lines++
				var ends [2]int32
				for k, tok := range [2][]byte{a, c} {
					u, ok := index[string(tok)]
					if !ok {
						if len(info.IDs) == maxNodes {
							return nil, nil, fmt.Errorf("%s:%d: more than %d distinct node ids", name, lineNo, maxNodes)
						}
						u = int32(len(info.IDs))
						index[string(tok)] = u
						info.IDs = append(info.IDs, string(tok))
					}
					ends[k] = u
				}
				b.us = append(b.us, ends[0])
				b.vs = append(b.vs, ends[1])
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

func refTrimEOL(line []byte) []byte {
	line = bytes.TrimSuffix(line, []byte("\n"))
	return bytes.TrimSuffix(line, []byte("\r"))
}

func refSplitEndpoints(line []byte) (a, b []byte, kind int) {
	blank := func(c byte) bool { return c == ' ' || c == '\t' }
	end := func(c byte) bool { return blank(c) || c == ',' || c == ';' }
	i := 0
	for i < len(line) && blank(line[i]) {
		i++
	}
	if i == len(line) || line[i] == '#' || line[i] == '%' {
		return nil, nil, lineSkip
	}
	j := i
	for j < len(line) && !end(line[j]) {
		j++
	}
	if j == i {
		return nil, nil, lineBad
	}
	a = line[i:j]
	for j < len(line) && blank(line[j]) {
		j++
	}
	if j < len(line) && (line[j] == ',' || line[j] == ';') {
		j++
		for j < len(line) && blank(line[j]) {
			j++
		}
	}
	k := j
	for k < len(line) && !end(line[k]) {
		k++
	}
	if k == j {
		return nil, nil, lineBad
	}
	return a, line[j:k], lineEdge
}

// checkAgainstReference reads in with ReadEdgeList and with referenceReadEdgeList, each through
// a reader made by mk, and fails unless graphs, infos and errors are identical.
func checkAgainstReference(t *testing.T, desc string, in []byte, mk func([]byte) io.Reader) (*EdgeListInfo, error) {
	t.Helper()
	g, info, err := ReadEdgeList(mk(in), "test.txt")
	rg, rinfo, rerr := referenceReadEdgeList(mk(in), "test.txt")
	quote := func() string {
		if len(in) > 2000 {
			return fmt.Sprintf("%d bytes starting %q", len(in), in[:2000])
		}
		return strconv.Quote(string(in))
	}
	if (err == nil) != (rerr == nil) || (err != nil && err.Error() != rerr.Error()) {
		t.Fatalf("%s: error %v, reference %v; input %s", desc, err, rerr, quote())
	}
	if err != nil {
		if g != nil || info != nil {
			t.Fatalf("%s: got a graph or info alongside the error", desc)
		}
		return nil, err
	}
	if err := g.Validate(); err != nil {
		t.Fatalf("%s: Validate: %v", desc, err)
	}
	if !slices.Equal(info.IDs, rinfo.IDs) {
		t.Fatalf("%s: IDs = %q, reference %q; input %s", desc, info.IDs, rinfo.IDs, quote())
	}
	if !slices.Equal(g.Offsets, rg.Offsets) || !slices.Equal(g.Neighbors, rg.Neighbors) {
		t.Fatalf("%s: CSR differs from the reference; input %s", desc, quote())
	}
	got := [4]int64{info.Lines, info.Edges, info.SelfLoops, info.Duplicates}
	want := [4]int64{rinfo.Lines, rinfo.Edges, rinfo.SelfLoops, rinfo.Duplicates}
	if got != want {
		t.Fatalf("%s: lines, edges, self-loops, duplicates = %v, reference %v; input %s", desc, got, want, quote())
	}
	return info, nil
}

// chunkReader returns the data in chunks of random sizes up to max, with some empty reads.
type chunkReader struct {
	data []byte
	rng  *rand.Rand
	max  int
}

func (r *chunkReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	if r.rng.IntN(8) == 0 {
		return 0, nil
	}
	n := min(1+r.rng.IntN(r.max), len(p), len(r.data))
	copy(p, r.data[:n])
	r.data = r.data[n:]
	return n, nil
}

// lenReader reports a misleading Len, which ReadEdgeList may use as a size hint.
type lenReader struct {
	io.Reader
	n int
}

func (r lenReader) Len() int { return r.n }

// readerMakers are the ways the comparison tests feed an input to both readers.
func readerMakers(seed uint64) map[string]func([]byte) io.Reader {
	return map[string]func([]byte) io.Reader{
		"bytes":   func(b []byte) io.Reader { return bytes.NewReader(b) },
		"onebyte": func(b []byte) io.Reader { return iotest.OneByteReader(bytes.NewReader(b)) },
		"half":    func(b []byte) io.Reader { return iotest.HalfReader(bytes.NewReader(b)) },
		"dataerr": func(b []byte) io.Reader { return iotest.DataErrReader(bytes.NewReader(b)) },
		"chunks": func(b []byte) io.Reader {
			return &chunkReader{data: b, rng: rand.New(rand.NewPCG(seed, uint64(len(b)))), max: 64}
		},
		"read error": func(b []byte) io.Reader {
			k := len(b) * 2 / 3
			return io.MultiReader(bytes.NewReader(b[:k]), iotest.ErrReader(errors.New("disk on fire")))
		},
		"lying len small": func(b []byte) io.Reader { return lenReader{iotest.HalfReader(bytes.NewReader(b)), 3} },
		"lying len huge":  func(b []byte) io.Reader { return lenReader{bytes.NewReader(b), 1 << 62} },
	}
}

// randomToken returns an id token: mostly small canonical numbers, with numbers that have
// leading zeros, numbers too large for the dense table (some only at first), and text.
func randomToken(rng *rand.Rand, small int) string {
	switch k := rng.IntN(100); {
	case k < 62:
		return strconv.Itoa(rng.IntN(small))
	case k < 66:
		return strconv.Itoa(1<<20 + rng.IntN(3<<20)) // beyond the table until enough nodes are seen
	case k < 71:
		huge := []string{"2147483646", "2147483647", "2147483648", "4000000000", "4294967295", "4294967296",
			"9999999999", "10000000000", "99999999999", "18446744073709551615", "18446744073709551616"}
		return huge[rng.IntN(len(huge))]
	case k < 80:
		zeros := []string{"00", "000", "007", "07", "0" + strconv.Itoa(rng.IntN(small)), "00" + strconv.Itoa(rng.IntN(small))}
		return zeros[rng.IntN(len(zeros))]
	case k < 83:
		return "0"
	default:
		text := []string{"a", "b", "alice", "bob", "n" + strconv.Itoa(rng.IntN(small)), "7a", "-3", "+3", "3.0",
			"1e3", "é", "x\ry", "1\r2", "#1", "%2", "\xEF\xBB\xBF1", "\x00", "１"}
		return text[rng.IntN(len(text))]
	}
}

// randomEdgeList writes an edge list of about lines lines in all the formats ReadEdgeList
// accepts, with a bad line now and then if bad is set.
func randomEdgeList(rng *rand.Rand, lines, small int, bad bool) []byte {
	var b bytes.Buffer
	if rng.IntN(10) == 0 {
		b.WriteString("\xEF\xBB\xBF")
	}
	seps := []string{"\t", "\t", " ", " ", "  ", " \t ", ",", ";", " , ", "\t;", ",\t", ", ", " ;"}
	eols := []string{"\n", "\n", "\n", "\n", "\r\n", "\r\n", "\r\r\n", " \n", "\t\r\n"}
	extras := []string{"\t1.5", " 3 4", ",w", ",", ";x", " ", "\t", " ,", "\t1082040961"}
	others := []string{"# comment", "% comment", "  # indented", "\t% x", "", "   ", "\t", "#"}
	bads := []string{"5", "5 ", "5,", ",5 6", ";", "5,,6", "5, ,6", " 7\t", "five", "\r"}
	for i := 0; i < lines; i++ {
		other := false
		switch k := rng.IntN(100); {
		case k < 6:
			b.WriteString(others[rng.IntN(len(others))])
			other = true
		case k < 7 && bad && rng.IntN(40) == 0:
			b.WriteString(bads[rng.IntN(len(bads))])
		default:
			if rng.IntN(20) == 0 {
				b.WriteString([]string{" ", "\t", "  "}[rng.IntN(3)])
			}
			b.WriteString(randomToken(rng, small))
			b.WriteString(seps[rng.IntN(len(seps))])
			b.WriteString(randomToken(rng, small))
			if rng.IntN(8) == 0 {
				b.WriteString(extras[rng.IntN(len(extras))])
			}
		}
		if i < lines-1 || rng.IntN(3) > 0 {
			eol := eols[rng.IntN(len(eols))]
			if other && eol == "\r\r\n" {
				eol = "\r\n" // "\r" is not blank: a comment-less line "\t\r" would be bad
			}
			b.WriteString(eol)
		}
	}
	return b.Bytes()
}

// TestReadEdgeListMatchesReference compares ReadEdgeList with the reference reader on many
// small random inputs, fed through readers that split them in every possible way.
func TestReadEdgeListMatchesReference(t *testing.T) {
	t.Parallel()
	rng := newRNG(21, 22)
	iters := 400
	if testing.Short() {
		iters = 50
	}
	for it := range iters {
		in := randomEdgeList(rng, rng.IntN(120), 1+rng.IntN(60), it%2 == 0)
		for name, mk := range readerMakers(uint64(it)) {
			checkAgainstReference(t, fmt.Sprintf("input %d, %s reader", it, name), in, mk)
		}
	}
}

// TestReadEdgeListMatchesReferenceLarge compares ReadEdgeList with the reference reader on
// inputs of several buffers, so that lines, ids and CRLFs straddle buffer boundaries, with
// lines nearly as long as the buffer in the middle.
func TestReadEdgeListMatchesReferenceLarge(t *testing.T) {
	t.Parallel()
	rng := newRNG(23, 24)
	longJunk := strings.Repeat("x", readBufferSize-100)
	var parts [][]byte
	parts = append(parts, randomEdgeList(rng, 150000, 40000, false))
	parts = append(parts, []byte("\n12 34\t"+longJunk+"\n"))
	parts = append(parts, randomEdgeList(rng, 100000, 300000, false))
	parts = append(parts, []byte("\n56 "+longJunk+"\n"))
	parts = append(parts, randomEdgeList(rng, 50000, 1000, false))
	parts = append(parts, []byte("\n78 9 "+longJunk)) // long last line without a newline
	in := bytes.Join(parts, nil)
	makers := readerMakers(7)
	for _, name := range []string{"bytes", "lying len small"} {
		info, err := checkAgainstReference(t, name+" reader", in, makers[name])
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s reader: %d bytes, %d lines, %d nodes, %d edges", name, len(in), info.Lines, len(info.IDs), info.Edges)
	}
	checkAgainstReference(t, "large chunks", in, func(b []byte) io.Reader {
		return &chunkReader{data: b, rng: newRNG(8, 9), max: 3 * readBufferSize / 2}
	})
}

func TestReadEdgeListLeadingZeros(t *testing.T) {
	t.Parallel()
	in := "007 7\n7 0\n0 00\n00 007\n01,1\n1 7\n07 007\n"
	g, info, err := ReadEdgeList(strings.NewReader(in), "test.txt")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"007", "7", "0", "00", "01", "1", "07"}; !slices.Equal(info.IDs, want) {
		t.Errorf("IDs = %q, want %q", info.IDs, want)
	}
	wantEdges := []string{"0-00", "007-00", "007-07", "007-7", "01-1", "7-0", "7-1"}
	if got := labelEdges(g, info.IDs); !slices.Equal(got, wantEdges) {
		t.Errorf("edges = %q, want %q", got, wantEdges)
	}
	checkAgainstReference(t, "leading zeros", []byte(in), func(b []byte) io.Reader { return bytes.NewReader(b) })
}

// TestReadEdgeListNumericThenText switches from numeric to text ids mid-file: numbering stays
// first-appearance order across both kinds of id.
func TestReadEdgeListNumericThenText(t *testing.T) {
	t.Parallel()
	in := "1 2\n2 3\nalice 1\n3 bob\n4 5\nbob 4\n6 alice\n"
	g, info, err := ReadEdgeList(strings.NewReader(in), "test.txt")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"1", "2", "3", "alice", "bob", "4", "5", "6"}; !slices.Equal(info.IDs, want) {
		t.Errorf("IDs = %q, want %q", info.IDs, want)
	}
	if info.Edges != 7 || g.NumEdges() != 7 {
		t.Errorf("edges = %d, want 7", info.Edges)
	}
	checkAgainstReference(t, "numeric then text", []byte(in), func(b []byte) io.Reader { return bytes.NewReader(b) })
	// A header line of text ids before the numeric lines, as in an uncommented CSV header.
	var b bytes.Buffer
	b.WriteString("source,target\n")
	for i := range 5000 {
		fmt.Fprintf(&b, "%d,%d\n", i, (i*7919)%5000)
	}
	checkAgainstReference(t, "csv header", b.Bytes(), func(b []byte) io.Reader { return bytes.NewReader(b) })
}

// TestReadEdgeListHugeIDs uses ids beyond the dense table's range, which go through the map,
// and repeats them so that they must be found again there.
func TestReadEdgeListHugeIDs(t *testing.T) {
	t.Parallel()
	in := "4000000000 1\n1 4000000000\n2147483648 2147483647\n4000000000 2\n99999999999 1\n2147483647 4000000000\n1 99999999999\n"
	g, info, err := ReadEdgeList(strings.NewReader(in), "test.txt")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"4000000000", "1", "2147483648", "2147483647", "2", "99999999999"}; !slices.Equal(info.IDs, want) {
		t.Errorf("IDs = %q, want %q", info.IDs, want)
	}
	if info.Edges != 5 || info.Duplicates != 2 || g.NumNodes() != 6 {
		t.Errorf("edges, duplicates, nodes = %d, %d, %d, want 5, 2, 6", info.Edges, info.Duplicates, g.NumNodes())
	}
	checkAgainstReference(t, "huge ids", []byte(in), func(b []byte) io.Reader { return bytes.NewReader(b) })
}

// TestReadEdgeListTableGrowsOverMappedID sees an id too large for the dense table early on (so
// it goes to the map), then enough nodes for the table to grow over it: later occurrences must
// still find the node already made for it.
func TestReadEdgeListTableGrowsOverMappedID(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	b.WriteString("2000000 1\n")
	for i := 1; i < 300000; i++ {
		fmt.Fprintf(&b, "%d %d\n", i, i+1)
	}
	b.WriteString("2100000 3\n2000000 2100000\n5 2000000\n2000000 7\n")
	in := b.Bytes()

	p := &edgeParser{name: "test.txt", lastID: -1}
	if err := p.read(bytes.NewReader(in)); err != nil {
		t.Fatal(err)
	}
	if !p.numInMap || len(p.table) <= 2000000 || p.table[2000000] != 0 {
		t.Errorf("numInMap %v, len(table) %d: the test no longer exercises a table grown over a mapped id", p.numInMap, len(p.table))
	}
	g, info, err := ReadEdgeList(bytes.NewReader(in), "test.txt")
	if err != nil {
		t.Fatal(err)
	}
	// Node 0 is 2000000, whose neighbours are 1, 2100000, 5 and 7.
	if info.IDs[0] != "2000000" || g.Degree(0) != 4 {
		t.Errorf("IDs[0] = %q with degree %d, want \"2000000\" with degree 4", info.IDs[0], g.Degree(0))
	}
	checkAgainstReference(t, "table grows over a mapped id", in, func(b []byte) io.Reader { return bytes.NewReader(b) })
}

func TestReadEdgeListNoProgress(t *testing.T) {
	t.Parallel()
	// A reader that returns nothing, forever, after some data: bufio's io.ErrNoProgress.
	mk := func(b []byte) io.Reader { return io.MultiReader(bytes.NewReader(b), emptyReader{}) }
	checkAgainstReference(t, "no progress", []byte("1 2\n3"), mk)
	_, _, err := ReadEdgeList(mk([]byte("1 2\n")), "test.txt")
	if !errors.Is(err, io.ErrNoProgress) {
		t.Errorf("error %v, want io.ErrNoProgress", err)
	}
}

type emptyReader struct{}

func (emptyReader) Read([]byte) (int, error) { return 0, nil }

func TestDecimalLen(t *testing.T) {
	t.Parallel()
	check := func(x uint32) {
		if got, want := decimalLen(x), len(strconv.FormatUint(uint64(x), 10)); got != want {
			t.Fatalf("decimalLen(%d) = %d, want %d", x, got, want)
		}
	}
	for x := uint32(0); x < 1000; x++ {
		check(x)
	}
	for p := uint64(1); p <= 1<<32; p *= 10 {
		for _, x := range []uint64{p - 1, p, p + 1} {
			if x < 1<<32 {
				check(uint32(x))
			}
		}
	}
	for s := range 32 {
		for _, x := range []uint64{1<<s - 1, 1 << s, 1<<s + 1} {
			check(uint32(x))
		}
	}
	check(1<<32 - 1)
}

// TestReadEdgeListLongLines compares lines up to and beyond MaxLineBytes, good and bad, at the
// start, in the middle and at the end of the input, with and without a final newline.
func TestReadEdgeListLongLines(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("7", readBufferSize+100)
	fits := long[:MaxLineBytes-3] // with " 9\n", exactly MaxLineBytes
	inputs := []string{
		long + " 1\n2 3\n",
		"1 2\n" + long + " 3",
		"1 2\n" + long + "\n", // one field, but too long first
		"1 2\n" + long,
		"\xEF\xBB\xBF" + long + "," + long + "\r\n", // byte-order mark on a long first line
		"1 2\n3\t" + long + "\r\n4 5\n",
		"1 2\n" + long[:readBufferSize-50] + " 9\n3 4\n", // fits the buffer
		fits + " 9\n3 4\n",
		"1 2\n" + fits + " 9\n",
		"1 2\n" + fits[:len(fits)-1] + " 9", // at the end without a newline
		"1 2\n" + fits + " 99\n",            // one byte too long
	}
	makers := readerMakers(3)
	for i, in := range inputs {
		for _, name := range []string{"bytes", "onebyte", "chunks", "read error"} {
			checkAgainstReference(t, fmt.Sprintf("input %d, %s reader", i, name), []byte(in), makers[name])
		}
	}
}

// TestReadEdgeListFile reads from an *os.File, whose size ReadEdgeList may use as a hint.
func TestReadEdgeListFile(t *testing.T) {
	t.Parallel()
	in := randomEdgeList(newRNG(31, 32), 20000, 5000, false)
	path := filepath.Join(t.TempDir(), "edges.txt")
	if err := os.WriteFile(path, in, 0o644); err != nil {
		t.Fatal(err)
	}
	var files []*os.File
	t.Cleanup(func() {
		for _, f := range files {
			f.Close()
		}
	})
	checkAgainstReference(t, "file", in, func([]byte) io.Reader {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
		return f
	})
}

// TestReadSNAPFilesMatchReference compares ReadEdgeList with the reference reader on the SNAP
// data sets shipped in shared/data/graphs (skipped if absent).
func TestReadSNAPFilesMatchReference(t *testing.T) {
	t.Parallel()
	dir := filepath.Join("..", "..", "..", "shared", "data", "graphs")
	for _, file := range []string{"facebook_combined.txt", "email-Eu-core.txt", "CollegeMsg.txt"} {
		data, err := os.ReadFile(filepath.Join(dir, file))
		if errors.Is(err, os.ErrNotExist) {
			t.Logf("%s not present", file)
			continue
		} else if err != nil {
			t.Fatal(err)
		}
		if _, err := checkAgainstReference(t, file, data, func(b []byte) io.Reader { return bytes.NewReader(b) }); err != nil {
			t.Errorf("%s: %v", file, err)
		}
	}
}
