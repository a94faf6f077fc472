package strict

import (
	"math"
	"reflect"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v4"
)

// Decoder fills Go values from a YAML node tree strictly: unknown or repeated keys, wrong
// types and non-finite numbers are errors located at the offending node. It is written out
// rather than left to the yaml package so that every message names the field path and what
// is allowed, in our words, and so values keep their nodes for later range checks.
type Decoder struct {
	*Reporter
	Nodes map[string]*yaml.Node // dotted path -> value node, for fields present in the file
}

// CustomDecoder is implemented by types with their own shape: platforms (a mapping keyed by
// name) and interventions (a list whose items start from defaults).
type CustomDecoder interface {
	DecodeCustom(d *Decoder, n *yaml.Node, path string)
}

var customType = reflect.TypeFor[CustomDecoder]()

// Resolve follows aliases (*anchor) to the node they stand for.
func Resolve(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

// Join appends a key to a dotted field path; the top level is the empty path.
func Join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// YAMLFields lists the YAML keys of a struct type, in declaration order.
func YAMLFields(t reflect.Type) []string {
	var names []string
	for f := range t.Fields() {
		if name := YAMLName(f); name != "" {
			names = append(names, name)
		}
	}
	return names
}

// YAMLName is a struct field's YAML key, or "" for a field the files do not hold (no tag, or "-").
func YAMLName(f reflect.StructField) string {
	tag := f.Tag.Get("yaml")
	if tag == "" || tag == "-" {
		return ""
	}
	name, _, _ := strings.Cut(tag, ",")
	return name
}

// Decode fills v from node n, whose dotted path is path, reporting every problem located
// at its node; a type implementing CustomDecoder decodes itself.
func (d *Decoder) Decode(n *yaml.Node, v reflect.Value, path string) {
	n = Resolve(n)
	if v.CanAddr() && v.Addr().Type().Implements(customType) {
		v.Addr().Interface().(CustomDecoder).DecodeCustom(d, n, path)
		return
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		d.At(n, path, "missing value (write the value after the colon, or remove the key)")
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		d.DecodeStruct(n, v, path)
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		d.Decode(n, v.Elem(), path)
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			d.At(n, path, "must be a list (e.g. [1, 2, 3] or one '- item' per line), got %s", Describe(n))
			return
		}
		v.Set(reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content)))
		for i, item := range n.Content {
			itemPath := Join(path, strconv.Itoa(i))
			if v.Type().Elem().Kind() == reflect.Struct {
				// An item with fields is located itself, for problems of a field it leaves out.
				d.Nodes[itemPath] = Resolve(item)
			}
			d.Decode(item, v.Index(i), itemPath)
		}
	case reflect.Int:
		if x, ok := d.integer(n, path, "2^63-1 = 9223372036854775807"); ok {
			v.SetInt(x)
		}
	case reflect.Uint64:
		// Seeds use all 64 bits, past int64.
		if x, err := strconv.ParseUint(strings.ReplaceAll(n.Value, "_", ""), 0, 64); n.Kind == yaml.ScalarNode && n.Tag == "!!int" && err == nil {
			v.SetUint(x)
			return
		}
		if x, err := strconv.ParseFloat(n.Value, 64); n.Kind == yaml.ScalarNode && n.Tag == "!!float" && err == nil && x == math.Trunc(x) && x >= 0 && x < 1<<64 {
			v.SetUint(uint64(x))
			return
		}
		if x, ok := d.integer(n, path, "2^64-1 = 18446744073709551615"); ok {
			if x < 0 {
				d.At(n, path, "must be a whole number >= 0, got %s", n.Value)
				return
			}
			v.SetUint(uint64(x))
		}
	case reflect.Float64:
		if x, ok := d.number(n, path); ok {
			v.SetFloat(x)
		}
	case reflect.Bool:
		x, err := strconv.ParseBool(n.Value)
		if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" || err != nil {
			d.At(n, path, "must be true or false, got %s", Describe(n))
			return
		}
		v.SetBool(x)
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			d.At(n, path, "must be text, got %s", Describe(n))
			return
		}
		v.SetString(n.Value)
	}
}

