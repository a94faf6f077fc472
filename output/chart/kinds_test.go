package chart

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/cmpimg"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"

	"github.com/msgsim/msgsim/internal/golden"
)

// sweepHeatmap is a 5x4 two-factor sweep: the entrant's final share over
// its appeal and the incumbent's switching cost, with the P(entrant wins)
// = 0.5 boundary running diagonally through it.
func sweepHeatmap() Heatmap {
	h := Heatmap{
		Title:         "Entrant share after 2 years",
		XLabel:        "entrant appeal (relative)",
		YLabel:        "switching cost",
		ZLabel:        "entrant share of users",
		X:             []float64{0.8, 0.9, 1.0, 1.1, 1.2},
		Y:             []float64{0, 0.1, 0.2, 0.3},
		BoundaryLevel: 0.5,
		BoundaryLabel: "P(entrant wins) = 0.5",
	}
	for _, y := range h.Y {
		var z, b []float64
		for _, x := range h.X {
			d := 12*(x-1) - 10*(y-0.15)
			z = append(z, 0.05+0.85/(1+math.Exp(-d)))
			b = append(b, 1/(1+math.Exp(-1.5*d)))
		}
		h.Z = append(h.Z, z)
		h.Boundary = append(h.Boundary, b)
	}
	return h
}

// gappyHeatmap has a log-spaced x grid, failed runs (NaN) in both fields,
// and a fixed 0..1 colour scale the data does not fill.
func gappyHeatmap() Heatmap {
	h := Heatmap{
		Title:         "Winner by seed fraction and network density",
		XLabel:        "initial seed fraction",
		YLabel:        "mean degree",
		ZLabel:        "P(entrant wins)",
		X:             []float64{0.001, 0.003, 0.01, 0.03, 0.1, 0.3},
		Y:             []float64{4, 8, 16, 32},
		BoundaryLevel: 0.5,
		BoundaryLabel: "P(entrant wins) = 0.5",
		ZMin:          ptr(0),
		ZMax:          ptr(1),
	}
	for i, y := range h.Y {
		var z []float64
		for _, x := range h.X {
			d := 2.5*math.Log10(x/0.02) - 1.2*math.Log2(y/8)
			z = append(z, 0.02+0.9/(1+math.Exp(-d)))
		}
		h.Z = append(h.Z, z)
		h.Boundary = append(h.Boundary, append([]float64(nil), z...))
		_ = i
	}
	h.Z[1][2] = math.NaN() // a failed run: no value, no boundary
	h.Boundary[1][2] = math.NaN()
	h.Z[3][5] = math.Inf(1)
	h.Boundary[3][5] = math.NaN()
	h.Boundary[0][3] = math.NaN() // boundary unknown where Z is known
	return h
}

// sobolBars is a 3-factor chart of first-order and total Sobol indices with
// bootstrap confidence intervals.
func sobolBars() Bars {
	return Bars{
		Title:  "Sobol indices of the entrant's final share",
		YLabel: "index",
		Labels: []string{"platforms.signal.appeal", "population.mean_degree", "platforms.signal.launch_week"},
		Series: []BarSeries{
			{Name: "first order", Values: []float64{0.52, 0.21, 0.03},
				Low: []float64{0.45, 0.15, -0.02}, High: []float64{0.6, 0.27, 0.08}},
			{Name: "total", Values: []float64{0.66, 0.3, 0.06},
				Low: []float64{0.58, 0.24, 0.02}, High: []float64{0.74, 0.37, 0.11}},
		},
	}
}

// morrisBars has 6 factors with 30-character dotted names, no intervals,
// and one factor whose sigma could not be estimated.
func morrisBars() Bars {
	return Bars{
		Title:  "Morris screening",
		YLabel: "elementary effect",
		Labels: []string{
			"platforms.laiwang.appeal_bonus",
			"platforms.wechat.switching_cost",
			"population.network.mean_degree",
			"population.network.rewire_prob",
			"platforms.laiwang.launch_weeks",
			"population.agents.conformity_k",
		},
		Series: []BarSeries{
			{Name: "mu*", Values: []float64{0.41, 0.33, 0.18, 0.09, 0.05, 0.02}},
			{Name: "sigma", Values: []float64{0.22, 0.30, 0.11, math.NaN(), 0.04, 0.01}},
		},
	}
}

