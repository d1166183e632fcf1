package sim

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"unsafe"
)

// A saved state is the whole Model between two months: every field of the Model and of its
// agents, exported or not, and the position of its random stream. The codec is compiled by
// reflection over the types, so a field added to the Model or to an agent is saved and
// restored without further code; a field of a kind it cannot hold (a map, a func, a pointer
// other than the random source) makes MarshalState fail and the state tests with it. The
// *rand.Rand is not saved: Restore rebuilds Model.rng from the saved *rand.PCG Model.src (a
// second stream kept in the Model would need the same two lines in decodeState).
//
// Layout of the payload: the 32-byte SHA-256 of the model's type schema (StateSchema), then
// the fields in declaration order: booleans as one byte, integers and floats as 8 bytes
// little-endian, strings and slices as an 8-byte length (all ones for a nil slice) and their
// elements, arrays and structs as their elements, the random source as a length and its
// MarshalBinary bytes.

// stateSchema is the schema of *Model, computed once.
var stateSchema = func() string {
	var b strings.Builder
	writeSchema(&b, reflect.TypeFor[Model](), map[reflect.Type]bool{})
	return b.String()
}()

var (
	pcgType  = reflect.TypeFor[*rand.PCG]()
	randType = reflect.TypeFor[*rand.Rand]()
)

// StateSchema returns the hex SHA-256 of the layout of a saved state: the names, kinds and
// order of every field of the Model and its agents. States saved by a build with another
// schema are refused by Restore.
func StateSchema() string {
	sum := sha256.Sum256([]byte(stateSchema))
	return hex.EncodeToString(sum[:])
}

func writeSchema(b *strings.Builder, t reflect.Type, seen map[reflect.Type]bool) {
	switch t.Kind() {
	case reflect.Struct:
		if seen[t] {
			b.WriteString(t.String())
			return
		}
		seen[t] = true
		b.WriteString(t.String() + "{")
		writeFields(b, t, seen)
		b.WriteString("}")
	case reflect.Slice:
		b.WriteString("[]")
		writeSchema(b, t.Elem(), seen)
	case reflect.Array:
		b.WriteString("[" + strconv.Itoa(t.Len()) + "]")
		writeSchema(b, t.Elem(), seen)
	default:
		b.WriteString(t.String())
	}
}

// writeFields writes the fields of struct t, those of an embedded struct in its place as if
// they were t's own: the parts County is split into by concern leave the schema (and the
// saved states it admits) as it was when their fields were County's.
func writeFields(b *strings.Builder, t reflect.Type, seen map[reflect.Type]bool) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Tag.Get("state") == "-" {
			continue // a cache: not saved, so not in the schema
		}
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			writeFields(b, f.Type, seen)
			continue
		}
		b.WriteString(f.Name + " ")
		writeSchema(b, f.Type, seen)
		b.WriteString(";")
	}
}

// MarshalState encodes the model's whole state. Call it between months (after Step returned
// without error); Restore builds a model that continues exactly as m would.
func (m *Model) MarshalState() ([]byte, error) {
	if m.skipWithin || m.skipP90 {
		return nil, errors.New("save state: the model was built to leave outputs out (sim.Options.Metrics); build it with New to save its state")
	}
	if m.townErr != nil {
		return nil, fmt.Errorf("save state: month %d has an unreported accounting error: %w", m.month, m.townErr)
	}
	sum := sha256.Sum256([]byte(stateSchema))
	// The encoding takes about as many bytes as the agents take in memory.
	size := int(unsafe.Sizeof(County{}))*len(m.Counties) + int(unsafe.Sizeof(Town{}))*len(m.Towns) +
		int(unsafe.Sizeof(Branch{}))*len(m.Branches) + int(unsafe.Sizeof(Prefecture{}))*len(m.Prefs) + 8*len(m.values) + 1<<16
	w := &stateWriter{buf: append(make([]byte, 0, size), sum[:]...)}
	if err := modelCodec.enc(w, unsafe.Pointer(m)); err != nil {
		return nil, fmt.Errorf("save state: %w", err)
	}
	return w.buf, nil
}

type stateWriter struct{ buf []byte }

func (w *stateWriter) u64(x uint64) { w.buf = binary.LittleEndian.AppendUint64(w.buf, x) }

type stateReader struct {
	buf []byte
	off int
}

var errShort = errors.New("the state ends early (truncated)")

func (r *stateReader) take(n int, path string) ([]byte, error) {
	if n < 0 || n > len(r.buf)-r.off {
		return nil, fmt.Errorf("%s: %w", path, errShort)
	}
	b := r.buf[r.off : r.off+n]
	r.off += n
	return b, nil
}

func (r *stateReader) u64(path string) (uint64, error) {
	b, err := r.take(8, path)
	if err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint64(b), nil
}

