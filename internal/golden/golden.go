// Package golden compares test output with golden files, rewriting them on request.
package golden

import (
	"os"
	"strings"
	"testing"
)

// Messages checks a list of named messages against a golden file of "== NAME\nMESSAGE\n"
// entries, reporting each entry that changed; with update it rewrites the file first.
func Messages(t *testing.T, path string, names, messages []string, update bool) {
	t.Helper()
	var got strings.Builder
	for i, name := range names {
		got.WriteString("== " + name + "\n" + messages[i] + "\n")
	}
	if update {
		if err := os.WriteFile(path, []byte(got.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	w, g := strings.Split(string(want), "== "), strings.Split(got.String(), "== ")
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
