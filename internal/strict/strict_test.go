package strict

import (
	"strings"
	"testing"
)

func TestDidYouMean(t *testing.T) {
	t.Parallel()
	tests := []struct {
		word       string
		candidates []string
		want       string
	}{
		{"agent", []string{"agents", "steps", "seed"}, `; did you mean "agents"?`},
		{"zzz", []string{"agents"}, ""},
		{"mean", []string{"mean_degree", "mean"}, `; did you mean "mean_degree" or "mean"?`},
	}
	for _, tc := range tests {
		if got := DidYouMean(tc.word, tc.candidates); got != tc.want {
			t.Errorf("DidYouMean(%q) = %q, want %q", tc.word, got, tc.want)
		}
	}
}

func TestEditDistance(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		a, b string
		want int
	}{{"", "", 0}, {"kitten", "sitting", 3}, {"appeal", "apeal", 1}, {"abc", "", 3}} {
		if got := EditDistance(tc.a, tc.b); got != tc.want {
			t.Errorf("EditDistance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestSnippet(t *testing.T) {
	t.Parallel()
	short := &FieldError{Line: 3, Column: 9, Source: "agents: lots"}
	if got, want := short.Snippet(), "    3 | agents: lots\n      |         ^"; got != want {
		t.Errorf("short line:\n%s\nwant:\n%s", got, want)
	}
	long := &FieldError{Line: 1, Column: 5003, Source: strings.Repeat("a", 5000) + "XYZ" + strings.Repeat("b", 5000)}
	got := long.Snippet()
	lines := strings.Split(got, "\n")
	if len(got) > 250 || len(lines) != 2 || !strings.HasPrefix(lines[0], "    1 | ...") || !strings.HasSuffix(lines[0], "...") {
		t.Fatalf("long line not cut to a window: %q", got)
	}
	caret := strings.Index(lines[1], "^") - len("      | ")
	if window := lines[0][len("    1 | "):]; window[caret] != 'Z' {
		t.Errorf("caret under %q, want under Z", window[caret])
	}
}