// calibrationFit is two platforms' simulated adopters over a year against
// four observed data points each.
func calibrationFit() FitData {
	bc := bandsChart()
	return FitData{
		Lines: Lines{
			Title:  "Calibration: adopters vs reported users",
			XLabel: "week",
			YLabel: "users",
			X:      bc.X,
			Curves: bc.Curves,
		},
		Observed: []PointSet{
			{Name: "Signal", X: []float64{8, 20, 33, 50}, Y: []float64{28, 77, 118, 131}},
			{Name: "Threema", X: []float64{12, 26, 40, 52}, Y: []float64{13, 44, 67, 92}},
		},
	}
}

func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		name  string
		chart Chart
	}{
		{"single_run", singleRunChart()},
		{"bands", bandsChart()},
		{"shares", sharesChart()},
		{"heatmap", sweepHeatmap()},
		{"heatmap_gaps", gappyHeatmap()},
		{"bars", sobolBars()},
		{"bars_long_names", morrisBars()},
		{"fit", calibrationFit()},
		{"record", recordChart()},
		{"split", splitChart()},
	} {
		for _, format := range Formats {
			t.Run(tc.name+"."+format.String(), func(t *testing.T) {
				var buf bytes.Buffer
				if err := Render(tc.chart, format, &buf); err != nil {
					t.Fatal(err)
				}
				goldenPath := filepath.Join("testdata", tc.name+".golden."+format.String())
				if golden.Update() {
					if err := os.WriteFile(goldenPath, buf.Bytes(), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(goldenPath)
				if err != nil {
					t.Fatalf("%v (run go test -run Golden ./output/chart/ -update to create it)", err)
				}
				// Approximate for PNG: anti-aliasing may differ in the last
				// bit across CPU architectures.
				ok, err := cmpimg.EqualApprox(format.String(), buf.Bytes(), want, 0.01)
				if err != nil {
					t.Fatal(err)
				}
				if !ok {
					got := filepath.Join(os.TempDir(), "msgsim_"+tc.name+".got."+format.String())
					_ = os.WriteFile(got, buf.Bytes(), 0o644)
					t.Errorf("%v differs from golden %s (got written to %s; rerun with -update if the change is intended)", format, goldenPath, got)
				}
			})
		}
	}
}

// checkErrors renders with every format and wants exactly the message want
// and nothing written.
func checkErrors(t *testing.T, c Chart, want string) {
	t.Helper()
	for _, format := range Formats {
		var buf bytes.Buffer
		err := Render(c, format, &buf)
		if err == nil || err.Error() != want {
			t.Errorf("%v: error = %v, want %q", format, err, want)
		}
		if buf.Len() != 0 {
			t.Errorf("%v: wrote %d bytes despite the error", format, buf.Len())
		}
	}
}

// checkRenders renders in every format and wants no error and no NaN or
// Inf coordinates in the SVG.
func checkRenders(t *testing.T, c Chart) {
	t.Helper()
	for _, format := range Formats {
		var buf bytes.Buffer
		if err := Render(c, format, &buf); err != nil {
			t.Errorf("%v: %v", format, err)
		}
		if format == SVG && (strings.Contains(buf.String(), "NaN") || strings.Contains(buf.String(), "Inf")) {
			t.Errorf("SVG has NaN or Inf coordinates")
		}
	}
}

func TestHeatmapErrors(t *testing.T) {
	nan := math.NaN()
	ok := sweepHeatmap()
	with := func(f func(h *Heatmap)) Heatmap {
		h := sweepHeatmap()
		f(&h)
		return h
	}
	for _, tc := range []struct {
		name string
		h    Heatmap
		want string
	}{
		{"empty", Heatmap{}, `heatmap: X is empty`},
		{"empty Y", Heatmap{Title: "Sweep", X: []float64{1}}, `heatmap "Sweep": Y is empty`},
		{"no Z", Heatmap{Title: "Sweep", X: []float64{1, 2}, Y: []float64{1}}, `heatmap "Sweep": Z has 0 rows, Y has 1 values`},
		{"Z rows", with(func(h *Heatmap) { h.Z = h.Z[:3] }),
			`heatmap "Entrant share after 2 years": Z has 3 rows, Y has 4 values`},
		{"ragged Z", with(func(h *Heatmap) { h.Z[2] = h.Z[2][:4] }),
			`heatmap "Entrant share after 2 years": Z row 2 has 4 values, X has 5`},
		{"ragged boundary", with(func(h *Heatmap) { h.Boundary[1] = append(h.Boundary[1], 0.5) }),
			`heatmap "Entrant share after 2 years": Boundary row 1 has 6 values, X has 5`},
		{"boundary rows", with(func(h *Heatmap) { h.Boundary = [][]float64{} }),
			`heatmap "Entrant share after 2 years": Boundary has 0 rows, Y has 4 values`},
		{"NaN level", with(func(h *Heatmap) { h.BoundaryLevel = nan }),
			`heatmap "Entrant share after 2 years": BoundaryLevel is NaN`},
		{"NaN X", with(func(h *Heatmap) { h.X[1] = nan }),
			`heatmap "Entrant share after 2 years": X[1] is NaN`},
		{"unsorted Y", with(func(h *Heatmap) { h.Y[2] = 0.1 }),
			`heatmap "Entrant share after 2 years": Y must be strictly increasing, but Y[2] = 0.1 follows Y[1] = 0.1`},
		{"Inf ZMax", with(func(h *Heatmap) { h.ZMax = ptr(math.Inf(1)) }),
			`heatmap "Entrant share after 2 years": ZMax is +Inf`},
		{"empty Z range", with(func(h *Heatmap) { h.ZMin, h.ZMax = ptr(1), ptr(0) }),
			`heatmap "Entrant share after 2 years": ZMin (1) must be less than ZMax (0)`},
	} {
		t.Run(tc.name, func(t *testing.T) { checkErrors(t, tc.h, tc.want) })
	}
	// The cases above must fail for the stated reason only.
	if err := Render(ok, SVG, io.Discard); err != nil {
		t.Fatal(err)
	}
}

func TestBarsErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		b    Bars
		want string
	}{
		{"empty", Bars{}, `bar chart: no factors to plot (Labels is empty)`},
		{"no series", Bars{Title: "Sobol", Labels: []string{"a"}}, `bar chart "Sobol": no series to plot`},
		{"short values", Bars{Title: "Sobol", Labels: []string{"a", "b"}, Series: []BarSeries{{Name: "S1", Values: []float64{1}}}},
			`bar chart "Sobol": series "S1": Values has 1 values, Labels has 2`},
		{"unnamed", Bars{Labels: []string{"a"}, Series: []BarSeries{{Values: []float64{1}}, {Values: nil}}},
			`bar chart: series #1: Values has 0 values, Labels has 1`},
		{"low only", Bars{Labels: []string{"a"}, Series: []BarSeries{{Name: "S1", Values: []float64{1}, Low: []float64{0}}}},
			`bar chart: series "S1": Low and High must both be set or both be nil`},
		{"long high", Bars{Labels: []string{"a"}, Series: []BarSeries{{Name: "S1", Values: []float64{1}, Low: []float64{0}, High: []float64{1, 2}}}},
			`bar chart: series "S1": High has 2 values, Labels has 1`},
	} {
		t.Run(tc.name, func(t *testing.T) { checkErrors(t, tc.b, tc.want) })
	}
}

