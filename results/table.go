package results

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"unicode"
	"unicode/utf8"
)

// pendingFile is an output file written under a temporary name in its final directory. Its
// size and SHA-256 are computed as it is written. finish closes it; commit renames it to its
// final name, so a reader never sees a half-written file under that name; discard removes
// it, committed or not. Any format writer (CSV today, Parquet later) writes into one.
type pendingFile struct {
	dir, name string // final directory and base name
	tmp       string // temporary path
	f         *os.File
	buf       *bufio.Writer
	h         hash.Hash
	size      int64
	sum       string // hex SHA-256, set by finish
	finished  bool
	committed bool
}

func newPendingFile(dir, name string) (*pendingFile, error) {
	f, err := os.CreateTemp(dir, "."+name+".*.tmp")
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", filepath.Join(dir, name), err)
	}
	// CreateTemp makes the file private (0600); outputs are ordinary readable files.
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, fmt.Errorf("create %s: %w", filepath.Join(dir, name), err)
	}
	p := &pendingFile{dir: dir, name: name, tmp: f.Name(), f: f, h: sha256.New()}
	p.buf = bufio.NewWriterSize(writerFunc(p.writeThrough), 64<<10)
	return p, nil
}

type writerFunc func([]byte) (int, error)

func (w writerFunc) Write(b []byte) (int, error) { return w(b) }

func (p *pendingFile) writeThrough(b []byte) (int, error) {
	n, err := p.f.Write(b)
	p.h.Write(b[:n])
	p.size += int64(n)
	if err != nil {
		return n, fmt.Errorf("write %s: %w", p.path(), err)
	}
	return n, nil
}

// Write buffers b for the file.
func (p *pendingFile) Write(b []byte) (int, error) { return p.buf.Write(b) }

func (p *pendingFile) path() string { return filepath.Join(p.dir, p.name) }

// finish flushes, syncs and closes the temporary file and records its checksum.
func (p *pendingFile) finish() error {
	if p.finished {
		return nil
	}
	err := p.buf.Flush()
	if err == nil {
		err = p.f.Sync()
	}
	if cerr := p.f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("close %s: %w", p.path(), cerr)
	}
	p.finished = true
	p.sum = hex.EncodeToString(p.h.Sum(nil))
	return err
}

// commit moves the finished file to its final name.
func (p *pendingFile) commit() error {
	if err := os.Rename(p.tmp, p.path()); err != nil {
		return fmt.Errorf("rename %s: %w", p.path(), err)
	}
	p.committed = true
	return nil
}

// discard removes the file, under whichever name it has.
func (p *pendingFile) discard() {
	if !p.finished {
		p.f.Close()
		p.finished = true
	}
	if p.committed {
		os.Remove(p.path())
		p.committed = false
		return
	}
	os.Remove(p.tmp)
}

// colType is the type of a table column. It fixes how a value is formatted in CSV and is
// what a typed format (Parquet) needs for its schema.
type colType uint8

const (
	colString colType = iota
	colInt
	colFloat
)

// column is one column of a table schema.
type column struct {
	name string
	typ  colType
}

// cell is one value of a row; its type must match its column's.
type cell struct {
	typ colType
	s   string
	i   int64
	f   float64
}

func str(s string) cell    { return cell{typ: colString, s: s} }
func integer(i int) cell   { return cell{typ: colInt, i: int64(i)} }
func float(f float64) cell { return cell{typ: colFloat, f: f} }

func names(cols []column) []string {
	out := make([]string, len(cols))
	for k, c := range cols {
		out[k] = c.name
	}
	return out
}

// csvTable writes rows of a fixed schema as RFC 4180 CSV with a header line. It writes the
// same bytes as encoding/csv (comma, "\n" line ends, quoting by the same rule) but formats
// each row into one reused buffer, numbers with strconv.AppendInt and AppendFloat, so a row
// costs no allocation.
type csvTable struct {
	name string // for errors
	cols []column
	w    io.Writer
	buf  []byte // the rows not yet written to w
}

// csvFlushSize is the buffered size at which a csvTable hands its rows to its writer. It is
// larger than a pendingFile's buffer, so that buffer passes the rows straight to the file
// (bufio copies a write only when it is smaller than the buffer), in few system calls.
const csvFlushSize = 256 << 10

func newCSVTable(w io.Writer, name string, cols []column) (*csvTable, error) {
	t := &csvTable{name: name, cols: cols, w: w, buf: make([]byte, 0, 4<<10)}
	for k, c := range cols {
		if k > 0 {
			t.buf = append(t.buf, ',')
		}
		t.buf = appendCSVField(t.buf, c.name)
	}
	t.buf = append(t.buf, '\n')
	return t, nil
}

// write appends one row; it fails if the row does not match the schema.
func (t *csvTable) write(row []cell) error {
	if len(row) != len(t.cols) {
		return fmt.Errorf("%s: row of %d values for %d columns", t.name, len(row), len(t.cols))
	}
	mark := len(t.buf)
	for k, c := range row {
		if c.typ != t.cols[k].typ {
			t.buf = t.buf[:mark]
			return fmt.Errorf("%s: column %s: value of the wrong type", t.name, t.cols[k].name)
		}
		if k > 0 {
			t.buf = append(t.buf, ',')
		}
		switch c.typ {
		case colString:
			t.buf = appendCSVField(t.buf, c.s)
		case colInt:
			t.buf = strconv.AppendInt(t.buf, c.i, 10)
		case colFloat:
			t.buf = appendFloat(t.buf, c.f)
		}
	}
	t.buf = append(t.buf, '\n')
	if len(t.buf) >= csvFlushSize {
		return t.flush()
	}
	return nil
}

