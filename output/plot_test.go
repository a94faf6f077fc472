package output

import (
	"bytes"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/plot/cmpimg"
	"gonum.org/v1/plot/vg"
)

var update = flag.Bool("update", false, "rewrite golden files")

func ptr(v float64) *float64 { return &v }

// logistic is a deterministic S-curve standing in for simulated adoption.
func logistic(t, k, mid, cap float64) float64 { return cap / (1 + math.Exp(-k*(t-mid))) }

func weeks(n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = float64(i)
	}
	return x
}

// singleRunChart is one replicate: no bands, large counts (tick labels in M).
func singleRunChart() Chart {
	x := weeks(105)
	c := Chart{Title: "Adopters (single run)", XLabel: "week", YLabel: "users", X: x}
	for _, p := range []struct {
		name           string
		k, mid, capUsr float64
	}{{"WhatsApp", 0.08, 30, 62e6}, {"Signal", 0.12, 55, 21e6}, {"Telegram", 0.1, 70, 35e6}} {
		m := make([]float64, len(x))
		for i, t := range x {
			m[i] = logistic(t, p.k, p.mid, p.capUsr)
		}
		c.Curves = append(c.Curves, Curve{Name: p.name, Mean: m})
	}
	return c
}

// bandsChart is a mean of replicates with 5-95% bands, small counts.
func bandsChart() Chart {
	x := weeks(53)
	c := Chart{Title: "Adopters (mean of 20 runs, 5-95%)", XLabel: "week", YLabel: "users", X: x}
	for _, p := range []struct {
		name        string
		k, mid, cap float64
	}{{"Signal", 0.15, 20, 140}, {"Threema", 0.12, 30, 90}} {
		var cv Curve
		cv.Name = p.name
		for _, t := range x {
			m := logistic(t, p.k, p.mid, p.cap)
			w := 0.12*m + 4*math.Sqrt(m/p.cap)
			cv.Mean = append(cv.Mean, m)
			cv.Low = append(cv.Low, math.Max(0, m-w))
			cv.High = append(cv.High, m+w)
		}
		c.Curves = append(c.Curves, cv)
	}
	return c
}

// sharesChart is a market-share chart with a fixed 0..1 range where the
// incumbent starts at the top left, so the legend must go elsewhere.
func sharesChart() Chart {
	x := weeks(105)
	c := Chart{Title: "Market share", XLabel: "week", YLabel: "share of users", X: x,
		YMin: ptr(0), YMax: ptr(1)}
	names := []string{"WhatsApp", "Signal", "Telegram"}
	cvs := make([]Curve, len(names))
	for i := range cvs {
		cvs[i].Name = names[i]
	}
	for _, t := range x {
		s := logistic(t, 0.1, 50, 0.45)
		g := logistic(t, 0.08, 70, 0.25)
		shares := []float64{0.92 - s - g, 0.05 + s, 0.03 + g}
		for i, v := range shares {
			w := 0.015 + 0.05*math.Sin(math.Pi*t/104)
			cvs[i].Mean = append(cvs[i].Mean, v)
			cvs[i].Low = append(cvs[i].Low, math.Max(0, v-w))
			cvs[i].High = append(cvs[i].High, math.Min(1, v+w))
		}
	}
	c.Curves = cvs
	return c
}

func TestChartGolden(t *testing.T) {
	for _, tc := range []struct {
		name  string
		chart Chart
	}{
		{"single_run", singleRunChart()},
		{"bands", bandsChart()},
		{"shares", sharesChart()},
	} {
		for _, format := range []string{"png", "svg"} {
			t.Run(tc.name+"."+format, func(t *testing.T) {
				var buf bytes.Buffer
				if err := RenderChart(tc.chart, format, 0, 0, &buf); err != nil {
					t.Fatal(err)
				}
				golden := filepath.Join("testdata", tc.name+".golden."+format)
				if *update {
					if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run go test -run Chart ./output/ -update to create it)", err)
				}
				// Approximate for PNG: anti-aliasing may differ in the last
				// bit across CPU architectures.
				ok, err := cmpimg.EqualApprox(format, buf.Bytes(), want, 0.01)
				if err != nil {
					t.Fatal(err)
				}
				if !ok {
					got := filepath.Join(os.TempDir(), "msgsim_"+tc.name+".got."+format)
					_ = os.WriteFile(got, buf.Bytes(), 0o644)
					t.Errorf("%s differs from golden %s (got written to %s; rerun with -update if the change is intended)", format, golden, got)
				}
			})
		}
	}
}

