package sweep

import (
	"context"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/msgsim/msgsim/model"
)

// TestOutcomesAtMoments: a sweep's at: list adds each platform's users and share at a step
// and at a date (placed on the row of the step containing it), equal to the run's own series
// there, and users_at the last step equals final_users.
func TestOutcomesAtMoments(t *testing.T) {
	t.Parallel()
	abs, err := filepath.Abs("testdata/base.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// 2011-04-01 is 70 days after the start: the first day of step 10.
	text := "base: " + abs + "\nset: [start=2011-01-21]\nreplicates: 2\nat: [3, 2011-04-01, 25]\noutcomes: [winner, final_users, users_at, share_at]\nfactors:\n  - path: platforms.entrant.appeal\n    values: [0.3, 0.6]\n"
	sw, err := Parse([]byte(text), "s.yaml", ".")
	if err != nil {
		t.Fatal(err)
	}
	if want := []Moment{{"3", 3}, {"2011-04-01", 10}, {"25", 25}}; !slices.Equal(sw.At, want) {
		t.Fatalf("moments %v, want %v", sw.At, want)
	}
	plan, err := sw.Plan()
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out")
	runAll(t, plan, out, 2, false)
	rows, col := runsTable(t, out)
	number := func(row []string, name string) float64 {
		x, err := strconv.ParseFloat(row[col(name)], 64)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return x
	}
	for _, row := range rows[1:] {
		point, _ := strconv.Atoi(row[col("point")])
		seed, _ := strconv.ParseUint(row[col("seed")], 10, 64)
		cfg, err := plan.config(point)
		if err != nil {
			t.Fatal(err)
		}
		s, err := model.Run(context.Background(), cfg, model.RunOptions{Seed: seed, Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		for j, p := range s.Platforms {
			for _, m := range sw.At {
				if got, want := number(row, "users_at."+m.Label+"."+p), float64(s.Users[s.At(m.Step, j)]); got != want {
					t.Errorf("point %d seed %d: users_at.%s.%s = %g, want %g", point, seed, m.Label, p, got, want)
				}
				if got, want := number(row, "share_at."+m.Label+"."+p), s.Share(m.Step, j); math.Abs(got-want) > 1e-6 {
					t.Errorf("point %d seed %d: share_at.%s.%s = %g, want %g", point, seed, m.Label, p, got, want)
				}
			}
			if number(row, "users_at.25."+p) != number(row, "final_users."+p) {
				t.Errorf("users_at.25.%s differs from final_users.%s", p, p)
			}
		}
	}
	if slices.Contains(rows[0], "final_registered.entrant") {
		t.Error("runs.csv keeps final_registered, which outcomes: leaves out")
	}
}
