package chart

import (
	"bytes"
	"math"
	"slices"
	"strings"
	"testing"
)

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
func singleRunChart() Lines {
	x := weeks(105)
	c := Lines{Title: "Adopters (single run)", XLabel: "week", YLabel: "users", X: x}
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
func bandsChart() Lines {
	x := weeks(53)
	c := Lines{Title: "Adopters (mean of 20 runs, 5-95%)", XLabel: "week", YLabel: "users", X: x}
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
func sharesChart() Lines {
	x := weeks(105)
	c := Lines{Title: "Market share", XLabel: "week", YLabel: "share of users", X: x,
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

func TestChartErrors(t *testing.T) {
	x := []float64{0, 1, 2, 3}
	for _, tc := range []struct {
		name  string
		chart Lines
		want  string
	}{
		{"no curves", Lines{Title: "Adoption", X: x}, `chart "Adoption": no curves to plot`},
		{"no curves untitled", Lines{}, `chart: no curves to plot`},
		{"empty X", Lines{Title: "Adoption", Curves: []Curve{{Name: "Signal"}}}, `chart "Adoption": X is empty`},
		{"short mean", Lines{Title: "Adoption", X: x, Curves: []Curve{
			{Name: "WhatsApp", Mean: []float64{1, 2, 3, 4}},
			{Name: "Signal", Mean: []float64{1, 2, 3}},
		}}, `chart "Adoption": curve "Signal": Mean has 3 points, X has 4`},
		{"unnamed curve", Lines{Title: "Adoption", X: x, Curves: []Curve{{Mean: []float64{1}}}},
			`chart "Adoption": curve #0: Mean has 1 points, X has 4`},
		{"long low", Lines{Title: "Adoption", X: x, Curves: []Curve{
			{Name: "Signal", Mean: x, Low: []float64{0, 0, 0, 0, 0}, High: x},
		}}, `chart "Adoption": curve "Signal": Low has 5 points, X has 4`},
		{"short high", Lines{Title: "Adoption", X: x, Curves: []Curve{
			{Name: "Signal", Mean: x, Low: x, High: x[:2]},
		}}, `chart "Adoption": curve "Signal": High has 2 points, X has 4`},
		{"low without high", Lines{Title: "Adoption", X: x, Curves: []Curve{
			{Name: "Signal", Mean: x, Low: x},
		}}, `chart "Adoption": curve "Signal": Low and High must both be set or both be nil`},
		{"empty y range", Lines{Title: "Share", X: x, YMin: ptr(1), YMax: ptr(1), Curves: []Curve{
			{Name: "Signal", Mean: x},
		}}, `chart "Share": YMin (1) must be less than YMax (1)`},
		{"NaN y bound", Lines{Title: "Share", X: x, YMax: ptr(math.NaN()), Curves: []Curve{
			{Name: "Signal", Mean: x},
		}}, `chart "Share": YMax is NaN`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkErrors(t, tc.chart, tc.want)
		})
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
	c := Lines{Title: "Gaps", X: x, Curves: []Curve{{Name: "Signal", Mean: mean,
		Low: []float64{0, 0.5, 1, 2, 3, math.NaN(), 5, 6, 7}, High: []float64{0, 1.5, 3, 4, 5, 6, 7, 8, 9}}}}
	var buf bytes.Buffer
	if err := Render(c, SVG, &buf); err != nil {
		t.Fatal(err)
	}
	// Segments 0-3 and 5-6 are lines, 8 is an isolated point; plus one
	// stroke for the legend thumbnail.
	if got := strings.Count(buf.String(), lineColour); got != 3 {
		t.Errorf("found %d strokes in the curve colour, want 3 (2 segments + legend)", got)
	}
	if err := Render(c, PNG, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
}

func TestChartDegenerateData(t *testing.T) {
	nan := math.NaN()
	for _, tc := range []struct {
		name  string
		chart Lines
	}{
		{"all NaN", Lines{X: []float64{0, 1, 2}, Curves: []Curve{{Name: "a", Mean: []float64{nan, nan, nan}}}}},
		{"NaN x", Lines{X: []float64{nan, 1, nan}, Curves: []Curve{{Name: "a", Mean: []float64{1, 2, 3}}}}},
		{"single point", Lines{X: []float64{5}, Curves: []Curve{{Name: "a", Mean: []float64{3}}}}},
		{"all zero", Lines{X: []float64{0, 1}, Curves: []Curve{{Name: "a", Mean: []float64{0, 0}}}}},
		{"negative", Lines{X: []float64{0, 1}, Curves: []Curve{{Name: "a", Mean: []float64{-5, -2}}}}},
		{"only YMin above data", Lines{X: []float64{0, 1}, YMin: ptr(10), Curves: []Curve{{Mean: []float64{1, 2}}}}},
		{"only YMax below data", Lines{X: []float64{0, 1}, YMax: ptr(-10), Curves: []Curve{{Mean: []float64{1, 2}}}}},
		{"huge values", Lines{X: []float64{0, 1}, Curves: []Curve{{Name: "a", Mean: []float64{1e300, -1e300}}}}},
		{"many curves", func() Lines {
			c := Lines{X: []float64{0, 1}}
			for i := range 20 {
				c.Curves = append(c.Curves, Curve{Name: strings.Repeat("x", i), Mean: []float64{float64(i), float64(2 * i)}})
			}
			return c
		}()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkRenders(t, tc.chart)
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
	c := Lines{Title: "Long run", X: x, Curves: []Curve{
		{Name: "A", Mean: mean, Low: low, High: high},
		{Name: "B", Mean: high},
	}}
	var buf bytes.Buffer
	if err := Render(c, SVG, &buf); err != nil {
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

// svgTexts is the text of every <text> element of an SVG, in order.
func svgTexts(svg string) []string {
	var texts []string
	for _, part := range strings.Split(svg, "<text")[1:] {
		_, after, _ := strings.Cut(part, ">")
		text, _, _ := strings.Cut(after, "</text>")
		texts = append(texts, text)
	}
	return texts
}

func TestChartLogY(t *testing.T) {
	c := bandsChart()
	c.LogY = true
	// A platform launched at week 10: zero users before, and a band whose
	// 5% edge is 0 for a while after.
	late := Curve{Name: "Late", Mean: make([]float64, len(c.X)), Low: make([]float64, len(c.X)), High: make([]float64, len(c.X))}
	for i := 10; i < len(c.X); i++ {
		late.Mean[i], late.High[i] = float64(i-9)*0.5, float64(i-9)
		if i >= 20 {
			late.Low[i] = float64(i-19) * 0.2
		}
	}
	c.Curves = append(c.Curves, late)
	var buf bytes.Buffer
	if err := Render(c, SVG, &buf); err != nil {
		t.Fatal(err)
	}
	texts := svgTexts(buf.String())
	// The y axis is ticked at powers of ten from the floor below the
	// smallest positive value (Late's 5% edge at week 20, 0.2) up to the
	// largest band edge (about 170): 0.1, 1, 10, 100. A linear axis would
	// read 0, 50, 100, 150.
	for _, want := range []string{"0.1", "1", "10", "100"} {
		if !slices.Contains(texts, want) {
			t.Errorf("log y axis: no tick label %s among %q", want, texts)
		}
	}
	if slices.Contains(texts, "150") {
		t.Errorf("log y axis has the linear tick 150: %q", texts)
	}
	checkRenders(t, c)

	curves, floor := onLogAxis(c.X, c.Curves, nil)
	if floor != 0.1 {
		t.Errorf("floor %g, want 0.1 (the power of ten below 0.2)", floor)
	}
	got := curves[2]
	if !math.IsNaN(got.Mean[5]) || !math.IsNaN(got.Low[5]) || !math.IsNaN(got.High[5]) {
		t.Errorf("before launch: mean %g, band %g-%g; want no data (NaN)", got.Mean[5], got.Low[5], got.High[5])
	}
	if got.Mean[12] != 1.5 || got.Low[12] != floor || got.High[12] != 3 {
		t.Errorf("5%% edge at 0: mean %g, band %g-%g; want 1.5, the floor %g to 3", got.Mean[12], got.Low[12], got.High[12], floor)
	}
	if late.Mean[5] != 0 || late.Low[12] != 0 {
		t.Error("onLogAxis modified its input")
	}
}

func TestChartLogYDegenerateData(t *testing.T) {
	nan := math.NaN()
	for _, tc := range []struct {
		name  string
		chart Lines
	}{
		{"all zero", Lines{X: []float64{0, 1}, Curves: []Curve{{Name: "a", Mean: []float64{0, 0}, Low: []float64{0, 0}, High: []float64{0, 0}}}}},
		{"negative", Lines{X: []float64{0, 1}, Curves: []Curve{{Name: "a", Mean: []float64{-5, -2}}}}},
		{"all NaN", Lines{X: []float64{0, 1, 2}, Curves: []Curve{{Name: "a", Mean: []float64{nan, nan, nan}}}}},
		{"single point", Lines{X: []float64{5}, Curves: []Curve{{Name: "a", Mean: []float64{3}}}}},
		{"constant", Lines{X: []float64{0, 1, 2}, Curves: []Curve{{Name: "a", Mean: []float64{7, 7, 7}}}}},
		{"share bounds", Lines{X: []float64{0, 1}, YMin: ptr(0), YMax: ptr(1), Curves: []Curve{{Name: "a", Mean: []float64{1, 2}}}}},
		{"observed zero", Lines{X: []float64{0, 1}, Curves: []Curve{{Name: "a", Mean: []float64{1, 2}}}}},
		{"many decades", Lines{X: []float64{0, 1, 2}, Curves: []Curve{{Name: "a", Mean: []float64{1e-6, 1, 1e12}}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.chart.LogY = true
			checkRenders(t, tc.chart)
			if tc.name == "observed zero" {
				checkRenders(t, FitData{Lines: tc.chart, Observed: []PointSet{{Name: "a", X: []float64{0, 1}, Y: []float64{0, 3}}}})
			}
		})
	}
}

func TestLogRange(t *testing.T) {
	for _, tc := range []struct {
		floor, hi  float64
		yMin, yMax *float64
		lo, top    float64
	}{
		{1, 1000, nil, nil, 1, 1000 * math.Pow(1000, 0.05)},
		{1, 0, nil, nil, 1, 10},                                   // no positive data: one decade
		{0.1, 50, ptr(0), ptr(-1), 0.1, 50 * math.Pow(500, 0.05)}, // bounds that a log axis cannot take are ignored
		{0.1, 50, ptr(1), ptr(100), 1, 100},
	} {
		lo, top := logRange(tc.floor, tc.hi, tc.yMin, tc.yMax)
		if math.Abs(lo-tc.lo) > 1e-12*tc.lo || math.Abs(top-tc.top) > 1e-9*tc.top {
			t.Errorf("logRange(%g, %g) = %g, %g; want %g, %g", tc.floor, tc.hi, lo, top, tc.lo, tc.top)
		}
	}
}
