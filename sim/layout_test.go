package sim

import (
	"go/ast"
	"go/parser"
	"go/token"
	"reflect"
	"strings"
	"testing"
	"unsafe"
)

// flatFields lists the fields of struct t with those of embedded structs in their place, with
// their offsets from the start of t.
func flatFields(t reflect.Type, base uintptr, out []reflect.StructField) []reflect.StructField {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		f.Offset += base
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			out = flatFields(f.Type, f.Offset, out)
			continue
		}
		out = append(out, f)
	}
	return out
}

// TestCountyLayout checks that splitting County into embedded parts by concern changed neither
// its memory layout nor the saved-state format: every field sits where it would in one flat
// struct of the same fields in the same order (no padding between parts; 1544 bytes on amd64
// before and after the split), and the state schema names the fields, not the parts.
func TestCountyLayout(t *testing.T) {
	fs := flatFields(reflect.TypeFor[County](), 0, nil)
	end := uintptr(0)
	for _, f := range fs {
		a := uintptr(f.Type.Align())
		if want := (end + a - 1) / a * a; f.Offset != want {
			t.Errorf("County.%s at offset %d, want %d as in a flat struct: a part boundary adds padding", f.Name, f.Offset, want)
		}
		end = f.Offset + f.Type.Size()
	}
	a := uintptr(reflect.TypeFor[County]().Align())
	if size, want := unsafe.Sizeof(County{}), (end+a-1)/a*a; size != want {
		t.Errorf("County is %d bytes, a flat struct of its fields %d", size, want)
	}
	for _, part := range []string{"CountyTraits", "CountyOrganisation", "CountyReform", "countyApprovals", "CountyBudget", "CountyDebt"} {
		if strings.Contains(stateSchema, part) {
			t.Errorf("the state schema names the part %s: embedded parts must be written as their fields", part)
		}
	}
	if !strings.Contains(stateSchema, "Towns [2]int;Pop float64;") {
		t.Error("the state schema does not list County's fields in place")
	}
}

// TestAgentFieldsDocumented fails for an exported field of an agent (County and its parts,
// Town, Prefecture, Province, Branch) without a doc comment.
func TestAgentFieldsDocumented(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "entities.go", nil, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	agents := map[string]bool{"County": true, "CountyTraits": true, "CountyOrganisation": true, "CountyReform": true,
		"countyApprovals": true, "CountyBudget": true, "CountyDebt": true, "Town": true, "Prefecture": true, "Province": true, "Branch": true}
	seen := 0
	ast.Inspect(f, func(n ast.Node) bool {
		ts, ok := n.(*ast.TypeSpec)
		if !ok || !agents[ts.Name.Name] {
			return true
		}
		seen++
		for _, fl := range ts.Type.(*ast.StructType).Fields.List {
			for _, name := range fl.Names {
				if name.IsExported() && fl.Doc == nil {
					t.Errorf("%s.%s has no doc comment (say what it is and its unit)", ts.Name.Name, name.Name)
				}
			}
		}
		return false
	})
	if seen != len(agents) {
		t.Errorf("found %d of the %d agent types in entities.go", seen, len(agents))
	}
}
