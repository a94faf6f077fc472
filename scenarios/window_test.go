package scenarios

import "testing"

// TestActiveWindow: active_window reaches the model from the file and from --set, and is
// off (0) by default.
func TestActiveWindow(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		text string
		sets []string
		want int
	}{
		{base, nil, 0},
		{base + "active_window: 4\n", nil, 4},
		{base + "active_window: 4\n", []string{"active_window=2"}, 2},
		{base, []string{"active_window=11"}, 11},
	} {
		sc, err := Parse([]byte(tc.text), "w.yaml", "", tc.sets)
		if err != nil {
			t.Fatal(err)
		}
		if got := sc.Config.ActiveWindow; got != tc.want {
			t.Errorf("%q with %v: active window %d, want %d", tc.text, tc.sets, got, tc.want)
		}
	}
}
