package main

import (
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"github.com/msgsim/msgsim/scenarios"
)

var screenshot = flag.String("explore-screenshot", "", "with TestExploreInBrowser: save a screenshot of the page to this PNG file (docs/explore.png)")

// findBrowser is the Chromium the browser test drives, or "" when none is installed.
func findBrowser() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	return ""
}

// TestExploreInBrowser drives the page in headless Chromium as a person would: moves a
// slider, runs, checks the drawn curves against the run's series.csv, pins the run as the
// baseline, runs a counterfactual, and downloads the YAML that msgsim run reproduces.
func TestExploreInBrowser(t *testing.T) {
	path := findBrowser()
	if path == "" {
		t.Skip("no Chromium installed (chromium, chromium-browser or google-chrome on PATH): this test needs one; on Debian, apt-get install -y chromium (.ci/run does)")
	}
	// The stylised duel put on a calendar, with a record beside it: the record's figures, the
	// dates and the interventions are drawn, and the downloaded YAML names the record's file.
	dir := t.TempDir()
	shipped, _ := scenarios.ShippedYAML("preinstall_duel")
	scenario := filepath.Join(dir, "laiwang.yaml")
	withRecord := string(shipped) + `start: 2011-01-21
record:
  file: figures.csv
  series:
    - {platform: wechat, metric: registered, series: registered}
    - {platform: wechat, metric: mau, series: active}
    - {platform: laiwang, metric: registered, series: registered}
`
	if err := os.WriteFile(scenario, []byte(withRecord), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "figures.csv"), readFile(t, "../../scenarios/data/china_messengers_2011_2015.csv"), 0o644); err != nil {
		t.Fatal(err)
	}
	url := startExplore(t, &ExploreOptions{Scenario: scenario})
	downloads := t.TempDir()

	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.WindowSize(1500, 1050))...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(alloc)
	defer cancel()
	var do doer = func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		step, cancel := context.WithTimeout(ctx, 60*time.Second)
		defer cancel()
		if err := chromedp.Do(step, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	eval := func(js string) {
		t.Helper()
		do(js, chromedp.Evaluate[chromedp.Void](js))
	}
	// Starting the browser: no timeout on the first action, which owns the browser.
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatalf("open the page: %v", err)
	}
	if _, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: downloads}); err != nil {
		t.Fatal(err)
	}
	do("controls", chromedp.WaitVisible(chromedp.CSS(`.field[data-path="platforms.laiwang.appeal"] input[type=range]`)))

	// Move a slider: Laiwang's appeal from 0.2 to 0.5.
	eval(`(() => { const r = document.querySelector('.field[data-path="platforms.laiwang.appeal"] input[type=range]');
		r.value = 0.5; r.dispatchEvent(new Event('input')); r.dispatchEvent(new Event('change')); })()`)
	do("the setting", chromedp.WaitVisible(chromedp.CSS(`.field.changed[data-path="platforms.laiwang.appeal"]`)))
	if sets := textOf(do, "#sets"); !strings.Contains(sets, "platforms.laiwang.appeal=0.5") {
		t.Fatalf("settings listed: %q", sets)
	}

	// A value out of range: the command line's message beside its control; removing the
	// setting clears it.
	eval(`(() => { const n = document.querySelector('.field[data-path="platforms.laiwang.churn"] input[type=number]');
		n.value = 2; n.dispatchEvent(new Event('change')); })()`)
	msg := result(do, "the refusal", chromedp.Poll[string](`document.querySelector('.field[data-path="platforms.laiwang.churn"] .err').textContent`))
	if want := "--set platforms.laiwang.churn=2: platforms.laiwang.churn: must be in [0, 1], got 2"; !strings.HasSuffix(msg, want) {
		t.Errorf("message beside the control: %q, want one ending in %q", msg, want)
	}
	eval(`Array.from(document.querySelectorAll('#sets li')).find(li => li.textContent.startsWith('platforms.laiwang.churn=')).querySelector('button').click()`)
	do("the setting removed", chromedp.Poll[chromedp.Void](`!document.querySelector('#sets').textContent.includes('churn') && document.querySelector('.field[data-path="platforms.laiwang.churn"] .err').textContent === ''`))

	// Run, and wait for the curves. The first is drawn within a second on 2 idle cores; the
	// bound leaves room for a machine busy with other tests.
	first := runOnPage(do)
	firstCurve, _ := strconv.Atoi(attr(do, "firstCurveMs"))
	t.Logf("first curve drawn %d ms after Run", firstCurve)
	if firstCurve <= 0 || firstCurve > 5000 {
		t.Errorf("first curve drawn %d ms after Run", firstCurve)
	}
	checkDrawnSeries(t, do, url, first)

	// Pin it; a counterfactual through the path=value box: a preinstall deal ten times larger.
	do("pin", chromedp.Click(chromedp.CSS("#pin")), chromedp.WaitVisible(chromedp.CSS("#unpin")))
	do("set", chromedp.SendKeys(chromedp.CSS("#set"), "interventions.1.share=0.2"), chromedp.Click(chromedp.CSS("#setbox button")))
	do("the setting", chromedp.WaitVisible(chromedp.CSS(`.field.changed[data-path="interventions.1.share"]`)))
	second := runOnPage(do)
	if second == first {
		t.Fatal("the counterfactual reused the baseline's run")
	}
	series := checkDrawnSeries(t, do, url, second)
	if n := countOf(do, `#chart-active path.baseline`); n != 2 {
		t.Errorf("%d baseline curves on the active users chart, want 2", n)
	}
	diff := textOf(do, `#diff tr[data-platform="laiwang"]`)
	if !strings.Contains(diff, "vs baseline") || !strings.Contains(diff, "(+") {
		t.Errorf("laiwang's differences: %q", diff)
	}
	if n := countOf(do, `#chart-active line.mark`); n != 4 {
		t.Errorf("%d date marks (a launch, three interventions), want 4", n)
	}
	checkDrawnRecord(t, do, scenario)
	if *screenshot != "" {
		do("scroll", chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`))
		png := result(do, "screenshot", chromedp.CaptureScreenshot())
		if err := os.WriteFile(*screenshot, png, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// Download the YAML of what is on screen; msgsim run on it gives the same series.csv.
	do("download", chromedp.Click(chromedp.CSS("#get-yaml")))
	yamlPath := waitForFile(t, downloads, ".yaml")
	out := filepath.Join(t.TempDir(), "rerun")
	if stdout, stderr, code := runCLI(t, "run", yamlPath, "-o", out, "--format", "csv", "--quiet"); code != 0 {
		t.Fatalf("msgsim run %s: %s%s", yamlPath, stdout, stderr)
	}
	if got := string(readFile(t, filepath.Join(out, "series.csv"))); got != series {
		t.Error("msgsim run on the downloaded scenario gives another series.csv than the page's")
	}
	do("download the series", chromedp.Click(chromedp.CSS("#get-csv")))
	if got := string(readFile(t, waitForFile(t, downloads, ".csv"))); got != series {
		t.Error("the downloaded series.csv is not the run's")
	}
	// The charts as drawn, in one standalone SVG file.
	do("download the charts", chromedp.Click(chromedp.CSS("#get-svg")))
	svg := string(readFile(t, waitForFile(t, downloads, ".svg")))
	if !strings.HasPrefix(svg, `<svg xmlns="http://www.w3.org/2000/svg"`) || strings.Count(svg, `class="rep"`) != 3*8*2 ||
		!strings.Contains(svg, "Preinstall duel: market share") {
		t.Errorf("charts.svg: %.300s", svg)
	}
}

// runOnPage clicks Run, waits for the run to complete and returns its id.
func runOnPage(do doer) string {
	before := attr(do, "run")
	do("run", chromedp.Click(chromedp.CSS("#run")))
	return result(do, "the run", chromedp.Poll[string](fmt.Sprintf(`document.body.dataset.state === 'done' && document.body.dataset.run !== %q && document.body.dataset.run`, before),
		chromedp.WithPollingTimeout(60*time.Second)))
}

// doer runs actions that return nothing, failing the test on an error.
type doer func(what string, actions ...chromedp.Action[chromedp.Void])

// result runs an action that returns a value.
func result[T any](do doer, what string, a chromedp.Action[T]) T {
	var v T
	do(what, func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		var err error
		v, err = a(ctx, tg)
		return chromedp.Void{}, err
	})
	return v
}

func attr(do doer, name string) string {
	return result(do, "read "+name, chromedp.Evaluate[string](`document.body.dataset.`+name+` || ''`))
}

func textOf(do doer, sel string) string {
	return result(do, "read "+sel, chromedp.TextContent(chromedp.CSS(sel)))
}

func countOf(do doer, sel string) int {
	return result(do, "count "+sel, chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll(%q).length`, sel)))
}

