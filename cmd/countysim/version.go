package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
)

// toolVersion is the release this source tree is.
const toolVersion = "0.1.0"

func version() string { return toolVersion }

func goVersion() string { return runtime.Version() }

// commit is the source revision: from the build's VCS stamp, else (go run, or a build
// without -buildvcs) from git in the working folder when that folder lies in a checkout of
// this tool's own module, else "unknown". A folder of another project must not lend its
// revision to the manifests (TestCommitNotFromAnotherRepository).
var commit = sync.OnceValue(func() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	return commitFrom(bi, gitRevision)
})

// commitFrom is commit given the build information and a way to ask git in the working
// folder (gitRevision).
func commitFrom(bi *debug.BuildInfo, git func(module string) string) string {
	rev, dirty := "", false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev != "" {
		if dirty {
			rev += "-dirty"
		}
		return rev
	}
	if bi.Main.Path == "" {
		return "unknown"
	}
	if rev := git(bi.Main.Path); rev != "" {
		return rev
	}
	return "unknown"
}

// buildID names the build of this countysim for the batches it may continue or merge (sweep,
// calibrate): "commit REV" for a build stamped with a clean commit (go build or go install in
// a checkout), else the SHA-256 of the executable ("binary sha256 HEX"), so that a folder
// started by another build (another model, another output format) is never continued or
// merged by this one, even when the version string is the same. An unstamped build (go run,
// -buildvcs=false, a build outside a checkout) is named by its bytes, never by git in the
// working folder as commit() may name it: the same binary has one identity wherever it is
// started (a shard resumed or merged from another folder). Computed once.
var buildID = sync.OnceValue(func() string {
	bi, _ := debug.ReadBuildInfo()
	return buildIDFrom(bi, executableSHA256)
})

// buildIDFrom is buildID given the build information (nil when there is none) and a way to
// hash the executable ("" when it cannot be read).
//
// A commit names the source only: the same commit built by another Go release or for another
// processor level (GOAMD64=v3 fuses multiplications and additions, so its runs differ in the
// last bits) gives other bytes, so the identity adds the Go version and every build setting
// that chooses the instructions ("commit REV go1.26.8 amd64 GOAMD64=v1").
func buildIDFrom(bi *debug.BuildInfo, exeHash func() string) string {
	if bi != nil {
		if c := commitFrom(bi, func(string) string { return "" }); c != "unknown" && !strings.HasSuffix(c, "-dirty") {
			id := "commit " + c
			if bi.GoVersion != "" {
				id += " " + bi.GoVersion
			}
			for _, s := range bi.Settings {
				switch {
				case s.Key == "GOARCH":
					id += " " + s.Value
				case s.Key == "-tags" || s.Key == "-gcflags" ||
					(strings.HasPrefix(s.Key, "GO") && s.Key != "GOOS" && s.Key != "GOARCH" && s.Key != "GOEXPERIMENT" && s.Key != "GOFIPS140"):
					// GOAMD64, GOARM64, GO386, GOARM, GOMIPS, GOPPC64, GORISCV64, ...
					id += " " + s.Key + "=" + s.Value
				case s.Key == "GOEXPERIMENT":
					id += " GOEXPERIMENT=" + s.Value
				}
			}
			return id
		}
	}
	if h := exeHash(); h != "" {
		return "binary sha256 " + h
	}
	return "unknown build"
}

// executableSHA256 is the hex SHA-256 of this program's executable, or "".
func executableSHA256() string {
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	f, err := os.Open(exe)
	if err != nil {
		return ""
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return ""
	}
	return hex.EncodeToString(h.Sum(nil))
}

// gitRevision returns HEAD of the git checkout around the working folder ("-dirty" when a
// tracked file is modified) if its go.mod declares module, else "". The checkout's top is
// found as git finds it, the nearest folder upward holding .git (a folder, or a file in a
// worktree), and git runs once: `status --porcelain=v2 --branch` gives HEAD and the
// modified files together (three git processes, about 20 ms of CPU, before).
func gitRevision(module string) string {
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	top := wd
	for {
		if _, err := os.Lstat(filepath.Join(top, ".git")); err == nil {
			break
		}
		up := filepath.Dir(top)
		if up == top {
			return ""
		}
		top = up
	}
	mod, err := os.ReadFile(filepath.Join(top, "go.mod"))
	if err != nil || modulePath(mod) != module {
		return ""
	}
	out, err := exec.Command("git", "-C", top, "status", "--porcelain=v2", "--branch", "--untracked-files=no").Output()
	if err != nil {
		return ""
	}
	return revisionFromStatus(string(out))
}

// revisionFromStatus reads `git status --porcelain=v2 --branch` output: the "# branch.oid"
// header's commit, with "-dirty" when any entry (a modified tracked file) follows; "" for a
// checkout with no commit yet.
func revisionFromStatus(out string) string {
	rev, dirty := "", false
	for _, line := range strings.Split(out, "\n") {
		switch {
		case strings.HasPrefix(line, "# branch.oid "):
			rev = strings.TrimSpace(strings.TrimPrefix(line, "# branch.oid "))
		case line != "" && !strings.HasPrefix(line, "#"):
			dirty = true
		}
	}
	if rev == "" || rev == "(initial)" {
		return ""
	}
	if dirty {
		rev += "-dirty"
	}
	return rev
}

// modulePath returns the module path a go.mod declares, or "".
func modulePath(gomod []byte) string {
	for _, line := range strings.Split(string(gomod), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "module" {
			return strings.Trim(f[1], `"`)
		}
	}
	return ""
}

func cmdVersion(args []string, stdout, stderr io.Writer) error {
	fmt.Fprintf(stdout, "countysim %s (commit %s, %s)\n", version(), commit(), goVersion())
	return nil
}
