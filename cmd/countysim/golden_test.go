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
	{"cmp", []string{"compare", "baseline", "pmc-three-step", "--reps", "3", "--months", "36"}},
	{"sw", []string{"sweep", filepath.Join("..", "..", "scenarios", "experiments", "quick.yaml")}},
	{"ev", []string{"evaluate", "pmc-three-step", "--reps", "2", "--months", "120"}},
	{"val", []string{"evaluate", "--validate", "--reps", "2"}},
}

// goldenHashes are the SHA-256 of every file the goldenCommands write, recorded on model v3
// when the observation floor (observe, targets) was merged with it. manifest.json is hashed after dropping what
// changes from one invocation to the next (times, versions, the output folder), and every file
// after replacing the output folder by OUT (a report's recorded hash and size are dropped). They change only with an intended change of the
// model or of an output format, said in the commit; regenerate them with
//
//	COUNTYSIM_GOLDEN=print go test -run TestGoldenOutputs ./cmd/countysim
var goldenHashes = map[string]string{
	"cmp/cost.png":          "77c6c0796d7cd08f49983a55e3494296143e69f6520ceb5a223ad27b4452eedd",
	"cmp/cost.svg":          "31f8edfc3b4c8f7ade0da61f90ac262b2ca121fa7307ce5519091133e4da8c82",
	"cmp/differences.csv":   "22d55b0cf47f0e1b58fc4c87b1f5e5ecc103117412d4acf163e0c8759571ef4a",
	"cmp/efficiency.png":    "5c44b07105e1328099fcebddb09a14fe4b3e59dbd9cef1826e0193c58411a6a8",
	"cmp/efficiency.svg":    "e3eaac95a4330b14c4e54cd6aa0ba88a0434b22cf2313936937326c9b234fbb2",
	"cmp/ensemble.csv":      "b01ebfc1b9cc007e18b8fd54a471a11dd14e97ce90b5a9f143d5d7c5b789380f",
	"cmp/fiscal.png":        "12450a1adee2ca50f6dda782f260f38db16b0e8974e74dc9862c7384cb99e413",
	"cmp/fiscal.svg":        "9d699794daaf7695dfd8915d079f6a43b79dfb750d2678e2e1395a011d7c06b4",
	"cmp/growth.png":        "8fdc2d247ea66c29408dfb4299858f0aecca297de43ed9789f0dd8c9f2cc220a",
	"cmp/growth.svg":        "ba901f65a8ad1b61291f4ecdca0bdbcc3910498b1f979e32fb66881f4def72f5",
	"cmp/manifest.json":     "6a21a114cf8abee8553b33d77964bb8cc1e5a58fe6661e7b188c1b973508f02b",
	"cmp/ranking.csv":       "b9922b59fb54494ca39d1dc7a82f22a498dc50b3d9802bf3d02915a9d3d69381",
	"cmp/report.html":       "940438a3b8613fb6238db48f3d5443d22796657ba5bfc1dd27dcd0181568bd9b",
	"cmp/report.md":         "4760488208d10aebf26dd63ee6c6f8b8a2c04eb0ce2cda9fee89caa65633db8f",
	"ev/dictionary.csv":     "de8629429fae2d4c07b00419ab580910106982cd9acca71e20fad472a596012c",
	"ev/estimates.csv":      "a6c7154637e01bc5426947919817eb1eaba77d8692045abecbb798764171c3d8",
	"ev/event_study.png":    "c86e9424ea5febcd581c67b4c8a253a8e39136b1bb443e5e43683b48e8f098f5",
	"ev/event_study.svg":    "704127cc6c93c93aa11a3126c20ce4df51cddd77bb59579882fd2a67fde59e0a",
	"ev/manifest.json":      "5ce2b36110fa3a0f74afaf816c54e34ac8a8a0555f8ce4242e844911c9282e81",
	"ev/panel.csv":          "ef984df631fbbe4660193b93294ba51d037977d4cb662b0a31192b8a3e8336c1",
	"ev/panel.parquet":      "0d4d0512e5ae56fb20fdbe67116a54a8cdc10f331855af0898bd7c20a74351e5",
	"ev/summary.csv":        "c504466a3d55e40d0dedf8597942c3ee15c156917de27d7ec9d6fd4a83c99b71",
	"run/cost.svg":          "4c0dfdd9eedf59a3402df86be35e82a453a537bf023c4ba96ca718a229c0240b",
	"run/counties.csv":      "55c24b12561e68042cf3483054b4598bf5baee1aaaed5decb4637ba19a221269",
	"run/efficiency.svg":    "85da935a7d24abe1498329c26c797f626d23c7a1a6557bd00d696e7478721a0a",
	"run/fiscal.svg":        "25cd5bf289f554c15f27028923fac54bb109dd9298b1e766e45a22b6e1a20768",
	"run/growth.svg":        "c799515ec23b2a72cca5d1ed484a67d89836cee62612daa91e829a69ce76a7c8",
	"run/manifest.json":     "581c7e86fac498f7fd0b87dd79dcf20ca8c97fa94aec1966f973ebb54bf8fb2a",
	"run/metrics.csv":       "575b1efb23a803dc197da4d08bddc9e43694e514c23d3b5ad9cdff4e4a4e4ddd",
	"run/overview.svg":      "9a4c1d7fb3d2cea4efbdb98de453c4988a3225b718912ffb38638c3740d56a32",
	"run/series.csv":        "7be3c12ca7b6f7a798daa6a033a408f93cb8969d75a1bd65e7c74996ce6ff65b",
	"run/summary.csv":       "b7ae429f49cd9847cc94590dddff74b9a431e42793e36a425fae57cd00c8c1c0",
	"sw/base.yaml":          "a5dc5d1987b4a61a07aeec830857e518b41b00bb20b31482fc918666d4c78d6a",
	"sw/batch.json":         "a1890297faf3e2df189a73a2ce843fd9024e501365870bf8293ba9da1bc6779f",
	"sw/experiment.yaml":    "434c91f9df73948b49fe633ce9c7c3ddc76fb103ac37cbc734f5e3d2f09963cc",
	"sw/manifest.json":      "58ab3c36d5c3bcc7fbc5627ba8a273f879d49f536c126b7300143ca264bb9d92",
	"sw/points.csv":         "a5a6c6da6c8726adbd5b4641e58fab79968d4cc0e1fea907500792d112d71355",
	"sw/rows.csv":           "0fb2c8dbcd3f555f5d35edca125c848b81048475d4dceb47fa923c9b9bae64db",
	"sw/rows.parquet":       "05e5969373e14a65906d37efd46a45a2a9451bb0fdab1ee7696d402097a2f632",
	"sw/runs.csv":           "6d5a2c3c8424556403944c6b77be70d9c6dba866423595f8d5dda92faecc6eaa",
	"sw/runs.parquet":       "fd8a6997cd2115c304392209e97611cc2cf4e9e5befb8187a97208c599abced3",
	"val/manifest.json":     "0a1da3422ddf3efc8790bda927bb13f1308447efd60641d1769d83e7284978cf",
	"val/report.html":       "60d14b5a44600131f17df7b19c6342553f024647cd78a852bf97d1c185c0eb18",
	"val/report.md":         "8d5a75b144d2b72c28c4ce4ec9bfa81d161f7a7388e205df8af939ddbde63e01",
	"val/validation-T1.png": "c72d1e463bdef4ada96fc598734af5bd76979f1640cf8d09847ec08d9b0c75f8",
	"val/validation-T2.png": "9ef0e9adde9095aeea0110371040e7cfc2bbc8b450672f119f9522c9bfc78550",
	"val/validation-T3.png": "b1df19938bdd66fe71c05c34ef6d119f84b2064a04151e663e781f8d5976c534",
	"val/validation-T4.png": "755ad251722a60d258017a718386863e80f0b5737626ca3b32f3c91755145653",
	"val/validation-T5.png": "ce2be6a000d33cbcbc04b4b4c75e07266f5d80a44b524263ae8f197f34e11c1b",
	"val/validation-T6.png": "93ee4a07a983e8e89a5fafe30f08982c376fe18361a57e5d71254ee51ed0a8f9",
	"val/validation-T7.png": "1f1d710abeb9a38a0d8035af3c18c8be9adc263aa94290e0e7136b1f9161408b",
	"val/validation-T8.png": "972e80303b46548a851c29a7cecdf032156febd0ed77f2af4e97450aaa3dabb5",
	"val/validation-T9.png": "f12c3012aeb27ab635f36e23fb83151b13a6297095d719344c2f2c47377b3e9c",
	"val/validation.csv":    "eb9db26bedd7a9233fa119d617a471d26ce04b5892325b93216d4dddc9ccb84d",
}

// volatileManifestKeys are the manifest fields that differ between two identical invocations.
var volatileManifestKeys = []string{"start", "end", "duration_seconds", "go_version", "commit", "version"}

// goldenHash is the hash of one output file: the folder out replaced by OUT, and for a manifest
// the volatile fields dropped and the keys sorted (so a field may move, not change).
func goldenHash(name string, b []byte, out string) (string, error) {
	b = bytes.ReplaceAll(b, []byte(out), []byte("OUT"))
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
// line (and so the output folder) anywhere in v; the reports themselves are hashed with the
// folder replaced.
func dropQuotingReports(v any) {
	switch v := v.(type) {
	case map[string]any:
		if n, ok := v["name"].(string); ok && strings.HasPrefix(n, "report.") {
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
	if testing.Short() {
		t.Skip("runs four small commands (about 10 s of CPU)")
	}
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
