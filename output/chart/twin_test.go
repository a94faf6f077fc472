package chart

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"gonum.org/v1/plot/cmpimg"

	"github.com/msgsim/msgsim/internal/golden"
)

// twinChart is the bands chart with a twin per platform: Signal's runs ahead of its band,
// Threema's above it, so that the y range must grow to hold the twin.
func twinChart() Twin {
	c := Twin{Lines: bandsChart(), TwinLabel: "dashed: mean-field twin"}
	for k, cv := range c.Curves {
		tw := Curve{Name: cv.Name}
		for _, t := range c.X {
			tw.Mean = append(tw.Mean, logistic(t, 0.2, 18, []float64{150, 120}[k]))
		}
		c.Twins = append(c.Twins, tw)
	}
	return c
}

func TestTwinGolden(t *testing.T) { checkImageGolden(t, twinChart(), "twin") }

// checkImageGolden renders c in every format and compares it with testdata/NAME.golden.FORMAT,
// approximately for PNG as TestGolden does; -update rewrites the files.
func checkImageGolden(t *testing.T, c Chart, name string) {
	t.Helper()
	for _, format := range Formats {
		t.Run(format.String(), func(t *testing.T) {
			var buf bytes.Buffer
			if err := Render(c, format, &buf); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", name+".golden."+format.String())
			if golden.Update() {
				if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./output/chart/ -update to create it)", err)
			}
			if ok, err := cmpimg.EqualApprox(format.String(), buf.Bytes(), want, 0.01); err != nil || !ok {
				t.Errorf("%v differs from golden %s (%v; rerun with -update if the change is intended)", format, path, err)
			}
		})
	}
}

func TestTwinErrors(t *testing.T) {
	c := twinChart()
	c.Twins[1].Name = "Wire"
	checkErrors(t, c, `chart "Adopters (mean of 20 runs, 5-95%)": twin "Wire": no curve has that name`)
	c = twinChart()
	c.Twins[0].Mean = c.Twins[0].Mean[:3]
	checkErrors(t, c, `chart "Adopters (mean of 20 runs, 5-95%)": twins: curve "Signal": Mean has 3 points, X has 53`)
}
