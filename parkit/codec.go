package parkit

import (
	"bytes"
	"encoding/binary"
	"encoding/gob"
	"fmt"
	"math"
	"time"
)

// encode and decode carry task inputs and outputs to and from worker
// processes. Common types take a fast path: []byte as it is (no copy),
// string as its bytes, integers and durations as a varint, float64 as 8
// bytes. Everything else goes through encoding/gob.
//
// Why no type tag: both ends use the same static type, In or Out of the
// same registered task in the same binary (a worker checks it registered
// the same tasks as its parent), so each side picks the same path.
//
// Why the fast path: gob writes its type description with every value,
// which costs a few microseconds and about 40 allocations per value, as
// much as the pipe round trip of a tiny task; and it copies []byte
// payloads through a growing buffer.

// encode encodes v as type T. A []byte is returned as it is: the caller
// must not change it until it is sent.
func encode[T any](v T) ([]byte, error) {
	switch p := any(&v).(type) {
	case *[]byte:
		return *p, nil
	case *string:
		return []byte(*p), nil
	case *int:
		return binary.AppendVarint(nil, int64(*p)), nil
	case *int64:
		return binary.AppendVarint(nil, *p), nil
	case *time.Duration:
		return binary.AppendVarint(nil, int64(*p)), nil
	case *float64:
		return binary.LittleEndian.AppendUint64(nil, math.Float64bits(*p)), nil
	}
	var buf bytes.Buffer
	// Why &v: when T is an interface type, gob then sends the dynamic
	// type's name too, so the other side can decode into a T (types
	// other than the basic ones must be registered with gob.Register).
	if err := gob.NewEncoder(&buf).Encode(&v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// decode decodes data made by encode[T] into *v. A decoded []byte shares
// data's memory.
func decode[T any](data []byte, v *T) error {
	ok := true
	switch p := any(v).(type) {
	case *[]byte:
		*p = data
	case *string:
		*p = string(data)
	case *int:
		var n int64
		n, ok = varint(data)
		*p = int(n)
	case *int64:
		*p, ok = varint(data)
	case *time.Duration:
		var n int64
		n, ok = varint(data)
		*p = time.Duration(n)
	case *float64:
		ok = len(data) == 8
		if ok {
			*p = math.Float64frombits(binary.LittleEndian.Uint64(data))
		}
	default:
		return gob.NewDecoder(bytes.NewReader(data)).Decode(v)
	}
	if !ok {
		return fmt.Errorf("parkit: decoding a %T: malformed data", *v)
	}
	return nil
}

func varint(b []byte) (int64, bool) {
	v, n := binary.Varint(b)
	return v, n == len(b) && n > 0
}
