package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCountiesFileBadFinancesExit2: a bad revenue, spending, debt or transfers cell is bad input
// (exit 2), reported at file:line with its column; a good file validates.
func TestCountiesFileBadFinancesExit2(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("own.csv", "code,revenue,debt,spending,transfers\n410181,2100,800,,\n410225,,,1500,\n411729,abc,,,900\n")
	s := write("s.yaml", "preset: henan\nworld:\n  counties_file: own.csv\n")
	code, _, e := runCLI(t, "validate", s)
	if want := filepath.Join(dir, "own.csv") + `:4: world.counties_file: column 2 (revenue): bad value "abc"`; code != 2 || !strings.Contains(e, want) {
		t.Errorf("exit %d, want 2 with %q: %s", code, want, e)
	}
	// A spending below what the county's own revenue brings: found when the scenario loads.
	write("own.csv", "code,revenue,debt,spending,transfers\n410181,2100,800,,\n410225,,,1,\n")
	code, _, e = runCLI(t, "validate", s)
	if want := filepath.Join(dir, "own.csv") + `:3: world.counties_file: column 4 (spending): bad value 1 (allowed: at least`; code != 2 || !strings.Contains(e, want) {
		t.Errorf("exit %d, want 2 with %q: %s", code, want, e)
	}
	write("own.csv", "code,revenue,debt,spending,transfers\n410181,2100,800,,\n410225,,,1500,\n411729,,,,900\n")
	if code, _, e := runCLI(t, "validate", s); code != 0 {
		t.Errorf("a good file: exit %d: %s", code, e)
	}
}
