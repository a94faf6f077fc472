// Package golden compares test output with golden files, rewriting them on request.
//
// It owns the -update flag of every test binary that imports it: `go test ./scenarios -update`
// rewrites the golden files of that package instead of comparing with them. Registering the
// flag here, once, keeps packages from each declaring their own.
package golden

import (
	"bytes"
	"flag"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files instead of comparing with them")

// Update reports whether the test binary was run with -update, that is, whether tests should
// rewrite their golden files rather than compare with them. Tests whose comparison is not
// byte for byte (images) use it; the others call Check or Messages, which read it themselves.
func Update() bool { return *update }

// Check compares got with the golden file at path byte for byte, reporting the first line that
// differs; with -update it rewrites the file first.
func Check(t *testing.T, path string, got []byte) {
	t.Helper()
	want := read(t, path, got)
	if bytes.Equal(got, want) {
		return
	}
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	line := 0
	for line < min(len(g), len(w)) && g[line] == w[line] {
		line++
	}
	var gotLine, wantLine string
	if line < len(g) {
		gotLine = g[line]
	}
	if line < len(w) {
		wantLine = w[line]
	}
	t.Errorf("%s differs at line %d (rerun with -update if the change is intended):\n got: %q\nwant: %q", path, line+1, gotLine, wantLine)
}

// Messages checks a list of named messages against a golden file of "== NAME\nMESSAGE\n"
// entries, reporting each entry that changed; with -update it rewrites the file first.
func Messages(t *testing.T, path string, names, messages []string) {
	t.Helper()
	var got strings.Builder
	for i, name := range names {
		got.WriteString("== " + name + "\n" + messages[i] + "\n")
	}
	w, g := strings.Split(string(read(t, path, []byte(got.String()))), "== "), strings.Split(got.String(), "== ")
	for i := range max(len(w), len(g)) {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			t.Errorf("%s: message changed (rerun with -update if intended):\n got: %s\nwant: %s", path, b, a)
		}
	}
}

// read returns the golden file at path, first rewriting it with got under -update.
func read(t *testing.T, path string, got []byte) []byte {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (rerun with -update to create it)", err)
	}
	return want
}
