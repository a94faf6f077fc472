package explore

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/msgsim/msgsim/internal/evaluate"
	"github.com/msgsim/msgsim/output"
	"github.com/msgsim/msgsim/scenarios"
)

// small is a scenario that runs in milliseconds, with a launch and two interventions.
const small = `name: Small market
seed: 5
replicates: 3
agents: 400
steps: 30
time_unit: week
scale: 1000
graph: {kind: watts_strogatz, k: 6, beta: 0.2}
platforms:
  alpha: {appeal: 0.4, p: 0.05, q: 0.5, churn: 0.01}
  beta: {launch: 3, appeal: 0.5, p: 0.02, q: 0.5}
interventions:
  - {kind: preinstall, platform: beta, at: 4, share: 0.1, active: true}
  - {kind: marketing, platform: beta, at: 6, until: 9, p: 0.05}
`

// testServer serves the scenario text (written to a temporary directory, so that it has one).
type testServer struct {
	*httptest.Server
	srv  *Server
	host string
	dir  string
}

func newTestServer(t *testing.T, yaml string, opts Options) *testServer {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "market.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	base, err := scenarios.LoadBase(path)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	opts.Base, opts.Dir, opts.Addr = base, dir, ln.Addr().String()
	srv, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewUnstartedServer(srv)
	hs.Listener.Close()
	hs.Listener = ln
	hs.Start()
	t.Cleanup(func() { hs.CloseClientConnections(); hs.Close(); srv.Close() })
	return &testServer{Server: hs, srv: srv, host: ln.Addr().String(), dir: dir}
}

