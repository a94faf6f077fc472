// Package scenarios turns scenario YAML files into validated model configurations: strict
// decoding with located errors, documented defaults, --set overrides by dotted path, and the
// example scenarios shipped inside the binary.
//
// It is the "describe" layer of the msgsim command. It sits at the top level beside the
// scenario files it embeds, but it is not a stable library API: import model and model/graph.
package scenarios

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v4"

	"github.com/msgsim/msgsim/internal/calendar"
	"github.com/msgsim/msgsim/internal/memlimit"
	"github.com/msgsim/msgsim/internal/strict"
	"github.com/msgsim/msgsim/model"
	"github.com/msgsim/msgsim/model/graph"
)

// Scenario is a loaded, validated scenario, ready to run.
type Scenario struct {
	File File // the file's values over the defaults, after overrides
	// Calendar maps steps to dates when the file sets start (the zero Calendar otherwise).
	Calendar calendar.Calendar
	Config   model.Config // what the engine runs
	Source   string       // the file path, or "embedded:NAME" for a shipped scenario
	// GraphInfo describes the edge list for file graphs (nil otherwise).
	GraphInfo *graph.EdgeListInfo
	// GraphPath is the edge list as read, relative to the working directory when the
	// scenario's path was (file graphs; "" otherwise).
	GraphPath string
	// Record is the published figures the scenario names (nil without a record section).
	Record *Record
	doc    *yaml.Node
	dir    string // where relative paths in the file resolve
}

// Load reads a scenario file, applies overrides ("path=value", see applyOverride) and
// validates it. A path that does not exist but names a shipped scenario loads that one.
func Load(path string, overrides []string) (*Scenario, error) {
	base, err := LoadBase(path)
	if err != nil {
		return nil, err
	}
	return base.With(overrides)
}

// Parse validates scenario YAML. name labels errors; dir is where relative graph paths resolve.
func Parse(data []byte, name, dir string, overrides []string) (*Scenario, error) {
	return NewBase(data, name, dir).With(overrides)
}

// Base is a scenario's text, read once, from which variants with different overrides are
// built (sweeps and calibration build thousands). Edge lists are loaded once and shared.
type Base struct {
	data      []byte
	name, dir string
	mu        sync.Mutex
	graphs    map[string]loadedGraph
}

type loadedGraph struct {
	g    *graph.CSR
	info *graph.EdgeListInfo
	err  error
}

// NewBase wraps scenario YAML; name labels errors, dir is where relative graph paths resolve.
func NewBase(data []byte, name, dir string) *Base {
	return &Base{data: data, name: name, dir: dir, graphs: map[string]loadedGraph{}}
}

// LoadBase reads a scenario file, or a shipped scenario when no such file exists.
func LoadBase(path string) (*Base, error) {
	data, err := strict.ReadFile(fileKind.Name, path, strict.MaxYAMLBytes)
	if errors.Is(err, fs.ErrNotExist) {
		if embedded, ok := shippedData(path); ok {
			return NewBase(embedded, embeddedPrefix+shippedName(path), ""), nil
		}
		return nil, fmt.Errorf("scenario %s: file not found (shipped scenarios: %s)", path, strings.Join(ShippedNames(), ", "))
	}
	if err != nil {
		return nil, err
	}
	return NewBase(data, path, filepath.Dir(path)), nil
}

// LoadNamed loads the scenario that a sweep or fit file names: a path relative to dir (the
// naming file's directory) when such a file exists, else a shipped scenario; "" names the
// default one.
func LoadNamed(name, dir string) (*Base, error) {
	if name == "" {
		return LoadBase(DefaultName)
	}
	path := name
	if !filepath.IsAbs(path) && dir != "" {
		path = filepath.Join(dir, name)
	}
	if _, err := os.Stat(path); err != nil {
		return LoadBase(name) // a shipped scenario, or the not-found error
	}
	return LoadBase(path)
}

// Name is the file name errors are reported against.
func (b *Base) Name() string { return b.name }

// Data is the scenario text as read.
func (b *Base) Data() []byte { return b.data }

// With applies command-line overrides ("path=value", as --set) to a fresh copy of the
// scenario and validates it. Safe for concurrent use.
func (b *Base) With(overrides []string) (*Scenario, error) {
	labelled := make([]Override, len(overrides))
	for i, o := range overrides {
		labelled[i] = Override{Assignment: o}
	}
	return b.WithOverrides(labelled)
}