func TestChartErrors(t *testing.T) {
	x := []float64{0, 1, 2, 3}
	for _, tc := range []struct {
		name  string
		chart Chart
		want  string
	}{
		{"no curves", Chart{Title: "Adoption", X: x}, `chart "Adoption": no curves to plot`},
		{"no curves untitled", Chart{}, `chart: no curves to plot`},
		{"empty X", Chart{Title: "Adoption", Curves: []Curve{{Name: "Signal"}}}, `chart "Adoption": X is empty`},
		{"short mean", Chart{Title: "Adoption", X: x, Curves: []Curve{
			{Name: "WhatsApp", Mean: []float64{1, 2, 3, 4}},
			{Name: "Signal", Mean: []float64{1, 2, 3}},
		}}, `chart "Adoption": curve "Signal": Mean has 3 points, X has 4`},
		{"unnamed curve", Chart{Title: "Adoption", X: x, Curves: []Curve{{Mean: []float64{1}}}},
			`chart "Adoption": curve #0: Mean has 1 points, X has 4`},
		{"long low", Chart{Title: "Adoption", X: x, Curves: []Curve{
			{Name: "Signal", Mean: x, Low: []float64{0, 0, 0, 0, 0}, High: x},
		}}, `chart "Adoption": curve "Signal": Low has 5 points, X has 4`},
		{"short high", Chart{Title: "Adoption", X: x, Curves: []Curve{
			{Name: "Signal", Mean: x, Low: x, High: x[:2]},
		}}, `chart "Adoption": curve "Signal": High has 2 points, X has 4`},
		{"low without high", Chart{Title: "Adoption", X: x, Curves: []Curve{
			{Name: "Signal", Mean: x, Low: x},
		}}, `chart "Adoption": curve "Signal": Low and High must both be set or both be nil`},
		{"empty y range", Chart{Title: "Share", X: x, YMin: ptr(1), YMax: ptr(1), Curves: []Curve{
			{Name: "Signal", Mean: x},
		}}, `chart "Share": YMin (1) must be less than YMax (1)`},
		{"NaN y bound", Chart{Title: "Share", X: x, YMax: ptr(math.NaN()), Curves: []Curve{
			{Name: "Signal", Mean: x},
		}}, `chart "Share": YMax is NaN`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, format := range []string{"png", "svg"} {
				var buf bytes.Buffer
				err := RenderChart(tc.chart, format, 0, 0, &buf)
				if err == nil || err.Error() != tc.want {
					t.Errorf("RenderChart(%s) error = %v, want %q", format, err, tc.want)
				}
				if buf.Len() != 0 {
					t.Errorf("RenderChart(%s) wrote %d bytes despite the error", format, buf.Len())
				}
			}
		})
	}
}

