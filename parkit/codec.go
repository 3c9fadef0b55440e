package parkit

import (
	"bytes"
	"encoding/gob"
)

// encode and decode carry task inputs and outputs to and from worker
// processes. gob handles any exported Go value and sends []byte without
// copying it through an intermediate form.
func encode(v any) ([]byte, error) {
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func decode(data []byte, v any) error {
	return gob.NewDecoder(bytes.NewReader(data)).Decode(v)
}
