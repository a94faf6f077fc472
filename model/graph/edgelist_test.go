package graph

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
)

// labelEdges lists g's edges by original label, each pair ordered by node index, sorted.
func labelEdges(g *CSR, ids []string) []string {
	var out []string
	for u := 0; u < g.NumNodes(); u++ {
		for _, v := range g.Row(u) {
			if int(v) > u {
				out = append(out, ids[u]+"-"+ids[v])
			}
		}
	}
	slices.Sort(out)
	return out
}

func TestReadEdgeList(t *testing.T) {
	t.Parallel()
	longField := strings.Repeat("x", MaxLineBytes-3) // with "3 " and "\n", as long as a line may be
	tests := []struct {
		name       string
		in         string
		ids        []string
		edges      []string // "a-b" by label, a appearing before b
		lines      int64
		selfLoops  int64
		duplicates int64
	}{
		{"spaces", "1 2\n2 3\n", []string{"1", "2", "3"}, []string{"1-2", "2-3"}, 2, 0, 0},
		{"tabs and runs of blanks", "a\t\tb\n  b \t c  \n", []string{"a", "b", "c"}, []string{"a-b", "b-c"}, 2, 0, 0},
		{"comma", "1,2\n2,3\n", []string{"1", "2", "3"}, []string{"1-2", "2-3"}, 2, 0, 0},
		{"semicolon", "1;2\n2 ; 3\n", []string{"1", "2", "3"}, []string{"1-2", "2-3"}, 2, 0, 0},
		{"csv with spaces and weight", "u, v, 0.5\nv, w, 1e-3\n", []string{"u", "v", "w"}, []string{"u-v", "v-w"}, 2, 0, 0},
		{"CRLF", "1 2\r\n2 3\r\n", []string{"1", "2", "3"}, []string{"1-2", "2-3"}, 2, 0, 0},
		{"CRLF csv", "1,2\r\n3,1\r\n", []string{"1", "2", "3"}, []string{"1-2", "1-3"}, 2, 0, 0},
		{"comments and blank lines", "# FromNodeId\tToNodeId\n%% MatrixMarket\n  # indented\n\n1 2\n \t \n\t% indented\n2 3\n",
			[]string{"1", "2", "3"}, []string{"1-2", "2-3"}, 2, 0, 0},
		{"extra columns", "1 2 1082040961\n2 3 5 6 7\n3,4,w,x\n", []string{"1", "2", "3", "4"}, []string{"1-2", "2-3", "3-4"}, 3, 0, 0},
		{"string ids", "alice bob\nbob carol\ncarol alice\n", []string{"alice", "bob", "carol"}, []string{"alice-bob", "alice-carol", "bob-carol"}, 3, 0, 0},
		{"ids in order of first appearance", "10 5\n7 10\n", []string{"10", "5", "7"}, []string{"10-5", "10-7"}, 2, 0, 0},
		{"self-loops", "1 1\n1 2\n2 2\n1 1\n", []string{"1", "2"}, []string{"1-2"}, 4, 3, 0},
		{"node only in a self-loop is kept", "1 2\n3 3\n", []string{"1", "2", "3"}, []string{"1-2"}, 2, 1, 0},
		{"duplicates both directions", "1 2\n2 1\n1 2\n2 3\n3 2\n", []string{"1", "2", "3"}, []string{"1-2", "2-3"}, 5, 0, 3},
		{"no final newline", "1 2\n2 3", []string{"1", "2", "3"}, []string{"1-2", "2-3"}, 2, 0, 0},
		{"byte-order mark", "\xEF\xBB\xBF1 2\n", []string{"1", "2"}, []string{"1-2"}, 1, 0, 0},
		{"lines as long as allowed", "1 2 " + longField[2:] + "\n3 " + longField + "\n", []string{"1", "2", "3", longField}, []string{"1-2", "3-" + longField}, 2, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g, info, err := ReadEdgeList(strings.NewReader(tt.in), "test.txt")
			if err != nil {
				t.Fatal(err)
			}
			if err := g.Validate(); err != nil {
				t.Fatalf("Validate: %v", err)
			}
			if !slices.Equal(info.IDs, tt.ids) {
				t.Errorf("IDs = %q, want %q", info.IDs, tt.ids)
			}
			if got := labelEdges(g, info.IDs); !slices.Equal(got, tt.edges) {
				t.Errorf("edges = %q, want %q", got, tt.edges)
			}
			got := [4]int64{info.Lines, info.Edges, info.SelfLoops, info.Duplicates}
			if want := [4]int64{tt.lines, int64(len(tt.edges)), tt.selfLoops, tt.duplicates}; got != want {
				t.Errorf("lines, edges, self-loops, duplicates = %v, want %v", got, want)
			}
			if g.NumNodes() != len(info.IDs) {
				t.Errorf("NumNodes = %d, want len(IDs) = %d", g.NumNodes(), len(info.IDs))
			}
		})
	}
}

