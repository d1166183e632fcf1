package scenarios

import (
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

func TestScenarioNamesStayInTheirFolder(t *testing.T) {
	for _, name := range []string{"../../victim", "a/b", `a\b`, "..", ".", ".hidden", "-rf", "x\x1b]0;pwned\x07", "tab\tname", "bidi\u202etxt", strings.Repeat("n", 101), " padded ", "<script>alert(1)</script>", "a\"b", "$(rm)", "a;b"} {
		_, err := Parse("s.yaml", []byte("name: "+strconv.Quote(name)+"\npreset: teaching\n"))
		if err == nil || !strings.Contains(err.Error(), "s.yaml:1:1: name: bad value") {
			t.Errorf("name %q: got %v", name, err)
			continue
		}
		if strings.ContainsAny(err.Error(), "\x1b\x07\t\u202e") {
			t.Errorf("name %q: the message carries a raw control character: %q", name, err.Error())
		}
	}
	for _, name := range []string{"my run", "浙江-2014", "pmc_three.step+1 (b)"} {
		if _, err := Parse("s.yaml", []byte("name: "+strconv.Quote(name)+"\n")); err != nil {
			t.Errorf("name %q refused: %v", name, err)
		}
	}
	// --set name=... is checked as well.
	s, _ := Builtin(Default)
	if err := Set(s, "name=../up"); err != nil {
		t.Fatal(err)
	}
	if err := Validate(s); err == nil || !strings.Contains(err.Error(), "name: bad value") {
		t.Errorf("Validate after --set name=../up: %v", err)
	}
	// A name taken from the file name is made safe.
	for file, want := range map[string]string{"dir/.hidden.yaml": "_.hidden", "-x.yaml": "_-x", "a\x1bb.yaml": "a_b"} {
		if got := FileName(file); got != want || CheckName(got) != nil {
			t.Errorf("FileName(%q) = %q, want %q", file, got, want)
		}
	}
}

func TestPrintableEscapesTerminalControl(t *testing.T) {
	// A YAML key holding an escape sequence is reported, not executed by the terminal.
	_, err := Parse("s.yaml", []byte(`"pm\e[2J": 1`+"\n"))
	if err == nil || strings.ContainsRune(err.Error(), 0x1b) || !strings.Contains(err.Error(), `pm\x1b[2J`) {
		t.Fatalf("got %q", err)
	}
	if got := Printable("a\u202eb\nc"); got != `a\u202eb\x0ac` {
		t.Errorf("Printable: %q", got)
	}
}

func TestScenarioFileSizeCap(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(big, []byte("name: big\n#"+strings.Repeat("x", MaxFileBytes)), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(big); err == nil || !strings.Contains(err.Error(), "larger than 1048576 bytes") {
		t.Errorf("got %v", err)
	}
	// An endless device is read only up to the cap.
	if _, err := os.Stat("/dev/zero"); err == nil {
		if _, err := Load("/dev/zero"); err == nil || !strings.Contains(err.Error(), "larger than") {
			t.Errorf("/dev/zero: got %v", err)
		}
	}
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "is a folder") {
		t.Errorf("folder: got %v", err)
	}
}

func TestAliasBombIsRefusedBeforeDecoding(t *testing.T) {
	// The classic bomb: nine levels of nine aliases is 9^9 values from about 1 KB.
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i <= 9; i++ {
		p := "*a" + strconv.Itoa(i-1)
		b.WriteString("a" + strconv.Itoa(i) + ": &a" + strconv.Itoa(i) + " [" + strings.Repeat(p+", ", 8) + p + "]\n")
	}
	data := []byte(b.String())
	if len(data) > 1200 {
		t.Fatalf("bomb of %d bytes", len(data))
	}
	_, err := Parse("bomb.yaml", data)
	if err == nil || !strings.Contains(err.Error(), "too many values: more than 20000 once aliases are expanded") {
		t.Fatalf("got %v", err)
	}
	// The refusal is cheap: a few hundred KB, where expanding the bomb took 47 MB.
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	Parse("bomb.yaml", data)
	runtime.ReadMemStats(&after)
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 2<<20 {
		t.Errorf("refusing the bomb allocated %d bytes", alloc)
	}
	_, err = ParseExperiment("bomb.yaml", data, metricNames())
	if err == nil || !strings.Contains(err.Error(), "too many values") {
		t.Fatalf("experiment: got %v", err)
	}
	// The largest built-in preset, written out in full, is well inside the budget.
	s, _ := Builtin(Default)
	if err := Set(s, "preset=national"); err != nil {
		t.Fatal(err)
	}
	full, _ := Marshal(s)
	if _, err := Parse("national.yaml", full); err != nil {
		t.Fatalf("national written out: %v", err)
	}
}
