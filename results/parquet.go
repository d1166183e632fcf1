package results

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/parquet-go/parquet-go"
)

// ColumnType is the Parquet type of a table column.
type ColumnType int

const (
	// StringColumn holds text (UTF-8 byte arrays); the default for columns not listed.
	StringColumn ColumnType = iota
	// Int64Column holds whole numbers.
	Int64Column
	// DoubleColumn holds floating-point numbers.
	DoubleColumn
	// BoolColumn holds true and false (written so in the CSV).
	BoolColumn
)

// parquetRowGroup is the number of rows buffered before a row group is flushed, which bounds
// the converter's memory whatever the table's length.
const parquetRowGroup = 16384

// CSVToParquet converts the CSV table at csvPath (first line: column names) into a Parquet file
// at parquetPath, streaming row groups so memory does not grow with the table. Every column is
// optional: an empty CSV field becomes null. Columns are typed by types (unlisted columns are
// strings); Parquet orders a schema's columns by name, so readers see them alphabetically.
// Pages are compressed with Zstandard. Seeds and other 64-bit identifiers stay strings, so
// that readers which hold numbers as doubles keep them exact. The file is written under a
// temporary name and renamed into place when complete.
func CSVToParquet(csvPath, parquetPath string, types map[string]ColumnType) error {
	in, err := os.Open(csvPath)
	if err != nil {
		return err
	}
	defer in.Close()
	r := csv.NewReader(in)
	r.ReuseRecord = true
	header, err := r.Read()
	if err != nil {
		return fmt.Errorf("%s: reading header: %w", csvPath, err)
	}
	header = append([]string(nil), header...)
	group := parquet.Group{}
	for _, h := range header {
		var n parquet.Node
		switch types[h] {
		case Int64Column:
			n = parquet.Int(64)
		case DoubleColumn:
			n = parquet.Leaf(parquet.DoubleType)
		case BoolColumn:
			n = parquet.Leaf(parquet.BooleanType)
		default:
			n = parquet.String()
		}
		group[h] = parquet.Optional(n)
	}
	schema := parquet.NewSchema(filepath.Base(csvPath), group)
	// Map each CSV column to its position in the (name-sorted) schema.
	pos := make([]int, len(header))
	for i, h := range header {
		for j, f := range schema.Fields() {
			if f.Name() == h {
				pos[i] = j
			}
		}
	}
	out, err := os.CreateTemp(filepath.Dir(parquetPath), "."+filepath.Base(parquetPath)+".*.tmp")
	if err != nil {
		return err
	}
	tmp := out.Name()
	if err := out.Chmod(0o644); err != nil {
		out.Close()
		os.Remove(tmp)
		return err
	}
	fail := func(err error) error {
		out.Close()
		os.Remove(tmp)
		return err
	}
	w := parquet.NewWriter(out, schema, parquet.Compression(&parquetZstd{}))
	rows := make([]parquet.Row, 0, 1024)
	line := 1
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line++
		if err != nil {
			return fail(fmt.Errorf("%s:%d: %w", csvPath, line, err))
		}
		row := make(parquet.Row, len(header))
		for i, field := range rec {
			col := pos[i]
			if field == "" {
				row[col] = parquet.NullValue().Level(0, 0, col)
				continue
			}
			var v parquet.Value
			switch types[header[i]] {
			case Int64Column:
				x, err := strconv.ParseInt(field, 10, 64)
				if err != nil {
					return fail(fmt.Errorf("%s:%d: column %s: %w", csvPath, line, header[i], err))
				}
				v = parquet.Int64Value(x)
			case DoubleColumn:
				x, err := strconv.ParseFloat(field, 64)
				if err != nil {
					return fail(fmt.Errorf("%s:%d: column %s: %w", csvPath, line, header[i], err))
				}
				v = parquet.DoubleValue(x)
			case BoolColumn:
				x, err := strconv.ParseBool(field)
				if err != nil {
					return fail(fmt.Errorf("%s:%d: column %s: %w", csvPath, line, header[i], err))
				}
				v = parquet.BooleanValue(x)
			default:
				v = parquet.ByteArrayValue([]byte(field))
			}
			row[col] = v.Level(0, 1, col)
		}
		rows = append(rows, row)
		if len(rows) == cap(rows) {
			if _, err := w.WriteRows(rows); err != nil {
				return fail(err)
			}
			rows = rows[:0]
			if (line-1)%parquetRowGroup == 0 {
				if err := w.Flush(); err != nil {
					return fail(err)
				}
			}
		}
	}
	if _, err := w.WriteRows(rows); err != nil {
		return fail(err)
	}
	if err := w.Close(); err != nil {
		return fail(err)
	}
	if err := errors.Join(out.Sync(), out.Close()); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, parquetPath); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}
