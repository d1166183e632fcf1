package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"

	"github.com/countysim/countysim/batch"
)

// Output folders are countysim's own. A command writes into a fresh (missing or empty)
// folder, or into one that holds only a previous manifest.json of the same command and the
// files that manifest lists, which it then replaces entirely. Anything else is refused unless
// --force, which writes into the folder anyway: files of the same names are replaced, a
// previous manifest's listed files removed, others kept.
//
// run, compare and merge write everything into a staging folder beside the output folder
// (.NAME.partial-PID-RANDOM) and move it into place only when the command succeeded, so a
// failed or interrupted command leaves the earlier results as they were and no temporary
// files: the staging folder is removed on any error or interrupt, and one left by a killed
// process (kill -9, power loss, a deleted pod) is removed by the next command writing to the
// same folder. Whether its owner is gone is told by a lock, not by its PID: the owner holds an
// exclusive flock on .NAME.partial-PID-RANDOM.lock beside it for as long as the folder (or the
// previous output it moves aside, .NAME.old-PID-RANDOM) exists, and the kernel (or the NFS
// server) releases it when the process dies. A PID says nothing in a container, where
// countysim is PID 1 in every pod, or across the nodes that share a claim.
//
// One command at a time writes a folder: a command holds the flock of .NAME.lock beside it
// (claimLock) from its claim to its end, and a second command on the same folder is refused at
// once with exit 75 (exitBusy), where both used to run and the later replaced the earlier's
// output, which had already printed its paths.

// manifestFile is the manifest every command writes last.
const manifestFile = "manifest.json"

// outDir is an output folder being written through a staging folder.
type outDir struct {
	final string   // the output folder, absolute
	shown string   // the output folder as given (cleaned), for messages
	stage string   // where the command writes
	kind  string   // the command kind that owns the folder
	prev  []string // files the previous manifest lists (replaced)
	force bool
	owned bool     // final held only a previous manifest of this kind and its files
	lock  *os.File // the staging folder's lock file, locked (stageLockSuffix)
	claim *os.File // the folder's claim lock (claimLockFile), locked while the command runs
}

// stageLockSuffix ends the name of a staging folder's lock file: .NAME.partial-TOKEN.lock for
// the folder .NAME.partial-TOKEN.
const stageLockSuffix = ".lock"

// commandKind maps a command to the kind of folder it writes: merge writes what sweep does.
func commandKind(cmd string) string {
	if cmd == "merge" {
		return "sweep"
	}
	return cmd
}

// prevManifest reads what a folder's manifest.json says: the command that wrote it and the
// files it lists. ok is false when there is no readable countysim manifest.
func prevManifest(dir string) (kind string, files []string, ok bool) {
	data, err := os.ReadFile(filepath.Join(dir, manifestFile))
	if err != nil {
		return "", nil, false
	}
	var m struct {
		Tool    string   `json:"tool"`
		Args    []string `json:"args"`
		Command []string `json:"command"`
		Files   []struct {
			Name string `json:"name"`
		} `json:"files"`
	}
	if json.Unmarshal(data, &m) != nil || m.Tool != "countysim" {
		return "", nil, false
	}
	args := m.Args
	if len(args) == 0 {
		args = m.Command
	}
	if len(args) < 2 {
		return "", nil, false
	}
	for _, f := range m.Files {
		files = append(files, f.Name)
	}
	return commandKind(args[1]), files, true
}

// foreignFiles lists what dir holds besides a previous manifest of kind and the files it
// lists; extra names (a batch's own files) count as listed. Hidden temporary files of an
// earlier countysim (.NAME.*.tmp) are removed. exists is false when dir does not exist.
func foreignFiles(dir, kind string, extra ...string) (foreign, listed []string, exists bool, err error) {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil, false, nil
	}
	if err != nil {
		return nil, nil, true, err
	}
	kind = commandKind(kind)
	k, files, ok := prevManifest(dir)
	if ok && k == kind {
		listed = files
	}
	allowed := map[string]bool{}
	for _, f := range append(slices.Clone(listed), extra...) {
		allowed[strings.SplitN(filepath.ToSlash(f), "/", 2)[0]] = true
	}
	if ok && k == kind {
		allowed[manifestFile] = true
	}
	allowed[folderLockFile] = true
	for _, e := range ents {
		name := e.Name()
		if strings.HasPrefix(name, ".") && strings.HasSuffix(name, ".tmp") && !e.IsDir() {
			_ = os.Remove(filepath.Join(dir, name))
			continue
		}
		if !allowed[name] {
			foreign = append(foreign, name)
		}
	}
	return foreign, listed, true, nil
}

