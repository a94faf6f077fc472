package evaluate

import (
	"github.com/msgsim/msgsim/model"
	"github.com/msgsim/msgsim/scenarios"
)

// RecordRow sets one published figure against the model at its step, in people: the mean
// and 5-95% band across replicates of the series the record compares it with.
type RecordRow struct {
	Date     string  `json:"date,omitempty"` // as the data file writes it; none in a file of steps
	Step     int     `json:"step"`
	Platform string  `json:"platform"`
	Metric   string  `json:"metric"` // the data's name for the figure (mau, registered)
	Series   string  `json:"series"` // the model series it is compared with
	Record   float64 `json:"record"`
	Mean     float64 `json:"model_mean"`
	P5       float64 `json:"model_p5"`
	P95      float64 `json:"model_p95"`
	// RelativeError is (model_mean - record) / record; null for a record of 0.
	RelativeError *float64 `json:"relative_error"`
	InBand        bool     `json:"in_band"` // p5 <= record <= p95
}

// RecordTable compares each of the record's figures within the run with the model's series
// at its step, people being agents times scale.
func RecordTable(rec *scenarios.Record, runs []*model.Series, scale float64) []RecordRow {
	rows := make([]RecordRow, 0, len(rec.Figures))
	values := make([]float64, len(runs))
	for _, f := range rec.Figures {
		measure, _ := MeasureNamed(f.Series) // validation allows only measures' names
		for r, s := range runs {
			values[r] = measure(s, f.Step, f.Platform) * scale
		}
		d := Describe(values)
		people := f.Millions * 1e6
		row := RecordRow{
			Date: f.Date, Step: f.Step, Platform: runs[0].Platforms[f.Platform], Metric: f.Metric, Series: f.Series,
			Record: round6(people), Mean: round6(d.Mean), P5: round6(d.P5), P95: round6(d.P95),
			InBand: d.P5 <= people && people <= d.P95,
		}
		if people != 0 {
			e := round6((d.Mean - people) / people)
			row.RelativeError = &e
		}
		rows = append(rows, row)
	}
	return rows
}
