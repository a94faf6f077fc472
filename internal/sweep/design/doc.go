// Package design generates experimental designs for parameter sweeps:
// full-factorial grids, Latin hypercube and plain random samples, Sobol'
// low-discrepancy sequences, the Saltelli sampling scheme for variance-based
// sensitivity analysis and Morris elementary-effects trajectories.
//
// # Layout
//
// Every design is returned as a [][]float64 with one row per point (run) and
// one column per factor: pts[i][j] is factor j of point i. The rows of one
// design are consecutive windows of a single row-major n*d array, each capped
// at length d, so appending to a row reallocates it instead of overwriting the
// next row.
//
// # Scale
//
// Points live in the unit hypercube. Random, LatinHypercube, Sobol and Saltelli
// produce coordinates in [0,1); Grid and Morris place points on regular grids
// that include both ends, i.e. coordinates in [0,1]. Mapping unit coordinates
// to factor ranges is the caller's job; Linear, Log and TruncatedNormal are
// provided for the common cases.
//
// # Determinism and errors
//
// Random designs draw only from the caller-supplied *rand.Rand (math/rand/v2),
// so a design is reproducible from the generator's seed. Sobol and Saltelli are
// fully deterministic. Bad arguments are reported as errors (never panics);
// the error messages are part of the tested API.
package design