func TestFitErrors(t *testing.T) {
	with := func(f func(fit *FitData)) FitData {
		fit := calibrationFit()
		f(&fit)
		return fit
	}
	for _, tc := range []struct {
		name string
		f    FitData
		want string
	}{
		{"empty", FitData{}, `fit chart: no curves to plot`},
		{"empty X", FitData{Lines: Lines{Title: "Calibration", Curves: []Curve{{Name: "Signal"}}}}, `fit chart "Calibration": X is empty`},
		{"short mean", with(func(f *FitData) { f.Curves[1].Mean = f.Curves[1].Mean[:10] }),
			`fit chart "Calibration: adopters vs reported users": curve "Threema": Mean has 10 points, X has 53`},
		{"points lengths", with(func(f *FitData) { f.Observed[0].Y = f.Observed[0].Y[:3] }),
			`fit chart "Calibration: adopters vs reported users": points "Signal": X has 4 values, Y has 3`},
		{"unknown name", with(func(f *FitData) { f.Observed[1].Name = "Threma" }),
			`fit chart "Calibration: adopters vs reported users": points "Threma": no curve has that name`},
		{"unnamed points", with(func(f *FitData) { f.Observed[1].Name = "" }),
			`fit chart "Calibration: adopters vs reported users": points #1: Name is empty (it must match a curve's)`},
	} {
		t.Run(tc.name, func(t *testing.T) { checkErrors(t, tc.f, tc.want) })
	}
}