// folderLockFile is the file a command that writes a batch folder in place (sweep) holds an
// exclusive lock on from its first check to its last file (lockFolder), removed when it ends.
const folderLockFile = ".countysim.lock"

// lockFolder makes dir if need be and takes the exclusive lock of folderLockFile in it, so
// that a second command on the same folder is refused at once (exit 75, exitBusy: the folder
// is busy, which is temporary, not bad input) rather than deleting
// the first one's temporary files or replacing its outputs while it finishes. The returned
// function removes the file and releases the lock.
func lockFolder(dir string) (unlock func(), err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, usageErr("--out %s: %v", dir, err)
	}
	// The claim beside the folder first, which the other commands take (claimOut), so that a
	// sweep and a run cannot write one folder together.
	claim, err := claimFolder(dir)
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(filepath.Join(dir, folderLockFile), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		releaseClaim(claim)
		return nil, usageErr("--out %s: cannot write into it (%v)", dir, errors.Unwrap(err))
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		releaseClaim(claim)
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, busyErr(fmt.Errorf("--out %s: another countysim is writing this folder now; wait for it to end, or choose another --out", dir))
		}
		return nil, usageErr("--out %s: locking it: %v", dir, err)
	}
	return func() {
		os.Remove(f.Name())
		f.Close()
		releaseClaim(claim)
	}, nil
}

// parentAndBase splits an output folder into the folder that holds it and its name, from its
// absolute path, so that "." or "out/.." name a real folder beside which the claim and the
// staging folder go (not inside it). A symbolic link is resolved to the folder it names: the
// output is written there (commit renames the target, not the link, which stays a link), and
// the link and its target share one claim (.TARGET.lock beside the target).
func parentAndBase(dir string) (parent, base string, err error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", "", err
	}
	if st, err := os.Lstat(abs); err == nil && st.Mode()&os.ModeSymlink != 0 {
		target, err := filepath.EvalSymlinks(abs)
		if err != nil {
			return "", "", fmt.Errorf("it is a symbolic link to a folder that does not exist (%v); create the folder, or give another --out", err)
		}
		abs = target
	}
	if filepath.Dir(abs) == abs {
		return "", "", fmt.Errorf("a filesystem root cannot be an output folder")
	}
	return filepath.Dir(abs), filepath.Base(abs), nil
}

// claimFolder takes the claim lock of output folder dir (claimLock beside it): exit 75 when
// another command holds it.
func claimFolder(dir string) (*os.File, error) {
	parent, base, err := parentAndBase(dir)
	if err != nil {
		return nil, usageErr("--out %s: %v", dir, err)
	}
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, usageErr("--out %s: cannot create its parent folder: %v", dir, err)
	}
	claim, err := claimLock(parent, base)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return nil, busyErr(fmt.Errorf("--out %s: another countysim is writing this folder now; wait for it to end, or choose another --out", dir))
	}
	if err != nil {
		return nil, usageErr("--out %s: cannot write beside it: %v", dir, err)
	}
	return claim, nil
}

// releaseClaim removes the claim's lock file, then lets the lock go.
func releaseClaim(claim *os.File) {
	if claim != nil {
		_ = os.Remove(claim.Name())
		claim.Close()
	}
}

// removeTemp removes the hidden temporary files (.NAME.*.tmp) a killed countysim left in dir.
func removeTemp(dir string) {
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if name := e.Name(); strings.HasPrefix(name, ".") && strings.HasSuffix(name, ".tmp") && !e.IsDir() {
			_ = os.Remove(filepath.Join(dir, name))
		}
	}
}

