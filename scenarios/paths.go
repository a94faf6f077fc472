package scenarios

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v4"

	"github.com/msgsim/msgsim/internal/strict"
)

// PathKind is the kind of value a scenario field holds.
type PathKind int

// Path kinds.
const (
	PathNumber  PathKind = iota // a real number
	PathInteger                 // a whole number (agents, steps, launch, at, ...)
	PathText                    // a word (graph.kind, decision.rule, ...), or true/false (committed)
	PathList                    // a list (graph.blocks, nodes)
)

// Paths lists every field that an override or a sweep factor may name in this scenario, with
// its kind: the schema's fields, under each platform and intervention the file defines.
func (b *Base) Paths() (map[string]PathKind, error) {
	root, err := parseDocument(b.data, b.name)
	if err != nil {
		return nil, err
	}
	paths := map[string]PathKind{}
	var walk func(t reflect.Type, prefix string, node *yaml.Node)
	walk = func(t reflect.Type, prefix string, node *yaml.Node) {
		switch t {
		case platformListType:
			for _, name := range mappingKeys(node) {
				walk(reflect.TypeFor[PlatformFile](), strict.Join(prefix, name), nil)
			}
			return
		case interventionListType:
			if node != nil && node.Kind == yaml.SequenceNode {
				for i := range node.Content {
					walk(reflect.TypeFor[Intervention](), strict.Join(prefix, strconv.Itoa(i)), nil)
				}
			}
			return
		}
		for f := range t.Fields() {
			name := strict.YAMLName(f)
			if name == "" {
				continue
			}
			path := strict.Join(prefix, name)
			var child *yaml.Node
			if node != nil {
				child = mappingValue(node, name)
			}
			switch f.Type.Kind() {
			case reflect.Struct:
				walk(f.Type, path, child)
			case reflect.Slice:
				if f.Type == platformListType || f.Type == interventionListType {
					if child != nil {
						walk(f.Type, path, child)
					}
					continue
				}
				paths[path] = PathList
			case reflect.Int, reflect.Uint64:
				paths[path] = PathInteger
			case reflect.Float64:
				paths[path] = PathNumber
			case reflect.String, reflect.Bool:
				paths[path] = PathText
			}
		}
	}
	walk(reflect.TypeFor[File](), "", root)
	return paths, nil
}

// CheckPath returns the kind of a field path, or an error naming the closest valid paths.
func (b *Base) CheckPath(path string) (PathKind, error) {
	paths, err := b.Paths()
	if err != nil {
		return 0, err
	}
	if kind, ok := paths[path]; ok {
		return kind, nil
	}
	return 0, fmt.Errorf("no field %q in scenario %s; closest: %s", path, b.name, strings.Join(closestPaths(path, paths, 3), ", "))
}

// closestPaths returns the n valid paths nearest to path by edit distance, nearest first.
func closestPaths(path string, paths map[string]PathKind, n int) []string {
	all := make([]string, 0, len(paths))
	for p := range paths {
		all = append(all, p)
	}
	slices.SortFunc(all, func(a, b string) int {
		if d := strict.EditDistance(path, a) - strict.EditDistance(path, b); d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	return all[:min(n, len(all))]
}