func TestSave(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		kind         string
		chart, bad   Chart
		wantW, wantH int
	}{
		{"lines", bandsChart(), Lines{Title: "Adoption"}, 945, 591},
		{"heatmap", sweepHeatmap(), Heatmap{}, 945, 768},
		{"bars", sobolBars(), Bars{}, 945, 591},
		{"fit", calibrationFit(), FitData{}, 945, 591},
	} {
		t.Run(tc.kind, func(t *testing.T) {
			for ext, want := range map[string]string{
				".bmp": `unsupported plot format ".bmp" (use png or svg)`,
				".pdf": `unsupported plot format ".pdf" (use png or svg)`, // the CLI offers no PDF
				"":     `unsupported plot format "" (use png or svg)`,
			} {
				path := filepath.Join(dir, tc.kind+ext)
				if err := Save(tc.chart, path); err == nil || err.Error() != want {
					t.Errorf("Save(%q) error = %v, want %q", ext, err, want)
				}
				if _, err := os.Stat(path); !os.IsNotExist(err) {
					t.Errorf("Save(%q) created a file (stat error %v)", ext, err)
				}
			}
			// An invalid chart must not leave a file behind either.
			bad := filepath.Join(dir, tc.kind+"_bad.png")
			if err := Save(tc.bad, bad); err == nil {
				t.Error("empty chart accepted")
			}
			if _, err := os.Stat(bad); !os.IsNotExist(err) {
				t.Errorf("empty chart: created a file (stat error %v)", err)
			}
			for ext, magic := range map[string]string{".png": "\x89PNG", ".svg": "<?xml", ".SVG": "<?xml", ".PNG": "\x89PNG"} {
				path := filepath.Join(dir, tc.kind+ext)
				if ext == ".SVG" || ext == ".PNG" {
					path = filepath.Join(dir, tc.kind+"_upper"+ext)
				}
				if err := Save(tc.chart, path); err != nil {
					t.Errorf("%s: %v", ext, err)
					continue
				}
				b, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.HasPrefix(b, []byte(magic)) {
					t.Errorf("%s: wrote %.10q, want prefix %q", ext, b, magic)
				}
				// PNGs are 16cm wide at 150 dpi.
				if ext == ".png" {
					if w, h := pngSize(t, b); w != tc.wantW || h != tc.wantH {
						t.Errorf("PNG is %dx%d pixels, want %dx%d", w, h, tc.wantW, tc.wantH)
					}
				}
			}
		})
	}
	if err := Render(sobolBars(), Format(7), io.Discard); err == nil || err.Error() != `unsupported plot format Format(7)` {
		t.Errorf("Render(Format(7)) error = %v", err)
	}
}

