package results

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
)

func TestCSVToParquetRoundTrip(t *testing.T) {
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "t.csv")
	var b strings.Builder
	b.WriteString("run_id,metric,value\n")
	for i := 0; i < 3000; i++ {
		if i == 7 {
			b.WriteString("7,growth,\n")
			continue
		}
		b.WriteString(strings.Join([]string{strconv.Itoa(i), "growth", "0.5"}, ",") + "\n")
	}
	if err := os.WriteFile(csvPath, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	pq := filepath.Join(dir, "t.parquet")
	if err := CSVToParquet(csvPath, pq, map[string]ColumnType{"run_id": Int64Column, "value": DoubleColumn}); err != nil {
		t.Fatal(err)
	}
	pf := openParquet(t, pq)
	if pf.NumRows() != 3000 {
		t.Fatalf("want 3000 rows, got %d", pf.NumRows())
	}
	type rec struct {
		RunID  *int64   `parquet:"run_id"`
		Metric *string  `parquet:"metric"`
		Value  *float64 `parquet:"value"`
	}
	rows, err := parquet.ReadFile[rec](pq)
	if err != nil {
		t.Fatal(err)
	}
	if *rows[5].RunID != 5 || *rows[5].Metric != "growth" || *rows[5].Value != 0.5 {
		t.Fatalf("row 5 read back as %+v", rows[5])
	}
	if rows[7].Value != nil {
		t.Fatal("an empty CSV field should read back as null")
	}
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("run_id,value\n1,x\n"), 0o644)
	if err := CSVToParquet(bad, filepath.Join(dir, "bad.parquet"), map[string]ColumnType{"value": DoubleColumn}); err == nil || !strings.Contains(err.Error(), "bad.csv:2: column value") {
		t.Fatalf("a bad number should be reported with file, line and column, got %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "bad.parquet")); !os.IsNotExist(err) {
		t.Fatal("a failed conversion left a file behind")
	}
}

func TestParquetIsCompressedWithTypedBooleans(t *testing.T) {
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "t.csv")
	var b strings.Builder
	b.WriteString("run_id,enabled,seed\n")
	for i := 0; i < 5000; i++ {
		b.WriteString(strconv.Itoa(i) + "," + strconv.FormatBool(i%3 == 0) + ",18446744073709551557\n")
	}
	os.WriteFile(csvPath, []byte(b.String()), 0o644)
	pq := filepath.Join(dir, "t.parquet")
	if err := CSVToParquet(csvPath, pq, map[string]ColumnType{"run_id": Int64Column, "enabled": BoolColumn}); err != nil {
		t.Fatal(err)
	}
	type rec struct {
		RunID   *int64  `parquet:"run_id"`
		Enabled *bool   `parquet:"enabled"`
		Seed    *string `parquet:"seed"`
	}
	rows, err := parquet.ReadFile[rec](pq)
	if err != nil {
		t.Fatal(err)
	}
	if !*rows[3].Enabled || *rows[4].Enabled || *rows[4].Seed != "18446744073709551557" {
		t.Fatalf("rows read back as %+v %+v", rows[3], rows[4])
	}
	pf := openParquet(t, pq)
	for _, rg := range pf.Metadata().RowGroups {
		for _, c := range rg.Columns {
			if c.MetaData.Codec.String() != "ZSTD" {
				t.Fatalf("column %v compressed with %v, want ZSTD", c.MetaData.PathInSchema, c.MetaData.Codec)
			}
		}
	}
	if err := CSVToParquet(csvPath, pq, map[string]ColumnType{"seed": BoolColumn}); err == nil || !strings.Contains(err.Error(), "column seed") {
		t.Fatalf("a bad boolean: %v", err)
	}
}

// openParquet opens a Parquet file for reading its metadata and rows, closed when the test
// ends.
func openParquet(t *testing.T, path string) *parquet.File {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	pf, err := parquet.OpenFile(f, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	return pf
}
