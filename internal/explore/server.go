// Package explore is msgsim explore: a scenario in the browser. A local web server (net/http,
// its page embedded, nothing fetched from elsewhere) offers controls generated from the
// scenario's path model, runs it with the settings chosen on the page, streams each step of
// every replicate as it is simulated (Server-Sent Events), then the 5-95% bands as replicates
// finish, and hands out the scenario YAML, series CSV and charts of what is on screen.
//
// The API, all under /api/, in JSON:
//
//	POST /api/scenario          {"sets": ["path=value", ...]} -> the scenario's fields, marks and axes
//	POST /api/runs              {"page": ID, "sets": [...]} -> {"id": RUN}: a run starts
//	GET  /api/runs/RUN/events   the run as Server-Sent Events (steps, bands, done, failure)
//	POST /api/runs/RUN/stop     cancels the run
//	GET  /api/runs/RUN/scenario.yaml, /api/runs/RUN/series.csv   a finished run's downloads
//
// A bad request gets a 400 (or 404, 409, 413, 429) whose body is {"error": MESSAGE} with, for
// a field's error, "path": the field. Requests whose Host or Origin is not the server's own
// address are refused (DNS rebinding); a page may name files only inside the scenario's
// directory.
package explore

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"

	"go.yaml.in/yaml/v4"

	"github.com/msgsim/msgsim/internal/strict"
	"github.com/msgsim/msgsim/scenarios"
)

//go:embed static
var static embed.FS

// Limits on what a request may carry.
const (
	MaxBodyBytes = 64 << 10 // a request body: a page's settings are a few hundred bytes
	MaxSets      = 256      // settings in one request
	maxKeptRuns  = 16       // finished runs kept for their downloads, over all pages
)

// Options configure a Server.
type Options struct {
	Base *scenarios.Base // the scenario explored
	// Dir is the scenario's directory: the only place a page's settings may name files in
	// (edge lists); "" for a built-in scenario, which has none, so the page names no files.
	Dir string
	// Addr is the address the server listens on (host:port, the port resolved): requests
	// must name it in Host, and in Origin when they carry one.
	Addr string
	// Check refuses a scenario that cannot run here (msgsim run's memory check); nil
	// accepts every valid scenario.
	Check   func(*scenarios.Scenario) error
	Workers int // goroutines for a run; <= 0 means GOMAXPROCS
	MaxRuns int // runs at once over all pages; <= 0 means 2
	// Record gives the published figures drawn over the curves (the scenario's record, as
	// msgsim run draws it); nil draws none.
	Record func(*scenarios.Scenario) []RecordPoint
}

// RecordPoint is an observed figure drawn over a curve: a platform's active or registered
// users (in people, as the charts) at a step.
type RecordPoint struct {
	Platform string  `json:"platform"`
	Measure  string  `json:"measure"` // "active" or "registered"
	Step     float64 `json:"step"`
	Value    float64 `json:"value"`
	Label    string  `json:"label,omitempty"`
}

// Server serves the page and its API.
type Server struct {
	opts  Options
	host  hostRule
	mux   *http.ServeMux
	paths map[string]scenarios.PathKind // the fields a page may set

	mu     sync.Mutex
	runs   map[string]*run // by id
	pages  map[string]*run // each page's latest run
	order  []string        // run ids, oldest first, for dropping finished runs
	active int             // runs not yet over
	nextID int
	closed bool
	wg     sync.WaitGroup // every run's goroutine
}

// New builds a server for opts.
func New(opts Options) (*Server, error) {
	if opts.MaxRuns <= 0 {
		opts.MaxRuns = 2
	}
	host, err := newHostRule(opts.Addr)
	if err != nil {
		return nil, err
	}
	paths, err := opts.Base.Paths()
	if err != nil {
		return nil, err
	}
	s := &Server{opts: opts, host: host, paths: paths, mux: http.NewServeMux(), runs: map[string]*run{}, pages: map[string]*run{}}
	page, err := fs.Sub(static, "static")
	if err != nil {
		return nil, fmt.Errorf("explore: %w", err)
	}
	files := http.FileServerFS(page)
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			writeError(w, http.StatusMethodNotAllowed, &apiError{Msg: r.Method + " of the page: only GET"})
			return
		}
		files.ServeHTTP(w, r)
	})
	s.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, &apiError{Msg: fmt.Sprintf("no %s %s in msgsim explore's API", r.Method, strict.Printable(r.URL.Path))})
	})
	s.mux.HandleFunc("POST /api/scenario", s.handleScenario)
	s.mux.HandleFunc("POST /api/runs", s.handleStart)
	s.mux.HandleFunc("GET /api/runs/{id}/events", s.handleEvents)
	s.mux.HandleFunc("POST /api/runs/{id}/stop", s.handleStop)
	s.mux.HandleFunc("GET /api/runs/{id}/scenario.yaml", s.handleYAML)
	s.mux.HandleFunc("GET /api/runs/{id}/series.csv", s.handleSeries)
	return s, nil
}

