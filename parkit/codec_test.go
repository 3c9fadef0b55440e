package parkit

import (
	"reflect"
	"testing"
	"time"
)

type codecPoint struct{ X, Y int }

func roundTrip[T any](t *testing.T, v T) {
	t.Helper()
	b, err := encode(v)
	if err != nil {
		t.Fatalf("encode(%v): %v", v, err)
	}
	var got T
	if err := decode(b, &got); err != nil {
		t.Fatalf("decode(%v): %v", v, err)
	}
	if !reflect.DeepEqual(got, v) {
		t.Errorf("round trip of %#v gave %#v", v, got)
	}
}

func TestCodec(t *testing.T) {
	roundTrip(t, []byte("payload"))
	roundTrip(t, "a string")
	roundTrip(t, "")
	roundTrip(t, -42)
	roundTrip(t, int64(1)<<62)
	roundTrip(t, 3*time.Second)
	roundTrip(t, 2.5)
	roundTrip(t, codecPoint{1, 2})
	roundTrip(t, []int{1, 2, 3})
	roundTrip(t, map[string]int{"a": 1})
	roundTrip[any](t, 7)         // an interface type: gob sends the dynamic type
	roundTrip[any](t, "dynamic") // ... of basic types without gob.Register
	roundTrip(t, batchArg[int]{Base: 3, In: []int{4, 5}})

	var n int
	if err := decode([]byte{0x80}, &n); err == nil {
		t.Error("decoding a cut varint succeeded")
	}
	var p codecPoint
	if err := decode([]byte("not gob"), &p); err == nil {
		t.Error("decoding garbage as gob succeeded")
	}
	if _, err := encode(make(chan int)); err == nil {
		t.Error("encoding a channel succeeded")
	}
}
