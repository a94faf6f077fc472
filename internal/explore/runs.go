package explore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/msgsim/msgsim/internal/evaluate"
	"github.com/msgsim/msgsim/model"
	"github.com/msgsim/msgsim/output"
	"github.com/msgsim/msgsim/output/chart"
	"github.com/msgsim/msgsim/scenarios"
)

// Timings of a run's stream.
var (
	// orphanWait is how long a run waits for its page to open its stream: a page that
	// started a run and went away leaves nothing running.
	orphanWait = 20 * time.Second
	// streamPause gathers the steps of a fast run into a few messages a second.
	streamPause = 40 * time.Millisecond
	// stopWait is how long a stop request waits for the run's goroutines to end.
	stopWait = 5 * time.Second
)

// run is one run of the scenario with a page's settings: its live rows, the replicates
// finished so far and, once over, its series or why it stopped.
type run struct {
	id, page string
	sc       *scenarios.Scenario
	sets     []string
	unit     chart.Unit
	cancel   context.CancelFunc
	done     chan struct{} // closed when the run's goroutine has ended
	changed  chan struct{} // a token when there is news for the stream

	mu        sync.Mutex
	live      []liveRows      // per replicate, the steps simulated so far
	finished  []*model.Series // per replicate, once it has finished
	nFinished int
	bands     int // how many times the bands changed
	over      bool
	runs      []*model.Series // every replicate's series, when the run completed
	outcome   message         // done, stopped or failure, when over
	streamed  bool
}

// liveRows are one replicate's users and registered users per step and platform so far.
type liveRows struct {
	users, registered []int64
	rows              int // steps 0 to rows-1 are filled in
}

// message is one Server-Sent Event.
type message struct {
	event string
	data  any
}

func (s *Server) handleStart(w http.ResponseWriter, r *http.Request) {
	req, sc := s.readScenario(w, r, true)
	if sc == nil {
		return
	}
	ru, status, err := s.start(req.Page, req.Sets, sc)
	if err != nil {
		writeError(w, status, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"id": ru.id, "steps": sc.Config.Steps, "replicates": sc.File.Replicates})
}

// start registers a run for page and starts it, within one run per page and MaxRuns in all.
func (s *Server) start(page string, sets []string, sc *scenarios.Scenario) (*run, int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch prev := s.pages[page]; {
	case s.closed:
		return nil, http.StatusServiceUnavailable, &apiError{Msg: "the server is shutting down"}
	case prev != nil && !prev.isOver():
		return nil, http.StatusConflict, &apiError{Msg: fmt.Sprintf("run %s of this page is still going: stop it first", prev.id)}
	case s.active >= s.opts.MaxRuns:
		return nil, http.StatusTooManyRequests, &apiError{Msg: fmt.Sprintf("%d runs are going on, the most at once: stop one or wait", s.active)}
	}
	s.nextID++
	ctx, cancel := context.WithCancel(context.Background())
	np := len(sc.Config.Platforms)
	ru := &run{
		id: strconv.Itoa(s.nextID), page: page, sc: sc, sets: sets, cancel: cancel,
		unit: chart.PeopleUnit(sc.File.Scale, sc.Config.Agents),
		done: make(chan struct{}), changed: make(chan struct{}, 1),
		live: make([]liveRows, sc.File.Replicates), finished: make([]*model.Series, sc.File.Replicates),
	}
	for i := range ru.live {
		ru.live[i] = liveRows{users: make([]int64, (sc.Config.Steps+1)*np), registered: make([]int64, (sc.Config.Steps+1)*np)}
	}
	if prev := s.pages[page]; prev != nil {
		s.forget(prev) // a page offers the downloads of its latest run only
	}
	s.runs[ru.id], s.pages[page] = ru, ru
	s.order = append(s.order, ru.id)
	s.dropOldRuns()
	s.active++
	s.wg.Add(1)
	go s.execute(ctx, ru)
	return ru, 0, nil
}