// refuseFolder is the error for a folder that is not the command's own.
func refuseFolder(dir string, foreign []string) error {
	if len(foreign) > 4 {
		return usageText("", "--out %s holds files this command did not write (%s, and %d more); choose another --out, or add --force to write into it anyway (files of the same names are replaced, others kept)",
			dir, strings.Join(foreign[:4], ", "), len(foreign)-4)
	}
	return usageText("", "--out %s holds files this command did not write (%s); choose another --out, or add --force to write into it anyway (files of the same names are replaced, others kept)",
		dir, strings.Join(foreign, ", "))
}

// checkOutPath refuses, as bad input, an --out that is a file or lies under one (a file where a
// folder on its path should be), naming the file; a folder that does not exist yet is fine.
func checkOutPath(dir string) error {
	for p := filepath.Clean(dir); ; {
		st, err := os.Stat(p)
		if err == nil {
			if st.IsDir() {
				return nil
			}
			if p == filepath.Clean(dir) {
				return usageText("", "--out %s is a file, not a folder", dir)
			}
			return usageText("", "--out %s: %s is a file, not a folder", dir, p)
		}
		parent := filepath.Dir(p)
		if parent == p {
			return nil
		}
		p = parent
	}
}

// claimOut checks that dir may receive kind's output and creates the staging folder.
func claimOut(dir, kind string, force bool) (*outDir, error) {
	return claimOutKeeping(dir, kind, force, nil)
}

// claimOutKeeping is claimOut for a command whose inputs are folders inside dir (merge's
// shard folders in out/EXPERIMENT): the entries keep of dir are not foreign, and the command's
// output is moved in beside them, file by file, leaving them in place.
func claimOutKeeping(dir, kind string, force bool, keep []string) (*outDir, error) {
	if dir == "" {
		return nil, usageErr("--out: empty folder name")
	}
	if err := checkOutPath(dir); err != nil {
		return nil, err
	}
	foreign, listed, _, err := foreignFiles(dir, kind, keep...)
	if err != nil {
		return nil, usageErr("--out %s: %v", dir, err)
	}
	if len(foreign) > 0 && !force {
		return nil, refuseFolder(dir, foreign)
	}
	// With entries to keep, the folder cannot be swapped whole: the files are moved in one by
	// one as with --force, the previous manifest's removed, the kept entries left alone.
	parent, base, err := parentAndBase(dir)
	if err != nil {
		return nil, usageErr("--out %s: %v", dir, err)
	}
	o := &outDir{final: filepath.Join(parent, base), shown: filepath.Clean(dir), kind: commandKind(kind), prev: listed, force: force || len(keep) > 0, owned: len(foreign) == 0}
	if o.force {
		// Files will be moved into the folder itself: find out now, not after the work, that
		// it cannot take them.
		if err := checkWritable(o.final); err != nil {
			return nil, usageErr("--out %s: cannot write into it (%v)", dir, err)
		}
	}
	if o.claim, err = claimFolder(dir); err != nil {
		return nil, err
	}
	cleanStale(parent, base)
	if o.stage, o.lock, err = makeStage(parent, base); err != nil {
		o.discard()
		return nil, usageErr("--out %s: cannot write beside it: %v", dir, err)
	}
	return o, nil
}

// claimLockFile is the name, beside an output folder BASE, of the lock a command holds while
// it writes that folder: .BASE.lock.
func claimLockFile(base string) string { return "." + base + ".lock" }

// claimLock takes, without waiting, the exclusive flock of claimLockFile(base) in parent,
// creating the file; EWOULDBLOCK when another process holds it. The holder removes the file
// before it lets the lock go (discard), so a process that opened the file before the removal
// and locks it after finds it is no longer the file at that name, and takes the new one.
func claimLock(parent, base string) (*os.File, error) {
	path := filepath.Join(parent, claimLockFile(base))
	for range 100 {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			return nil, err
		}
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
			f.Close()
			return nil, err
		}
		held, err1 := f.Stat()
		there, err2 := os.Stat(path)
		if err1 == nil && err2 == nil && os.SameFile(held, there) {
			return f, nil
		}
		f.Close()
	}
	return nil, fmt.Errorf("could not lock %s", path)
}