// WithOverrides is With for overrides that name their origin in messages.
func (b *Base) WithOverrides(overrides []Override) (*Scenario, error) {
	l, err := fileKind.Decode(b.data, b.name, func(root *yaml.Node, rep *strict.Reporter) error {
		for _, o := range overrides {
			if err := applyOverride(root, o, rep); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	file := l.Value
	v := &validator{Decoder: l.Decoder, file: &file, dir: b.dir, base: b}
	cfg := v.build()
	if err := l.Err(); err != nil {
		return nil, err
	}
	if v.dataErr != nil {
		return nil, v.dataErr
	}
	file.Name = strict.DefaultName(file.Name, b.name)
	return &Scenario{File: file, Config: cfg, Calendar: v.calendar, Source: b.name, GraphInfo: v.graphInfo, GraphPath: v.graphPath, Record: v.rec, doc: l.Root, dir: b.dir}, nil
}

// InputFiles lists the files besides the scenario that its variants so far have read (edge
// lists), sorted: what a resumable sweep must check for changes.
func (b *Base) InputFiles() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var paths []string
	for p := range b.graphs {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	return paths
}

// edgeList loads an edge list once per path.
func (b *Base) edgeList(path string) (*graph.CSR, *graph.EdgeListInfo, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if lg, ok := b.graphs[path]; ok {
		return lg.g, lg.info, lg.err
	}
	var lg loadedGraph
	f, err := strict.OpenRegular("edge list", path)
	if err != nil {
		lg.err = err
	} else {
		if lg.err = checkEdgeListMemory(f, path, memlimit.Available()); lg.err == nil {
			lg.g, lg.info, lg.err = graph.ReadEdgeList(f, path)
		}
		f.Close()
	}
	b.graphs[path] = lg
	return lg.g, lg.info, lg.err
}

// edgeListSample is how much of an edge list is read to estimate its number of lines.
const edgeListSample = 1 << 20

// checkEdgeListMemory refuses an edge list that could not be read within limit, judging by
// its size before reading it: its lines are estimated from those in its first MiB (a file
// without a line end there is taken at its worst, a line per 4 bytes: "1 2\n").
func checkEdgeListMemory(f *os.File, path string, limit memlimit.Limit) error {
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("edge list %s: %w", path, err)
	}
	size := fi.Size()
	sample := make([]byte, min(size, edgeListSample))
	n, err := f.ReadAt(sample, 0)
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("edge list %s: %w", path, err)
	}
	lines, how := float64(size)/4+1, "a line per 4 bytes at most, as its first MiB holds no line end"
	if k := bytes.Count(sample[:n], []byte("\n")); k > 0 {
		lines, how = float64(size)*float64(k)/float64(n)+1, "judging by its first MiB"
	}
	need := lines * graph.BytesPerLine
	if limit.Source == "" && limit.Bytes <= 0 || need <= limit.Bytes {
		return nil
	}
	return fmt.Errorf("edge list %s is %s, about %.3g lines (%s): reading it needs about %s but only %s is available (%s)",
		path, memlimit.BytesString(float64(size)), lines, how, memlimit.BytesString(need), memlimit.BytesString(limit.Bytes), limit.Source)
}

// fileKind is how scenario files are read.
var fileKind = strict.Kind[File]{
	Name:     "scenario",
	Document: strict.DocumentKind{What: "a scenario", Fields: "name:, agents:, platforms: ...", Needs: "at least a platforms: section"},
	Defaults: defaultFile,
	Unrooted: true,
}

// parseDocument parses scenario YAML into its root mapping node.
func parseDocument(data []byte, name string) (*yaml.Node, error) {
	return strict.ParseDocument(data, name, fileKind.Document)
}

// YAML returns the scenario as run: the file with every override applied, so that running
// it again reproduces the run.
func (s *Scenario) YAML() ([]byte, error) {
	spellFlowNulls(s.doc, false)
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(s.doc); err != nil {
		return nil, fmt.Errorf("encode scenario: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("encode scenario: %w", err)
	}
	return buf.Bytes(), nil
}

// spellFlowNulls writes out the empty nulls of flow collections ({wechat} or {wechat: }) as
// null: the encoder would print them as an empty quoted string, which means something else.
func spellFlowNulls(n *yaml.Node, inFlow bool) {
	if n.Kind == yaml.ScalarNode && inFlow && n.Value == "" && n.Tag == "!!null" {
		n.Value = "null"
	}
	inFlow = inFlow || n.Style&yaml.FlowStyle != 0
	for _, c := range n.Content {
		spellFlowNulls(c, inFlow)
	}
}

// RecordCopy is the name under which a results directory keeps the scenario's record file,
// beside the saved scenario, which names it: the saved scenario then runs as it is, a
// shipped one's record included.
const RecordCopy = "record.csv"

// YAMLAt is YAML for a copy that will be saved in dir: a relative edge-list path (of the
// graph or of a layer) is rewritten to name the same file from there, and a record's file is
// RecordCopy (written beside it by the caller), so the saved scenario runs as it is.
func (s *Scenario) YAMLAt(dir string) ([]byte, error) {
	doc, err := s.YAML()
	if err != nil {
		return nil, err
	}
	var moves []Override
	if s.Record != nil {
		moves = append(moves, Override{Assignment: "record.file=" + RecordCopy})
	}
	graphs, at := []GraphFile{s.File.Graph}, []string{"graph"}
	if len(s.File.Layers) > 0 {
		graphs, at = s.File.Layers, nil
		for _, g := range s.File.Layers {
			at = append(at, strict.Join("layers", g.Name))
		}
	}
	for k, g := range graphs {
		if g.Kind != string(model.GraphGiven) || filepath.IsAbs(g.Path) {
			continue
		}
		rel, err := relativeTo(dir, filepath.Join(s.dir, g.Path))
		if err != nil {
			return nil, fmt.Errorf("scenario %s: %w", s.Source, err)
		}
		moves = append(moves, Override{Assignment: at[k] + ".path=" + strconv.Quote(rel)})
	}
	if len(moves) == 0 {
		return doc, nil
	}
	root, err := parseDocument(doc, s.Source)
	if err != nil {
		return nil, err
	}
	for _, o := range moves {
		if err := applyOverride(root, o, &strict.Reporter{Overrides: map[*yaml.Node]string{}}); err != nil {
			return nil, err
		}
	}
	moved := *s
	moved.doc = root
	return moved.YAML()
}

// relativeTo is the path of file as seen from dir (absolute when there is no relative one).
func relativeTo(dir, file string) (string, error) {
	from, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	to, err := filepath.Abs(file)
	if err != nil {
		return "", err
	}
	rel, err := filepath.Rel(from, to)
	if err != nil {
		rel = to
	}
	return rel, nil
}
