package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/countysim/countysim/provenance"
)

// goldenCommands are small runs of every command that writes model output: the default run,
// a comparison, a sweep, an evaluation and the check against published targets. Their outputs are hashed by TestGoldenOutputs.
var goldenCommands = []struct {
	dir  string
	args []string
}{
	{"run", []string{"run", "pmc-three-step", "--months", "36"}},
	{"cmp", []string{"compare", "baseline", "pmc-three-step", "--reps", "5", "--months", "36"}},
	{"sw", []string{"sweep", filepath.Join("..", "..", "scenarios", "experiments", "quick.yaml")}},
	{"ev", []string{"evaluate", "pmc-three-step", "--reps", "2", "--months", "120"}},
	{"val", []string{"evaluate", "--validate", "--reps", "2"}},
}

// goldenHashes are the SHA-256 of every file the goldenCommands write, recorded on model v3
// when the observation floor (observe, targets) was merged with it. manifest.json is hashed after dropping what
// changes from one invocation to the next (times, versions, the output folder), and every file
// after replacing the output folder by OUT and a report's date by DATE (a report's recorded hash
// and size are dropped). They change only with an intended change of the
// model or of an output format, said in the commit; regenerate them with
//
//	COUNTYSIM_GOLDEN=print go test -run TestGoldenOutputs ./cmd/countysim
var goldenHashes = map[string]string{
	"cmp/cost.png":          "dc34cb3a1f655be8f474e1e0f8f5b4dbac25ca7144f620402daf96a3c96d34e9",
	"cmp/cost.svg":          "facf35e97e5c15ffc2f50fae903650dd228546dbb8614fe891e0db6ec316f61b",
	"cmp/differences.csv":   "ccd4c31b7cea2a159d3ab440d5341cc20924cf77f2852954291d0ac2846e3fc9",
	"cmp/draws.csv":         "bb4d5d5f01ecc143782fe01af8bf27e15ca78e2d0f481a28a292330d514b7782",
	"cmp/efficiency.png":    "d9a6f952dd7307acc4cd8209a8933a9481d73eafbdac8bf44e153b0d85d00bab",
	"cmp/efficiency.svg":    "521934d401398a0e9cf1cf2e3451b59a358603f223979ab6a34c7be6d83f3bc3",
	"cmp/ensemble.csv":      "3dd65a9fecbfa661cd16be43a877158d12589697d5bd4a3479b25d01eed0f8ef",
	"cmp/fiscal.png":        "451a300496b52c0d1da82806e7d9e865def31e54366d2ecc9e48c9d8b66b402d",
	"cmp/fiscal.svg":        "2f6bd3cbaf768fd67b76a61ecc60117235e4dd3f38237802d3f600bc4539b2d1",
	"cmp/growth.png":        "8aff00e7f8b5dce7fa470ed9c2fc28dc766e552a797b4160848fcedbc9d28778",
	"cmp/growth.svg":        "352e09bb51392f9eda5961e22177ec67056069626db2d709c9aca3dbd8f4bb21",
	"cmp/manifest.json":     "8d54925414675b3dd750da296eb0bba12564073cb508c523c07becb9f223bd34",
	"cmp/ranking.csv":       "07796a7485539adcea33d496deedf385578c3ca09e103b94b89a3b040ee1d25d",
	"cmp/ranking_aims.csv":  "00d3dd61a2df31ae2ccc0cff73d63f9f3b54c244ac3fcc2c6a5de456c7994618",
	"cmp/report.html":       "213913734f82c3ef77593b76e4c2b586fd6453b3d9d3687d96d4ec3ff9540206",
	"cmp/report.md":         "34eab53776a80d38971010b30baba820d1252932fc66cc26a3e2f4677ef8d001",
	"ev/dictionary.csv":     "a7464d68a755a3058e1ef77bc251037f9caa41cbb2e7f8486cf0105f3793fcef",
	"ev/estimates.csv":      "df8df888aa957f0ced85d403b25268537323ff592cd513a3e6d7be099d55a084",
	"ev/event_study.png":    "0fc1cf3d40920aa0bddcabe6583d27a56802310205d8ce4f0ec1c48136531480",
	"ev/event_study.svg":    "96cf17b1abac11ca9556f9d492acd2dc0edb1908436f27eace55a87d2f8d10ce",
	"ev/manifest.json":      "65b3eea3be0692505fe2a473ed4172d74574a2afa346e9342b93e227ac5c328d",
	"ev/panel.csv":          "89e5e8bc4490e3ace7a2ba333f2510513fb582627e71857ca83c8317ec5bf241",
	"ev/panel.parquet":      "4b8125610b794e0c24c8ed9f0cac120a2297f8c68ff1a29ff185ee77da3d182f",
	"ev/summary.csv":        "6a22b4c8b903d45c5ad13d72fecaaed43a1725c60445480f22eb50d21eb1be2e",
	"run/cost.svg":          "e44d8d1f41cbff07a80aac1e915bf935fb4234ff02ca4abc34e9c205b5a6e11a",
	"run/counties.csv":      "a2054e95fa1426a7150f360b0f3f0ac80361b92bdfc4585c407279e066982a83",
	"run/efficiency.svg":    "e3c57380a73f38024dcb8a36e0216ea2f399685357ba56b5abfe68ba06b90fe1",
	"run/fiscal.svg":        "47a539ff764d742f62a815a387c0980c18e17863a88c0856c742122731879450",
	"run/growth.svg":        "9c4ebc0519695180950ce58cdf14e2af1c8c644c6f3ff52d04be1936900c80c6",
	"run/manifest.json":     "5e550463657ce2d24e50127594b835753d1afeaa0e006d9a64e7389432293141",
	"run/metrics.csv":       "573b781aace0bab41c0b2410ad2b801b88256926514684908364f66e4dbc44a3",
	"run/overview.svg":      "61da6d4f17c93bdae74f4b202c96ab121f210cc9ac8cfc97f00fda076c13522e",
	"run/series.csv":        "6a3508ee8a18c3b6a0ec52765ff3c61993d7821c9e5b87229578c54edbeab515",
	"run/summary.csv":       "0a131899b0326e80a3891aaa215d08763d03af04631dbcc6b7a7ab1aadd1cd5c",
	"sw/base.yaml":          "dc9a72b8eead4a050478fa2a581fd3714eecc9cdfaca718293360d0fbf57c601",
	"sw/batch.json":         "ccffb8b9e883c7242ff84ada14b80e07ae60662becc0c517bed290d7a9cc3d7d",
	"sw/experiment.yaml":    "434c91f9df73948b49fe633ce9c7c3ddc76fb103ac37cbc734f5e3d2f09963cc",
	"sw/manifest.json":      "43f71b0a4d3fa27a8a2e7d531919e070b8bcbb2016f44639fde932327d756987",
	"sw/points.csv":         "f5d6d8caefdc5df70d162de368e20a6d6fb3ea9afdd1a24a4482602eb5b3cd53",
	"sw/rows.csv":           "682023f680dba236043059018752830062075534e9dbdd1008ff1d7b50aff5de",
	"sw/rows.parquet":       "917eed79c06ee5c5cec6c9b018c849cab87c36944d12e33c85275df11bdd2fa5",
	"sw/runs.csv":           "6d5a2c3c8424556403944c6b77be70d9c6dba866423595f8d5dda92faecc6eaa",
	"sw/runs.parquet":       "fd8a6997cd2115c304392209e97611cc2cf4e9e5befb8187a97208c599abced3",
	"val/manifest.json":     "d74e381442b83f1129ac614ecae7dafe31cf164796484ec18b875cb1abe983e0",
	"val/report.html":       "f8f124735ecadaa96ed3cec7abb592e775e140ab691baeb1157ebf1caf0d25f2",
	"val/report.md":         "2579954642277bb54338cd429c702df02b6b86a1c8d5c5afb1a14529e142719a",
	"val/validation-T1.png": "686f020c6330354b53625c11d7264c04b08067a109998aea004509a0a6ec3e8b",
	"val/validation-T2.png": "5afb495ceb99331ea2f2d5dde285f875e49320f7801e9fbf53aa8e2e3d169746",
	"val/validation-T3.png": "7ddaf647b7692a6c16cc8c0cc2af2a5ee74de4fa45580cd8a844b5b4e8b783a4",
	"val/validation-T4.png": "3a1a77d3f980ab7b027b39fb9076f687b77c07ba8adc51371cbb41a68ebad8f6",
	"val/validation-T5.png": "5b3b106e236d67d66b09ee0fb5dab41cf4bc8492546af46118523f41370cd01b",
	"val/validation-T6.png": "f19da7dafc3fdd7bd44680b17a2845aa45026a0f50f097fedce6374ac74866a8",
	"val/validation-T7.png": "440906e7b62323e4532b226f17a9fe591bc439b0a2c50217469e5cc7d2f0e879",
	"val/validation-T8.png": "d87444aba25e4889b0127997e8c3ed1ad978bc95477d416fd6780ab9c34cd8df",
	"val/validation-T9.png": "4e327a3e2eb2c6f9dec03116bb8f6c56d2267a3470d232a739d498588c4b4e90",
	"val/validation.csv":    "f4274d529e0e87879b3a3c41e97cb50d6c27ed80857d1f68696b85fd5f72d53f",
}

