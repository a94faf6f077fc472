// Package calibrate fits chosen scenario parameters to observed adoption figures: `msgsim
// calibrate FILE`.
//
// # Fit files
//
// A fit file is YAML, decoded strictly like scenarios and sweeps: unknown keys, wrong types
// and out-of-range values are errors naming file:line:column, the field path and what is
// allowed. Paths are relative to the fit file.
//
//	name: WeChat 2011-2013                 # plot title (default: the file name)
//	scenario: ../scenarios/laiwang_vs_wechat.yaml   # or a shipped scenario's name (default laiwang_vs_wechat)
//	set: [agents=10000]                    # fixed overrides, as with --set
//	data: ../data/adoption/china_messengers_2011_2015.csv
//	start: 2011-01-21                      # the date of step 0 (required when the data has dates)
//	step_days: 7                           # days per step (default 1 or 7 for time_unit day or week)
//	scale: 50000                           # people per agent (default: the scenario's scale)
//	targets:                               # the data rows fitted, and the model series each is compared with
//	  - platform: wechat
//	    metric: registered                 # the data's metric column
//	    series: registered                 # registered | active | windowed_active (active_window in the scenario)
//	    segment: ct_contract               # optional: the series within one segment of the scenario (registered | active)
//	    from: 2011-02-01                   # optional: first and last date (or step) used, inclusive
//	    to: 2013-12-31
//	  - {platform: wechat, metric: mau, series: active, at: 2013-09-30}   # one moment: the rows of that date (or step) alone
//	parameters:
//	  - path: platforms.wechat.q           # any numeric scenario field but seed, replicates, steps, scale
//	    min: 0.02
//	    max: 0.5
//	    scale: log                         # linear (default) | log (min > 0)
//	replicates: 4                          # default 4
//	budget: 300                            # simulation runs in all, the Hessian's included (default 400)
//	seed: 1                                # default 1
//	method: nelder_mead                    # nelder_mead (default) | cma_es
//	uncertainty: hessian                   # hessian (default) | none
//
// # Data files
//
// CSV with a header naming date (YYYY-MM-DD) or step, platform, metric and value_millions;
// other columns (source) are ignored, as are rows whose platform and metric no target names
// and '#' comment lines. A date is placed on step round((date - start) / step_days). A
// target's at (instead of from and to, which it equals) keeps the rows of one date, or with a
// step the rows placed on that step; an at before step 0 or past the scenario's last step is
// an error at the target, as is an at that no row matches. A
// fitted row with a malformed date, step or value, a date before start or a step beyond the
// scenario's steps is an error naming the data file, line and column; so is a target that
// matches no row.
//
// # Objective
//
// The mean squared error, over all fitted rows, between log(1 + observed millions) and
// log(1 + simulated millions), the simulation being the mean over the replicates of the
// target's series (agents x scale / 1e6) at the row's step. Logs make the errors relative, so
// that 50M and 300M weigh alike; the 1 keeps a figure of 0 finite. Replicate r always runs
// with seed model.DeriveSeed(seed, r) (common random numbers), so the objective is a
// deterministic function of the parameters, and comparisons between points are not blurred
// by different random draws. A point's replicates run in parallel (evaluate.Series); the
// result does not depend on the number of cores.
//
// # Optimisation
//
// Each parameter is optimised as z = logit(u), u its position in its bounds (of log x in
// log bounds for scale: log), so every z is inside the bounds; whole-number fields are
// rounded, other values kept to 6 significant digits (what was simulated is exactly what
// fitted.yaml says). The search starts from the scenario's values, moved 1% inside the
// bounds when outside. Nelder-Mead (gonum's optimize.NelderMead: dimension-adaptive
// coefficients, initial simplex of 1 in z) or CMA-ES (Hansen's, step size 1 in z) stop when
// the budget cannot pay for another point, when the best error has not improved in 20 x
// parameters iterations, or (CMA-ES) when the search collapses to a point. Points already
// run are not run again.
//
// # Standard errors
//
// With uncertainty: hessian, d(d+1) evaluations of the budget are kept for a central
// finite-difference Hessian H of the objective at the optimum, in z with step 0.1. Its
// inverse gives the covariance of z as the sum of a data term 2f/(n-d) H^-1 (Gauss-Newton,
// from the residuals) and a simulation term (2/n)^2 H^-1 J'SJ H^-1 (the noise of the fixed
// replicates, which the parameters absorb without leaving residuals; J from the same probes,
// S from the optimum's replicates); the delta method turns it into standard errors in each
// parameter's units. When H is not positive definite (a parameter the data do not identify,
// or a fit at a bound) no standard errors are given, and fit.json says why.
package calibrate
