package output

import "github.com/msgsim/msgsim/output/chart"

// Curve is a series's mean and 5-95% band over steps, as Bands computes it
// and the charts draw it; the type belongs to the chart package.
type Curve = chart.Curve