// length reads a length of elements at least min bytes each.
func (r *stateReader) length(path string, min int) (int, error) {
	n, err := r.u64(path)
	if err != nil {
		return 0, err
	}
	if n > uint64(len(r.buf)-r.off)/uint64(max(min, 1)) {
		return 0, fmt.Errorf("%s: length %d is more than the state holds (corrupted)", path, n)
	}
	return int(n), nil
}

// codec encodes and decodes one type in place, at a pointer to a value of it. Codecs are
// compiled once per type by walking its fields (exported or not) with reflect; encoding then
// reads memory through unsafe pointers at the fields' offsets, which is some ten times faster
// than walking reflect.Values.
type codec struct {
	enc func(w *stateWriter, p unsafe.Pointer) error
	dec func(r *stateReader, p unsafe.Pointer) error
	min int // least number of bytes a value takes in a state
}

// modelCodec is the codec of Model.
var modelCodec = compile(reflect.TypeFor[Model](), "Model")

func fixed64(path string, get func(p unsafe.Pointer) uint64, set func(p unsafe.Pointer, x uint64)) codec {
	return codec{min: 8,
		enc: func(w *stateWriter, p unsafe.Pointer) error { w.u64(get(p)); return nil },
		dec: func(r *stateReader, p unsafe.Pointer) error {
			x, err := r.u64(path)
			if err == nil {
				set(p, x)
			}
			return err
		}}
}

func failing(path, what string) codec {
	err := fmt.Errorf("%s: %s cannot be saved or restored", path, what)
	return codec{min: 1,
		enc: func(*stateWriter, unsafe.Pointer) error { return err },
		dec: func(*stateReader, unsafe.Pointer) error { return err }}
}