func TestFormatOf(t *testing.T) {
	for in, want := range map[string]Format{"png": PNG, ".svg": SVG, "SVG": SVG, ".PNG": PNG} {
		if got, err := FormatOf(in); err != nil || got != want {
			t.Errorf("FormatOf(%q) = %v, %v, want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"pdf", "gif", "", "..png"} {
		if _, err := FormatOf(in); err == nil {
			t.Errorf("FormatOf(%q) accepted", in)
		}
	}
}

// noDataFill is how vgsvg writes a fill in noDataColor.
const noDataFill = "fill:#D0D0D0"

func TestHeatmapNaNCells(t *testing.T) {
	svg := func(h Heatmap) string {
		t.Helper()
		var buf bytes.Buffer
		if err := Render(h, SVG, &buf); err != nil {
			t.Fatal(err)
		}
		if err := Render(h, PNG, io.Discard); err != nil {
			t.Fatal(err)
		}
		return buf.String()
	}
	if s := svg(sweepHeatmap()); strings.Contains(s, noDataFill) || strings.Contains(s, "no data") {
		t.Error("a heat map without NaN shows no-data cells or legend")
	}

	// Two NaN/Inf cells, each also repainted over the boundary, plus the
	// legend swatch.
	s := svg(gappyHeatmap())
	if got := strings.Count(s, noDataFill); got != 5 {
		t.Errorf("found %d no-data fills, want 5 (2 cells, 2 repainted, 1 legend swatch)", got)
	}
	if !strings.Contains(s, "no data") {
		t.Error(`no "no data" legend entry`)
	}

	nan := math.NaN()
	allNaN := Heatmap{Title: "Failed", X: []float64{1, 2}, Y: []float64{1, 2},
		Z:        [][]float64{{nan, nan}, {nan, nan}},
		Boundary: [][]float64{{nan, nan}, {nan, nan}}, BoundaryLevel: 0.5, BoundaryLabel: "tipping"}
	s = svg(allNaN)
	if !strings.Contains(s, "tipping (not reached)") {
		t.Error(`all-NaN boundary not labelled "(not reached)"`)
	}
	if got := strings.Count(s, noDataFill); got != 5 {
		t.Errorf("found %d no-data fills, want 5 (4 cells, 1 legend swatch; no boundary, so no repainting)", got)
	}
}

func TestHeatmapDegenerate(t *testing.T) {
	grid := func(nx, ny int, f func(i, j int) float64) Heatmap {
		h := Heatmap{Title: fmt.Sprintf("%dx%d", nx, ny)}
		for j := range nx {
			h.X = append(h.X, float64(j))
		}
		for i := range ny {
			h.Y = append(h.Y, math.Pow(2, float64(i)))
			var row []float64
			for j := range nx {
				row = append(row, f(i, j))
			}
			h.Z = append(h.Z, row)
		}
		h.Boundary = h.Z
		h.BoundaryLevel = 0.5
		return h
	}
	for _, tc := range []struct {
		name string
		h    Heatmap
	}{
		{"single cell", grid(1, 1, func(i, j int) float64 { return 0.3 })},
		{"single row", grid(4, 1, func(i, j int) float64 { return float64(j) / 3 })},
		{"single column", grid(1, 4, func(i, j int) float64 { return float64(i) / 3 })},
		{"constant", grid(3, 3, func(i, j int) float64 { return 0.5 })},
		{"constant zero", grid(3, 3, func(i, j int) float64 { return 0 })},
		{"only ZMin above data", func() Heatmap {
			h := grid(3, 3, func(i, j int) float64 { return float64(i + j) })
			h.ZMin = ptr(10)
			return h
		}()},
		{"only ZMax below data", func() Heatmap {
			h := grid(3, 3, func(i, j int) float64 { return float64(i + j) })
			h.ZMax = ptr(-10)
			return h
		}()},
		{"huge", grid(3, 3, func(i, j int) float64 { return float64(i-j) * 1e307 })},
		{"level outside", func() Heatmap {
			h := grid(3, 3, func(i, j int) float64 { return float64(i + j) })
			h.BoundaryLevel = 100
			return h
		}()},
		{"many cells", grid(40, 30, func(i, j int) float64 { return math.Sin(float64(i)/5) * math.Cos(float64(j)/7) })},
		{"checkerboard NaN", grid(6, 6, func(i, j int) float64 {
			if (i+j)%2 == 0 {
				return math.NaN()
			}
			return float64(i*j) / 25
		})},
	} {
		t.Run(tc.name, func(t *testing.T) { checkRenders(t, tc.h) })
	}
}

func TestBarsAndFitDegenerate(t *testing.T) {
	nan := math.NaN()
	many := Bars{Title: "Many"}
	for i := range 20 {
		many.Labels = append(many.Labels, fmt.Sprintf("population.factor_number_%02d.value", i))
	}
	for s := range 9 {
		ser := BarSeries{Name: fmt.Sprint("s", s)}
		for i := range many.Labels {
			ser.Values = append(ser.Values, float64(i*s%7))
		}
		many.Series = append(many.Series, ser)
	}
	for _, tc := range []struct {
		name  string
		chart Chart
	}{
		{"bars all NaN", Bars{Labels: []string{"a", "b"}, Series: []BarSeries{{Name: "x", Values: []float64{nan, nan},
			Low: []float64{nan, 1}, High: []float64{nan, nan}}}}},
		{"bars negative", Bars{Labels: []string{"a", "b"}, Series: []BarSeries{{Name: "x", Values: []float64{-0.2, 0.5},
			Low: []float64{-0.4, 0.6}, High: []float64{0.1, 0.4}}}}}, // Low > High is drawn, not rejected
		{"bars all zero, unnamed", Bars{Labels: []string{""}, Series: []BarSeries{{Values: []float64{0}}}}},
		{"bars many", many},
		{"bars Inf", Bars{Labels: []string{"a"}, Series: []BarSeries{{Name: "x", Values: []float64{math.Inf(1)}}}}},
		{"fit NaN points", FitData{Lines: Lines{X: []float64{0, 1, 2}, Curves: []Curve{{Name: "a", Mean: []float64{1, nan, 3}}}},
			Observed: []PointSet{{Name: "a", X: []float64{nan, 5, -1}, Y: []float64{1, nan, 2}}, {Name: "a"}}}},
		{"fit no points", FitData{Lines: Lines{X: []float64{0, 1}, Curves: []Curve{{Mean: []float64{1, 2}}}}}},
		{"fit points outside", FitData{Lines: Lines{X: []float64{0, 1}, Curves: []Curve{{Name: "a", Mean: []float64{1, 2}}}},
			Observed: []PointSet{{Name: "a", X: []float64{-5, 10}, Y: []float64{-3, 1e6}}}}},
	} {
		t.Run(tc.name, func(t *testing.T) { checkRenders(t, tc.chart) })
	}
}

func TestFitLegend(t *testing.T) {
	var buf bytes.Buffer
	if err := Render(calibrationFit(), SVG, &buf); err != nil {
		t.Fatal(err)
	}
	s := buf.String()
	last := -1
	for _, want := range []string{"Signal (simulated)", "Signal (observed)", "Threema (simulated)", "Threema (observed)"} {
		i := strings.Index(s, want)
		if i < 0 {
			t.Errorf("legend entry %q missing", want)
			continue
		}
		if i < last {
			t.Errorf("legend entry %q out of order", want)
		}
		last = i
	}
}

func TestCleanLabels(t *testing.T) {
	for _, tc := range []struct {
		in   []float64
		want string
	}{
		{[]float64{0, 0.1, 0.2, 0.30000000000000004}, "0 0.1 0.2 0.3"},
		{[]float64{0.8, 0.9, 1, 1.1, 1.2}, "0.8 0.9 1 1.1 1.2"},
		{[]float64{1000, 2500, 10000, 1e5, 2.5e6}, "1,000 2,500 10k 100k 2.5M"},
		{[]float64{0.001, 0.003, 0.01}, "0.001 0.003 0.01"},
		{[]float64{1e-5, 1e-6}, "1e-05 1e-06"},
		{[]float64{-2, 0.5}, "-2 0.5"},
		{[]float64{1.23456789, 1.2346}, "1.23457 1.2346"}, // distinct at 5 digits
		{[]float64{math.Pi, math.E}, "3.142 2.718"},
	} {
		if got := strings.Join(cleanLabels(tc.in), " "); got != tc.want {
			t.Errorf("cleanLabels(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestGridAxis(t *testing.T) {
	for _, tc := range []struct {
		v   []float64
		log bool
	}{
		{[]float64{0.001, 0.01, 0.1, 1}, true},
		{[]float64{1, 2, 4, 8, 16}, true},
		{[]float64{0.001, 0.003, 0.01, 0.03, 0.1}, true},
		{[]float64{0, 1, 10, 100}, false}, // 0 has no log
		{[]float64{1, 2, 3, 4}, false},
		{[]float64{0.8, 0.9, 1, 1.1}, false},
		{[]float64{1, 10}, false}, // too few to tell
	} {
		if got := newGridAxis(tc.v).log; got != tc.log {
			t.Errorf("newGridAxis(%v).log = %v, want %v", tc.v, got, tc.log)
		}
	}

	// More than maxGridTicks values: round ticks instead of one per value.
	var v []float64
	for i := range 25 {
		v = append(v, math.Pow(10, -3+float64(i)/6)) // 0.001 .. 10
	}
	a := newGridAxis(v)
	var labels []string
	for _, tk := range (gridTicks{a}).Ticks(a.coords[0], a.coords[len(v)-1]) {
		labels = append(labels, tk.Label)
	}
	if got, want := strings.Join(labels, " "), "0.001 0.01 0.1 1 10"; got != want {
		t.Errorf("log ticks = %q, want %q", got, want)
	}
	labels = labels[:0]
	for _, tk := range logTicks(math.Log10(2), math.Log10(40)) {
		labels = append(labels, tk.Label)
	}
	if got, want := strings.Join(labels, " "), "2 5 10 20"; got != want {
		t.Errorf("log ticks over 2..40 = %q, want %q", got, want)
	}
}

func TestFillGaps(t *testing.T) {
	nan := math.NaN()
	got, ok := fillGaps([][]float64{{1, nan, 3}, {nan, nan, nan}})
	if !ok {
		t.Fatal("not ok")
	}
	want := [][]float64{{1, 2, 3}, {1, 2, 3}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("fillGaps = %v, want %v", got, want)
	}
	if _, ok := fillGaps([][]float64{{nan, math.Inf(1)}}); ok {
		t.Error("fillGaps of an all-NaN field reported ok")
	}
}

func TestBarLabelsLegible(t *testing.T) {
	sty := text.Style{Font: font.From(sansFont, 9), Handler: plot.DefaultTextHandler}
	short := []string{"appeal", "degree", "cost"}
	if got, angle := layoutLabels(short, defaultWidth, sty); angle != 0 || strings.Join(got, ",") != strings.Join(short, ",") {
		t.Errorf("short labels changed: %q, angle %v", got, angle)
	}

	long := morrisBars().Labels
	groupW := (defaultWidth - 70) / vg.Length(len(long))
	got, angle := layoutLabels(long, defaultWidth, sty)
	if angle != 0 {
		t.Fatalf("6 factors with 30-character names were slanted, want wrapped: %q", got)
	}
	for i, l := range got {
		if strings.ReplaceAll(l, "\n", "") != long[i] {
			t.Errorf("wrapped label %q does not spell %q", l, long[i])
		}
		for _, line := range strings.Split(l, "\n") {
			if w := sty.Width(line); w > groupW {
				t.Errorf("line %q is %v wide, more than the %v per factor", line, w, groupW)
			}
		}
	}

	// Unbreakable names that do not fit are slanted rather than clipped:
	// as flat as possible, steeper when the groups are narrow or the
	// first names are long.
	for _, tc := range []struct {
		labels []string
		deg    float64
	}{
		{[]string{"short", strings.Repeat("x", 40), "y"}, 30},
		{[]string{strings.Repeat("x", 60), "y", "z"}, 60}, // would stick out far on the left
		{strings.Split(strings.Repeat("a_very_long_factor_name ", 12), " ")[:12], 30},
		{strings.Split(strings.Repeat("a_very_long_factor_name ", 20), " ")[:20], 45}, // 30 degrees would overlap
		{strings.Split(strings.Repeat("factor_name_that_is_long ", 40), " ")[:40], 90},
	} {
		if _, angle := layoutLabels(tc.labels, defaultWidth, sty); math.Abs(angle-tc.deg*math.Pi/180) > 1e-9 {
			t.Errorf("%d labels like %q slanted by %.0f degrees, want %v", len(tc.labels), tc.labels[0], angle*180/math.Pi, tc.deg)
		}
	}
}