// dropOldRuns forgets the oldest finished runs beyond maxKeptRuns (their downloads go too).
func (s *Server) dropOldRuns() {
	for i := 0; len(s.order) > maxKeptRuns && i < len(s.order); {
		if ru := s.runs[s.order[i]]; ru.isOver() {
			s.forget(ru)
		} else {
			i++
		}
	}
}

// forget drops a finished run; the caller holds s.mu.
func (s *Server) forget(ru *run) {
	delete(s.runs, ru.id)
	if s.pages[ru.page] == ru {
		delete(s.pages, ru.page)
	}
	s.order = slices.DeleteFunc(s.order, func(id string) bool { return id == ru.id })
}

// execute runs ru's replicates on the server's workers.
func (s *Server) execute(ctx context.Context, ru *run) {
	defer s.wg.Done()
	defer close(ru.done)
	orphan := time.AfterFunc(orphanWait, func() {
		ru.mu.Lock()
		defer ru.mu.Unlock()
		if !ru.streamed {
			ru.cancel()
		}
	})
	defer orphan.Stop()
	sc := ru.sc
	jobs := evaluate.Replicates(0, sc.File.Seed, sc.File.Replicates)
	err := evaluate.Evaluate(ctx, jobs, func(int) (*model.Config, error) { return &sc.Config, nil }, ru.keep,
		evaluate.Options{Workers: s.opts.Workers, Step: ru.step})
	ru.finish(err)
	ru.cancel()
	s.mu.Lock()
	s.active--
	s.mu.Unlock()
}

// step copies the rows a replicate has simulated since it was last seen.
func (ru *run) step(job, step int, series *model.Series) {
	ru.mu.Lock()
	defer ru.mu.Unlock()
	l := &ru.live[job]
	np := len(series.Platforms)
	for ; l.rows <= step; l.rows++ {
		at := series.At(l.rows, 0)
		copy(l.users[at:at+np], series.Users[at:at+np])
		copy(l.registered[at:at+np], series.Registered[at:at+np])
	}
	ru.notify()
}

// keep takes a finished replicate's series: the bands now cover it.
func (ru *run) keep(job int, series *model.Series) error {
	ru.mu.Lock()
	defer ru.mu.Unlock()
	ru.finished[job] = series
	ru.nFinished++
	ru.bands++
	ru.notify()
	return nil
}

// finish records how the run ended: its series and summary, stopped, or failed.
func (ru *run) finish(err error) {
	ru.mu.Lock()
	defer ru.mu.Unlock()
	ru.over = true
	switch {
	case err == nil:
		ru.runs = ru.finished
		ru.outcome = message{"done", ru.summary()}
	case errors.Is(err, context.Canceled):
		ru.outcome = message{"stopped", map[string]any{"finished": ru.nFinished}}
	default:
		ru.outcome = message{"failure", &apiError{Msg: err.Error()}}
	}
	ru.notify()
}

// notify tells the stream there is news; the caller holds ru.mu.
func (ru *run) notify() {
	select {
	case ru.changed <- struct{}{}:
	default:
	}
}

func (ru *run) isOver() bool {
	ru.mu.Lock()
	defer ru.mu.Unlock()
	return ru.over
}

// platformResult is what the page lists per platform, and compares with a baseline.
type platformResult struct {
	Name       string  `json:"name"`
	FinalUsers float64 `json:"final_users"` // mean over replicates, in the charts' unit
	FinalShare float64 `json:"final_share"`
	Win        float64 `json:"p_win"` // share of the replicates it wins
}

// summary is the done message: the run's results, as summary.json has them.
func (ru *run) summary() map[string]any {
	sum := evaluate.ScenarioSummary(ru.sc, ru.runs)
	platforms := make([]platformResult, len(sum.Platforms))
	for j, p := range sum.Platforms {
		platforms[j] = platformResult{Name: p.Name, Win: p.WinProbability}
		if m := p.Stat("final_users").Mean; m != nil {
			platforms[j].FinalUsers = *m * ru.unit.Factor
		}
		if m := p.Stat("final_share").Mean; m != nil {
			platforms[j].FinalShare = *m
		}
	}
	return map[string]any{"platforms": platforms, "winner": sum.Winner, "replicates": sum.Replicates}
}

