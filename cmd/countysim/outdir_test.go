package main

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// TestStaleStagingFolderOfADeadPod checks that a staging folder left by a killed countysim is
// removed by the next command on the same folder even when its PID runs (in a container
// countysim is PID 1 in every pod, so a merge pod's ".merged.partial-1-..." always looked
// alive), and that one whose owner runs is kept, whatever its PID: its lock decides.
func TestStaleStagingFolderOfADeadPod(t *testing.T) {
	parent := t.TempDir()
	final := filepath.Join(parent, "merged")
	mk := func(name string) string {
		p := filepath.Join(parent, name)
		if err := os.MkdirAll(p, 0o755); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(p, "runs.csv"), []byte("half a table"), 0o644)
		os.WriteFile(p+stageLockSuffix, nil, 0o644)
		return p
	}
	dead := mk(".merged.partial-1-123456")    // PID 1 runs; nobody holds the lock
	live := mk(".merged.partial-999999999-1") // no such PID; its owner holds the lock
	f, err := os.OpenFile(live+stageLockSuffix, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		t.Fatal(err)
	}
	// A pod killed between moving the previous output aside and the new one in.
	os.MkdirAll(filepath.Join(parent, ".merged.old-1-777"), 0o755)
	os.WriteFile(filepath.Join(parent, ".merged.old-1-777", "manifest.json"), []byte("{}"), 0o644)
	os.WriteFile(filepath.Join(parent, ".merged.partial-1-777"+stageLockSuffix), nil, 0o644)

	od, err := claimOut(final, "merge", false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dead); err == nil {
		t.Error("the staging folder of a dead owner with a live PID (a container's PID 1) was kept")
	}
	if _, err := os.Stat(dead + stageLockSuffix); err == nil {
		t.Error("the dead owner's lock file was kept")
	}
	if _, err := os.Stat(filepath.Join(live, "runs.csv")); err != nil {
		t.Error("the staging folder of a running owner was removed")
	}
	if _, err := os.Stat(filepath.Join(final, "manifest.json")); err != nil {
		t.Error("the previous output a killed command had moved aside was not moved back")
	}
	// A second command while the first stages is refused as busy (exit 75); the first's
	// folder stays.
	if _, err := claimOut(final, "merge", true); errCode(err) != exitBusy || !strings.Contains(err.Error(), "another countysim is writing this folder now") {
		t.Errorf("a second command on a folder being written: %v (exit %d); want it refused as busy (exit %d)", err, errCode(err), exitBusy)
	}
	if _, err := os.Stat(od.stage); err != nil {
		t.Error("a running command's staging folder was removed by another")
	}
	// The first is killed (its locks released, nothing removed): the next command cleans up.
	stage := od.stage
	od.lock.Close()
	od.claim.Close()
	od3, err := claimOut(final, "merge", true)
	if err != nil {
		t.Fatal(err)
	}
	defer od3.discard()
	if _, err := os.Stat(stage); err == nil {
		t.Error("the staging folder of a killed command (its PID this test's, alive) was kept")
	}
	if _, err := os.Stat(stage + stageLockSuffix); err == nil {
		t.Error("the killed command's lock file was kept")
	}
}

// errCode is the exit status an error of a command gives (1 for an error without one).
func errCode(err error) int {
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	if err == nil {
		return 0
	}
	return 1
}

// TestOneCommandAFolder checks that a command is refused as busy (exit 75) while another
// writes the same --out, where both used to run and the later replaced the earlier's output
// after the earlier had printed its paths (two run --save-at into one folder), and that the
// claim leaves no lock file once the command ends.
func TestOneCommandAFolder(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "out")
	od, err := claimOut(dir, "run", false)
	if err != nil {
		t.Fatal(err)
	}
	for _, cmd := range [][]string{{"run", "baseline", "--months", "3"}, {"compare", "baseline", "devolution", "--months", "3"}} {
		code, _, e := runCLI(t, append(cmd, "--out", dir, "-q")...)
		if code != exitBusy || !strings.Contains(e, "another countysim is writing this folder now") {
			t.Errorf("%s while another command writes the folder: exit %d: %s", cmd[0], code, e)
		}
	}
	od.discard()
	if code, _, e := runCLI(t, "run", "baseline", "--months", "3", "--save-at", "2", "--out", dir, "-q"); code != 0 {
		t.Fatalf("run once the folder is free: exit %d: %s", code, e)
	}
	if _, err := os.Stat(filepath.Join(dir, "state-m2.cstate")); err != nil {
		t.Error(err)
	}
	if _, err := os.Stat(filepath.Join(parent, claimLockFile("out"))); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the claim's lock file is left beside the folder: %v", err)
	}
}