// volatileManifestKeys are the manifest fields that differ between two identical invocations.
var volatileManifestKeys = []string{"start", "end", "duration_seconds", "go_version", "commit", "version"}

// goldenHash is the hash of one output file: the folder out replaced by OUT, and for a manifest
// the volatile fields dropped and the keys sorted (so a field may move, not change).
// reportDate matches the date a report's byline gives (in English or Chinese), which is the
// day the command ran: hashed as DATE, so that the hashes do not change at midnight.
var reportDate = regexp.MustCompile(`\b\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) \d{4}\b|\d{4}年\d{1,2}月\d{1,2}日`)

func goldenHash(name string, b []byte, out string) (string, error) {
	b = bytes.ReplaceAll(b, []byte(out), []byte("OUT"))
	b = bytes.ReplaceAll(b, []byte(buildID()), []byte("BUILD")) // a sweep's batch.json names the build
	if strings.HasPrefix(filepath.Base(name), "report.") {
		b = reportDate.ReplaceAll(b, []byte("DATE"))
	}
	if filepath.Base(name) == "manifest.json" {
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			return "", fmt.Errorf("%s: %w", name, err)
		}
		for _, k := range volatileManifestKeys {
			delete(m, k)
		}
		dropQuotingReports(m)
		var err error
		if b, err = json.Marshal(m); err != nil {
			return "", fmt.Errorf("%s: %w", name, err)
		}
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:]), nil
}

