// Package scenarios turns scenario YAML files into validated model configurations: strict
// decoding with located errors, documented defaults, --set overrides by dotted path, and the
// example scenarios shipped inside the binary.
package scenarios

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v4"

	"github.com/msgsim/msgsim/internal/strict"
	"github.com/msgsim/msgsim/model"
	"github.com/msgsim/msgsim/model/graph"
)

// Scenario is a loaded, validated scenario, ready to run.
type Scenario struct {
	File   File         // the file's values over the defaults, after overrides
	Config model.Config // what the engine runs
	Source string       // the file path, or "embedded:NAME" for a shipped scenario
	// GraphInfo describes the edge list for file graphs (nil otherwise).
	GraphInfo *graph.EdgeListInfo
	doc       *yaml.Node
}

// Load reads a scenario file, applies overrides ("path=value", see ApplyOverride) and
// validates it. A path that does not exist but names a shipped scenario loads that one.
func Load(path string, overrides []string) (*Scenario, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		if embedded, ok := shippedData(path); ok {
			return Parse(embedded, "embedded:"+shippedName(path), "", overrides)
		}
		return nil, fmt.Errorf("scenario %s: file not found (shipped scenarios: %s)", path, strings.Join(ShippedNames(), ", "))
	}
	if err != nil {
		return nil, fmt.Errorf("scenario %s: %w", path, err)
	}
	return Parse(data, path, filepath.Dir(path), overrides)
}

// Parse validates scenario YAML. name labels errors; dir is where relative graph paths resolve.
func Parse(data []byte, name, dir string, overrides []string) (*Scenario, error) {
	rep := &strict.Reporter{File: name, Lines: strings.Split(string(data), "\n"), Overrides: map[*yaml.Node]string{}}
	root, err := parseDocument(data, name)
	if err != nil {
		return nil, err
	}
	for _, o := range overrides {
		if err := applyOverride(root, o, rep); err != nil {
			return nil, err
		}
	}
	d := &strict.Decoder{Reporter: rep, Nodes: map[string]*yaml.Node{}}
	file := defaultFile()
	d.DecodeStruct(root, reflectValue(&file), "")
	if err := rep.Err(); err != nil {
		return nil, err
	}
	v := &validator{Decoder: d, file: &file, dir: dir}
	cfg := v.build()
	if err := rep.Err(); err != nil {
		return nil, err
	}
	if file.Name == "" {
		file.Name = strings.TrimSuffix(filepath.Base(strings.TrimPrefix(name, "embedded:")), filepath.Ext(name))
	}
	return &Scenario{File: file, Config: cfg, Source: name, GraphInfo: v.graphInfo, doc: root}, nil
}

// parseDocument parses YAML into its root mapping node, turning syntax errors into located ones.
func parseDocument(data []byte, name string) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		var le *yaml.LoadError
		if errors.As(err, &le) && le.Mark.Line > 0 {
			return nil, &strict.FieldError{File: name, Line: le.Mark.Line, Column: le.Mark.Column, Msg: "invalid YAML: " + le.Message}
		}
		return nil, &strict.FieldError{File: name, Msg: "invalid YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	if len(doc.Content) == 0 {
		return nil, &strict.FieldError{File: name, Msg: "the file is empty; a scenario needs at least a platforms: section"}
	}
	root := strict.Resolve(doc.Content[0])
	if root.Kind != yaml.MappingNode {
		return nil, &strict.FieldError{File: name, Line: root.Line, Column: root.Column, Msg: fmt.Sprintf("a scenario must be a mapping of fields (name:, agents:, platforms: ...), got %s", strict.Describe(root))}
	}
	return root, nil
}

// YAML returns the scenario as run: the file with every override applied, so that running
// it again reproduces the run.
func (s *Scenario) YAML() ([]byte, error) {
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
