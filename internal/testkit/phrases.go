package testkit

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// CallPhrases returns, once each and in the order found, the literal first argument (a string
// literal or a + concatenation of them) of every call to a method or function named in names
// (for example the T and F of a language) in the non-test Go files matched by the patterns.
func CallPhrases(t testing.TB, patterns []string, names ...string) []string {
	t.Helper()
	seen := map[string]bool{}
	var out []string
	EachCall(t, patterns, func(_ token.Position, call *ast.CallExpr) {
		if len(call.Args) == 0 {
			return
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok || !slices.Contains(names, sel.Sel.Name) {
			return
		}
		if s, ok := Literal(call.Args[0]); ok && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	})
	return out
}

// EachCall calls fn, with its position, for every call expression in the non-test Go files
// matched by the patterns, file by file in the order the patterns match them.
func EachCall(t testing.TB, patterns []string, fn func(pos token.Position, call *ast.CallExpr)) {
	t.Helper()
	var files []string
	for _, pat := range patterns {
		fs, err := filepath.Glob(pat)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, fs...)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok {
				fn(fset.Position(call.Pos()), call)
			}
			return true
		})
	}
}

// Literal returns the value of a string literal or a + concatenation of them.
func Literal(e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(e.Value)
		return s, err == nil
	case *ast.BinaryExpr:
		a, ok1 := Literal(e.X)
		b, ok2 := Literal(e.Y)
		return a + b, ok1 && ok2 && e.Op == token.ADD
	}
	return "", false
}