// compile builds the codec of type t; path names it in errors.
func compile(t reflect.Type, path string) codec {
	switch t.Kind() {
	case reflect.Bool:
		return codec{min: 1,
			enc: func(w *stateWriter, p unsafe.Pointer) error {
				b := byte(0)
				if *(*bool)(p) {
					b = 1
				}
				w.buf = append(w.buf, b)
				return nil
			},
			dec: func(r *stateReader, p unsafe.Pointer) error {
				b, err := r.take(1, path)
				if err != nil {
					return err
				}
				if b[0] > 1 {
					return fmt.Errorf("%s: bad boolean %d (corrupted)", path, b[0])
				}
				*(*bool)(p) = b[0] == 1
				return nil
			}}
	case reflect.Int:
		return fixed64(path, func(p unsafe.Pointer) uint64 { return uint64(*(*int)(p)) }, func(p unsafe.Pointer, x uint64) { *(*int)(p) = int(x) })
	case reflect.Int64:
		return fixed64(path, func(p unsafe.Pointer) uint64 { return uint64(*(*int64)(p)) }, func(p unsafe.Pointer, x uint64) { *(*int64)(p) = int64(x) })
	case reflect.Uint64:
		return fixed64(path, func(p unsafe.Pointer) uint64 { return *(*uint64)(p) }, func(p unsafe.Pointer, x uint64) { *(*uint64)(p) = x })
	case reflect.Float64:
		return fixed64(path, func(p unsafe.Pointer) uint64 { return math.Float64bits(*(*float64)(p)) }, func(p unsafe.Pointer, x uint64) { *(*float64)(p) = math.Float64frombits(x) })
	case reflect.Int8, reflect.Int16, reflect.Int32:
		return fixed64(path, func(p unsafe.Pointer) uint64 { return uint64(reflect.NewAt(t, p).Elem().Int()) }, func(p unsafe.Pointer, x uint64) { reflect.NewAt(t, p).Elem().SetInt(int64(x)) })
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uintptr:
		return fixed64(path, func(p unsafe.Pointer) uint64 { return reflect.NewAt(t, p).Elem().Uint() }, func(p unsafe.Pointer, x uint64) { reflect.NewAt(t, p).Elem().SetUint(x) })
	case reflect.Float32:
		return fixed64(path, func(p unsafe.Pointer) uint64 { return math.Float64bits(float64(*(*float32)(p))) }, func(p unsafe.Pointer, x uint64) { *(*float32)(p) = float32(math.Float64frombits(x)) })
	case reflect.String:
		return codec{min: 8,
			enc: func(w *stateWriter, p unsafe.Pointer) error {
				s := *(*string)(p)
				w.u64(uint64(len(s)))
				w.buf = append(w.buf, s...)
				return nil
			},
			dec: func(r *stateReader, p unsafe.Pointer) error {
				n, err := r.length(path, 1)
				if err != nil {
					return err
				}
				b, _ := r.take(n, path)
				*(*string)(p) = string(b)
				return nil
			}}
	case reflect.Array:
		elem, n, size := compile(t.Elem(), path+"[]"), t.Len(), t.Elem().Size()
		return codec{min: n * elem.min,
			enc: func(w *stateWriter, p unsafe.Pointer) error {
				for i := 0; i < n; i++ {
					if err := elem.enc(w, unsafe.Add(p, uintptr(i)*size)); err != nil {
						return err
					}
				}
				return nil
			},
			dec: func(r *stateReader, p unsafe.Pointer) error {
				for i := 0; i < n; i++ {
					if err := elem.dec(r, unsafe.Add(p, uintptr(i)*size)); err != nil {
						return err
					}
				}
				return nil
			}}
	case reflect.Slice:
		elem, size := compile(t.Elem(), path+"[]"), t.Elem().Size()
		return codec{min: 8,
			enc: func(w *stateWriter, p unsafe.Pointer) error {
				v := reflect.NewAt(t, p).Elem()
				if v.IsNil() {
					w.u64(math.MaxUint64)
					return nil
				}
				n := v.Len()
				w.u64(uint64(n))
				data := v.UnsafePointer()
				for i := 0; i < n; i++ {
					if err := elem.enc(w, unsafe.Add(data, uintptr(i)*size)); err != nil {
						return err
					}
				}
				return nil
			},
			dec: func(r *stateReader, p unsafe.Pointer) error {
				x, err := r.u64(path)
				if err != nil {
					return err
				}
				v := reflect.NewAt(t, p).Elem()
				if x == math.MaxUint64 {
					v.SetZero()
					return nil
				}
				r.off -= 8
				n, err := r.length(path, elem.min)
				if err != nil {
					return err
				}
				s := reflect.MakeSlice(t, n, n)
				data := s.UnsafePointer()
				for i := 0; i < n; i++ {
					if err := elem.dec(r, unsafe.Add(data, uintptr(i)*size)); err != nil {
						return err
					}
				}
				v.Set(s)
				return nil
			}}
	case reflect.Struct:
		type fieldCodec struct {
			off uintptr
			c   codec
		}
		var fs []fieldCodec
		min := 0
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if f.Tag.Get("state") == "-" {
				continue // a cache, rebuilt after Restore
			}
			c := compile(f.Type, path+"."+f.Name)
			fs = append(fs, fieldCodec{f.Offset, c})
			min += c.min
		}
		return codec{min: min,
			enc: func(w *stateWriter, p unsafe.Pointer) error {
				for _, f := range fs {
					if err := f.c.enc(w, unsafe.Add(p, f.off)); err != nil {
						return err
					}
				}
				return nil
			},
			dec: func(r *stateReader, p unsafe.Pointer) error {
				for _, f := range fs {
					if err := f.c.dec(r, unsafe.Add(p, f.off)); err != nil {
						return err
					}
				}
				return nil
			}}
	case reflect.Pointer:
		switch t {
		case randType: // rebuilt from the source by Restore
			return codec{
				enc: func(*stateWriter, unsafe.Pointer) error { return nil },
				dec: func(*stateReader, unsafe.Pointer) error { return nil }}
		case pcgType:
			return codec{min: 8,
				enc: func(w *stateWriter, p unsafe.Pointer) error {
					src := *(**rand.PCG)(p)
					if src == nil {
						return fmt.Errorf("%s: no random source", path)
					}
					b, err := src.MarshalBinary()
					if err != nil {
						return fmt.Errorf("%s: %w", path, err)
					}
					w.u64(uint64(len(b)))
					w.buf = append(w.buf, b...)
					return nil
				},
				dec: func(r *stateReader, p unsafe.Pointer) error {
					n, err := r.length(path, 1)
					if err != nil {
						return err
					}
					b, _ := r.take(n, path)
					src := new(rand.PCG)
					if err := src.UnmarshalBinary(b); err != nil {
						return fmt.Errorf("%s: %w (corrupted)", path, err)
					}
					*(**rand.PCG)(p) = src
					return nil
				}}
		}
		return failing(path, "a pointer ("+t.String()+"); hold the value instead, or give it a codec in state.go")
	case reflect.Interface:
		return codec{min: 1,
			enc: func(w *stateWriter, p unsafe.Pointer) error {
				if v := reflect.NewAt(t, p).Elem(); !v.IsNil() {
					return fmt.Errorf("%s holds a value (%v); save between months only", path, v.Interface())
				}
				w.buf = append(w.buf, 0)
				return nil
			},
			dec: func(r *stateReader, p unsafe.Pointer) error {
				b, err := r.take(1, path)
				if err != nil {
					return err
				}
				if b[0] != 0 {
					return fmt.Errorf("%s: unexpected value (corrupted)", path)
				}
				reflect.NewAt(t, p).Elem().SetZero()
				return nil
			}}
	}
	return failing(path, "a "+t.Kind().String())
}

