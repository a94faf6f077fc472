package strict

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v4"
)

// DocumentKind words the errors about a whole document: "a scenario must be a mapping of
// fields (name:, agents:, ...)", "the file is empty; a scenario needs at least ...".
type DocumentKind struct {
	What   string // "a scenario"
	Fields string // a few of its fields, for the example
	Needs  string // what an empty file lacks
}

// ParseDocument parses YAML into its root mapping node, turning syntax errors into located ones.
func ParseDocument(data []byte, name string, kind DocumentKind) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		var le *yaml.LoadError
		if errors.As(err, &le) && le.Mark.Line > 0 {
			return nil, &FieldError{File: name, Line: le.Mark.Line, Column: le.Mark.Column, Msg: "invalid YAML: " + le.Message}
		}
		return nil, &FieldError{File: name, Msg: "invalid YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	if len(doc.Content) == 0 {
		return nil, &FieldError{File: name, Msg: fmt.Sprintf("the file is empty; %s needs %s", kind.What, kind.Needs)}
	}
	// Unmarshal reads the first document only; a second one would be silently ignored.
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var first, second yaml.Node
	if dec.Decode(&first) == nil {
		if err := dec.Decode(&second); err == nil && len(second.Content) > 0 {
			n := Resolve(second.Content[0])
			return nil, &FieldError{File: name, Line: n.Line, Column: n.Column, Msg: fmt.Sprintf("a second YAML document starts here (after ---); a file holds one %s", strings.TrimPrefix(strings.TrimPrefix(kind.What, "a "), "an "))}
		}
	}
	root := Resolve(doc.Content[0])
	if root.Kind != yaml.MappingNode {
		return nil, &FieldError{File: name, Line: root.Line, Column: root.Column, Msg: fmt.Sprintf("%s must be a mapping of fields (%s), got %s", kind.What, kind.Fields, Describe(root))}
	}
	return root, nil
}