// DecodeStruct fills the struct v from the mapping n, by YAML keys; fields the mapping
// leaves out keep their values (the defaults), and every field present is recorded in Nodes.
func (d *Decoder) DecodeStruct(n *yaml.Node, v reflect.Value, path string) {
	fields := YAMLFields(v.Type())
	if n.Kind != yaml.MappingNode {
		d.At(n, path, "must be a mapping with fields %s, got %s", strings.Join(fields, ", "), Describe(n))
		return
	}
	index := map[string]int{}
	for i := range v.NumField() {
		if name := YAMLName(v.Type().Field(i)); name != "" {
			index[name] = i
		}
	}
	seen := map[string]bool{}
	for k := 0; k+1 < len(n.Content); k += 2 {
		keyNode, valueNode := Resolve(n.Content[k]), n.Content[k+1]
		key := keyNode.Value
		fieldPath := Join(path, key)
		i, ok := index[key]
		switch {
		case !ok:
			where := "in " + path
			if path == "" {
				where = "at the top level"
			}
			d.At(keyNode, fieldPath, "unknown field %q %s%s (valid fields: %s)", key, where, DidYouMean(key, fields), strings.Join(fields, ", "))
			continue
		case seen[key]:
			d.At(keyNode, fieldPath, "field %q appears twice", key)
			continue
		}
		seen[key] = true
		d.Nodes[fieldPath] = Resolve(valueNode)
		d.Decode(valueNode, v.Field(i), fieldPath)
	}
}

// integer decodes a whole number; largest names the field's largest value for the message
// about one too large.
func (d *Decoder) integer(n *yaml.Node, path, largest string) (int64, bool) {
	if n.Kind == yaml.ScalarNode {
		switch n.Tag {
		case "!!int":
			if x, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, 64); err == nil {
				return x, true
			}
		case "!!float":
			// 1e6 is a natural way to write a population; accept it when it is whole.
			if x, err := strconv.ParseFloat(n.Value, 64); err == nil && x == math.Trunc(x) && math.Abs(x) < 1<<63 {
				return int64(x), true
			}
		}
	}
	if x, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64); n.Kind == yaml.ScalarNode && err == nil && x == math.Trunc(x) {
		d.At(n, path, "is too large for a whole number (at most %s), got %s", largest, n.Value)
		return 0, false
	}
	d.At(n, path, "must be a whole number, got %s", Describe(n))
	return 0, false
}

func (d *Decoder) number(n *yaml.Node, path string) (float64, bool) {
	if n.Kind == yaml.ScalarNode && (n.Tag == "!!int" || n.Tag == "!!float") {
		x, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
		if err == nil && !math.IsInf(x, 0) && !math.IsNaN(x) {
			return x, true
		}
		if err == nil || n.Tag == "!!float" {
			d.At(n, path, "must be a finite number, got %s", n.Value)
			return 0, false
		}
	}
	d.At(n, path, "must be a number, got %s", Describe(n))
	return 0, false
}

// Describe names what a node holds, for "got ..." clauses.
func Describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			return "nothing"
		case "!!str":
			return strconv.Quote(n.Value)
		}
		return n.Value
	}
	return "an unexpected node"
}

// Fail reports a problem with the field at path, located at its node or, for a field the
// file leaves out, at its nearest present parent (the document itself when it is registered
// under "").
func (d *Decoder) Fail(path, format string, args ...any) {
	n := d.Nodes[path]
	for p := path; n == nil && p != ""; {
		p = p[:max(strings.LastIndex(p, "."), 0)]
		n = d.Nodes[p]
	}
	d.At(n, path, format, args...)
}

// Has reports whether the file sets the field at path.
func (d *Decoder) Has(path string) bool { return d.Nodes[path] != nil }
