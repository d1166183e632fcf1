// Package layers holds the test that keeps the project's imports pointing one way: from the
// wiring (cmd) down to the model (sim), never back up. ARCHITECTURE.md draws the floors.
package layers

import (
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/countysim/countysim"

// floor gives every package of the module its floor; a package may import only packages on a
// lower floor. A new package must be given its floor here (the test says so).
var floor = map[string]int{
	"sim":                 0, // the model: imports nothing of the project
	"scenarios/design":    0, // experiment designs: a leaf
	"results/did":         0, // estimators on plain panels
	"batch":               0, // the resumable executor knows runs, not the model
	"data":                0, // the embedded census and outline files
	"discover":            0, // PRIM on plain tables
	"census":              1, // real provinces from the embedded data
	"observe":             1, // what is observed of a run: groups, aggregation, tracks, panel, estimation
	"targets":             2, // the check against published targets T1-T9
	"results/sensitivity": 1,
	"scenarios":           2,
	"results":             3,
	"serve":               4,
	"calibrate":           4, // ABC-SMC over the batch engine and the model
	"cmd/countysim":       5,
	"internal/layers":     0,
	"internal/paramgen":   1, // go generate ./sim: zz_params.go and the README field table
}

func TestImportsPointDown(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}}|{{join .Imports \" \"}}", module+"/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	var problems []string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		path, imports, _ := strings.Cut(line, "|")
		pkg := strings.TrimPrefix(strings.TrimPrefix(path, module), "/")
		f, ok := floor[pkg]
		if !ok {
			problems = append(problems, pkg+": not in the floor table of internal/layers; give it its floor")
			continue
		}
		for _, imp := range strings.Fields(imports) {
			if !strings.HasPrefix(imp, module+"/") {
				continue
			}
			dep := strings.TrimPrefix(imp, module+"/")
			g, ok := floor[dep]
			if ok && g >= f {
				problems = append(problems, pkg+" (floor "+strconv.Itoa(f)+") imports "+dep+" (floor "+strconv.Itoa(g)+"): imports must point to a lower floor")
			}
		}
	}
	sort.Strings(problems)
	for _, p := range problems {
		t.Error(p)
	}
}
