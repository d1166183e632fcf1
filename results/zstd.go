package results

import (
	"fmt"
	"sync"

	"github.com/klauspost/compress/zstd"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"
)

// zstdWindow bounds the history a Parquet page's compressor keeps (1 MiB: a page of the
// tables countysim writes is smaller, so compression does not lose from it).
const zstdWindow = 1 << 20

// parquetZstd is the Zstandard codec of the Parquet files countysim writes: the settings of
// parquet-go's codec (default level, no checksum, an empty input gives a frame) with a bounded
// window and the encoder's lower-memory mode, made for one file and dropped with it.
// parquet-go's shared codec keeps its encoders, each with a history as long as the largest
// page it compressed, for the life of the process: 32 MB of history (40 MB of live heap)
// after converting the rows of a 10,000-run sweep, most of the sweep's peak memory. It is safe for concurrent use, as
// parquet-go's codecs must be.
type parquetZstd struct {
	mu  sync.Mutex
	enc *zstd.Encoder
}

func (c *parquetZstd) String() string { return "ZSTD" }

func (c *parquetZstd) CompressionCodec() format.CompressionCodec { return format.Zstd }

func (c *parquetZstd) Encode(dst, src []byte) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.enc == nil {
		enc, err := zstd.NewWriter(nil,
			zstd.WithEncoderConcurrency(1),
			zstd.WithEncoderLevel(zstd.SpeedDefault),
			zstd.WithZeroFrames(true),
			zstd.WithEncoderCRC(false),
			zstd.WithWindowSize(zstdWindow),
			zstd.WithLowerEncoderMem(true),
		)
		if err != nil {
			return nil, fmt.Errorf("parquet zstd encoder: %w", err)
		}
		c.enc = enc
	}
	return c.enc.EncodeAll(src, dst[:0]), nil
}

// Decode is parquet-go's (countysim writes Parquet; it reads it only in tests).
func (c *parquetZstd) Decode(dst, src []byte) ([]byte, error) { return parquet.Zstd.Decode(dst, src) }