// Restore rebuilds a model from a state written by MarshalState and continues it under cfg:
// the saved config with any changes a branch may make (see CheckBranch). The model's next
// Step simulates the month after the saved one. With cfg equal to the saved config the
// restored model runs exactly as the model that was saved would have.
func Restore(data []byte, cfg Config) (*Model, error) {
	m, err := decodeState(data)
	if err != nil {
		return nil, err
	}
	if errs := cfg.Validate(); len(errs) > 0 {
		var all []error
		for _, e := range errs {
			all = append(all, e)
		}
		return nil, fmt.Errorf("invalid config: %w", errors.Join(all...))
	}
	if err := CheckBranch(m.cfg, cfg, m.month); err != nil {
		return nil, err
	}
	cfg.World = completeWorld(cfg.World, m.cfg.World)
	m.cfg = cfg
	m.restep()
	return m, nil
}

// Fork returns a copy of m, which has simulated m.Month() months, that continues under cfg
// exactly as a run of cfg from the first month would, computing the outputs opt asks for
// (as NewWith). It refuses when the two runs may differ before m's month: when cfg differs
// from m's config in a field that acts from the first month, or in a lever or cohort date
// that acts before m's month (UnmarkedBranchPoint: with PMC switched off in cfg, the fork's
// pilots are cleared), and when opt asks for an output m left out (its 90th percentile starts
// each month from the month before). A counterfactual forked off its
// factual run at the reform's start skips the months the two share.
func (m *Model) Fork(cfg Config, opt Options) (*Model, error) {
	if errs := cfg.Validate(); len(errs) > 0 {
		return nil, fmt.Errorf("fork: %w", invalid(errs))
	}
	cfg.World = completeWorld(cfg.World, m.cfg.World)
	at, ok := UnmarkedBranchPoint(m.cfg, cfg)
	switch {
	case !ok:
		return nil, errors.New("fork: the two configs differ in a field that acts from the first month")
	case m.month > at:
		return nil, fmt.Errorf("fork: the model has simulated %d months, the configs' runs differ from month %d", m.month, at)
	}
	skipWithin, skipP90, err := opt.skips()
	if err != nil {
		return nil, err
	}
	if (m.skipWithin && !skipWithin) || (m.skipP90 && !skipP90) {
		return nil, errors.New("fork: the options ask for an output the model leaves out")
	}
	if m.townErr != nil {
		return nil, fmt.Errorf("fork: month %d has an unreported accounting error: %w", m.month, m.townErr)
	}
	f, err := m.clone()
	if err != nil {
		return nil, err
	}
	if m.cfg.PMC.Enabled && !cfg.PMC.Enabled {
		if err := f.clearPilots(); err != nil {
			return nil, err
		}
	}
	f.cfg = cfg
	f.restep()
	f.skipWithin, f.skipP90 = skipWithin, skipP90
	return f, nil
}

// clearPilots makes every county a non-pilot, as selectPilots leaves them when PMC is off:
// for a fork with PMC switched off before any pilot took a step.
func (m *Model) clearPilots() error {
	for i := range m.Counties {
		c := &m.Counties[i]
		if c.Step != 0 {
			return fmt.Errorf("fork: county %s has taken PMC step %d; PMC cannot be switched off", c.Name, c.Step)
		}
		c.Pilot, c.Cohort, c.Index = false, -1, 0
		c.StepMonth, c.StepAt = [4]int{0, -1, -1, -1}, [4]int{0, -1, -1, -1}
	}
	return nil
}

// BranchPoint returns the number of months M through which a run of to is the same as a run
// of from, every value of every agent, judged from the configs by the rules of a branch
// (CheckBranch): every field they differ in is a dated lever (approval, devolution,
// streamlining, decision reform, revenue shock) or a cohort's step date, and M is the
// earliest month at which one of those acts in either config (from.Months when none does). ok
// is false when they differ in anything else (an undated setting, acting from the first
// month, or one fixed when the world is built).
func BranchPoint(from, to Config) (month int, ok bool) {
	return branchPoint(from, to, false)
}

// UnmarkedBranchPoint is BranchPoint that also takes PMC switched off altogether in to (the
// no-reform counterfactual of a run): pilots are chosen when the world is built, from a
// random stream of their own (pilotOrder), and act only from their first step, so until then
// the runs differ only in the pilots' marks (the pilot metric, County.Pilot, Cohort and Index:
// what the pilot and cohort groups read), which Fork clears. An observer that reads no mark
// sees the same run through the month it returns.
func UnmarkedBranchPoint(from, to Config) (month int, ok bool) {
	return branchPoint(from, to, true)
}

