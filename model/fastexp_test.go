package model

import (
	"math"
	"testing"
)

func TestExpNonPositive(t *testing.T) {
	t.Parallel()
	worst := 0.0
	for x := -708.0; x <= 0; x += 0.0137 {
		got, want := expNonPositive(x), math.Exp(x)
		worst = math.Max(worst, math.Abs(got-want)/want)
	}
	if worst > 2e-7 {
		t.Errorf("largest relative error %g, want <= 2e-7", worst)
	}
	for _, x := range []float64{-709, -1000, math.Inf(-1)} {
		if got := expNonPositive(x); got != 0 {
			t.Errorf("exp(%g) = %g, want 0", x, got)
		}
	}
	if got := expNonPositive(0); got != 1 {
		t.Errorf("exp(0) = %g, want 1", got)
	}
}

func TestChoiceExp(t *testing.T) {
	t.Parallel()
	worst := 0.0
	for z := -37.0; z <= 0; z += 0.00037 {
		worst = math.Max(worst, math.Abs(choiceExp(z)-math.Exp(z))/math.Exp(z))
	}
	if worst > 1.1e-5 {
		t.Errorf("largest relative error %g, want <= 1.1e-5", worst)
	}
	if choiceExp(0) != 1 || choiceExp(-37.01) != 0 || choiceExp(math.Inf(-1)) != 0 {
		t.Errorf("choiceExp(0), (-37.01), (-Inf) = %g, %g, %g; want 1, 0, 0", choiceExp(0), choiceExp(-37.01), choiceExp(math.Inf(-1)))
	}
}

func BenchmarkExp(b *testing.B) {
	var sink float64
	b.Run("math.Exp", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			sink += math.Exp(-float64(i&1023) * 0.01)
		}
	})
	b.Run("expNonPositive", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			sink += expNonPositive(-float64(i&1023) * 0.01)
		}
	})
	b.Run("choiceExp", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			sink += choiceExp(-float64(i&1023) * 0.01)
		}
	})
	_ = sink
}
