package strict

import "testing"

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
