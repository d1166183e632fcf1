package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

// TestCommitNotFromAnotherRepository checks where an unstamped build (go run, -buildvcs=false)
// takes its commit from: git in the working folder only when that checkout is this tool's
// module, so that a run started in a researcher's own repository does not record that
// repository's HEAD as countysim's source.
func TestCommitNotFromAnotherRepository(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	const module = "github.com/countysim/countysim"
	unstamped := &debug.BuildInfo{Main: debug.Module{Path: module}}
	repo := func(gomod string) string {
		dir := t.TempDir()
		for _, args := range [][]string{{"init", "-q", "."}, {"-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", "x"}} {
			if out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).CombinedOutput(); err != nil {
				t.Fatalf("git %v: %v: %s", args, err, out)
			}
		}
		if gomod != "" {
			if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(gomod), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		head, err := exec.Command("git", "-C", dir, "rev-parse", "HEAD").Output()
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(dir, "sub"), 0o755); err != nil {
			t.Fatal(err)
		}
		t.Chdir(filepath.Join(dir, "sub"))
		return strings.TrimSpace(string(head))
	}

	repo("module example.com/someone/else\n")
	if got := commitFrom(unstamped, gitRevision); got != "unknown" {
		t.Errorf("in another module's checkout: commit %q, want unknown", got)
	}
	repo("")
	if got := commitFrom(unstamped, gitRevision); got != "unknown" {
		t.Errorf("in a checkout without go.mod: commit %q, want unknown", got)
	}
	head := repo("// countysim\nmodule " + module + "\n\ngo 1.26\n")
	// go.mod is untracked here, so the checkout is not dirty.
	if got := commitFrom(unstamped, gitRevision); got != head {
		t.Errorf("in this tool's checkout: commit %q, want its HEAD %s", got, head)
	}
	stamped := &debug.BuildInfo{Main: debug.Module{Path: module}, Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "abc"}, {Key: "vcs.modified", Value: "true"}}}
	if got := commitFrom(stamped, gitRevision); got != "abc-dirty" {
		t.Errorf("stamped build: commit %q, want abc-dirty", got)
	}
}
