package strict

import (
	"errors"
	"testing"

	"go.yaml.in/yaml/v4"
)

type testFile struct {
	Name  string    `yaml:"name"`
	Count int       `yaml:"count"`
	Items []testRow `yaml:"items"`
}

type testRow struct {
	X float64 `yaml:"x"`
}

var testKind = Kind[testFile]{
	Name:     "test",
	Document: DocumentKind{What: "a test file", Fields: "count: ...", Needs: "count:"},
	Defaults: func() testFile { return testFile{Count: 7} },
}

func TestKindDecode(t *testing.T) {
	l, err := testKind.Decode([]byte("items:\n  - x: 1\n  - {}\n"), "t.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	if l.Value.Count != 7 || len(l.Value.Items) != 2 || l.Value.Items[0].X != 1 {
		t.Errorf("decoded %+v, want the default count and two items", l.Value)
	}
	// List items with fields are located, so a check of a field an item leaves out points at it.
	l.Fail("items.1.x", "is required")
	var es Errors
	if err := l.Err(); !errors.As(err, &es) || es[0].Line != 3 || es[0].Error() != "t.yaml:3:5: items.1.x: is required" {
		t.Errorf("got %v", err)
	}

	_, err = testKind.Decode([]byte("count: 2\ncoutn: 3\n"), "t.yaml", nil)
	if err == nil || err.Error() != `t.yaml:2:1: coutn: unknown field "coutn" at the top level; did you mean "count"? (valid fields: name, count, items)` {
		t.Errorf("got %v", err)
	}

	// prepare edits the document before decoding, and its nodes' errors name their origin.
	_, err = testKind.Decode([]byte("count: 2\n"), "t.yaml", func(root *yaml.Node, rep *Reporter) error {
		v := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "many"}
		rep.Overrides[v] = "--set count=many"
		root.Content[1] = v
		return nil
	})
	if err == nil || err.Error() != `--set count=many: count: must be a whole number, got "many"` {
		t.Errorf("got %v", err)
	}
}

func TestReportPosition(t *testing.T) {
	rep := &Reporter{File: "d.csv", Lines: []string{"date,value", "2013-01-01,x\r"}}
	rep.Report(Position{Line: 2, Column: 12, Field: "value"}, "must be a number, got %q", "x")
	var es Errors
	if !errors.As(rep.Err(), &es) || len(es) != 1 {
		t.Fatalf("got %v", rep.Err())
	}
	if got, want := es[0].Error(), `d.csv:2:12: value: must be a number, got "x"`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	if got, want := es[0].Snippet(), "    2 | 2013-01-01,x\n      |            ^"; got != want {
		t.Errorf("snippet\n%s\nwant\n%s", got, want)
	}
}

func TestDefaultName(t *testing.T) {
	for _, tc := range [][3]string{
		{"Given", "x/y.yaml", "Given"},
		{"", "x/my sweep.yaml", "my sweep"},
		{"", "embedded:laiwang_vs_wechat", "laiwang_vs_wechat"},
		{"", "x/a\x1b.yaml", `a\x1b`},
	} {
		if got := DefaultName(tc[0], tc[1]); got != tc[2] {
			t.Errorf("DefaultName(%q, %q) = %q, want %q", tc[0], tc[1], got, tc[2])
		}
	}
}