// ServeHTTP refuses foreign hosts and origins, bounds bodies and never lets a panic through.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if p := recover(); p != nil {
			writeError(w, http.StatusInternalServerError, &apiError{Msg: fmt.Sprintf("internal error: %v", p)})
		}
	}()
	if err := s.host.check(r); err != nil {
		writeError(w, http.StatusForbidden, err)
		return
	}
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", "default-src 'self'")
	r.Body = http.MaxBytesReader(w, r.Body, MaxBodyBytes)
	s.mux.ServeHTTP(w, r)
}

// Close stops every run and waits for their goroutines to end.
func (s *Server) Close() {
	s.mu.Lock()
	s.closed = true
	for _, r := range s.runs {
		r.cancel()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

// apiError is a refused request's message, and the field at fault when there is one.
type apiError struct {
	Msg  string `json:"error"`
	Path string `json:"path,omitempty"`
}

func (e *apiError) Error() string { return e.Msg }

// errorOf is the API's reading of err: a scenario's field errors name their field.
func errorOf(err error) *apiError {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae
	}
	out := &apiError{Msg: strict.Printable(err.Error())}
	var list strict.Errors
	var one *strict.FieldError
	switch {
	case errors.As(err, &list) && len(list) > 0:
		out.Path = list[0].Path
	case errors.As(err, &one):
		out.Path = one.Path
	}
	return out
}

func writeError(w http.ResponseWriter, status int, err error) {
	writeJSON(w, status, errorOf(err))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		status, data = http.StatusInternalServerError, []byte(`{"error":"encode response"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(data, '\n'))
}

// request is the body of the POST requests: a page's id and its settings.
type request struct {
	Page string   `json:"page"`
	Sets []string `json:"sets"`
}

var pageID = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// readRequest decodes a POST body; a page id is required when page is.
func readRequest(r *http.Request, page bool) (request, int, error) {
	var req request
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		if tooBig := new(http.MaxBytesError); errors.As(err, &tooBig) {
			return req, http.StatusRequestEntityTooLarge, &apiError{Msg: fmt.Sprintf("request body larger than %d bytes", MaxBodyBytes)}
		}
		return req, http.StatusBadRequest, &apiError{Msg: "request body must be JSON such as {\"sets\": [\"platforms.laiwang.appeal=0.4\"]}: " + strict.Printable(err.Error())}
	}
	if dec.More() {
		return req, http.StatusBadRequest, &apiError{Msg: "request body must hold one JSON object"}
	}
	if page && !pageID.MatchString(req.Page) {
		return req, http.StatusBadRequest, &apiError{Msg: "page must be 1 to 64 letters, digits, - or _"}
	}
	if len(req.Sets) > MaxSets {
		return req, http.StatusBadRequest, &apiError{Msg: fmt.Sprintf("at most %d settings, got %d", MaxSets, len(req.Sets))}
	}
	return req, 0, nil
}

// scenario builds the scenario with a page's settings, once checkSetting passes them.
func (s *Server) scenario(sets []string) (*scenarios.Scenario, error) {
	for _, set := range sets {
		if err := s.checkSetting(set); err != nil {
			return nil, err
		}
	}
	return s.opts.Base.With(sets)
}

// fileFields are the scenario fields that name files: a page may point them only inside the
// scenario's directory.
var fileFields = []string{"graph.path", "record.file"}

// checkSetting refuses what a page may not set: a whole section, list or item at once (its
// fields are set one by one, so that a field naming a file is always seen here), and a file
// outside the scenario's directory.
func (s *Server) checkSetting(set string) error {
	path, value, _ := strings.Cut(set, "=")
	if _, leaf := s.paths[path]; !leaf {
		var inside []string
		for p := range s.paths {
			if strings.HasPrefix(p, path+".") {
				inside = append(inside, p)
			}
		}
		if len(inside) > 0 {
			return &apiError{Msg: fmt.Sprintf("%s: set its fields one at a time (e.g. %s=...)", path, slices.Min(inside)), Path: path}
		}
		return nil // validation names the unknown field
	}
	if !slices.Contains(fileFields, path) {
		return nil
	}
	if s.opts.Dir == "" {
		return &apiError{Msg: fmt.Sprintf("%s: a built-in scenario has no directory, so the page names no files; run msgsim explore on a scenario file beside them", path), Path: path}
	}
	var name string // as the override will read it: "a", 'a', !!str a
	if err := yaml.Unmarshal([]byte(value), &name); err != nil {
		return &apiError{Msg: fmt.Sprintf("%s: must be a file name, got %q", path, strict.Printable(value)), Path: path}
	}
	if !filepath.IsLocal(name) {
		return &apiError{Msg: fmt.Sprintf("%s: %q is not a file inside the scenario's directory; the page reads no other files", path, name), Path: path}
	}
	full, err := filepath.EvalSymlinks(filepath.Join(s.opts.Dir, name))
	if err != nil {
		return nil // validation says the file is missing
	}
	dir, err := filepath.EvalSymlinks(s.opts.Dir)
	if err != nil {
		return &apiError{Msg: fmt.Sprintf("scenario directory: %v", err)}
	}
	if rel, err := filepath.Rel(dir, full); err != nil || !filepath.IsLocal(rel) {
		return &apiError{Msg: fmt.Sprintf("%s: %q leads outside the scenario's directory; the page reads no other files", path, name), Path: path}
	}
	return nil
}

func (s *Server) handleScenario(w http.ResponseWriter, r *http.Request) {
	if _, sc := s.readScenario(w, r, false); sc != nil {
		writeJSON(w, http.StatusOK, s.describe(sc))
	}
}

// readScenario reads a POST request and builds its scenario, or writes why it cannot and
// returns nil; with run, the scenario must also pass Check and the page id is required.
func (s *Server) readScenario(w http.ResponseWriter, r *http.Request, run bool) (request, *scenarios.Scenario) {
	req, status, err := readRequest(r, run)
	if err != nil {
		writeError(w, status, err)
		return req, nil
	}
	sc, err := s.scenario(req.Sets)
	if err == nil && run && s.opts.Check != nil {
		err = s.opts.Check(sc)
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return req, nil
	}
	return req, sc
}

// hostRule accepts the Host and Origin of the server's own address: its host, localhost when
// it listens on a loopback address, and any IP address when it listens on all of them (a
// name other than localhost is how a DNS-rebinding page reaches a local server).
type hostRule struct {
	host, port string
	loopback   bool
	any        bool
}

func newHostRule(addr string) (hostRule, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return hostRule{}, fmt.Errorf("explore: address %q: %w", addr, err)
	}
	ip := net.ParseIP(host)
	return hostRule{host: host, port: port, loopback: ip != nil && ip.IsLoopback() || host == "localhost", any: host == "" || ip != nil && ip.IsUnspecified()}, nil
}

func (h hostRule) allows(hostport string) bool {
	host, port, err := net.SplitHostPort(hostport)
	if err != nil || port != h.port {
		return false
	}
	switch {
	case strings.EqualFold(host, h.host):
		return true
	case strings.EqualFold(host, "localhost"):
		return h.loopback || h.any
	}
	return h.any && net.ParseIP(host) != nil
}

func (h hostRule) check(r *http.Request) error {
	if !h.allows(r.Host) {
		return &apiError{Msg: fmt.Sprintf("host %q is not this server's address (%s); refused", strict.Printable(r.Host), net.JoinHostPort(h.host, h.port))}
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return nil
	}
	u, err := url.Parse(origin)
	if err != nil || u.Scheme != "http" || !h.allows(u.Host) {
		return &apiError{Msg: fmt.Sprintf("origin %q is not this server's page; refused", strict.Printable(origin))}
	}
	return nil
}
