package sim

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"unsafe"
)

// A clone is a saved state's round trip (MarshalState, then Restore's decoding) without the
// bytes in between: Fork copies a model this way, in a few milliseconds at national size
// where encoding and decoding took some 40. It follows the codec's rules, compiled by
// reflection over the same types, so a field added to the Model or an agent is cloned with no
// further code: fields tagged state:"-" (caches) are left zero, slices get storage of their
// own, the random source is copied and *rand.Rand left for the caller to rebuild, an interface
// must be nil; strings, which never change, are shared. TestCloneIsTheStateRoundTrip holds it
// to the codec.

// cloner finishes the deep copy of one type: clone is called with dst holding a plain (typed)
// copy of src and gives dst storage of its own where the copy shares it. deep is false for
// types the plain copy already copies whole.
type cloner struct {
	deep  bool
	clone func(dst, src unsafe.Pointer) error
}

// modelCloner is the cloner of Model.
var modelCloner = compileClone(reflect.TypeFor[Model](), "Model")

// clone returns a deep copy of m as Restore would rebuild it from m's saved state.
func (m *Model) clone() (*Model, error) {
	f := new(Model)
	*f = *m
	if err := modelCloner.clone(unsafe.Pointer(f), unsafe.Pointer(m)); err != nil {
		return nil, fmt.Errorf("fork: %w", err)
	}
	f.rng = rand.New(f.src)
	return f, nil
}

func compileClone(t reflect.Type, path string) cloner {
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.String:
		return cloner{}
	case reflect.Array:
		elem, n, size := compileClone(t.Elem(), path+"[]"), t.Len(), t.Elem().Size()
		if !elem.deep {
			return cloner{}
		}
		return cloner{deep: true, clone: func(dst, src unsafe.Pointer) error {
			for i := 0; i < n; i++ {
				if err := elem.clone(unsafe.Add(dst, uintptr(i)*size), unsafe.Add(src, uintptr(i)*size)); err != nil {
					return err
				}
			}
			return nil
		}}
	case reflect.Slice:
		elem, size := compileClone(t.Elem(), path+"[]"), t.Elem().Size()
		return cloner{deep: true, clone: func(dst, src unsafe.Pointer) error {
			from := reflect.NewAt(t, src).Elem()
			if from.IsNil() {
				return nil // dst is nil too
			}
			n := from.Len()
			s := reflect.MakeSlice(t, n, n) // as decoding makes it: capacity n
			reflect.Copy(s, from)
			if elem.deep {
				to, fromData := s.UnsafePointer(), from.UnsafePointer()
				for i := 0; i < n; i++ {
					if err := elem.clone(unsafe.Add(to, uintptr(i)*size), unsafe.Add(fromData, uintptr(i)*size)); err != nil {
						return err
					}
				}
			}
			reflect.NewAt(t, dst).Elem().Set(s)
			return nil
		}}
	case reflect.Struct:
		type fieldCloner struct {
			off uintptr
			c   cloner
		}
		var deep []fieldCloner
		var zero []reflect.StructField
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if f.Tag.Get("state") == "-" {
				zero = append(zero, f) // a cache, rebuilt after Restore
				continue
			}
			if c := compileClone(f.Type, path+"."+f.Name); c.deep {
				deep = append(deep, fieldCloner{f.Offset, c})
			}
		}
		if len(deep) == 0 && len(zero) == 0 {
			return cloner{}
		}
		return cloner{deep: true, clone: func(dst, src unsafe.Pointer) error {
			for _, f := range zero {
				reflect.NewAt(f.Type, unsafe.Add(dst, f.Offset)).Elem().SetZero()
			}
			for _, f := range deep {
				if err := f.c.clone(unsafe.Add(dst, f.off), unsafe.Add(src, f.off)); err != nil {
					return err
				}
			}
			return nil
		}}
	case reflect.Pointer:
		switch t {
		case randType: // rebuilt from the source by the caller
			return cloner{deep: true, clone: func(dst, _ unsafe.Pointer) error {
				*(**rand.Rand)(dst) = nil
				return nil
			}}
		case pcgType:
			return cloner{deep: true, clone: func(dst, src unsafe.Pointer) error {
				from := *(**rand.PCG)(src)
				if from == nil {
					return fmt.Errorf("%s: no random source", path)
				}
				to := *from
				*(**rand.PCG)(dst) = &to
				return nil
			}}
		}
	case reflect.Interface:
		return cloner{deep: true, clone: func(dst, src unsafe.Pointer) error {
			if v := reflect.NewAt(t, src).Elem(); !v.IsNil() {
				return fmt.Errorf("%s holds a value (%v); copy between months only", path, v.Interface())
			}
			return nil
		}}
	}
	err := fmt.Errorf("%s: a %s cannot be copied (give it a cloner in clone.go)", path, t)
	return cloner{deep: true, clone: func(_, _ unsafe.Pointer) error { return err }}
}
