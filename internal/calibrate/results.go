package calibrate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"github.com/msgsim/msgsim/scenarios"
	"io"
	"math"
	"strconv"
	"time"

	"github.com/msgsim/msgsim/internal/evaluate"
	"github.com/msgsim/msgsim/output"
	"github.com/msgsim/msgsim/output/chart"
)

// Objective describes the objective, for fit.json and fitted.yaml.
const Objective = "mean squared error of log1p(millions): observed against the replicate mean"

// Report is fit.json. It holds no timings, so that the same fit gives the same file.
type Report struct {
	Name         string              `json:"name"`
	FitFile      string              `json:"fit_file"`
	Scenario     string              `json:"scenario"`
	Data         string              `json:"data"`
	Method       string              `json:"method"`
	Seed         uint64              `json:"seed"`
	Replicates   int                 `json:"replicates"`
	Budget       int                 `json:"budget"`
	Objective    string              `json:"objective"`
	Error        float64             `json:"error"`
	StartError   float64             `json:"start_error"`
	RMSE         float64             `json:"rmse"` // root of the error: a typical relative error, as a log ratio
	Points       int                 `json:"points"`
	Evaluations  int                 `json:"evaluations"`         // optimiser evaluations, the start included
	HessianEvals int                 `json:"hessian_evaluations"` // evaluations of the Hessian
	Runs         int                 `json:"runs"`                // simulation runs in all: evaluations x replicates
	Status       string              `json:"status"`
	Parameters   []ParamResult       `json:"parameters"`
	Uncertainty  Uncertainty         `json:"uncertainty"`
	Overrides    []string            `json:"overrides"` // --set arguments that give the fitted scenario
	Observations []ObservationReport `json:"observations"`
}

// ObservationReport is one fitted data point and the model's value there.
type ObservationReport struct {
	Target    string  `json:"target"` // "wechat mau"
	Series    string  `json:"series"`
	Line      int     `json:"line"` // in the data file
	Date      string  `json:"date,omitempty"`
	Step      int     `json:"step"`
	Observed  float64 `json:"observed"`  // millions
	Simulated float64 `json:"simulated"` // millions, the replicate mean
}

// Report builds fit.json's content.
func (r *Result) Report() Report {
	f := r.Fit
	rep := Report{
		Name: f.File.Name, FitFile: f.Source, Scenario: f.Base.Name(), Data: f.DataPath, Method: f.File.Method,
		Seed: f.File.Seed, Replicates: f.File.Replicates, Budget: f.File.Budget, Objective: Objective,
		Error: r.Error, StartError: r.StartError, RMSE: math.Sqrt(r.Error), Points: len(f.Obs),
		Evaluations: r.Evaluations, HessianEvals: r.HessianEvaluations, Runs: r.Runs, Status: r.Status,
		Parameters: r.Params, Uncertainty: r.Uncertainty, Overrides: r.Overrides(),
	}
	for i, o := range f.Obs {
		t := f.Targets[o.Target]
		rep.Observations = append(rep.Observations, ObservationReport{
			Target: t.Label, Series: t.Series, Line: o.Line, Date: o.Date, Step: o.Step, Observed: o.Value, Simulated: r.Simulated[i],
		})
	}
	return rep
}

// WriteJSON writes fit.json.
func (r *Result) WriteJSON(w io.Writer) error {
	b, err := json.MarshalIndent(r.Report(), "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// Fitted is the fitted scenario: the fit's scenario with its set, scale and fitted values
// applied.
func (r *Result) Fitted() (*scenarios.Scenario, error) {
	return r.Fit.Base.With(r.Overrides())
}

// FittedHeader is fitted.yaml's header comment: where the fit came from, its error and each
// fitted value with its standard error and bounds.
func (r *Result) FittedHeader(now time.Time) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# Fitted by msgsim calibrate from %s on %s.\n", r.Fit.Source, now.Format("2006-01-02"))
	fmt.Fprintf(&b, "# Error %.4g (%s) over %d data points, %d runs.\n", r.Error, Objective, len(r.Fit.Obs), r.Runs)
	for _, p := range r.Params {
		se := "n/a"
		if p.StdErr != nil {
			se = strconv.FormatFloat(*p.StdErr, 'g', 3, 64)
		}
		fmt.Fprintf(&b, "#   %s = %s (stderr %s; bounds %s to %s)\n", p.Path, formatValue(p.Value), se, formatValue(p.Min), formatValue(p.Max))
	}
	b.WriteString("\n")
	return b.Bytes()
}

// Chart is the fit plot: each target's data points over the optimum's mean and 5-95% band,
// in millions, against steps.
func (r *Result) Chart() chart.FitData {
	f := r.Fit
	sc := f.Start
	x := make([]float64, sc.Config.Steps+1)
	for t := range x {
		x[t] = float64(t)
	}
	unit := chart.Millions(f.Scale)
	axis := chart.TimeAxis{Unit: sc.File.TimeUnit, Start: f.StartDate}
	fit := chart.FitData{Lines: chart.Lines{
		Title:  fmt.Sprintf("%s: fit over %d replicates (mean and 5-95%%), error %.3g", f.File.Name, len(r.Series), r.Error),
		XLabel: axis.Label(),
		XTicks: axis.Ticks(),
		YLabel: "users (" + unit.Name + ")",
		X:      x,
	}}
	for i, t := range f.Targets {
		// The series the target's data are compared with: windowed actives for monthly
		// figures, a segment's users for a segment's.
		curve := output.Curves(evaluate.Bands(r.Series, t.measure(), unit.Factor))[t.Platform]
		curve.Name = t.Label
		fit.Curves = append(fit.Curves, curve)
		ps := chart.PointSet{Name: t.Label}
		for _, o := range f.Obs {
			if o.Target == i {
				ps.X = append(ps.X, float64(o.Step))
				ps.Y = append(ps.Y, o.Value)
			}
		}
		fit.Observed = append(fit.Observed, ps)
	}
	return fit
}

// Files are what WriteResults writes.
var Files = []string{"fitted.yaml", "fit.json", "fit.png", "fit.svg"}

// WriteResults writes fitted.yaml (and the files it names), fit.json and the plot into a
// staged output directory.
func WriteResults(stage *output.Staging, r *Result, now time.Time) error {
	fitted, err := r.Fitted()
	if err != nil {
		return err
	}
	if err := output.SaveScenario(stage, "fitted.yaml", fitted, r.FittedHeader(now)); err != nil {
		return err
	}
	if err := stage.Create("fit.json", r.WriteJSON); err != nil {
		return err
	}
	fit := r.Chart()
	for _, format := range chart.Formats {
		if err := chart.Save(fit, stage.Path("fit."+format.String())); err != nil {
			return fmt.Errorf("plot fit.%v: %w", format, err)
		}
	}
	return nil
}