func TestReadEdgeListErrors(t *testing.T) {
	t.Parallel()
	const prefix = "expected two node ids separated by whitespace, comma or semicolon, got "
	tests := []struct {
		name string
		in   io.Reader
		want string
	}{
		{"one field", strings.NewReader("1\n"), `test.txt:1: ` + prefix + `"1"`},
		{"line number counts comments", strings.NewReader("# c\n\n1 2\n3\n"), `test.txt:4: ` + prefix + `"3"`},
		{"trailing comma", strings.NewReader("1 2\n1,\n"), `test.txt:2: ` + prefix + `"1,"`},
		{"empty second field", strings.NewReader("1,,2\n"), `test.txt:1: ` + prefix + `"1,,2"`},
		{"empty first field", strings.NewReader(",1,2\n"), `test.txt:1: ` + prefix + `",1,2"`},
		{"semicolon only", strings.NewReader(";\n"), `test.txt:1: ` + prefix + `";"`},
		{"CRLF not quoted", strings.NewReader("1 2\r\n3\r\n"), `test.txt:2: ` + prefix + `"3"`},
		{"last line without newline", strings.NewReader("1 2\nlonely"), `test.txt:2: ` + prefix + `"lonely"`},
		{"long line truncated", strings.NewReader(strings.Repeat("y", 200) + "\n"), `test.txt:1: ` + prefix + `"` + strings.Repeat("y", 80) + `"`},
		{"empty input", strings.NewReader(""), "test.txt: no edges found"},
		{"only comments", strings.NewReader("# nothing\n%\n\n   \n"), "test.txt: no edges found"},
		{"only self-loops", strings.NewReader("1 1\n2 2\n"), "test.txt: no edges found (all 2 data lines are self-loops)"},
		{"line too long", strings.NewReader("1 2\n3 " + strings.Repeat("4", MaxLineBytes-2) + "\n"), "test.txt:2: line longer than 1 MiB, the limit for an edge list line (two node ids per line); is it an edge list?"},
		{"read error", io.MultiReader(strings.NewReader("1 2\n"), iotest.ErrReader(errors.New("disk on fire"))), "test.txt: reading after line 1: disk on fire"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g, info, err := ReadEdgeList(tt.in, "test.txt")
			if err == nil {
				t.Fatalf("no error (graph with %d nodes), want %q", g.NumNodes(), tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("error:\n got %q\nwant %q", err, tt.want)
			}
			if g != nil || info != nil {
				t.Errorf("got a graph or info alongside the error")
			}
		})
	}
}

// TestReadEdgeListWithoutLineEnds reads an endless input with no line end, as /dev/zero: it is
// refused once a line exceeds MaxLineBytes, having read little more than that.
func TestReadEdgeListWithoutLineEnds(t *testing.T) {
	t.Parallel()
	zeros := &countingReader{r: io.LimitReader(zeroReader{}, 64<<20)}
	_, _, err := ReadEdgeList(zeros, "/dev/zero")
	want := "/dev/zero:1: line longer than 1 MiB, the limit for an edge list line (two node ids per line); is it an edge list?"
	if err == nil || err.Error() != want {
		t.Fatalf("error %v, want %s", err, want)
	}
	if zeros.n > MaxLineBytes {
		t.Errorf("read %d bytes before refusing, want at most %d", zeros.n, MaxLineBytes)
	}
}

type zeroReader struct{}

func (zeroReader) Read(b []byte) (int, error) {
	clear(b)
	return len(b), nil
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n += int64(n)
	return n, err
}

// TestReadEdgeListRoundTrip writes a generated graph as a shuffled, partly reversed edge list
// with repeated lines and reads it back.
func TestReadEdgeListRoundTrip(t *testing.T) {
	t.Parallel()
	g, _ := ErdosRenyi(3000, 7, newRNG(9, 9), 2)
	rng := newRNG(10, 10)
	var lines []string
	for u := 0; u < g.NumNodes(); u++ {
		for _, v := range g.Row(u) {
			if int(v) > u {
				if rng.IntN(2) == 0 {
					lines = append(lines, fmt.Sprintf("%d\t%d", u, v))
				} else {
					lines = append(lines, fmt.Sprintf("%d,%d,1.0", v, u))
				}
			}
		}
	}
	dups := len(lines) / 10
	for i := 0; i < dups; i++ {
		lines = append(lines, lines[i])
	}
	rng.Shuffle(len(lines), func(i, j int) { lines[i], lines[j] = lines[j], lines[i] })
	h, info, err := ReadEdgeList(strings.NewReader(strings.Join(lines, "\n")), "roundtrip")
	if err != nil {
		t.Fatal(err)
	}
	if info.Edges != g.NumEdges() || info.Duplicates != int64(dups) || info.Lines != int64(len(lines)) {
		t.Errorf("edges, duplicates, lines = %d, %d, %d, want %d, %d, %d", info.Edges, info.Duplicates, info.Lines, g.NumEdges(), dups, len(lines))
	}
	// Map labels back to the original numbering and compare edge sets.
	for u := 0; u < h.NumNodes(); u++ {
		a, _ := strconv.Atoi(info.IDs[u])
		for _, v := range h.Row(u) {
			b, _ := strconv.Atoi(info.IDs[v])
			if !hasEdge(g, a, b) {
				t.Fatalf("read edge %d-%d not in the original graph", a, b)
			}
		}
	}
	isolated := 0
	for u := 0; u < g.NumNodes(); u++ {
		if g.Degree(u) == 0 {
			isolated++
		}
	}
	if h.NumNodes() != g.NumNodes()-isolated {
		t.Errorf("NumNodes = %d, want %d (isolated nodes have no line)", h.NumNodes(), g.NumNodes()-isolated)
	}
}