// drawnCurve is one replicate's curve of one platform as the page drew it.
type drawnCurve struct {
	Rep      int     `json:"rep"`
	Platform string  `json:"platform"`
	D        string  `json:"d"`
	Measure  string  `json:"measure"`
	X1       float64 `json:"x1"`
	Y1       float64 `json:"y1"`
	Left     float64 `json:"left"`
	Right    float64 `json:"right"`
	Top      float64 `json:"top"`
	Bottom   float64 `json:"bottom"`
}

// checkDrawnSeries checks every replicate's drawn active users and shares against the
// run's series.csv, point by point, and returns that file.
func checkDrawnSeries(t *testing.T, do doer, url, id string) string {
	t.Helper()
	resp, err := http.Get(url + "api/runs/" + id + "/series.csv")
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	rows, err := csv.NewReader(strings.NewReader(string(data))).ReadAll()
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("series.csv: %d %v", resp.StatusCode, err)
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	type key struct {
		rep      int
		platform string
		step     int
	}
	users, shares := map[key]float64{}, map[key]float64{}
	for _, row := range rows[1:] {
		rep, _ := strconv.Atoi(row[col["replicate"]])
		step, _ := strconv.Atoi(row[col["step"]])
		k := key{rep, row[col["platform"]], step}
		users[k], _ = strconv.ParseFloat(row[col["users"]], 64)
		shares[k], _ = strconv.ParseFloat(row[col["share"]], 64)
	}
	curves := result(do, "drawn curves", chromedp.Evaluate[[]drawnCurve](`Array.from(document.querySelectorAll('#chart-active path.rep, #chart-share path.rep'), p => {
		const s = p.ownerSVGElement.dataset;
		return {rep: +p.dataset.rep, platform: p.dataset.platform, d: p.getAttribute('d'), measure: s.measure,
			x1: +s.x1, y1: +s.y1, left: +s.left, right: +s.right, top: +s.top, bottom: +s.bottom};
	})`))
	factor := 0.025 // the default scenario's 25,000 people per agent, in millions
	points := 0
	for _, c := range curves {
		coords := strings.Fields(strings.NewReplacer("M", " ", "L", " ").Replace(c.D))
		for i := 0; i+1 < len(coords); i += 2 {
			x, errX := strconv.ParseFloat(coords[i], 64)
			y, errY := strconv.ParseFloat(coords[i+1], 64)
			if errX != nil || errY != nil {
				t.Fatalf("path %q: %v %v", c.D, errX, errY)
			}
			step := int(math.Round((x - c.Left) / (c.Right - c.Left) * c.X1))
			want := users[key{c.Rep, c.Platform, step}] * factor
			if c.Measure == "share" {
				want = shares[key{c.Rep, c.Platform, step}]
			}
			wantY := c.Bottom - want/c.Y1*(c.Bottom-c.Top)
			if math.Abs(y-wantY) > 0.006 {
				t.Fatalf("%s of %s replicate %d at step %d drawn at y %g, series.csv says %g (y %g)", c.Measure, c.Platform, c.Rep, step, y, want, wantY)
			}
			points++
		}
	}
	// The default scenario: 8 replicates, 2 platforms, 161 steps; shares start once
	// someone uses something.
	if points < 2*8*161+2*8*150 {
		t.Errorf("only %d points drawn", points)
	}
	return string(data)
}

