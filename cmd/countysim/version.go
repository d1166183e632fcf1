package main

import (
	"fmt"
	"io"
	"os/exec"
	"runtime"
	"runtime/debug"
	"strings"
)

// toolVersion is the release this source tree is.
const toolVersion = "0.1.0"

func version() string { return toolVersion }

func goVersion() string { return runtime.Version() }

// commit is the source revision: from the build's VCS stamp, else from git in the working
// folder (go run does not stamp), else "unknown".
func commit() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
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
	}
	out, err := exec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil {
		return "unknown"
	}
	rev := strings.TrimSpace(string(out))
	if st, err := exec.Command("git", "status", "--porcelain", "--untracked-files=no").Output(); err == nil && len(st) > 0 {
		rev += "-dirty"
	}
	return rev
}

func cmdVersion(args []string, stdout, stderr io.Writer) error {
	fmt.Fprintf(stdout, "countysim %s (commit %s, %s)\n", version(), commit(), goVersion())
	return nil
}