func branchPoint(from, to Config, unmarked bool) (month int, ok bool) {
	month = from.Months
	to.World = completeWorld(to.World, from.World)
	if unmarked && from.PMC.Enabled && !to.PMC.Enabled {
		for _, co := range from.PMC.Cohorts {
			steps := from.PMC.Planned(co)
			for _, d := range steps[1:] {
				if d >= 0 {
					month = min(month, d)
				}
			}
		}
		to.PMC = from.PMC
	}
	for _, ch := range ConfigDiff(from, to) {
		if k, step, isStep := cohortStep(ch.Path); isStep && len(from.PMC.Cohorts) == len(to.PMC.Cohorts) && k < len(from.PMC.Cohorts) {
			for _, d := range [2]int{stepOf(from.PMC.Cohorts[k], step), stepOf(to.PMC.Cohorts[k], step)} {
				if d >= 0 {
					month = min(month, d)
				}
			}
			continue
		}
		if _, fixed := fixedField(ch.Path); fixed {
			return 0, false
		}
		var group *datedGroup
		for i := range datedGroups {
			if datedGroups[i].in(ch.Path) {
				group = &datedGroups[i]
				break
			}
		}
		if group == nil {
			return 0, false
		}
		for _, c := range [2]*Config{&from, &to} {
			if !group.off(c) {
				month = min(month, group.start0(c))
			}
		}
	}
	month = max(month, 0)
	if CheckBranch(from, to, month) != nil {
		return 0, false
	}
	return month, true
}

// SavedConfig returns the config and the month of a state written by MarshalState, without
// restoring the model's agents.
func SavedConfig(data []byte) (Config, int, error) {
	m, err := decodeState(data)
	if err != nil {
		return Config{}, 0, err
	}
	return m.cfg, m.month, nil
}

func decodeState(data []byte) (*Model, error) {
	sum := sha256.Sum256([]byte(stateSchema))
	if len(data) < len(sum) {
		return nil, fmt.Errorf("restore state: %w", errShort)
	}
	if string(data[:len(sum)]) != string(sum[:]) {
		return nil, fmt.Errorf("restore state: saved by a model with another layout (schema %x, this build reads %x); continue it with the countysim that saved it",
			data[:8], sum[:8])
	}
	r := &stateReader{buf: data, off: len(sum)}
	m := new(Model)
	if err := modelCodec.dec(r, unsafe.Pointer(m)); err != nil {
		return nil, fmt.Errorf("restore state: %w", err)
	}
	if r.off != len(data) {
		return nil, fmt.Errorf("restore state: %d bytes left over after the model (corrupted)", len(data)-r.off)
	}
	if m.src == nil {
		return nil, errors.New("restore state: no random source (corrupted)")
	}
	m.rng = rand.New(m.src)
	if len(m.values) != len(m.Counties)*NumMetrics {
		return nil, fmt.Errorf("restore state: %d values for %d counties (corrupted)", len(m.values), len(m.Counties))
	}
	if err := m.checkIndices(); err != nil {
		return nil, err
	}
	return m, nil
}

// restep sets pilots' scheduled step months from the config (cohort dates a branch may have
// moved; dates already passed cannot move, see CheckBranch).
func (m *Model) restep() {
	p := m.cfg.PMC
	for i := range m.Counties {
		c := &m.Counties[i]
		if !c.Pilot || c.Cohort < 0 || c.Cohort >= len(p.Cohorts) {
			continue
		}
		c.StepMonth = p.Planned(p.Cohorts[c.Cohort])
	}
}

// Reseed replaces the model's random stream from this month on by a stream seeded with seed
// (the history already simulated stays). Replications of a branch use it so that they share
// the saved history and differ after it.
func (m *Model) Reseed(seed uint64) {
	m.src = rand.NewPCG(seed, 0x9e3779b97f4a7c15^uint64(m.month))
	m.rng = rand.New(m.src)
}

// Replay calls observe with the model showing a month of a saved history: Month returns
// month, Values returns values (len(Counties) x NumMetrics) and each county's Step is
// steps[i]. The model is as before when Replay returns. It lets an observer that starts at
// month 1 be brought up to a restored model's month.
func (m *Model) Replay(month int, values []float64, steps []int, observe func(*Model) error) error {
	if len(values) != len(m.Counties)*NumMetrics || len(steps) != len(m.Counties) {
		return fmt.Errorf("replay month %d: %d values and %d steps for %d counties", month, len(values), len(steps), len(m.Counties))
	}
	month0, values0 := m.month, m.values
	steps0 := make([]int, len(m.Counties))
	for i := range m.Counties {
		steps0[i] = m.Counties[i].Step
		m.Counties[i].Step = steps[i]
	}
	m.month, m.values = month, values
	defer func() {
		m.month, m.values = month0, values0
		for i := range m.Counties {
			m.Counties[i].Step = steps0[i]
		}
	}()
	return observe(m)
}

