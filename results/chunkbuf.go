package results

import "io"

// chunkBuf is a write buffer of fixed-size chunks: it grows without copying what it holds
// (bytes.Buffer doubles and copies, some twice the final size in allocations: 16 MB for the
// national map's 5 MB SVG). WriteTo writes the chunks in order and empties it, as
// bytes.Buffer.WriteTo does.
type chunkBuf struct {
	full [][]byte // chunks filled to their capacity
	cur  []byte   // the chunk being filled
}

// chunkSize is the capacity of a chunk: large enough that a write seldom spans two, small
// enough that a small figure holds one.
const chunkSize = 64 << 10

func (b *chunkBuf) WriteString(s string) (int, error) { return writeChunks(b, s) }

func (b *chunkBuf) Write(p []byte) (int, error) { return writeChunks(b, p) }

// writeChunks appends p to b, filling the current chunk and starting new ones (Write and
// WriteString).
func writeChunks[T string | []byte](b *chunkBuf, p T) (int, error) {
	n := len(p)
	for len(p) > 0 {
		if len(b.cur) == cap(b.cur) {
			b.next()
		}
		k := copy(b.cur[len(b.cur):cap(b.cur)], p)
		b.cur = b.cur[:len(b.cur)+k]
		p = p[k:]
	}
	return n, nil
}

// next files the current chunk (if any) and starts a new one.
func (b *chunkBuf) next() {
	if cap(b.cur) > 0 {
		b.full = append(b.full, b.cur)
	}
	b.cur = make([]byte, 0, chunkSize)
}

// Len is the number of bytes held.
func (b *chunkBuf) Len() int {
	n := len(b.cur)
	for _, c := range b.full {
		n += len(c)
	}
	return n
}

// WriteTo writes what b holds to w and empties b.
func (b *chunkBuf) WriteTo(w io.Writer) (int64, error) {
	var n int64
	for _, c := range append(b.full, b.cur) {
		k, err := w.Write(c)
		n += int64(k)
		if err != nil {
			return n, err
		}
	}
	b.full, b.cur = nil, nil
	return n, nil
}