// post sends body to path and returns the status and the body.
func (ts *testServer) post(t *testing.T, path, body string) (int, string) {
	t.Helper()
	resp, err := ts.Client().Post(ts.URL+path, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(data)
}

func (ts *testServer) get(t *testing.T, path string) (int, string) {
	t.Helper()
	resp, err := ts.Client().Get(ts.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(data)
}

func TestScenarioDescription(t *testing.T) {
	ts := newTestServer(t, small, Options{})
	status, body := ts.post(t, "/api/scenario", `{"sets": ["platforms.beta.appeal=0.7", "interventions.1.kind=ban", "interventions.1.appeal_change=-0.1", "seed=18446744073709551615"]}`)
	if status != http.StatusOK {
		t.Fatalf("status %d: %s", status, body)
	}
	var d description
	if err := json.Unmarshal([]byte(body), &d); err != nil {
		t.Fatal(err)
	}
	if d.Name != "Small market" || d.Steps != 30 || d.Replicates != 3 || !slices.Equal(d.Platforms, []string{"alpha", "beta"}) || d.Unit != (unitJSON{"people", 1000}) {
		t.Errorf("description %+v", d)
	}
	fields := map[string]fieldJSON{}
	for _, f := range d.Fields {
		fields[f.Path] = f
	}
	appeal := fields["platforms.beta.appeal"]
	if appeal.Value != 0.7 || appeal.Group != "platform beta" || appeal.Kind != "number" || *appeal.Min != -1e6 || *appeal.Max != 1e6 || !appeal.Used {
		t.Errorf("platforms.beta.appeal: %+v", appeal)
	}
	if f := fields["platforms.beta.churn"]; *f.Min != 0 || *f.Max != 1 {
		t.Errorf("churn range %v, %v", *f.Min, *f.Max)
	}
	if f := fields["seed"]; f.Value != "18446744073709551615" || f.Kind != "integer" || *f.Min != 0 {
		t.Errorf("seed: %+v", f)
	}
	if f := fields["decision.rule"]; !slices.Equal(f.Words, []string{"logit", "threshold", "bass"}) || f.Group != "decision" {
		t.Errorf("decision.rule: %+v", f)
	}
	// The intervention turned into a ban: its group says so, and p is no longer used.
	if f := fields["interventions.1.p"]; f.Used || f.Group != "intervention 1: ban beta" {
		t.Errorf("interventions.1.p: %+v", f)
	}
	if f := fields["interventions.1.at"]; !f.Step || f.Value != 6.0 || f.Min != nil {
		t.Errorf("interventions.1.at: %+v", f)
	}
	want := []mark{{Step: 3, Label: "beta launch"}, {Step: 4, Label: "beta preinstall"}, {Step: 6, Until: 9, Label: "beta ban"}}
	if !slices.Equal(d.Marks, want) {
		t.Errorf("marks %+v, want %+v", d.Marks, want)
	}
	if d.Record == nil || len(d.Record) != 0 {
		t.Errorf("record %v, want an empty list", d.Record)
	}
}

// The record hook: points the Record option gives are in the description.
func TestRecordHook(t *testing.T) {
	ts := newTestServer(t, small, Options{Record: func(sc *scenarios.Scenario) []RecordPoint {
		return []RecordPoint{{Platform: "beta", Measure: "active", Step: 10, Value: 42}}
	}})
	_, body := ts.post(t, "/api/scenario", `{}`)
	if !strings.Contains(body, `"record":[{"platform":"beta","measure":"active","step":10,"value":42}]`) {
		t.Errorf("record missing: %s", body)
	}
}

// Hostile and broken requests get a status and a message, never a panic or a run.
func TestRefusedRequests(t *testing.T) {
	ts := newTestServer(t, small, Options{Check: func(sc *scenarios.Scenario) error {
		if sc.Config.Agents > 100_000 {
			return fmt.Errorf("scenario %s needs about 9.9 GB but only 1 GB is available", sc.Source)
		}
		return nil
	}})
	scenario := filepath.Join(ts.dir, "market.yaml")
	outside := filepath.Join(t.TempDir(), "edges.txt")
	if err := os.WriteFile(outside, []byte("0 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(ts.dir, "link.txt")); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, path, body string
		status           int
		want             string
	}{
		{"unknown path", "/api/scenario", `{"sets": ["platforms.beta.apeal=0.4"]}`, 400,
			`{"error":"--set platforms.beta.apeal=0.4: platforms.beta.apeal: unknown field \"apeal\"; did you mean \"appeal\"? (valid fields: launch, appeal, p, q, network_weight, switching_cost, investment_rate, churn, layer_weights)","path":"platforms.beta.apeal"}`},
		{"out of range", "/api/scenario", `{"sets": ["platforms.beta.churn=2"]}`, 400,
			`{"error":"--set platforms.beta.churn=2: platforms.beta.churn: must be in [0, 1], got 2","path":"platforms.beta.churn"}`},
		{"huge agents", "/api/runs", `{"page": "p1", "sets": ["agents=100000000"]}`, 400,
			`{"error":"scenario ` + scenario + ` needs about 9.9 GB but only 1 GB is available"}`},
		{"too many agents to validate", "/api/runs", `{"page": "p1", "sets": ["agents=1e12"]}`, 400, ""},
		{"no page", "/api/runs", `{"sets": []}`, 400, `{"error":"page must be 1 to 64 letters, digits, - or _"}`},
		{"not JSON", "/api/scenario", `sets=1`, 400, ""},
		{"unknown key", "/api/scenario", `{"set": []}`, 400, ""},
		{"two objects", "/api/scenario", `{} {}`, 400, `{"error":"request body must hold one JSON object"}`},
		{"oversized body", "/api/scenario", `{"sets": ["name=` + strings.Repeat("x", MaxBodyBytes) + `"]}`, 413, `{"error":"request body larger than 65536 bytes"}`},
		{"too many settings", "/api/scenario", `{"sets": [` + strings.Repeat(`"seed=1",`, MaxSets) + `"seed=2"]}`, 400, `{"error":"at most 256 settings, got 257"}`},
		{"file outside", "/api/scenario", `{"sets": ["graph.kind=file", "graph.path=` + outside + `"]}`, 400,
			`{"error":"graph.path: \"` + outside + `\" is not a file inside the scenario's directory; the page reads no other files","path":"graph.path"}`},
		{"file above", "/api/scenario", `{"sets": ["graph.kind=file", "graph.path=../edges.txt"]}`, 400,
			`{"error":"graph.path: \"../edges.txt\" is not a file inside the scenario's directory; the page reads no other files","path":"graph.path"}`},
		{"link outside", "/api/scenario", `{"sets": ["graph.kind=file", "graph.path=link.txt"]}`, 400,
			`{"error":"graph.path: \"link.txt\" leads outside the scenario's directory; the page reads no other files","path":"graph.path"}`},
		{"file outside, tagged", "/api/scenario", `{"sets": ["graph.kind=file", "graph.path=!!str ` + outside + `"]}`, 400,
			`{"error":"graph.path: \"` + outside + `\" is not a file inside the scenario's directory; the page reads no other files","path":"graph.path"}`},
		{"record outside", "/api/scenario", `{"sets": ["record.file=../figures.csv"]}`, 400,
			`{"error":"record.file: \"../figures.csv\" is not a file inside the scenario's directory; the page reads no other files","path":"record.file"}`},
		{"not a file name", "/api/scenario", `{"sets": ["graph.path=[1, 2]"]}`, 400,
			`{"error":"graph.path: must be a file name, got \"[1, 2]\"","path":"graph.path"}`},
		{"a section at once", "/api/scenario", `{"sets": ["graph={kind: file, path: ` + outside + `}"]}`, 400,
			`{"error":"graph: set its fields one at a time (e.g. graph.beta=...)","path":"graph"}`},
		{"an item at once", "/api/scenario", `{"sets": ["interventions.0={kind: seed}"]}`, 400,
			`{"error":"interventions.0: set its fields one at a time (e.g. interventions.0.active=...)","path":"interventions.0"}`},
		{"unknown run", "/api/runs/99/stop", ``, 404, `{"error":"no run \"99\" (runs are kept while the server runs, the last 16 finished ones)"}`},
		{"unknown route", "/api/nothing", `{}`, 404, `{"error":"no POST /api/nothing in msgsim explore's API"}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			status, body := ts.post(t, c.path, c.body)
			if status != c.status || c.want != "" && strings.TrimSpace(body) != c.want {
				t.Errorf("got %d %s\nwant %d %s", status, body, c.status, c.want)
			}
			if c.status == 400 && !strings.HasPrefix(body, `{"error":"`) {
				t.Errorf("a 400 without a message: %s", body)
			}
		})
	}
	if n := len(ts.srv.runs); n != 0 {
		t.Errorf("%d runs started by refused requests", n)
	}
}

// Requests naming another host, or coming from another page, are refused: a DNS-rebinding
// page reaches the server under its own name.
func TestForeignHostAndOrigin(t *testing.T) {
	ts := newTestServer(t, small, Options{})
	_, port, _ := net.SplitHostPort(ts.host)
	for _, c := range []struct {
		host, origin string
		status       int
		want         string
	}{
		{ts.host, "", 200, ""},
		{"localhost:" + port, "http://localhost:" + port, 200, ""},
		{"evil.example:" + port, "", 403, `{"error":"host \"evil.example:` + port + `\" is not this server's address (` + ts.host + `); refused"}`},
		{"127.0.0.1:1", "", 403, `{"error":"host \"127.0.0.1:1\" is not this server's address (` + ts.host + `); refused"}`},
		{ts.host, "http://evil.example", 403, `{"error":"origin \"http://evil.example\" is not this server's page; refused"}`},
		{ts.host, "null", 403, `{"error":"origin \"null\" is not this server's page; refused"}`},
	} {
		req, _ := http.NewRequest("POST", ts.URL+"/api/scenario", strings.NewReader("{}"))
		req.Host = c.host
		if c.origin != "" {
			req.Header.Set("Origin", c.origin)
		}
		resp, err := ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != c.status || c.want != "" && strings.TrimSpace(string(body)) != c.want {
			t.Errorf("host %s origin %q: got %d %s, want %d %s", c.host, c.origin, resp.StatusCode, body, c.status, c.want)
		}
	}
}

// event is one Server-Sent Event.
type event struct {
	name string
	data json.RawMessage
}

// readEvents reads a stream until it ends, or until stop says so.
func readEvents(t *testing.T, body io.Reader, stop func(event) bool) []event {
	t.Helper()
	var out []event
	sc := bufio.NewScanner(body)
	sc.Buffer(nil, 1<<24)
	var e event
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "event: "):
			e.name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			e.data = json.RawMessage(strings.TrimPrefix(line, "data: "))
		case line == "":
			out = append(out, e)
			if stop != nil && stop(e) {
				return out
			}
			e = event{}
		}
	}
	return out
}