// A branch continues a saved state under another config. What may differ (CheckBranch):
//   - undated levers and behavioural settings read every month (undatedFields: finance
//     priority rule and village finance, debt rules, transfer formula, prefecture behaviour,
//     mandates, coordination, widening rule, behavioural parameters of the economy);
//   - a dated lever (approval reform, devolution, streamlining, decision reform, revenue
//     shock; each with its start month) when it has not acted on the saved history: its old
//     and new start are both at or after the saved month, or it was off (all its amounts 0);
//   - a cohort's step months that are at or after the saved month (or -1, never), old and new;
//   - the horizon (months), which must end after the saved month.
// The rest is fixed by the saved history and refused (builtOnce): the world, the seed, the
// calendar, the pilots (PMC switch, mode, selection, cohorts' names, shares and counties),
// and the settings drawn or copied into the agents when the world was built. A config field
// in none of these lists is refused too, so a field added later is safe until it is
// classified here (TestEveryConfigFieldIsClassifiedForBranches fails until then).

// builtOnce are the config fields (or sections) fixed by the saved history, with why.
var builtOnce = map[string]string{
	"seed":                                "the seed drew the saved history",
	"start_year":                          "the calendar of the saved history is fixed",
	"world":                               "the world (provinces, counts, county lists) is built once",
	"pmc.enabled":                         "pilots are selected when the world is built",
	"pmc.mode":                            "pilots' step schedules are set when the world is built",
	"pmc.selection":                       "pilots are selected when the world is built",
	"pmc.cohorts":                         "pilots are assigned to cohorts when the world is built",
	"economy.base_growth":                 "counties' trend growth is drawn, and the central-transfer path set, when the world is built",
	"economy.heterogeneity":               "counties' strength is drawn when the world is built",
	"economy.institution_mean":            "counties' institutional quality is drawn when the world is built",
	"economy.tax_rate":                    "counties' tax bases are drawn when the world is built",
	"economy.tax_spread":                  "counties' tax bases are drawn when the world is built",
	"economy.capital_share":               "productivity was backed out under the output elasticities when the world was built",
	"economy.public_capital_share":        "productivity was backed out under the output elasticities when the world was built",
	"province.supervision":                "the province's supervision staff is set when the world is built",
	"province.audit":                      "the province's audit intensity is set when the world is built",
	"province.transfer_share":             "the opening transfer pool is set when the world is built",
	"finance.county_managed_town_finance": "towns' finance regime is set when the world is built",
	"organisation.town_categories":        "town classification (staff quotas, posts, organ caps) is applied when the world is built",
}

// undatedFields are the config fields (or sections) read every month that a branch may
// change whatever the saved month.
var undatedFields = []string{
	"pmc.widening",
	"organisation.no_push_down", "organisation.mandate_funded_share", "organisation.vertical_coordination",
	"approval.patience_days",
	"finance.priority_rule", "finance.town_managed_village_finance",
	"debt",
	"province.equalisation", "province.earmarked_share", "province.staff_response", "province.remittance",
	"prefecture",
	"economy.depreciation", "economy.spillover", "economy.misuse_base", "economy.hidden_propensity",
	"economy.convergence", "economy.shock_sd",
}

// datedGroup is a dated lever: its fields (by path prefix), its start and whether it is off.
type datedGroup struct {
	prefixes []string
	start    string
	start0   func(c *Config) int
	off      func(c *Config) bool
}

var datedGroups = []datedGroup{
	{[]string{"approval."}, "approval.start", func(c *Config) int { return c.Approval.Start }, func(c *Config) bool {
		a := c.Approval
		off := a.ItemCut == 0 && a.StepCut == 0 && a.OneStop == 0 && a.ExPost == 0
		for _, cc := range []ClassCut{a.MarketEntry, a.Investment, a.LandUse, a.OperatingPermit} {
			off = off && cc.ItemCut == 0 && cc.StepCut == 0
		}
		return off
	}},
	{[]string{"devolution."}, "devolution.start", func(c *Config) int { return c.Devolution.Start }, func(c *Config) bool {
		d := c.Devolution
		return d.Economic == 0 && d.Social == 0 && d.Personnel == 0 && d.TownEconomic == 0 && d.TownSocial == 0
	}},
	{[]string{"organisation.streamline_"}, "organisation.streamline_start", func(c *Config) int { return c.Organisation.StreamlineStart },
		func(c *Config) bool { return c.Organisation.StreamlineTarget == 0 }},
	{[]string{"decision."}, "decision.start", func(c *Config) int { return c.Decision.Start },
		func(c *Config) bool { return c.Decision.Participation == 0 && c.Decision.EGovernment == 0 }},
	{[]string{"finance.revenue_shock"}, "finance.revenue_shock_month", func(c *Config) int { return c.Finance.RevenueShockMonth },
		func(c *Config) bool { return c.Finance.RevenueShock == 0 }},
}

// ConfigChange is one field that differs between two configs, named by its scenario path.
type ConfigChange struct {
	Path     string
	Old, New string
}