// makeStage creates the staging folder .BASE.partial-PID-RANDOM in parent, after its lock
// file, which it returns locked.
func makeStage(parent, base string) (stage string, lock *os.File, err error) {
	for range 100 {
		f, err := os.CreateTemp(parent, "."+base+".partial-"+strconv.Itoa(os.Getpid())+"-*"+stageLockSuffix)
		if err != nil {
			return "", nil, err
		}
		// A cleanStale that found the file before the lock may hold it for a moment, and
		// removes it: then the lock is on a file no longer there, and another is made.
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
			f.Close()
			os.Remove(f.Name())
			return "", nil, fmt.Errorf("locking %s: %w", f.Name(), err)
		}
		held, err1 := f.Stat()
		there, err2 := os.Stat(f.Name())
		if err1 != nil || err2 != nil || !os.SameFile(held, there) {
			f.Close()
			continue
		}
		stage = strings.TrimSuffix(f.Name(), stageLockSuffix)
		if err := os.Mkdir(stage, 0o755); err != nil {
			os.Remove(f.Name())
			f.Close()
			return "", nil, err
		}
		if err := os.Chmod(stage, 0o755); err != nil { // whatever the umask
			os.Remove(stage)
			os.Remove(f.Name())
			f.Close()
			return "", nil, err
		}
		return stage, f, nil
	}
	return "", nil, fmt.Errorf("could not make a staging folder in %s", parent)
}

// checkWritable reports whether a file can be created in dir (an existing folder; nil when
// dir does not exist yet).
func checkWritable(dir string) error {
	f, err := os.CreateTemp(dir, ".countysim-probe-*")
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			return pe.Err
		}
		return err
	}
	f.Close()
	return os.Remove(f.Name())
}

// cleanStale removes staging and old folders of base left in parent by processes that no
// longer run: those whose lock file (stageLockSuffix) nobody holds, and those of an older
// countysim, which made no lock file, whose PID no longer runs. A previous output moved aside
// (.BASE.old-TOKEN) by a process killed before it moved the new one in is moved back.
func cleanStale(parent, base string) {
	ents, _ := os.ReadDir(parent)
	prefix := "." + base + "."
	for _, e := range ents {
		rest, ok := strings.CutPrefix(e.Name(), prefix)
		if !ok {
			continue
		}
		if token, ok := strings.CutPrefix(rest, "partial-"); ok && !e.IsDir() && strings.HasSuffix(token, stageLockSuffix) {
			token = strings.TrimSuffix(token, stageLockSuffix)
			removeIfUnlocked(filepath.Join(parent, e.Name()), func() {
				restoreOld(filepath.Join(parent, prefix+"old-"+token), filepath.Join(parent, base))
				_ = os.RemoveAll(filepath.Join(parent, prefix+"partial-"+token))
			})
			continue
		}
		if !e.IsDir() {
			continue
		}
		for _, tag := range []string{"partial-", "old-"} {
			token, ok := strings.CutPrefix(rest, tag)
			if !ok || fileExists(filepath.Join(parent, prefix+"partial-"+token+stageLockSuffix)) {
				continue // a lock file decides (above)
			}
			pid, err := strconv.Atoi(strings.SplitN(token, "-", 2)[0])
			if err == nil && !alive(pid) {
				if tag == "old-" {
					restoreOld(filepath.Join(parent, e.Name()), filepath.Join(parent, base))
				}
				_ = os.RemoveAll(filepath.Join(parent, e.Name()))
			}
		}
	}
}

// removeIfUnlocked takes the lock of a staging folder's lock file without waiting and, when no
// process holds it (its owner is gone), calls clean and removes the file, under the lock.
func removeIfUnlocked(lockPath string, clean func()) {
	f, err := os.OpenFile(lockPath, os.O_RDWR, 0)
	if err != nil {
		return
	}
	defer f.Close()
	if syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) != nil {
		return // its owner runs (or the lock cannot be told): left alone
	}
	clean()
	_ = os.Remove(lockPath)
}