// rowBuf returns the table's buffer, to which the caller appends one row in the table's
// format (fields as appendCSVField, appendFloat and strconv.AppendInt write them, without the
// line end) and passes the result to endRow. It is the allocation-free path of writers that
// know the schema of their rows and format parts of them once (Recorder's series.csv and
// counties.csv); write checks each row against the schema instead.
func (t *csvTable) rowBuf() []byte { return t.buf }

// endRow ends the row appended to b (the buffer rowBuf returned) and flushes when enough
// rows are buffered.
func (t *csvTable) endRow(b []byte) error {
	t.buf = append(b, '\n')
	if len(t.buf) >= csvFlushSize {
		return t.flush()
	}
	return nil
}

// flush writes any buffered rows to the underlying writer.
func (t *csvTable) flush() error {
	if len(t.buf) == 0 {
		return nil
	}
	_, err := t.w.Write(t.buf)
	t.buf = t.buf[:0]
	if err != nil {
		return fmt.Errorf("%s: %w", t.name, err)
	}
	return nil
}

// appendCSVField appends field to b as encoding/csv writes it: quoted, with quotes doubled,
// when it contains a comma, quote, CR or LF, begins with a space, or is `\.`.
func appendCSVField(b []byte, field string) []byte {
	if !csvNeedsQuotes(field) {
		return append(b, field...)
	}
	b = append(b, '"')
	for i := 0; i < len(field); i++ {
		if field[i] == '"' {
			b = append(b, '"')
		}
		b = append(b, field[i])
	}
	return append(b, '"')
}

// csvNeedsQuotes is encoding/csv's rule for a comma-separated field.
func csvNeedsQuotes(field string) bool {
	if field == "" {
		return false
	}
	if field == `\.` {
		return true
	}
	for i := 0; i < len(field); i++ {
		if c := field[i]; c == '\n' || c == '\r' || c == '"' || c == ',' {
			return true
		}
	}
	r1, _ := utf8.DecodeRuneInString(field)
	return unicode.IsSpace(r1)
}

// appendFloat appends formatFloat(v) to b without allocating.
func appendFloat(b []byte, v float64) []byte {
	const expBits = 0x7ff << 52
	if math.Float64bits(v)&expBits == expBits { // NaN or an infinity: one test for the three
		switch {
		case v != v:
			return b
		case v > 0:
			return append(b, "Inf"...)
		}
		return append(b, "-Inf"...)
	}
	if v == 0 {
		return append(b, '0')
	}
	if i := int64(v); float64(i) == v && i > -1e6 && i < 1e6 {
		// An integer below 1e6 in magnitude: 'g' writes its digits, as AppendInt does.
		return strconv.AppendInt(b, i, 10)
	}
	return appendShortest(b, math.Float64bits(v))
}

// floatSlot remembers the last value formatted for one cell of a table (a group's metric in
// series.csv, a county's metric in counties.csv) and its text: many values repeat from one
// month or year to the next, and formatting a float is the costliest part of a row.
type floatSlot struct {
	bits uint64 // math.Float64bits of the value formatted in b
	n    uint8
	b    [24]byte // the longest shortest float64 is 24 bytes ("-2.2250738585072014e-308")
}

// newFloatSlots returns n slots, each holding 0.
func newFloatSlots(n int) []floatSlot {
	s := make([]floatSlot, n)
	for i := range s {
		s[i].n, s[i].b[0] = 1, '0'
	}
	return s
}

// appendFloatSlot appends appendFloat(v) to b, formatting v only when it differs (in bits)
// from the last value of slot s.
func appendFloatSlot(b []byte, v float64, s *floatSlot) []byte {
	bits := math.Float64bits(v)
	if bits != s.bits {
		f := appendFloat(s.b[:0], v)
		if len(f) > len(s.b) { // not reached: appendFloat writes at most 24 bytes
			return append(b, f...)
		}
		s.bits, s.n = bits, uint8(len(f))
	}
	return append(b, s.b[:s.n]...)
}

// formatFloat formats v as the shortest decimal that parses back to exactly v
// (strconv 'g', precision -1): lossless and deterministic, so identical runs give identical
// bytes. NaN becomes an empty field (missing), infinities "Inf" and "-Inf", and -0 "0".
func formatFloat(v float64) string {
	switch {
	case math.IsNaN(v):
		return ""
	case math.IsInf(v, 1):
		return "Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	case v == 0:
		return "0"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// writeAll writes the bytes of b as a pending file.
func writeAll(dir, name string, b []byte) (*pendingFile, error) {
	return writeWith(dir, name, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}

// writeWith creates a pending file, lets fill write it and finishes it; on error the
// temporary file is removed.
func writeWith(dir, name string, fill func(io.Writer) error) (*pendingFile, error) {
	p, err := newPendingFile(dir, name)
	if err != nil {
		return nil, err
	}
	if err := fill(p); err != nil {
		p.discard()
		return nil, fmt.Errorf("%s: %w", p.path(), err)
	}
	if err := p.finish(); err != nil {
		p.discard()
		return nil, err
	}
	return p, nil
}