// ConfigDiff lists the fields that differ between a and b, by scenario path (yaml names,
// e.g. "approval.item_cut", "pmc.cohorts[0].step2"); a list of another length is one change
// named by the list.
func ConfigDiff(a, b Config) []ConfigChange {
	var out []ConfigChange
	diffValue(reflect.ValueOf(a), reflect.ValueOf(b), "", &out)
	return out
}

func diffValue(a, b reflect.Value, path string, out *[]ConfigChange) {
	switch a.Kind() {
	case reflect.Struct, reflect.Slice:
		// Most of two configs is the same, often the same storage (a world's county list):
		// DeepEqual says so without a path per element (its == on floats is the default's).
		if a.CanInterface() && reflect.DeepEqual(a.Interface(), b.Interface()) {
			return
		}
	}
	switch a.Kind() {
	case reflect.Struct:
		t := a.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			if name == "" || name == "-" || !f.IsExported() {
				name = strings.ToLower(f.Name)
			}
			p := name
			if path != "" {
				p = path + "." + name
			}
			diffValue(a.Field(i), b.Field(i), p, out)
		}
	case reflect.Slice:
		if a.Len() != b.Len() {
			*out = append(*out, ConfigChange{path, fmt.Sprintf("%d entries", a.Len()), fmt.Sprintf("%d entries", b.Len())})
			return
		}
		for i := 0; i < a.Len(); i++ {
			diffValue(a.Index(i), b.Index(i), path+"["+strconv.Itoa(i)+"]", out)
		}
	default:
		if !reflect.DeepEqual(a.Interface(), b.Interface()) {
			*out = append(*out, ConfigChange{path, fmt.Sprint(a.Interface()), fmt.Sprint(b.Interface())})
		}
	}
}