func TestChartFormats(t *testing.T) {
	dir := t.TempDir()
	c := bandsChart()

	bmp := filepath.Join(dir, "chart.bmp")
	err := SaveChart(c, bmp, 0, 0)
	if want := `unsupported plot format ".bmp" (use .png, .svg or .pdf)`; err == nil || err.Error() != want {
		t.Errorf("SaveChart(.bmp) error = %v, want %q", err, want)
	}
	if _, err := os.Stat(bmp); !os.IsNotExist(err) {
		t.Errorf("SaveChart(.bmp) created a file (stat error %v)", err)
	}
	err = SaveChart(c, filepath.Join(dir, "chart"), 0, 0)
	if want := `unsupported plot format "" (use .png, .svg or .pdf)`; err == nil || err.Error() != want {
		t.Errorf("SaveChart(no extension) error = %v, want %q", err, want)
	}
	err = RenderChart(c, "bmp", 0, 0, &bytes.Buffer{})
	if want := `unsupported plot format "bmp" (use png, svg or pdf)`; err == nil || err.Error() != want {
		t.Errorf("RenderChart(bmp) error = %v, want %q", err, want)
	}

	// An invalid chart must not leave a file behind either.
	bad := filepath.Join(dir, "bad.png")
	if err := SaveChart(Chart{Title: "Adoption"}, bad, 0, 0); err == nil {
		t.Error("SaveChart(empty chart) succeeded")
	}
	if _, err := os.Stat(bad); !os.IsNotExist(err) {
		t.Errorf("SaveChart(empty chart) created a file (stat error %v)", err)
	}

	for ext, magic := range map[string]string{".png": "\x89PNG", ".svg": "<?xml", ".pdf": "%PDF", ".PNG": "\x89PNG"} {
		path := filepath.Join(dir, "chart"+ext)
		if ext == ".PNG" {
			path = filepath.Join(dir, "upper"+ext)
		}
		if err := SaveChart(c, path, 12*vg.Centimeter, 8*vg.Centimeter); err != nil {
			t.Errorf("SaveChart(%s): %v", ext, err)
			continue
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(b, []byte(magic)) {
			t.Errorf("SaveChart(%s) wrote %.10q, want prefix %q", ext, b, magic)
		}
	}

	// The default PNG size is 16cm x 10cm at 150 dpi.
	var buf bytes.Buffer
	if err := RenderChart(c, "png", 0, 0, &buf); err != nil {
		t.Fatal(err)
	}
	if w, h := pngSize(t, buf.Bytes()); w != 945 || h != 591 {
		t.Errorf("default PNG is %dx%d pixels, want 945x591", w, h)
	}

	if err := RenderChart(c, "png", -1, 0, &bytes.Buffer{}); err == nil {
		t.Error("negative width accepted")
	}
	if err := RenderChart(c, "png", 100*vg.Inch, 100*vg.Inch, &bytes.Buffer{}); err == nil {
		t.Error("absurd PNG size accepted")
	}
}

func pngSize(t *testing.T, b []byte) (w, h int) {
	t.Helper()
	if len(b) < 24 {
		t.Fatalf("PNG too short: %d bytes", len(b))
	}
	be := func(p []byte) int { return int(p[0])<<24 | int(p[1])<<16 | int(p[2])<<8 | int(p[3]) }
	return be(b[16:20]), be(b[20:24])
}

// lineColour is how vgsvg writes the stroke of curve 0 (palette[0]).
const lineColour = "stroke:#0072B2"

func TestChartNaNSplitsLine(t *testing.T) {
	x := weeks(9)
	mean := []float64{0, 1, 2, 3, math.NaN(), 5, 6, math.Inf(1), 8}
	c := Chart{Title: "Gaps", X: x, Curves: []Curve{{Name: "Signal", Mean: mean,
		Low: []float64{0, 0.5, 1, 2, 3, math.NaN(), 5, 6, 7}, High: []float64{0, 1.5, 3, 4, 5, 6, 7, 8, 9}}}}
	var buf bytes.Buffer
	if err := RenderChart(c, "svg", 0, 0, &buf); err != nil {
		t.Fatal(err)
	}
	// Segments 0-3 and 5-6 are lines, 8 is an isolated point; plus one
	// stroke for the legend thumbnail.
	if got := strings.Count(buf.String(), lineColour); got != 3 {
		t.Errorf("found %d strokes in the curve colour, want 3 (2 segments + legend)", got)
	}
	if err := RenderChart(c, "png", 0, 0, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
}

func TestChartDegenerateData(t *testing.T) {
	nan := math.NaN()
	for _, tc := range []struct {
		name  string
		chart Chart
	}{
		{"all NaN", Chart{X: []float64{0, 1, 2}, Curves: []Curve{{Name: "a", Mean: []float64{nan, nan, nan}}}}},
		{"NaN x", Chart{X: []float64{nan, 1, nan}, Curves: []Curve{{Name: "a", Mean: []float64{1, 2, 3}}}}},
		{"single point", Chart{X: []float64{5}, Curves: []Curve{{Name: "a", Mean: []float64{3}}}}},
		{"all zero", Chart{X: []float64{0, 1}, Curves: []Curve{{Name: "a", Mean: []float64{0, 0}}}}},
		{"negative", Chart{X: []float64{0, 1}, Curves: []Curve{{Name: "a", Mean: []float64{-5, -2}}}}},
		{"only YMin above data", Chart{X: []float64{0, 1}, YMin: ptr(10), Curves: []Curve{{Mean: []float64{1, 2}}}}},
		{"only YMax below data", Chart{X: []float64{0, 1}, YMax: ptr(-10), Curves: []Curve{{Mean: []float64{1, 2}}}}},
		{"huge values", Chart{X: []float64{0, 1}, Curves: []Curve{{Name: "a", Mean: []float64{1e300, -1e300}}}}},
		{"many curves", func() Chart {
			c := Chart{X: []float64{0, 1}}
			for i := range 20 {
				c.Curves = append(c.Curves, Curve{Name: strings.Repeat("x", i), Mean: []float64{float64(i), float64(2 * i)}})
			}
			return c
		}()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, format := range []string{"png", "svg", "pdf"} {
				if err := RenderChart(tc.chart, format, 0, 0, &bytes.Buffer{}); err != nil {
					t.Errorf("%s: %v", format, err)
				}
			}
		})
	}
}

func TestChartDownsampling(t *testing.T) {
	const n = 200000
	x := make([]float64, n)
	mean, low, high := make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range x {
		x[i] = float64(i) / 100
		mean[i] = logistic(x[i], 0.01, 1000, 5e6) + 1e5*math.Sin(float64(i)/7)
		low[i], high[i] = 0.9*mean[i], 1.1*mean[i]
	}
	mean[n/2] = math.NaN()
	c := Chart{Title: "Long run", X: x, Curves: []Curve{
		{Name: "A", Mean: mean, Low: low, High: high},
		{Name: "B", Mean: high},
	}}
	var buf bytes.Buffer
	if err := RenderChart(c, "svg", 0, 0, &buf); err != nil {
		t.Fatal(err)
	}
	if buf.Len() > 300_000 {
		t.Errorf("SVG of a %d-point chart is %d bytes, want < 300 KB", n, buf.Len())
	}
	t.Logf("SVG size: %d bytes", buf.Len())
}

func TestChartThinKeepsEnvelope(t *testing.T) {
	const n = 10000
	x, y := make([]float64, n), make([]float64, n)
	for i := range x {
		x[i] = float64(i)
	}
	y[1234] = 100 // a one-step spike must survive
	y[4321] = -50
	pts := thin(x, y, 3, n-2, 20)
	if len(pts) > 2*n/20+2 {
		t.Errorf("thin kept %d points, want <= %d", len(pts), 2*n/20+2)
	}
	if pts[0].X != 3 || pts[len(pts)-1].X != n-3 {
		t.Errorf("thin dropped an end point: first %v, last %v", pts[0], pts[len(pts)-1])
	}
	var hasMax, hasMin bool
	for i, p := range pts {
		hasMax = hasMax || p.Y == 100
		hasMin = hasMin || p.Y == -50
		if i > 0 && !(p.X > pts[i-1].X) {
			t.Fatalf("thin output not strictly increasing at %d: %v then %v", i, pts[i-1], p)
		}
	}
	if !hasMax || !hasMin {
		t.Errorf("thin lost the extremes (max kept %v, min kept %v)", hasMax, hasMin)
	}
	if got := len(thin(x, y, 0, 10, 1)); got != 10 {
		t.Errorf("thin with bucket 1 kept %d of 10 points", got)
	}
}

func TestChartTickLabels(t *testing.T) {
	for _, tc := range []struct {
		lo, hi float64
		want   []string
	}{
		{0, 160, []string{"0", "50", "100", "150"}},
		{0, 1, []string{"0", "0.25", "0.5", "0.75", "1"}},
		{0, 7000, []string{"0", "2,000", "4,000", "6,000"}},
		{0, 160000, []string{"0", "50k", "100k", "150k"}},
		{0, 1.6e8, []string{"0", "50M", "100M", "150M"}},
		{0, 2.6e9, []string{"0", "0.5B", "1B", "1.5B", "2B", "2.5B"}},
		{0, 65.1e6, []string{"0", "20M", "40M", "60M"}},
		{0, 1e-6, []string{"0", "2.5e-07", "5e-07", "7.5e-07", "1e-06"}},
		{1e300, 1.0000000000001e300, nil}, // only checked for sane lengths
		{-2e6, 2e6, []string{"-2M", "-1M", "0", "1M", "2M"}},
	} {
		var got []string
		for _, tk := range (readableTicks{}).Ticks(tc.lo, tc.hi) {
			if tk.Label != "" {
				got = append(got, tk.Label)
			}
		}
		if tc.want == nil {
			if len(got) == 0 {
				t.Errorf("ticks(%g, %g): no labels", tc.lo, tc.hi)
			}
			for _, l := range got {
				if len(l) > 25 {
					t.Errorf("ticks(%g, %g): label %q is unreadably long", tc.lo, tc.hi, l)
				}
			}
			continue
		}
		if strings.Join(got, " ") != strings.Join(tc.want, " ") {
			t.Errorf("ticks(%g, %g) = %q, want %q", tc.lo, tc.hi, got, tc.want)
		}
	}
}
