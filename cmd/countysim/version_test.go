package main

import (
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"slices"
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
	// A tracked file changed: the same HEAD, marked dirty.
	if err := os.WriteFile("../tracked", []byte("a"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"add", "tracked"}, {"-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "y"}} {
		if out, err := exec.Command("git", append([]string{"-C", ".."}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v: %s", args, err, out)
		}
	}
	head2, err := exec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := commitFrom(unstamped, gitRevision), strings.TrimSpace(string(head2)); got != want {
		t.Errorf("clean checkout after a commit: commit %q, want %s", got, want)
	}
	if err := os.WriteFile("../tracked", []byte("b"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, want := commitFrom(unstamped, gitRevision), strings.TrimSpace(string(head2))+"-dirty"; got != want {
		t.Errorf("a tracked file modified: commit %q, want %s", got, want)
	}
	stamped := &debug.BuildInfo{Main: debug.Module{Path: module}, Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "abc"}, {Key: "vcs.modified", Value: "true"}}}
	if got := commitFrom(stamped, gitRevision); got != "abc-dirty" {
		t.Errorf("stamped build: commit %q, want abc-dirty", got)
	}
}

// TestBuildIDIgnoresTheWorkingFolder checks that the build identity a sweep records (and a
// resume or merge checks) does not depend on the folder countysim is started in: an unstamped
// build started inside a checkout of this module once took the checkout's HEAD, and elsewhere
// its own SHA-256, so merging its shards from another folder said the folder was changed.
func TestBuildIDIgnoresTheWorkingFolder(t *testing.T) {
	if os.Getenv("COUNTYSIM_PRINT_BUILD") != "" {
		fmt.Print(buildID())
		os.Exit(0)
	}
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	checkout := t.TempDir()
	os.WriteFile(filepath.Join(checkout, "go.mod"), []byte("module github.com/countysim/countysim\n\ngo 1.26\n"), 0o644)
	for _, args := range [][]string{{"init", "-q", "."}, {"add", "go.mod"}, {"-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "x"}} {
		if out, err := exec.Command("git", append([]string{"-C", checkout}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v: %s", args, err, out)
		}
	}
	ids := map[string]string{}
	for _, dir := range []string{checkout, t.TempDir()} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestBuildIDIgnoresTheWorkingFolder$")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "COUNTYSIM_PRINT_BUILD=1")
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("in %s: %v", dir, err)
		}
		ids[dir] = string(out)
	}
	if len(slices.Compact(slices.Sorted(maps.Values(ids)))) != 1 {
		t.Errorf("one binary, two build identities by working folder: %q", ids)
	}
	unstamped := &debug.BuildInfo{Main: debug.Module{Path: "github.com/countysim/countysim"}}
	if got := buildIDFrom(unstamped, func() string { return "abc" }); got != "binary sha256 abc" {
		t.Errorf("unstamped build: %q, want its binary's hash", got)
	}
	stamped := &debug.BuildInfo{Main: debug.Module{Path: "github.com/countysim/countysim"}, Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "def"}}}
	if got := buildIDFrom(stamped, func() string { return "abc" }); got != "commit def" {
		t.Errorf("stamped clean build: %q, want commit def", got)
	}
	// The same commit for another processor level or by another Go release is another build
	// (GOAMD64=v3 fuses multiply-adds: other bits).
	v1 := &debug.BuildInfo{GoVersion: "go1.26.8", Main: stamped.Main, Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "def"}, {Key: "GOARCH", Value: "amd64"}, {Key: "GOAMD64", Value: "v1"}}}
	v3 := &debug.BuildInfo{GoVersion: "go1.26.8", Main: stamped.Main, Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "def"}, {Key: "GOARCH", Value: "amd64"}, {Key: "GOAMD64", Value: "v3"}}}
	newer := &debug.BuildInfo{GoVersion: "go1.27.0", Main: stamped.Main, Settings: v1.Settings}
	a, b, c := buildIDFrom(v1, nil), buildIDFrom(v3, nil), buildIDFrom(newer, nil)
	if a == b || a == c || a != "commit def go1.26.8 amd64 GOAMD64=v1" {
		t.Errorf("one commit, three builds: %q, %q, %q; want three identities, the first commit def go1.26.8 amd64 GOAMD64=v1", a, b, c)
	}
	stamped.Settings = append(stamped.Settings, debug.BuildSetting{Key: "vcs.modified", Value: "true"})
	if got := buildIDFrom(stamped, func() string { return "abc" }); got != "binary sha256 abc" {
		t.Errorf("stamped dirty build: %q, want its binary's hash", got)
	}
}