// naiveEdgeListCounts reads a whitespace-separated edge list with bufio.Scanner and a map of
// pairs: an independent reference for ReadEdgeList's counts.
func naiveEdgeListCounts(t *testing.T, path string) (nodes int, lines, edges, selfLoops, dups int64) {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ids := map[string]bool{}
	pairs := map[[2]string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) == 0 || strings.HasPrefix(fs[0], "#") {
			continue
		}
		lines++
		ids[fs[0]], ids[fs[1]] = true, true
		a, b := fs[0], fs[1]
		switch {
		case a == b:
			selfLoops++
		case pairs[[2]string{min(a, b), max(a, b)}]:
			dups++
		default:
			pairs[[2]string{min(a, b), max(a, b)}] = true
			edges++
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return len(ids), lines, edges, selfLoops, dups
}

// TestReadSNAPFiles reads the SNAP data sets shipped in shared/data/graphs (skipped if absent).
func TestReadSNAPFiles(t *testing.T) {
	t.Parallel()
	dir := filepath.Join("..", "..", "..", "shared", "data", "graphs")
	tests := []struct {
		file                          string
		nodes                         int
		lines, edges, selfLoops, dups int64
	}{
		// Undirected friendships: every line is a new edge.
		{"facebook_combined.txt", 4039, 88234, 88234, 0, 0},
		// Directed e-mail links: 16064 undirected edges, as SNAP reports for the undirected graph.
		{"email-Eu-core.txt", 1005, 25571, 16064, 642, 8865},
		// Timestamped messages (third column ignored): most lines repeat a pair.
		{"CollegeMsg.txt", 1899, 59835, 13838, 0, 45997},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(dir, tt.file)
			data, err := os.ReadFile(path)
			if errors.Is(err, os.ErrNotExist) {
				t.Skipf("%s not present", path)
			} else if err != nil {
				t.Fatal(err)
			}
			g, info, err := ReadEdgeList(bytes.NewReader(data), tt.file)
			if err != nil {
				t.Fatal(err)
			}
			if err := g.Validate(); err != nil {
				t.Fatalf("Validate: %v", err)
			}
			t.Logf("%s: %d nodes, %d lines, %d edges kept, %d self-loops and %d duplicates dropped, mean degree %.2f",
				tt.file, g.NumNodes(), info.Lines, info.Edges, info.SelfLoops, info.Duplicates, g.MeanDegree())
			if g.NumNodes() != tt.nodes || len(info.IDs) != tt.nodes {
				t.Errorf("nodes = %d (IDs %d), want %d", g.NumNodes(), len(info.IDs), tt.nodes)
			}
			got := [4]int64{info.Lines, info.Edges, info.SelfLoops, info.Duplicates}
			if want := [4]int64{tt.lines, tt.edges, tt.selfLoops, tt.dups}; got != want {
				t.Errorf("lines, edges, self-loops, duplicates = %v, want %v", got, want)
			}
			if info.Edges+info.SelfLoops+info.Duplicates != info.Lines {
				t.Errorf("edges %d + self-loops %d + duplicates %d != lines %d", info.Edges, info.SelfLoops, info.Duplicates, info.Lines)
			}
			nodes, lines, edges, sl, dups := naiveEdgeListCounts(t, path)
			if nodes != g.NumNodes() || lines != info.Lines || edges != info.Edges || sl != info.SelfLoops || dups != info.Duplicates {
				t.Errorf("naive reader: %d nodes, %d lines, %d edges, %d self-loops, %d duplicates; ReadEdgeList: %d, %d, %d, %d, %d",
					nodes, lines, edges, sl, dups, g.NumNodes(), info.Lines, info.Edges, info.SelfLoops, info.Duplicates)
			}
		})
	}
}
