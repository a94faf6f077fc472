// Package output writes what a run produced: CSV and JSON tables and summaries (its
// subpackage chart draws the charts). It reads model results and never changes them.
package output

import (
	"bufio"
	"io"
	"math"
	"slices"
	"strconv"

	"github.com/msgsim/msgsim/internal/evaluate"
	"github.com/msgsim/msgsim/model"
)

// SeriesHeader is the header of the time-series CSV, one row per (replicate, step, platform).
var SeriesHeader = []string{"replicate", "step", "platform", "users", "registered", "share", "new_users", "leavers", "multi_homers", "adopters"}

// windowedColumn is the column series.csv and bands.csv add, last, when the scenario has an
// active window; without one the tables keep their columns.
const windowedColumn = "windowed_active"

// WriteSeriesCSV writes every replicate's series in long format. Numbers are formatted with a
// fixed precision so that equal runs give byte-identical files.
func WriteSeriesCSV(w io.Writer, runs []*model.Series) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	windowed := len(runs) > 0 && runs[0].Windowed()
	if windowed {
		writeRow(bw, append(slices.Clone(SeriesHeader), windowedColumn))
	} else {
		writeRow(bw, SeriesHeader)
	}
	var buf []byte
	for r, s := range runs {
		for t := 0; t <= s.Steps; t++ {
			for j, name := range s.Platforms {
				i := s.At(t, j)
				buf = buf[:0]
				buf = strconv.AppendInt(buf, int64(r), 10)
				buf = append(buf, ',')
				buf = strconv.AppendInt(buf, int64(t), 10)
				buf = append(buf, ',')
				buf = append(buf, name...)
				for _, x := range []int64{s.Users[i], s.Registered[i]} {
					buf = append(buf, ',')
					buf = strconv.AppendInt(buf, x, 10)
				}
				buf = append(buf, ',')
				buf = strconv.AppendFloat(buf, s.Share(t, j), 'f', 6, 64)
				for _, x := range []int64{s.NewUsers[i], s.Leavers[i], s.MultiHomers[i], s.Adopters[t]} {
					buf = append(buf, ',')
					buf = strconv.AppendInt(buf, x, 10)
				}
				if windowed {
					buf = append(buf, ',')
					buf = strconv.AppendInt(buf, s.WindowedActive[i], 10)
				}
				buf = append(buf, '\n')
				bw.Write(buf)
			}
		}
	}
	return bw.Flush()
}

func writeRow(w *bufio.Writer, cells []string) {
	for i, c := range cells {
		if i > 0 {
			w.WriteByte(',')
		}
		w.WriteString(c)
	}
	w.WriteByte('\n')
}

// WriteBandsCSV writes the mean and 5-95% band of active users, registered users and share per
// (step, platform) across replicates: the numbers behind the plots.
func WriteBandsCSV(w io.Writer, runs []*model.Series) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	header := []string{"step", "platform", "users_mean", "users_p5", "users_p95", "registered_mean", "registered_p5", "registered_p95", "share_mean", "share_p5", "share_p95"}
	measures := []evaluate.Measure{evaluate.ActiveUsers, evaluate.RegisteredUsers, evaluate.MarketShare}
	if runs[0].Windowed() {
		header = append(header, windowedColumn+"_mean", windowedColumn+"_p5", windowedColumn+"_p95")
		measures = append(measures, evaluate.WindowedActiveUsers)
	}
	writeRow(bw, header)
	bands := make([][]evaluate.Band, len(measures))
	for m, measure := range measures {
		bands[m] = evaluate.Bands(runs, measure, 1)
	}
	s := runs[0]
	var buf []byte
	for t := 0; t <= s.Steps; t++ {
		for j, name := range s.Platforms {
			buf = strconv.AppendInt(buf[:0], int64(t), 10)
			buf = append(buf, ',')
			buf = append(buf, name...)
			for m := range measures {
				c := bands[m][j]
				for _, x := range []float64{c.Mean[t], at(c.Low, t, c.Mean[t]), at(c.High, t, c.Mean[t])} {
					buf = append(buf, ',')
					if !math.IsNaN(x) { // an undefined value (a share of nobody) is an empty cell
						buf = strconv.AppendFloat(buf, x, 'f', 6, 64)
					}
				}
			}
			buf = append(buf, '\n')
			bw.Write(buf)
		}
	}
	return bw.Flush()
}

func at(xs []float64, i int, fallback float64) float64 {
	if xs == nil {
		return fallback
	}
	return xs[i]
}
