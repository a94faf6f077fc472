package discover

import (
	"math"
	"math/rand/v2"
	"testing"
)

// gridData is a full grid of three factors on [0, 1] in steps of 0.05, with the condition
// true exactly in the box 0.3 <= a <= 0.7, b >= 0.6 (c plays no part), and each outcome
// flipped with probability noise.
func gridData(noise float64) Data {
	d := Data{Factors: []string{"a", "b", "c"}, X: make([][]float64, 3)}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i <= 20; i++ {
		for j := 0; j <= 20; j++ {
			for k := 0; k <= 10; k++ {
				a, b, c := float64(i)*0.05, float64(j)*0.05, float64(k)*0.1
				d.X[0], d.X[1], d.X[2] = append(d.X[0], a), append(d.X[1], b), append(d.X[2], c)
				in := a >= 0.3-1e-9 && a <= 0.7+1e-9 && b >= 0.6-1e-9
				d.Y = append(d.Y, in != (rng.Float64() < noise))
			}
		}
	}
	return d
}

// PRIM recovers a known box within one grid step, on clean and on noisy outcomes, and leaves
// the factor that plays no part unrestricted.
func TestPRIMRecoversAKnownBox(t *testing.T) {
	for _, noise := range []float64{0, 0.05} {
		d := gridData(noise)
		res, err := Run(d, DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		box := res.Pasted
		want := [][2]float64{{0.3, 0.7}, {0.6, 1}, {0, 1}}
		for f, w := range want {
			if math.Abs(box.Lower[f]-w[0]) > 0.05+1e-9 || math.Abs(box.Upper[f]-w[1]) > 0.05+1e-9 {
				t.Errorf("noise %g: factor %s in [%g, %g], want [%g, %g] within one step", noise, d.Factors[f], box.Lower[f], box.Upper[f], w[0], w[1])
			}
		}
		if box.Lower[2] != 0 || box.Upper[2] != 1 {
			t.Errorf("noise %g: c restricted to [%g, %g]; it plays no part", noise, box.Lower[2], box.Upper[2])
		}
		if box.Coverage < 0.8 || box.Density < 0.9-noise {
			t.Errorf("noise %g: coverage %.3g, density %.3g", noise, box.Coverage, box.Density)
		}
	}
}

// The trajectory starts with every run, peels about alpha of the box at each step (a whole
// level when the quantile is the lowest value), and never goes below the minimum mass.
func TestPeelingTrajectory(t *testing.T) {
	d := gridData(0)
	res, err := Run(d, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	tr := res.Trajectory
	if tr[0].Mass != 1 || tr[0].Coverage != 1 || tr[0].Runs != len(d.Y) {
		t.Errorf("box 0: %+v, want every run", tr[0])
	}
	for i := 1; i < len(tr); i++ {
		if tr[i].Runs >= tr[i-1].Runs {
			t.Errorf("box %d has %d runs, box %d %d: a peel must remove runs", i, tr[i].Runs, i-1, tr[i-1].Runs)
		}
		// One face moves: it removes at most alpha of the runs, or else one whole level.
		changed, levels := 0, map[float64]bool{}
		p := &prim{d: d}
		for f := range d.X {
			if tr[i].Lower[f] != tr[i-1].Lower[f] || tr[i].Upper[f] != tr[i-1].Upper[f] {
				changed++
				for r := range d.Y {
					if p.inside(tr[i-1], r) && !p.inside(tr[i], r) {
						levels[d.X[f][r]] = true
					}
				}
			}
		}
		removed := tr[i-1].Runs - tr[i].Runs
		if changed != 1 || removed > int(math.Ceil(0.05*float64(tr[i-1].Runs))) && len(levels) != 1 {
			t.Errorf("box %d: %d faces moved, %d runs of %d removed over %d levels", i, changed, removed, tr[i-1].Runs, len(levels))
		}
	}
	if last := tr[len(tr)-1]; last.Mass < 0.05 {
		t.Errorf("last box has mass %.3g, below the minimum 0.05", last.Mass)
	}
	// The rule: the densest box covering at least 80%; here the exact box, density 1.
	if c := tr[res.Chosen]; c.Density != 1 || c.Coverage != 1 {
		t.Errorf("chosen box %d: density %g, coverage %g, want the exact box", res.Chosen, c.Density, c.Coverage)
	}
	opts := DefaultOptions()
	opts.Box = 2
	if res, err := Run(d, opts); err != nil || res.Chosen != 2 {
		t.Errorf("--box 2: chose %v (%v)", res, err)
	}
	opts.Box = 1000
	if _, err := Run(d, opts); err == nil || err.Error() != "box 1000: the peeling trajectory has boxes 0 to "+itoa(len(tr)-1) {
		t.Errorf("box out of range: %v", err)
	}
}

func itoa(n int) string { return string(appendInt(nil, n)) }

func appendInt(b []byte, n int) []byte {
	if n >= 10 {
		b = appendInt(b, n/10)
	}
	return append(b, byte('0'+n%10))
}

// A condition that holds everywhere or nowhere leaves nothing to tell apart.
func TestPRIMNeedsBothOutcomes(t *testing.T) {
	d := Data{Factors: []string{"a"}, X: [][]float64{{1, 2, 3}}, Y: []bool{true, true, true}}
	if _, err := Run(d, DefaultOptions()); err == nil || err.Error() != "the condition holds in 3 of the 3 runs: there is nothing to tell apart" {
		t.Errorf("got %v", err)
	}
}

// Pasting moves a face back out while that makes the box denser, a level at a time: a box
// peeled too far on a (to 8, where only half its runs hold) grows back down to 5, and not
// to 4, where the condition never holds.
func TestPasting(t *testing.T) {
	d := Data{Factors: []string{"a", "b"}, X: make([][]float64, 2)}
	for a := range 20 {
		for b := range 20 {
			d.X[0], d.X[1] = append(d.X[0], float64(a)), append(d.X[1], float64(b))
			d.Y = append(d.Y, a >= 5 && a <= 14 && (a < 8 || b >= 10))
		}
	}
	p := &prim{d: d, alpha: 0.05}
	for _, y := range d.Y {
		if y {
			p.hits++
		}
	}
	peeled := p.measure(Box{Lower: []float64{8, 0}, Upper: []float64{14, 19}})
	pasted := p.paste(peeled)
	if pasted.Lower[0] != 5 || pasted.Upper[0] != 14 || pasted.Lower[1] != 0 || pasted.Upper[1] != 19 {
		t.Errorf("pasted to a in [%g, %g], b in [%g, %g], want a in [5, 14] and b whole", pasted.Lower[0], pasted.Upper[0], pasted.Lower[1], pasted.Upper[1])
	}
	if !(pasted.Density > peeled.Density) || pasted.Hits != 130 {
		t.Errorf("density %g -> %g, %d hits, want denser with 130", peeled.Density, pasted.Density, pasted.Hits)
	}
}
