package graph

import (
	"bytes"
	"io"
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
	"1 2\n3 " + strings.Repeat("4", 32<<10),
	strings.Repeat("5", 32<<10),
}

// edgeListResult is everything ReadEdgeList returns, for comparing two reads.
type edgeListResult struct {
	g    *CSR
	info *EdgeListInfo
	err  error
}

func readEdgeListResult(r io.Reader) edgeListResult {
	g, info, err := ReadEdgeList(r, "fuzz.txt")
	return edgeListResult{g, info, err}
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
		checkAgainstReference(t, "whole input", data, func(b []byte) io.Reader { return bytes.NewReader(b) })
		whole := readEdgeListResult(bytes.NewReader(data))
		one := readEdgeListResult(iotest.OneByteReader(bytes.NewReader(data)))
		if (whole.err == nil) != (one.err == nil) || whole.err != nil && whole.err.Error() != one.err.Error() {
			t.Fatalf("error %v read whole, %v read one byte at a time; input %s", whole.err, one.err, strconv.Quote(string(data)))
		}
		if whole.err != nil {
			return
		}
		if !slices.Equal(whole.info.IDs, one.info.IDs) ||
			!slices.Equal(whole.g.Offsets, one.g.Offsets) || !slices.Equal(whole.g.Neighbors, one.g.Neighbors) {
			t.Fatalf("graphs differ read whole and one byte at a time; input %s", strconv.Quote(string(data)))
		}
		w, o := whole.info, one.info
		counts := [4]int64{w.Lines, w.Edges, w.SelfLoops, w.Duplicates}
		if oneCounts := [4]int64{o.Lines, o.Edges, o.SelfLoops, o.Duplicates}; counts != oneCounts {
			t.Fatalf("lines, edges, self-loops, duplicates = %v read whole, %v read one byte at a time", counts, oneCounts)
		}
		if got := w.Edges + w.SelfLoops + w.Duplicates; got != w.Lines {
			t.Fatalf("edges + self-loops + duplicates = %d, want the %d data lines", got, w.Lines)
		}
	})
}
