package scenarios

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"

	"github.com/msgsim/msgsim/internal/golden"

	"github.com/msgsim/msgsim/internal/strict"
)

// property returns the schema of the field at a dotted path, any key of a list standing for
// its items, or nil.
func (s *Schema) property(path string) *Schema {
	for seg := range strings.SplitSeq(path, ".") {
		switch {
		case s == nil:
			return nil
		case s.Items != nil:
			s = s.Items
		case s.Properties != nil:
			s = s.Properties[seg]
		default:
			s, _ = s.AdditionalProperties.(*Schema)
		}
	}
	return s
}

func TestJSONSchemaGolden(t *testing.T) {
	got, err := JSONSchema()
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, filepath.Join("testdata", "schema.json.golden"), got)
}

// TestShippedScenariosFitTheSchema checks every key of every shipped scenario (and of the
// example under real/) against the schema's structure: the types of scalars and the keys
// of mappings, with enumerated words among the schema's.
func TestShippedScenariosFitTheSchema(t *testing.T) {
	files, _ := filepath.Glob("*.yaml")
	real, _ := filepath.Glob("real/*.yaml")
	files = append(files, real...)
	if len(files) < 3 {
		t.Fatalf("found only %v", files)
	}
	root := jsonSchema()
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := parseDocument(data, name)
		if err != nil {
			t.Fatal(err)
		}
		keys := 0
		checkAgainst(t, name, "", doc, root, &keys)
		if keys < 10 {
			t.Errorf("%s: only %d keys checked", name, keys)
		}
	}
}

func checkAgainst(t *testing.T, file, path string, n *yaml.Node, s *Schema, keys *int) {
	t.Helper()
	n = strict.Resolve(n)
	types := map[string]bool{}
	for _, alt := range append([]*Schema{s}, s.AnyOf...) {
		switch ty := alt.Type.(type) {
		case string:
			types[ty] = true
		case []string:
			for _, x := range ty {
				types[x] = true
			}
		}
	}
	switch n.Kind {
	case yaml.MappingNode:
		if !types["object"] {
			t.Errorf("%s: %s is a mapping, the schema wants %v", file, path, s.Type)
			return
		}
		for k := 0; k+1 < len(n.Content); k += 2 {
			key := n.Content[k].Value
			child, ok := s.Properties[key]
			if !ok {
				child, _ = s.AdditionalProperties.(*Schema)
			}
			if child == nil {
				t.Errorf("%s: key %s is not in the schema", file, strict.Join(path, key))
				continue
			}
			*keys++
			checkAgainst(t, file, strict.Join(path, key), n.Content[k+1], child, keys)
		}
	case yaml.SequenceNode:
		if !types["array"] || s.Items == nil {
			t.Errorf("%s: %s is a list, the schema wants %v", file, path, s.Type)
			return
		}
		for i, item := range n.Content {
			checkAgainst(t, file, strict.Join(path, strconv.Itoa(i)), item, s.Items, keys)
		}
	case yaml.ScalarNode:
		want := map[string]string{"!!int": "integer", "!!float": "number", "!!str": "string", "!!bool": "boolean", "!!null": "null", "!!timestamp": "string"}[n.Tag]
		switch {
		case want == "number" && types["integer"]:
			want = "integer" // 1e6 agents: a whole number written as a float
		case want == "integer" && types["number"]:
			want = "number" // JSON Schema's numbers include the integers
		}
		if !types[want] {
			t.Errorf("%s: %s is %s %q, the schema wants %v", file, path, want, n.Value, s.Type)
		}
		if len(s.Enum) > 0 && !strings.Contains(","+strings.Join(s.Enum, ",")+",", ","+n.Value+",") {
			t.Errorf("%s: %s = %q is not one of %v", file, path, n.Value, s.Enum)
		}
	}
}

// fieldPath matches what validate.go writes as a field path, whole or as a suffix.
var fieldPath = regexp.MustCompile(`^\.?[a-z_]+(\.[a-z_]+)*$`)

// TestValidatorPathsAreInTheModel checks that every field path the validator writes in its
// source (graph.mean_degree; ".launch" after a platform's path) names a field of the path
// model, so that a renamed field cannot leave messages about a field that no longer exists.
func TestValidatorPathsAreInTheModel(t *testing.T) {
	fset := token.NewFileSet()
	checked := 0
	for _, name := range []string{"validate.go", "segments.go", "layers.go"} {
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		checked += checkValidatorPaths(t, fset, f)
	}
	if checked < 40 {
		t.Errorf("checked only %d paths", checked)
	}
}

// checkValidatorPaths checks the field paths of one validator source file and returns how
// many it checked.
func checkValidatorPaths(t *testing.T, fset *token.FileSet, f *ast.File) int {
	checked := 0
	ast.Inspect(f, func(node ast.Node) bool {
		call, ok := node.(*ast.CallExpr)
		if !ok || len(call.Args) == 0 {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok || !strings.HasPrefix(selectorName(sel), "v.") {
			return true
		}
		for _, lit := range pathLiterals(call.Args[0]) {
			checked++
			path := lit
			if strings.HasPrefix(lit, ".") {
				// A field of a list item (a platform, an intervention, a segment, a
				// segment's platform or a layer), of a threshold (the scenario's or a
				// segment's) or of a graph (the scenario's or a layer's).
				items := []string{"platforms.x", "interventions.0", "segments.x", "segments.x.platforms.x", "layers.x", "threshold", "graph"}
				if !slices.ContainsFunc(items, func(item string) bool { return lookup(item+lit) != nil }) {
					t.Errorf("%s: %s names %q, a field of no list item", fset.Position(call.Pos()), sel.Sel.Name, lit)
				}
				continue
			}
			if lookup(path) == nil {
				t.Errorf("%s: %s names %q, which is not in the path model", fset.Position(call.Pos()), sel.Sel.Name, lit)
			}
		}
		return true
	})
	return checked
}

// selectorName is the receiver and method of a selector: "v.Fail".
func selectorName(sel *ast.SelectorExpr) string {
	if id, ok := sel.X.(*ast.Ident); ok {
		return id.Name + "." + sel.Sel.Name
	}
	return ""
}

// pathLiterals returns the string literals in a path argument ("graph.k", path+".launch").
func pathLiterals(e ast.Expr) []string {
	var out []string
	ast.Inspect(e, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok && call != e {
			return false // fmt.Sprintf("%s.nodes.%d", ...) and the like are checked by their tests
		}
		lit, ok := n.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return true
		}
		s, err := strconv.Unquote(lit.Value)
		if err == nil && fieldPath.MatchString(s) {
			out = append(out, s)
		}
		return true
	})
	return out
}