// restoreOld moves a previous output set aside (old) back to final when final is missing (its
// owner was killed between the two renames of commit), else removes it.
func restoreOld(old, final string) {
	if _, err := os.Stat(old); err != nil {
		return
	}
	if _, err := os.Lstat(final); errors.Is(err, os.ErrNotExist) && os.Rename(old, final) == nil {
		return
	}
	_ = os.RemoveAll(old)
}

// alive reports whether process pid exists.
func alive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// discard removes the staging folder, then its lock file, and releases the lock; the output
// folder is left as it was.
func (o *outDir) discard() {
	if o == nil {
		return
	}
	if o.stage != "" {
		_ = os.RemoveAll(o.stage)
		o.stage = ""
	}
	if o.lock != nil {
		_ = os.Remove(o.lock.Name())
		o.lock.Close()
		o.lock = nil
	}
	releaseClaim(o.claim)
	o.claim = nil
}

// commit moves the staged output into place. A fresh folder, or one holding only the
// previous output of the same command, is swapped whole (the old one renamed aside, the new
// one renamed in, the old one removed); with --force into a folder with other files, the
// previous manifest's files go and the new files are moved in one by one.
func (o *outDir) commit() error {
	defer o.discard()
	ents, err := os.ReadDir(o.final)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return o.rename(o.stage, o.final)
	case err != nil:
		return err
	case len(ents) == 0:
		// An empty folder is kept (it may be where the user stands, or have its own
		// permissions): the files are moved into it.
		return o.moveIn()
	}
	if foreign, _, _, err := foreignFiles(o.final, o.kind); err == nil && len(foreign) == 0 {
		// The old folder takes the staging folder's token, so that its lock file tells
		// whether a process still owns it.
		token := strings.TrimPrefix(filepath.Base(o.stage), "."+filepath.Base(o.final)+".partial-")
		old := filepath.Join(filepath.Dir(o.final), "."+filepath.Base(o.final)+".old-"+token)
		_ = os.RemoveAll(old)
		if err := os.Rename(o.final, old); err != nil {
			return err
		}
		if err := o.rename(o.stage, o.final); err != nil {
			_ = os.Rename(old, o.final)
			return err
		}
		return os.RemoveAll(old)
	}
	if !o.force {
		// Another program wrote into the folder: the output is kept beside it under a
		// visible name (no later command removes it), and said where.
		kept := o.final + ".kept-" + strings.TrimPrefix(filepath.Base(o.stage), "."+filepath.Base(o.final)+".partial-")
		if err := o.rename(o.stage, kept); err != nil {
			return fmt.Errorf("--out %s changed while the command ran, and its output could not be kept: %w", o.shown, err)
		}
		return fmt.Errorf("--out %s changed while the command ran (files this command did not write appeared in it); its output is in %s", o.shown, kept)
	}
	_ = os.Remove(filepath.Join(o.final, manifestFile))
	for _, f := range o.prev {
		_ = os.Remove(filepath.Join(o.final, f))
	}
	return o.moveIn()
}

// moveIn moves the staged files into the output folder one by one, a batch record and the
// manifest last.
func (o *outDir) moveIn() error {
	staged, err := os.ReadDir(o.stage)
	if err != nil {
		return err
	}
	// The manifest goes last, so that it never lists a file not yet in place, and a batch
	// record (merge's batch.json) just before it, so that a folder never looks like a batch
	// whose tables are not all there.
	last := func(e os.DirEntry) int {
		return 2*boolInt(e.Name() == manifestFile) + boolInt(e.Name() == batch.RecordFile)
	}
	slices.SortStableFunc(staged, func(a, b os.DirEntry) int { return last(a) - last(b) })
	for _, e := range staged {
		dst := filepath.Join(o.final, e.Name())
		if e.IsDir() {
			_ = os.RemoveAll(dst)
		}
		if err := os.Rename(filepath.Join(o.stage, e.Name()), dst); err != nil {
			return err
		}
	}
	return nil
}

func (o *outDir) rename(from, to string) error {
	if err := os.Rename(from, to); err != nil {
		return err
	}
	o.stage = ""
	return nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