// dropQuotingReports deletes the size and hash recorded for a report that quotes the command
// line (and so the output folder) anywhere in v, and for a sweep's batch.json, which names the
// build; the files themselves are hashed with the folder and the build replaced.
func dropQuotingReports(v any) {
	switch v := v.(type) {
	case map[string]any:
		if n, ok := v["name"].(string); ok && (strings.HasPrefix(n, "report.") || n == "batch.json") {
			delete(v, "bytes")
			delete(v, "sha256")
		}
		for _, e := range v {
			dropQuotingReports(e)
		}
	case []any:
		for _, e := range v {
			dropQuotingReports(e)
		}
	}
}

// checkProvenance fails the test when a manifest does not carry the common provenance
// (provenance.Decode, Check).
func checkProvenance(t *testing.T, name string, manifest []byte) {
	t.Helper()
	p, err := provenance.Decode(manifest)
	if err == nil {
		err = p.Check()
	}
	if err != nil {
		t.Errorf("%s: %v", name, err)
	}
}

// TestManifestsWriteProvenanceOnly checks that no manifest writer spells out the provenance
// fields itself: outside package provenance, no source file of the project names the
// go_version field.
func TestManifestsWriteProvenanceOnly(t *testing.T) {
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		if filepath.Base(filepath.Dir(path)) == "provenance" {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if bytes.Contains(b, []byte(`"go_version"`)) {
			t.Errorf("%s writes the go_version field itself: embed provenance.Provenance instead", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestGoldenOutputs runs the goldenCommands and compares the hash of every file written with
// goldenHashes: a refactoring that changes one output byte fails here.
func TestGoldenOutputs(t *testing.T) {
	root := t.TempDir()
	got := map[string]string{}
	for _, c := range goldenCommands {
		out := filepath.Join(root, c.dir)
		var stderr bytes.Buffer
		if code := mainErr(append(slices.Clone(c.args), "--out", out), io.Discard, &stderr); code != 0 {
			t.Fatalf("countysim %s: exit %d: %s", strings.Join(c.args, " "), code, stderr.String())
		}
		err := filepath.WalkDir(out, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(root, path)
			rel = filepath.ToSlash(rel)
			if d.Name() == "manifest.json" {
				checkProvenance(t, rel, b)
			}
			got[rel], err = goldenHash(rel, b, out)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	names := make([]string, 0, len(got))
	for n := range got {
		names = append(names, n)
	}
	slices.Sort(names)
	if os.Getenv("COUNTYSIM_GOLDEN") == "print" {
		for _, n := range names {
			fmt.Printf("\t%q: %q,\n", n, got[n])
		}
	}
	for _, n := range names {
		want, ok := goldenHashes[n]
		switch {
		case !ok:
			t.Errorf("%s: a new output file (hash %s); add it to goldenHashes if intended", n, got[n])
		case want != got[n]:
			t.Errorf("%s: hash %s, want %s: an output byte changed", n, got[n], want)
		}
	}
	for n := range goldenHashes {
		if _, ok := got[n]; !ok {
			t.Errorf("%s: no longer written", n)
		}
	}
}
