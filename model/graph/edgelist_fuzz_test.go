package graph

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
)

// fuzzEdgeListSeeds are the edge lists of the hostile tests of issue 8 and the format's corners.
var fuzzEdgeListSeeds = []string{
	"1 2\n2 3\n3 1\n",
	"# comment\n% comment\n\n a\tb \r\nb,c\nc ; a\r\n",
	"\xEF\xBB\xBF1 2\n",
	"1 1\n2 2\n",
	"1 2\n2 1\n1 2 7 8\n",
	"007 7\n4000000000 1\n18446744073709551616 2\n",
	"1 2\nlonely\n",
	",1\n",
	"1 2\r\r\n",
	"nan inf\n-inf +Inf\nNaN NaN\n",
	"1 2\n\x00 \xff\n\x1b[31m \x1b]0;title\x07\n",
	// A long last line without a newline.
	"1 2\n3 " + strings.Repeat("4", 4<<10),
	strings.Repeat("5", 4<<10),
}

// edgeListResult is everything an edge-list reader returns, for comparing two reads.
type edgeListResult struct {
	g    *CSR
	info *EdgeListInfo
	err  error
}

// sameEdgeListResult fails unless a and b have the same error, or the same graph, ids and
// counts.
func sameEdgeListResult(t *testing.T, what string, a, b edgeListResult, in []byte) {
	t.Helper()
	if (a.err == nil) != (b.err == nil) || a.err != nil && a.err.Error() != b.err.Error() {
		t.Fatalf("%s: error %v, then %v; input %s", what, a.err, b.err, strconv.Quote(string(in)))
	}
	if a.err != nil {
		if a.g != nil || a.info != nil || b.g != nil || b.info != nil {
			t.Fatalf("%s: a graph or info alongside the error", what)
		}
		return
	}
	if !slices.Equal(a.info.IDs, b.info.IDs) || !slices.Equal(a.g.Offsets, b.g.Offsets) || !slices.Equal(a.g.Neighbors, b.g.Neighbors) {
		t.Fatalf("%s: graphs differ; input %s", what, strconv.Quote(string(in)))
	}
	ca := [4]int64{a.info.Lines, a.info.Edges, a.info.SelfLoops, a.info.Duplicates}
	cb := [4]int64{b.info.Lines, b.info.Edges, b.info.SelfLoops, b.info.Duplicates}
	if ca != cb {
		t.Fatalf("%s: lines, edges, self-loops, duplicates = %v, then %v; input %s", what, ca, cb, strconv.Quote(string(in)))
	}
}

// FuzzReadEdgeList checks ReadEdgeList against the reference reader on arbitrary input, and
// that reading the input whole or one byte at a time gives the same graph, counts and error.
func FuzzReadEdgeList(f *testing.F) {
	for _, path := range []string{"../../scenarios/testdata/tiny.edges", "../../scenarios/testdata/bad.edges"} {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	// The start of the shipped SNAP file: the whole of it is too big to mutate quickly.
	snap, err := os.ReadFile(filepath.Join("..", "..", "data", "graphs", "email-Eu-core.txt"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(snap[:bytes.LastIndexByte(snap[:4096], '\n')+1])
	for _, s := range fuzzEdgeListSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var whole, ref, one edgeListResult
		whole.g, whole.info, whole.err = ReadEdgeList(bytes.NewReader(data), "fuzz.txt")
		ref.g, ref.info, ref.err = referenceReadEdgeList(bytes.NewReader(data), "fuzz.txt")
		one.g, one.info, one.err = ReadEdgeList(iotest.OneByteReader(bytes.NewReader(data)), "fuzz.txt")
		sameEdgeListResult(t, "reference, then ReadEdgeList", ref, whole, data)
		sameEdgeListResult(t, "read whole, then one byte at a time", whole, one, data)
		if whole.err != nil {
			return
		}
		if err := whole.g.Validate(); err != nil {
			t.Fatalf("Validate: %v", err)
		}
		if w := whole.info; w.Edges+w.SelfLoops+w.Duplicates != w.Lines || whole.g.NumEdges() != w.Edges || whole.g.NumNodes() != len(w.IDs) {
			t.Fatalf("edges + self-loops + duplicates = %d + %d + %d, want the %d data lines; graph of %d nodes and %d edges for %d ids",
				w.Edges, w.SelfLoops, w.Duplicates, w.Lines, whole.g.NumNodes(), whole.g.NumEdges(), len(w.IDs))
		}
	})
}
