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
// processes. A tag byte comes first. Common types take a fast path: their
// bytes as they are ([]byte, string) or a varint (integers, durations).
// Everything else goes through encoding/gob.
//
// Why the fast path: gob writes its type description with every value,
// which costs a few microseconds and about 40 allocations per value, as
// much as the pipe round trip of a tiny task; and it copies []byte
// payloads through a growing buffer.
const (
	tagGob byte = iota
	tagBytes
	tagString
	tagInt
	tagFloat
)

// encode encodes v as type T. T is the static type (In or Out), so the
// other side, decoding into a T, takes the same path.
func encode[T any](v T) ([]byte, error) {
	switch p := any(&v).(type) {
	case *[]byte:
		return append([]byte{tagBytes}, *p...), nil
	case *string:
		return append([]byte{tagString}, *p...), nil
	case *int:
		return binary.AppendVarint([]byte{tagInt}, int64(*p)), nil
	case *int64:
		return binary.AppendVarint([]byte{tagInt}, *p), nil
	case *time.Duration:
		return binary.AppendVarint([]byte{tagInt}, int64(*p)), nil
	case *float64:
		return binary.LittleEndian.AppendUint64([]byte{tagFloat}, math.Float64bits(*p)), nil
	}
	var buf bytes.Buffer
	buf.WriteByte(tagGob)
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
	if len(data) == 0 {
		return fmt.Errorf("parkit: decoding a %T: no data", *v)
	}
	tag, body := data[0], data[1:]
	ok := true
	switch p := any(v).(type) {
	case *[]byte:
		*p, ok = body, tag == tagBytes
	case *string:
		*p, ok = string(body), tag == tagString
	case *int:
		var n int64
		n, ok = varint(tag, body)
		*p = int(n)
	case *int64:
		*p, ok = varint(tag, body)
	case *time.Duration:
		var n int64
		n, ok = varint(tag, body)
		*p = time.Duration(n)
	case *float64:
		ok = tag == tagFloat && len(body) == 8
		if ok {
			*p = math.Float64frombits(binary.LittleEndian.Uint64(body))
		}
	default:
		if tag != tagGob {
			return fmt.Errorf("parkit: decoding a %T: unknown encoding %d", *v, tag)
		}
		return gob.NewDecoder(bytes.NewReader(body)).Decode(v)
	}
	if !ok {
		return fmt.Errorf("parkit: decoding a %T: malformed data", *v)
	}
	return nil
}

func varint(tag byte, b []byte) (int64, bool) {
	v, n := binary.Varint(b)
	return v, tag == tagInt && n == len(b) && n > 0
}
