package output

import (
	"encoding/json"
	"io"

	"github.com/msgsim/msgsim/internal/evaluate"
)

// WriteJSON writes v as indented JSON with a trailing newline.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// Curves draws bands as chart curves, in platform order.
func Curves(bands []evaluate.Band) []Curve {
	curves := make([]Curve, len(bands))
	for j, b := range bands {
		curves[j] = Curve(b)
	}
	return curves
}
