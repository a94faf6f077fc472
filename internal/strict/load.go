package strict

import (
	"path/filepath"
	"reflect"
	"strings"

	"go.yaml.in/yaml/v4"
)

// Kind describes one kind of YAML file msgsim reads (scenario, sweep, fit): how its errors
// name it, and its defaults. Every such file is read the same way: parsed within the size
// limit, decoded strictly over its defaults, then checked by its own validator against the
// Decoder that located its fields.
type Kind[T any] struct {
	Name     string       // "sweep": names the file in read errors
	Document DocumentKind // words the errors about the whole document
	Defaults func() T     // the documented defaults a file overlays
	// Unrooted leaves the document itself out of the located nodes, so that a problem with
	// a field the file leaves out names no line rather than the document's first.
	Unrooted bool
}

// Loaded is a file decoded over its kind's defaults, ready for its validator: the values,
// and the Decoder that knows where each came from.
type Loaded[T any] struct {
	*Decoder
	Value T
	Root  *yaml.Node // the document's root mapping, after Prepare
}

// Decode parses and strictly decodes data, named name in errors. prepare, when not nil,
// edits the parsed document before decoding (the scenario's --set overrides), reporting to
// the same Reporter. The error is every problem found, located; nil means the validator is
// next.
func (k Kind[T]) Decode(data []byte, name string, prepare func(root *yaml.Node, rep *Reporter) error) (*Loaded[T], error) {
	root, err := ParseDocument(data, name, k.Document)
	if err != nil {
		return nil, err
	}
	rep := &Reporter{File: name, Lines: strings.Split(string(data), "\n"), Overrides: map[*yaml.Node]string{}}
	if prepare != nil {
		if err := prepare(root, rep); err != nil {
			return nil, err
		}
	}
	l := &Loaded[T]{Decoder: &Decoder{Reporter: rep, Nodes: map[string]*yaml.Node{}}, Value: k.Defaults(), Root: root}
	if !k.Unrooted {
		l.Nodes[""] = root
	}
	l.DecodeStruct(root, reflect.ValueOf(&l.Value).Elem(), "")
	if err := rep.Err(); err != nil {
		return nil, err
	}
	return l, nil
}

// DefaultName is the name a file gives itself, or else its file name without the extension
// (and without the "embedded:" of a shipped scenario), made printable: it is shown and plotted.
func DefaultName(given, file string) string {
	if given != "" {
		return given
	}
	return Printable(strings.TrimSuffix(filepath.Base(strings.TrimPrefix(file, "embedded:")), filepath.Ext(file)))
}