// checkDrawnRecord checks that the record's figures are drawn where msgsim run draws them.
func checkDrawnRecord(t *testing.T, do doer, scenario string) {
	t.Helper()
	sc, err := scenarios.Load(scenario, []string{"platforms.laiwang.appeal=0.5", "interventions.1.share=0.2"})
	if err != nil {
		t.Fatal(err)
	}
	want := exploreRecord(sc)
	type circle struct {
		Measure                                  string
		Cx, Cy, X1, Y1, Left, Right, Top, Bottom float64
	}
	drawn := result(do, "record points", chromedp.Evaluate[[]circle](`Array.from(document.querySelectorAll('circle.record'), c => {
		const s = c.ownerSVGElement.dataset;
		return {Measure: s.measure, Cx: +c.getAttribute('cx'), Cy: +c.getAttribute('cy'), X1: +s.x1, Y1: +s.y1, Left: +s.left, Right: +s.right, Top: +s.top, Bottom: +s.bottom};
	})`))
	if len(want) < 5 || len(drawn) != len(want) {
		t.Fatalf("%d record points drawn, the record has %d", len(drawn), len(want))
	}
	for i, p := range want {
		c := drawn[i]
		x := c.Left + p.Step/c.X1*(c.Right-c.Left)
		y := c.Bottom - p.Value/c.Y1*(c.Bottom-c.Top)
		if c.Measure != p.Measure || math.Abs(c.Cx-x) > 0.01 || math.Abs(c.Cy-y) > 0.01 {
			t.Errorf("record point %d (%+v) drawn at %+v", i, p, c)
		}
	}
}

// waitForFile waits for a finished download ending in suffix in dir.
func waitForFile(t *testing.T, dir, suffix string) string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), suffix) {
				return filepath.Join(dir, e.Name())
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no %s downloaded to %s", suffix, dir)
	return ""
}