// CheckBranch reports whether a model saved at month (the number of months simulated) under
// saved may continue under next, and if not which field stops it and why.
func CheckBranch(saved, next Config, month int) error {
	var errs []error
	bad := func(ch ConfigChange, why string) {
		errs = append(errs, fmt.Errorf("%s: %s in the saved state, %s asked: %s", ch.Path, ch.Old, ch.New, why))
	}
	next.World = completeWorld(next.World, saved.World)
	for _, ch := range ConfigDiff(saved, next) {
		if ch.Path == "months" {
			if next.Months <= month {
				bad(ch, fmt.Sprintf("the state is saved at month %d, the horizon must be later", month))
			}
			continue
		}
		if why, fixed := fixedField(ch.Path); fixed {
			if k, step, ok := cohortStep(ch.Path); ok && k < len(saved.PMC.Cohorts) && len(saved.PMC.Cohorts) == len(next.PMC.Cohorts) {
				old, nu := stepOf(saved.PMC.Cohorts[k], step), stepOf(next.PMC.Cohorts[k], step)
				if (old < 0 || old >= month) && (nu < 0 || nu >= month) {
					continue
				}
				bad(ch, fmt.Sprintf("a cohort's step month may change only when the old and new months are both at or after the saved month %d (or -1)", month))
				continue
			}
			bad(ch, why+"; a branch cannot change it")
			continue
		}
		if isUndated(ch.Path) {
			continue
		}
		dated := false
		for _, g := range datedGroups {
			if !g.in(ch.Path) {
				continue
			}
			dated = true
			s0, s1 := g.start0(&saved), g.start0(&next)
			switch {
			case !g.off(&saved) && s0 < month:
				bad(ch, fmt.Sprintf("%s is %d, so the lever acted on the saved history (saved at month %d); only levers dated at or after the saved month, or off until it, may change", g.start, s0, month))
			case !g.off(&next) && s1 < month:
				bad(ch, fmt.Sprintf("%s is %d, before the saved month %d; a lever a branch changes must start at or after it", g.start, s1, month))
			}
			break
		}
		if !dated {
			bad(ch, "not known to be safe to change on a branch (not classified in sim/state.go)")
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("cannot continue the saved state under this config: %w", errors.Join(errs...))
	}
	return nil
}

// completeWorld returns next with the counts of each province given by a county list taken
// from saved: building a model may fill them in from the list, so the model's config can
// hold counts its scenario leaves at 0. Those counts follow from the list, which must not
// differ anyway.
func completeWorld(next, saved World) World {
	if len(next.Provinces) != len(saved.Provinces) {
		return next
	}
	ps := append([]ProvinceSpec(nil), next.Provinces...)
	for i := range ps {
		if len(ps[i].CountyList) > 0 && len(saved.Provinces[i].CountyList) > 0 {
			ps[i].Counties, ps[i].Towns = saved.Provinces[i].Counties, saved.Provinces[i].Towns
		}
	}
	next.Provinces = ps
	return next
}

func (g datedGroup) in(path string) bool {
	if isUndated(path) {
		return false
	}
	for _, p := range g.prefixes {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}

// within reports whether path is section or inside it.
func within(path, section string) bool {
	return path == section || strings.HasPrefix(path, section+".") || strings.HasPrefix(path, section+"[")
}

// isUndated reports whether path is a field a branch may change at any time.
func isUndated(path string) bool {
	for _, u := range undatedFields {
		if within(path, u) {
			return true
		}
	}
	return false
}

// fixedField reports whether path is fixed by the saved history, and why.
func fixedField(path string) (string, bool) {
	for p := path; p != ""; {
		if why, ok := builtOnce[p]; ok {
			return why, true
		}
		i := strings.LastIndexAny(p, ".[")
		if i < 0 {
			break
		}
		p = p[:i]
	}
	return "", false
}

// cohortStep parses "pmc.cohorts[K].stepN".
func cohortStep(path string) (k, step int, ok bool) {
	rest, found := strings.CutPrefix(path, "pmc.cohorts[")
	if !found {
		return 0, 0, false
	}
	ks, field, found := strings.Cut(rest, "].")
	if !found || len(field) != 5 || !strings.HasPrefix(field, "step") {
		return 0, 0, false
	}
	k, err1 := strconv.Atoi(ks)
	step, err2 := strconv.Atoi(field[4:])
	if err1 != nil || err2 != nil || step < 1 || step > 3 {
		return 0, 0, false
	}
	return k, step, true
}

func stepOf(c Cohort, step int) int {
	return [4]int{0, c.Step1, c.Step2, c.Step3}[step]
}

// checkIndices refuses a decoded state whose agents point outside the model (a town range, a
// branch, a prefecture or province index, a step or a warning level out of its range): the
// file checksum of `countysim run --save-at` catches accidents, this catches a state written
// or edited by other means, which would otherwise make the model index out of range.
func (m *Model) checkIndices() error {
	nc, nt, nb, np, nv := len(m.Counties), len(m.Towns), len(m.Branches), len(m.Prefs), len(m.Provinces)
	in := func(i, n int) bool { return i >= 0 && i < n }
	bad := func(what string, i int, field string, v any) error {
		return fmt.Errorf("restore state: %s %d: %s %v out of range (corrupted)", what, i, field, v)
	}
	for i := range m.Counties {
		c := &m.Counties[i]
		switch {
		case c.ID != i:
			return bad("county", i, "ID", c.ID)
		case !in(c.Province, nv):
			return bad("county", i, "province", c.Province)
		case !in(c.Pref, np):
			return bad("county", i, "prefecture", c.Pref)
		case c.Towns[0] < 0 || c.Towns[0] > c.Towns[1] || c.Towns[1] > nt:
			return bad("county", i, "towns", c.Towns)
		case !in(c.Step, 4):
			return bad("county", i, "step", c.Step)
		case c.Cohort < -1:
			return bad("county", i, "cohort", c.Cohort)
		case !in(c.Tercile, 3):
			return bad("county", i, "tercile", c.Tercile)
		case !in(c.pipeHead, maxDelay+1):
			return bad("county", i, "pipeline head", c.pipeHead)
		case !in(c.Warning, Red+1):
			return bad("county", i, "warning", c.Warning)
		}
		for _, b := range c.Branches {
			if !in(b, nb) {
				return bad("county", i, "branch", b)
			}
		}
	}
	for t := range m.Towns {
		tw := &m.Towns[t]
		switch {
		case !in(tw.County, nc):
			return bad("town", t, "county", tw.County)
		case !in(tw.Category, 4):
			return bad("town", t, "category", tw.Category)
		case !in(tw.Warning, Red+1) || !in(tw.VillageWarning, Red+1):
			return bad("town", t, "warning", tw.Warning)
		case tw.Villages < 0:
			return bad("town", t, "villages", tw.Villages)
		}
	}
	for b := range m.Branches {
		br := &m.Branches[b]
		if !in(br.Dept, NumDepts) || !in(br.County, nc) || !in(br.Superior, NumLevels) {
			return bad("branch", b, "department, county or superior", [3]int{br.Dept, br.County, br.Superior})
		}
	}
	for j := range m.Prefs {
		if !in(m.Prefs[j].Province, nv) {
			return bad("prefecture", j, "province", m.Prefs[j].Province)
		}
		for _, ci := range m.Prefs[j].Counties {
			if !in(ci, nc) {
				return bad("prefecture", j, "county", ci)
			}
		}
	}
	for p := range m.Provinces {
		for _, j := range m.Provinces[p].Prefs {
			if !in(j, np) {
				return bad("province", p, "prefecture", j)
			}
		}
		for _, ci := range m.Provinces[p].Counties {
			if !in(ci, nc) {
				return bad("province", p, "county", ci)
			}
		}
	}
	return nil
}