// TestSweepAndRunShareTheClaim checks that a sweep and the commands that stage their output
// exclude each other on one folder (exit 75), where each took a lock the other did not look
// at and both wrote the folder (an audit: the sweep's manifest listed the run's files).
func TestSweepAndRunShareTheClaim(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	unlock, err := lockFolder(dir)
	if err != nil {
		t.Fatal(err)
	}
	if code, _, e := runCLI(t, "run", "baseline", "--months", "3", "--out", dir, "--force", "-q"); code != exitBusy {
		t.Errorf("run while a sweep holds the folder: exit %d: %s", code, e)
	}
	unlock()
	od, err := claimOut(dir, "run", true)
	if err != nil {
		t.Fatal(err)
	}
	if code, _, e := runCLI(t, "sweep", quick, "--out", dir, "-q"); code != exitBusy || !strings.Contains(e, "another countysim is writing this folder now") {
		t.Errorf("sweep while a run holds the folder: exit %d: %s", code, e)
	}
	od.discard()
	if _, err := os.Stat(filepath.Join(filepath.Dir(dir), claimLockFile("out"))); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a claim's lock file is left beside the folder: %v", err)
	}
}

// TestOutIsTheWorkingFolder checks --out . in an empty folder: the output goes into it, the
// claim and the staging folder beside it (not inside), nothing left behind, the folder kept.
func TestOutIsTheWorkingFolder(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "here")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	before, _ := os.Stat(dir)
	t.Chdir(dir)
	if code, _, e := runCLI(t, "run", "baseline", "--months", "3", "--out", ".", "-q"); code != 0 {
		t.Fatalf("run --out . in an empty folder: exit %d: %s", code, e)
	}
	if _, err := os.Stat(filepath.Join(dir, "manifest.json")); err != nil {
		t.Error(err)
	}
	if after, err := os.Stat(dir); err != nil || !os.SameFile(before, after) {
		t.Errorf("the output folder was replaced, not written into (%v)", err)
	}
	for _, d := range []string{dir, parent} {
		ents, _ := os.ReadDir(d)
		for _, e := range ents {
			if strings.HasPrefix(e.Name(), ".") {
				t.Errorf("%s left in %s", e.Name(), d)
			}
		}
	}
}

// TestChangedFolderKeepsTheOutput checks that when another program writes into the output
// folder while a command runs, the command's output is kept where its error says (it named
// a staging folder it had just removed).
func TestChangedFolderKeepsTheOutput(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	od, err := claimOut(dir, "run", false)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(od.stage, "manifest.json"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	err = od.commit()
	if err == nil || !strings.Contains(err.Error(), "changed while the command ran") {
		t.Fatalf("commit into a folder another program wrote: %v", err)
	}
	kept := err.Error()[strings.LastIndex(err.Error(), " ")+1:]
	if _, err := os.Stat(filepath.Join(kept, "manifest.json")); err != nil {
		t.Errorf("the output is not where the error says: %v", err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "notes.txt")); err != nil || string(b) != "mine" {
		t.Errorf("the other program's file: %q, %v", b, err)
	}
}

// TestSymlinkedOutIsWrittenThrough: an --out that is a symbolic link is written into the
// folder it names, and stays a link: a command run again into it used to rename a new folder
// over the link, leaving the link a plain folder with the new output and its target stale.
// The link and its target share one claim.
func TestSymlinkedOutIsWrittenThrough(t *testing.T) {
	root := t.TempDir()
	target, link := filepath.Join(root, "rA"), filepath.Join(root, "rlink")
	if code, _, e := runCLI(t, "run", "baseline", "--months", "3", "--out", target, "--no-plots", "-q"); code != 0 {
		t.Fatalf("run into rA: exit %d: %s", code, e)
	}
	if err := os.Symlink("rA", link); err != nil {
		t.Fatal(err)
	}
	if code, _, e := runCLI(t, "run", "baseline", "--months", "5", "--out", link, "--no-plots", "-q"); code != 0 {
		t.Fatalf("run into rlink: exit %d: %s", code, e)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("rlink is no longer a symbolic link (%v)", err)
	}
	if m := string(readFile(t, filepath.Join(target, "manifest.json"))); !strings.Contains(m, `"months": 5,`) {
		t.Errorf("rA does not hold the 5-month run:\n%.400s", m)
	}
	ents, _ := os.ReadDir(root)
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	if want := []string{"rA", "rlink"}; !slices.Equal(names, want) {
		t.Errorf("beside the folders: %v, want %v (no staging folder, claim or old folder left)", names, want)
	}
	// One claim for both names: while a command holds rA's, rlink is busy.
	claim, err := claimFolder(target)
	if err != nil {
		t.Fatal(err)
	}
	code, _, e := runCLI(t, "run", "baseline", "--months", "3", "--out", link, "--no-plots", "-q")
	releaseClaim(claim)
	if code != exitBusy {
		t.Errorf("run into rlink while rA is claimed: exit %d (%s), want %d", code, e, exitBusy)
	}
	// A link to nothing is refused, not replaced by a folder.
	dangling := filepath.Join(root, "gone")
	os.Symlink("nowhere", dangling)
	if code, _, e := runCLI(t, "run", "baseline", "--months", "3", "--out", dangling, "--no-plots", "-q"); code != 2 || !strings.Contains(e, "symbolic link to a folder that does not exist") {
		t.Errorf("a dangling link: exit %d, %q; want exit 2", code, e)
	}
}