// cursor is what a stream has sent of a run.
type cursor struct {
	rows  []int // per replicate
	bands int
	over  bool
}

// pending returns the messages a stream at cur has not sent, and moves cur past them.
func (ru *run) pending(cur *cursor) []message {
	ru.mu.Lock()
	defer ru.mu.Unlock()
	if cur.rows == nil {
		cur.rows = make([]int, len(ru.live))
	}
	var out []message
	np := len(ru.sc.Config.Platforms)
	for rep := range ru.live {
		l := &ru.live[rep]
		if from := cur.rows[rep]; l.rows > from {
			out = append(out, message{"steps", map[string]any{
				"rep": rep, "from": from,
				"users": l.users[from*np : l.rows*np], "registered": l.registered[from*np : l.rows*np],
			}})
			cur.rows[rep] = l.rows
		}
	}
	if ru.bands > cur.bands {
		out = append(out, message{"bands", ru.bandsMessage()})
		cur.bands = ru.bands
	}
	if ru.over && !cur.over {
		out = append(out, ru.outcome)
		cur.over = true
	}
	return out
}

// bandsMessage is the mean and 5-95% band of the finished replicates, per measure.
func (ru *run) bandsMessage() map[string]any {
	var runs []*model.Series
	for _, s := range ru.finished {
		if s != nil {
			runs = append(runs, s)
		}
	}
	bands := map[string]any{"finished": len(runs)}
	for name, m := range map[string]struct {
		measure evaluate.Measure
		factor  float64
	}{"active": {evaluate.ActiveUsers, ru.unit.Factor}, "registered": {evaluate.RegisteredUsers, ru.unit.Factor}, "share": {evaluate.MarketShare, 1}} {
		var curves []map[string]any
		for _, b := range evaluate.Bands(runs, m.measure, m.factor) {
			curves = append(curves, map[string]any{"name": b.Name, "mean": numbers(b.Mean), "low": numbers(b.Low), "high": numbers(b.High)})
		}
		bands[name] = curves
	}
	return bands
}

// numbers encode NaN, a step without a value, as null.
type numbers []float64

// MarshalJSON writes the numbers with null for NaN.
func (ns numbers) MarshalJSON() ([]byte, error) {
	if ns == nil {
		return []byte("null"), nil
	}
	buf := []byte{'['}
	for i, x := range ns {
		if i > 0 {
			buf = append(buf, ',')
		}
		if math.IsNaN(x) || math.IsInf(x, 0) {
			buf = append(buf, "null"...)
			continue
		}
		buf = strconv.AppendFloat(buf, x, 'g', -1, 64)
	}
	return append(buf, ']'), nil
}

// lookup finds a run by the id in the request's path.
func (s *Server) lookup(w http.ResponseWriter, r *http.Request) *run {
	s.mu.Lock()
	ru := s.runs[r.PathValue("id")]
	s.mu.Unlock()
	if ru == nil {
		writeError(w, http.StatusNotFound, &apiError{Msg: fmt.Sprintf("no run %q (runs are kept while the server runs, the last %d finished ones)", r.PathValue("id"), maxKeptRuns)})
	}
	return ru
}

// handleEvents streams a run: its steps, its bands as replicates finish, then how it ended.
// The stream's end (the tab closed) stops the run.
func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request) {
	ru := s.lookup(w, r)
	if ru == nil {
		return
	}
	ru.mu.Lock()
	taken := ru.streamed
	ru.streamed = true
	ru.mu.Unlock()
	if taken {
		writeError(w, http.StatusConflict, &apiError{Msg: fmt.Sprintf("run %s is already streamed to a page", ru.id)})
		return
	}
	defer ru.cancel()
	flusher, _ := w.(http.Flusher)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	var cur cursor
	for {
		for _, m := range ru.pending(&cur) {
			data, err := json.Marshal(m.data)
			if err != nil {
				data, _ = json.Marshal(&apiError{Msg: err.Error()})
			}
			if _, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", m.event, data); err != nil {
				return
			}
		}
		if flusher != nil {
			flusher.Flush()
		}
		if cur.over {
			return
		}
		select {
		case <-ru.changed:
		case <-r.Context().Done():
			return
		}
		select {
		case <-time.After(streamPause):
		case <-r.Context().Done():
			return
		}
	}
}

