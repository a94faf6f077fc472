// Package output writes what a run produced: CSV and JSON tables and summaries (its
// subpackage chart draws the charts), and the one result directory (ResultDir). It reads
// model results and never changes them.
//
// It is the "report" layer of the msgsim command, not a stable library API: import model and
// model/graph.
package output

import (
	"bufio"
	"io"
	"math"
	"slices"
	"strconv"

	"github.com/msgsim/msgsim/internal/evaluate"
	"github.com/msgsim/msgsim/model"
	"github.com/msgsim/msgsim/scenarios"
)

// SeriesHeader is the header of the time-series CSV, one row per (replicate, step, platform),
// for a Table's zero value.
var SeriesHeader = []string{"replicate", "step", "platform", "users", "registered", "share", "new_users", "leavers", "multi_homers", "adopters"}

// windowedColumn is the column series.csv and bands.csv add, last, when the scenario has an
// active window; without one the tables keep their columns.
const windowedColumn = "windowed_active"

// Columns series.csv and bands.csv add, after the windowed ones, when the market grows (a
// market schedule); without one the tables keep their columns. The market is the same in
// every replicate, so bands.csv gives it once.
const (
	marketColumn      = "market"
	penetrationColumn = "penetration"
)

// TableOptions says what the CSV tables carry beside steps and counts of agents. The zero value adds
// nothing: tables of scenarios without a start and at scale 1 are as they always were.
type TableOptions struct {
	Dates []string // a date column after step: the first day of each step 0..steps (nil: none)
	Scale float64  // people per agent: users_people and registered_people columns unless 0 or 1
}

// TablesOf is how msgsim run tables a scenario's runs: a dated scenario gets dates and people
// beside agents; an undated one keeps the tables it always had, byte for byte (summary.json
// gives its scale).
func TablesOf(sc *scenarios.Scenario) TableOptions {
	table := TableOptions{Dates: sc.Calendar.Dates(sc.Config.Steps)}
	if table.Dates != nil {
		table.Scale = sc.File.Scale
	}
	return table
}

// People tells whether the tables carry counts of people beside counts of agents.
func (tb TableOptions) People() bool { return tb.Scale != 0 && tb.Scale != 1 }

// header is base with a date column after step and the people columns at the end.
func (tb TableOptions) header(base []string, people ...string) []string {
	var cells []string
	for _, c := range base {
		cells = append(cells, c)
		if c == "step" && tb.Dates != nil {
			cells = append(cells, "date")
		}
	}
	if tb.People() {
		cells = append(cells, people...)
	}
	return cells
}

// appendStep appends step t and, with dates, its date.
func (tb TableOptions) appendStep(buf []byte, t int) []byte {
	buf = strconv.AppendInt(buf, int64(t), 10)
	if tb.Dates != nil {
		buf = append(buf, ',')
		buf = append(buf, tb.Dates[t]...)
	}
	return buf
}

// WriteSeriesCSV writes every replicate's series in long format. Numbers are formatted with a
// fixed precision so that equal runs give byte-identical files.
func WriteSeriesCSV(w io.Writer, runs []*model.Series, tb TableOptions) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	header := slices.Clone(SeriesHeader)
	people := []string{"users_people", "registered_people"}
	windowed := len(runs) > 0 && runs[0].Windowed()
	if windowed {
		header = append(header, windowedColumn)
	}
	growing := len(runs) > 0 && runs[0].Growing()
	if growing {
		header = append(header, marketColumn, penetrationColumn)
		people = append(people, marketColumn+"_people")
	}
	writeRow(bw, tb.header(header, people...))
	var buf []byte
	for r, s := range runs {
		for t := 0; t <= s.Steps; t++ {
			for j, name := range s.Platforms {
				i := s.At(t, j)
				buf = buf[:0]
				buf = strconv.AppendInt(buf, int64(r), 10)
				buf = append(buf, ',')
				buf = tb.appendStep(buf, t)
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
				if growing {
					buf = append(buf, ',')
					buf = strconv.AppendInt(buf, s.Market[t], 10)
					buf = appendFixed(buf, evaluate.Penetration(s, t, j))
				}
				if tb.People() {
					counts := []int64{s.Users[i], s.Registered[i]}
					if growing {
						counts = append(counts, s.Market[t])
					}
					for _, x := range counts {
						buf = append(buf, ',')
						buf = strconv.AppendFloat(buf, float64(x)*tb.Scale, 'f', -1, 64)
					}
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
func WriteBandsCSV(w io.Writer, runs []*model.Series, tb TableOptions) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	header := []string{"step", "platform", "users_mean", "users_p5", "users_p95", "registered_mean", "registered_p5", "registered_p95", "share_mean", "share_p5", "share_p95"}
	measures := []evaluate.Measure{evaluate.ActiveUsers, evaluate.RegisteredUsers, evaluate.MarketShare}
	if runs[0].Windowed() {
		header = append(header, windowedColumn+"_mean", windowedColumn+"_p5", windowedColumn+"_p95")
		measures = append(measures, evaluate.WindowedActiveUsers)
	}
	people := []string{"users_people_mean", "users_people_p5", "users_people_p95", "registered_people_mean", "registered_people_p5", "registered_people_p95"}
	growing := runs[0].Growing()
	if growing {
		header = append(header, marketColumn, penetrationColumn+"_mean", penetrationColumn+"_p5", penetrationColumn+"_p95")
		people = append(people, marketColumn+"_people")
	}
	writeRow(bw, tb.header(header, people...))
	bands := make([][]evaluate.Band, len(measures))
	for m, measure := range measures {
		bands[m] = evaluate.Bands(runs, measure, 1)
	}
	var penetration []evaluate.Band
	if growing {
		penetration = evaluate.Bands(runs, evaluate.Penetration, 1)
	}
	s := runs[0]
	var buf []byte
	for t := 0; t <= s.Steps; t++ {
		for j, name := range s.Platforms {
			buf = tb.appendStep(buf[:0], t)
			buf = append(buf, ',')
			buf = append(buf, name...)
			for m := range measures {
				buf = appendBand(buf, bands[m][j], t, 1)
			}
			if growing {
				buf = append(buf, ',')
				buf = strconv.AppendInt(buf, s.Market[t], 10)
				buf = appendBand(buf, penetration[j], t, 1)
			}
			if tb.People() { // users and registered, the measures the plots show in people
				buf = appendBand(buf, bands[0][j], t, tb.Scale)
				buf = appendBand(buf, bands[1][j], t, tb.Scale)
				if growing {
					buf = append(buf, ',')
					buf = strconv.AppendFloat(buf, float64(s.Market[t])*tb.Scale, 'f', -1, 64)
				}
			}
			buf = append(buf, '\n')
			bw.Write(buf)
		}
	}
	return bw.Flush()
}

// appendFixed appends a comma and x with six decimals, or nothing after the comma when x
// is undefined (NaN).
func appendFixed(buf []byte, x float64) []byte {
	buf = append(buf, ',')
	if math.IsNaN(x) {
		return buf
	}
	return strconv.AppendFloat(buf, x, 'f', 6, 64)
}

// appendBand appends the mean, 5% and 95% of band c at step t, times factor.
func appendBand(buf []byte, c evaluate.Band, t int, factor float64) []byte {
	for _, x := range []float64{c.Mean[t], at(c.Low, t, c.Mean[t]), at(c.High, t, c.Mean[t])} {
		buf = appendFixed(buf, x*factor) // an undefined value (a share of nobody) is an empty cell
	}
	return buf
}

func at(xs []float64, i int, fallback float64) float64 {
	if xs == nil {
		return fallback
	}
	return xs[i]
}
