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
	"lang":                0, // the languages of the outputs, their words, number formatting
	"provenance":          0, // the common head of every manifest: build, command line, seeds, times, files
	"census":              1, // real provinces from the embedded data
	"observe":             1, // what is observed of a run: groups, aggregation, tracks, panel, estimation
	"targets":             2, // the check against published targets T1-T9
	"results/sensitivity": 1,
	"scenarios":           2,
	"assess":              2, // key outcomes, verdicts, differences in words, the scorecard
	"geo":                 2, // the schematic map's geometry and layout
	"results":             3,
	"serve":               3, // on results' floor, so it cannot import results (and its plotting stack)
	"calibrate/spec":      3, // calibration files: on results' floor, so the fuzzed reader carries no plotting
	"calibrate":           4, // ABC-SMC over the batch engine and the model
	"cmd/countysim":       5,
	"internal/layers":     0,
	"internal/paramgen":   1, // go generate ./sim: zz_params.go and the README field table
	"internal/testkit":    2, // fixtures shared by tests (imported by test files only)
}

func TestImportsPointDown(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}}|{{join .Imports \" \"}}", module+"/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, p := range upward(strings.Split(strings.TrimSpace(string(out)), "\n")) {
		t.Error(p)
	}
}

// TestUpwardImportsAreFound feeds the check imports that must fail: serve taking anything
// from results, results reaching up to serve, the model importing a floor above it.
func TestUpwardImportsAreFound(t *testing.T) {
	for _, line := range []string{
		module + "/serve|" + module + "/results",
		module + "/results|" + module + "/serve",
		module + "/sim|" + module + "/observe",
		module + "/lang|" + module + "/sim",
		module + "/nowhere|",
	} {
		if p := upward([]string{line}); len(p) != 1 {
			t.Errorf("%s: problems %q, want one", line, p)
		}
	}
	if p := upward([]string{module + "/serve|" + module + "/observe fmt " + module + "/assess"}); len(p) != 0 {
		t.Errorf("serve importing observe and assess: %q, want none", p)
	}
}

// upward returns the problems of go list lines "path|import import ...": a package without a
// floor, or an import of a package on the same or a higher floor, sorted.
func upward(lines []string) []string {
	var problems []string
	for _, line := range lines {
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
	return problems
}