func (s *Server) handleStop(w http.ResponseWriter, r *http.Request) {
	ru := s.lookup(w, r)
	if ru == nil {
		return
	}
	ru.cancel()
	select {
	case <-ru.done:
		w.WriteHeader(http.StatusNoContent)
	case <-time.After(stopWait):
		// Building a very large graph does not look at the context: the run ends after it.
		writeJSON(w, http.StatusAccepted, &apiError{Msg: fmt.Sprintf("run %s is stopping: it ends after the step under way", ru.id)})
	case <-r.Context().Done():
	}
}

// completed returns a run that finished, or writes why there is none.
func (s *Server) completed(w http.ResponseWriter, r *http.Request) *run {
	ru := s.lookup(w, r)
	if ru == nil {
		return nil
	}
	ru.mu.Lock()
	runs := ru.runs
	ru.mu.Unlock()
	if runs == nil {
		writeError(w, http.StatusConflict, &apiError{Msg: fmt.Sprintf("run %s has not completed: only a completed run's results can be downloaded", ru.id)})
		return nil
	}
	return ru
}

func (s *Server) handleSeries(w http.ResponseWriter, r *http.Request) {
	ru := s.completed(w, r)
	if ru == nil {
		return
	}
	attachment(w, ru, "series.csv", "text/csv")
	// Written as msgsim run writes it, so that the two compare byte for byte.
	_ = output.WriteSeriesCSV(w, ru.runs, output.TablesOf(ru.sc))
}

// handleYAML gives the scenario as run: msgsim run on it gives the same series. The files it
// names (an edge list, a record) are named by their absolute paths, so that it runs wherever
// it is saved.
func (s *Server) handleYAML(w http.ResponseWriter, r *http.Request) {
	ru := s.completed(w, r)
	if ru == nil {
		return
	}
	sc, err := s.standalone(ru)
	if err != nil {
		writeError(w, http.StatusInternalServerError, err)
		return
	}
	ru.mu.Lock() // YAML spells out the document's nulls in place
	doc, err := sc.YAML()
	ru.mu.Unlock()
	if err != nil {
		writeError(w, http.StatusInternalServerError, err)
		return
	}
	attachment(w, ru, "scenario.yaml", "application/yaml")
	_, _ = w.Write(doc)
}

// standalone is the run's scenario with the files it names by relative paths named by
// absolute ones (a shipped scenario's record, in the binary, stays as it is).
func (s *Server) standalone(ru *run) (*scenarios.Scenario, error) {
	f := ru.sc.File
	var moves []string
	for _, ref := range []struct {
		path, file string
		used       bool
	}{
		{"graph.path", f.Graph.Path, f.Graph.Kind == string(model.GraphGiven)},
		{"record.file", f.Record.File, ru.sc.Record != nil && s.opts.Dir != ""},
	} {
		if !ref.used || filepath.IsAbs(ref.file) {
			continue
		}
		abs, err := filepath.Abs(filepath.Join(s.opts.Dir, ref.file))
		if err != nil {
			return nil, err
		}
		moves = append(moves, ref.path+"="+strconv.Quote(abs))
	}
	if len(moves) == 0 {
		return ru.sc, nil
	}
	return s.opts.Base.With(append(slices.Clip(ru.sets), moves...))
}

// attachment sets the headers of a download named after the scenario and the run.
func attachment(w http.ResponseWriter, ru *run, name, contentType string) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", fileStem(ru.sc)+"-run"+ru.id+"-"+name))
}