// startRun starts a run for page and returns its id.
func (ts *testServer) startRun(t *testing.T, page string, sets ...string) string {
	t.Helper()
	body, _ := json.Marshal(request{Page: page, Sets: sets})
	status, answer := ts.post(t, "/api/runs", string(body))
	if status != http.StatusCreated {
		t.Fatalf("start: %d %s", status, answer)
	}
	var started struct{ ID string }
	if err := json.Unmarshal([]byte(answer), &started); err != nil {
		t.Fatal(err)
	}
	return started.ID
}

// A run streams every step of every replicate, then bands, then its results; its series.csv
// is msgsim run's, byte for byte, whatever the workers, and its YAML reruns it.
func TestRunStreamsEveryStep(t *testing.T) {
	ts := newTestServer(t, small, Options{Workers: 2})
	id := ts.startRun(t, "page1", "platforms.beta.appeal=0.6")
	resp, err := ts.Client().Get(ts.URL + "/api/runs/" + id + "/events")
	if err != nil {
		t.Fatal(err)
	}
	events := readEvents(t, resp.Body, nil)
	resp.Body.Close()

	sc, err := scenarios.Parse([]byte(small), "small", "", []string{"platforms.beta.appeal=0.6"})
	if err != nil {
		t.Fatal(err)
	}
	want, err := evaluate.Series(context.Background(), &sc.Config, evaluate.Replicates(0, sc.File.Seed, sc.File.Replicates), evaluate.Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	users := make([][]int64, len(want))
	var bands []int
	var last string
	for _, e := range events {
		last = e.name
		switch e.name {
		case "steps":
			var m struct {
				Rep, From         int
				Users, Registered []int64
			}
			if err := json.Unmarshal(e.data, &m); err != nil {
				t.Fatal(err)
			}
			if m.From*2 != len(users[m.Rep]) {
				t.Errorf("replicate %d: rows from %d after %d values", m.Rep, m.From, len(users[m.Rep]))
			}
			users[m.Rep] = append(users[m.Rep], m.Users...)
			at := m.From * 2
			if !slices.Equal(m.Registered, want[m.Rep].Registered[at:at+len(m.Registered)]) {
				t.Errorf("replicate %d registered from step %d differ", m.Rep, m.From)
			}
		case "bands":
			var m struct {
				Finished int
				Active   []struct{ Mean, Low, High []*float64 }
			}
			if err := json.Unmarshal(e.data, &m); err != nil {
				t.Fatal(err)
			}
			bands = append(bands, m.Finished)
			if len(m.Active) != 2 || len(m.Active[0].Mean) != 31 || (m.Finished > 1) != (m.Active[0].Low != nil) {
				t.Errorf("bands after %d replicates: %s", m.Finished, e.data)
			}
		}
	}
	for r, s := range want {
		if !slices.Equal(users[r], s.Users) {
			t.Errorf("replicate %d: streamed users differ from the run's", r)
		}
	}
	if !slices.Equal(bands, []int{1, 2, 3}) && !slices.Equal(bands, []int{1, 3}) && !slices.Equal(bands, []int{2, 3}) && !slices.Equal(bands, []int{3}) {
		t.Errorf("bands after %v replicates", bands)
	}
	if last != "done" || !strings.Contains(string(events[len(events)-1].data), `"replicates":3`) {
		t.Errorf("last event %s %s", last, events[len(events)-1].data)
	}

	status, csv := ts.get(t, "/api/runs/"+id+"/series.csv")
	var buf bytes.Buffer
	if err := output.WriteSeriesCSV(&buf, want, output.TablesOf(sc)); err != nil {
		t.Fatal(err)
	}
	if status != 200 || csv != buf.String() {
		t.Errorf("series.csv: %d, differs from msgsim run's:\n%.300s", status, csv)
	}
	status, doc := ts.get(t, "/api/runs/"+id+"/scenario.yaml")
	again, err := scenarios.Parse([]byte(doc), "saved", "", nil)
	if status != 200 || err != nil {
		t.Fatalf("scenario.yaml: %d %v\n%s", status, err, doc)
	}
	rerun, err := evaluate.Series(context.Background(), &again.Config, evaluate.Replicates(0, again.File.Seed, again.File.Replicates), evaluate.Options{Workers: 3})
	if err != nil {
		t.Fatal(err)
	}
	buf.Reset()
	if err := output.WriteSeriesCSV(&buf, rerun, output.TablesOf(again)); err != nil {
		t.Fatal(err)
	}
	if buf.String() != csv {
		t.Error("the downloaded scenario.yaml does not rerun the series")
	}
}

// One run at a time per page, MaxRuns over all; a run's downloads wait for its end.
func TestRunLimits(t *testing.T) {
	ts := newTestServer(t, small, Options{MaxRuns: 2})
	long := []string{"steps=1000000", "agents=2000"}
	first := ts.startRun(t, "a", long...)
	body, _ := json.Marshal(request{Page: "a", Sets: long})
	if status, msg := ts.post(t, "/api/runs", string(body)); status != http.StatusConflict || strings.TrimSpace(msg) != `{"error":"run `+first+` of this page is still going: stop it first"}` {
		t.Errorf("second run of a page: %d %s", status, msg)
	}
	if status, msg := ts.get(t, "/api/runs/"+first+"/series.csv"); status != http.StatusConflict || strings.TrimSpace(msg) != `{"error":"run `+first+` has not completed: only a completed run's results can be downloaded"}` {
		t.Errorf("download of a running run: %d %s", status, msg)
	}
	ts.startRun(t, "b", long...)
	body, _ = json.Marshal(request{Page: "c", Sets: long})
	if status, msg := ts.post(t, "/api/runs", string(body)); status != http.StatusTooManyRequests || strings.TrimSpace(msg) != `{"error":"2 runs are going on, the most at once: stop one or wait"}` {
		t.Errorf("third run: %d %s", status, msg)
	}
	if status, _ := ts.post(t, "/api/runs/"+first+"/stop", ""); status != http.StatusNoContent {
		t.Errorf("stop: %d", status)
	}
	ts.startRun(t, "a", "replicates=1") // the page's run is over, and a place is free
}

// waitGoroutines waits until no more goroutines run than before, or fails.
func waitGoroutines(t *testing.T, before int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("%d goroutines, %d before:\n%s", runtime.NumGoroutine(), before, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Stop, closing the stream (the tab) and never opening it all end a run's goroutines.
func TestCancelLeavesNoGoroutine(t *testing.T) {
	defer func(wait time.Duration) { orphanWait = wait }(orphanWait)
	orphanWait = 300 * time.Millisecond
	ts := newTestServer(t, small, Options{Workers: 2})
	long := []string{"steps=1000000", "agents=3000", "replicates=4"}
	settle := func() int {
		ts.Client().CloseIdleConnections()
		ts.CloseClientConnections()
		time.Sleep(50 * time.Millisecond)
		return runtime.NumGoroutine()
	}
	before := settle()

	// Stop.
	id := ts.startRun(t, "stop", long...)
	resp, err := ts.Client().Get(ts.URL + "/api/runs/" + id + "/events")
	if err != nil {
		t.Fatal(err)
	}
	readEvents(t, resp.Body, func(e event) bool { return e.name == "steps" })
	if status, _ := ts.post(t, "/api/runs/"+id+"/stop", ""); status != http.StatusNoContent {
		t.Errorf("stop: %d", status)
	}
	if rest := readEvents(t, resp.Body, nil); len(rest) == 0 || rest[len(rest)-1].name != "stopped" {
		t.Errorf("after stop the stream ends with %v", rest)
	}
	resp.Body.Close()
	settle()
	waitGoroutines(t, before)

	// The tab closed: the stream's request ends.
	id = ts.startRun(t, "close", long...)
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", ts.URL+"/api/runs/"+id+"/events", nil)
	resp, err = ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	readEvents(t, resp.Body, func(e event) bool { return e.name == "steps" })
	cancel()
	resp.Body.Close()
	<-ts.run(id).done
	settle()
	waitGoroutines(t, before)

	// The page never opened the stream.
	id = ts.startRun(t, "orphan", long...)
	select {
	case <-ts.run(id).done:
	case <-time.After(10 * time.Second):
		t.Fatal("an orphaned run is still going")
	}
	settle()
	waitGoroutines(t, before)
	if ru := ts.run(id); ru.outcome.event != "stopped" {
		t.Errorf("orphaned run ended with %s", ru.outcome.event)
	}
}

func (ts *testServer) run(id string) *run {
	ts.srv.mu.Lock()
	defer ts.srv.mu.Unlock()
	return ts.srv.runs[id]
}

// The YAML of a run on an edge list and with a record names both files by their absolute
// paths: it reruns wherever it is saved.
func TestYAMLNamesEdgeListAbsolutely(t *testing.T) {
	var edges strings.Builder
	for i := range 60 {
		fmt.Fprintf(&edges, "%d %d\n%d %d\n", i, (i+1)%60, i, (i+7)%60)
	}
	ts := newTestServer(t, strings.NewReplacer("agents: 400\n", "", "kind: watts_strogatz, k: 6, beta: 0.2", "kind: file, path: edges.txt").Replace(small)+
		"start: 2011-01-07\nrecord: {file: figures.csv, series: [{platform: alpha, metric: registered, series: registered}]}\n", Options{})
	for name, text := range map[string]string{"edges.txt": edges.String(), "figures.csv": "date,platform,metric,value_millions,source\n2011-02-01,alpha,registered,0.01,test\n"} {
		if err := os.WriteFile(filepath.Join(ts.dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	id := ts.startRun(t, "p", "replicates=1")
	resp, err := ts.Client().Get(ts.URL + "/api/runs/" + id + "/events")
	if err != nil {
		t.Fatal(err)
	}
	if events := readEvents(t, resp.Body, nil); events[len(events)-1].name != "done" {
		t.Fatalf("run ended with %s %s", events[len(events)-1].name, events[len(events)-1].data)
	}
	resp.Body.Close()
	status, doc := ts.get(t, "/api/runs/"+id+"/scenario.yaml")
	edgeList, record := filepath.Join(ts.dir, "edges.txt"), filepath.Join(ts.dir, "figures.csv")
	if status != 200 || !strings.Contains(doc, "path: "+strconv.Quote(edgeList)) || !strings.Contains(doc, "file: "+strconv.Quote(record)) || !strings.Contains(doc, "replicates: 1") {
		t.Fatalf("%d\n%s", status, doc)
	}
	if _, err := scenarios.Parse([]byte(doc), "elsewhere.yaml", t.TempDir(), nil); err != nil {
		t.Errorf("the saved scenario does not load elsewhere: %v", err)
	}
}
