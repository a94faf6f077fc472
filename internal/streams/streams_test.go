package streams

import (
	"go/ast"
	"go/constant"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// TestPurposesDiffer: no two purposes in the table are equal, so no two uses of a seed draw
// the same numbers. It reads the table from the package itself, so a new purpose is checked
// without being listed here.
func TestPurposesDiffer(t *testing.T) {
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "streams.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	pkg, err := (&types.Config{Importer: importer.Default()}).Check("streams", fset, []*ast.File{file}, nil)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[uint64]string{}
	for _, name := range pkg.Scope().Names() {
		c, ok := pkg.Scope().Lookup(name).(*types.Const)
		if !ok {
			continue
		}
		v, exact := constant.Uint64Val(c.Val())
		if !exact {
			t.Fatalf("purpose %s = %s is not a uint64", name, c.Val())
		}
		if other, dup := seen[v]; dup {
			t.Errorf("purposes %s and %s are both %#x", other, name, v)
		}
		seen[v] = name
	}
	if len(seen) < 12 {
		t.Fatalf("found %d purposes in streams.go, want the whole table (12 or more)", len(seen))
	}
}

// TestNoPurposeOutsideTheTable: no PCG source in the module's code is seeded with a literal
// purpose; each names one from this table.
func TestNoPurposeOutsideTheTable(t *testing.T) {
	root := filepath.Join("..", "..")
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		file, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "NewPCG" {
				for _, arg := range call.Args {
					if lit, ok := arg.(*ast.BasicLit); ok {
						t.Errorf("%s: NewPCG seeded with the literal %s: add a purpose to internal/streams", fset.Position(lit.Pos()), lit.Value)
					}
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
