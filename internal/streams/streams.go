// Package streams is the one table of msgsim's random-stream purposes. A purpose is the
// constant that keeps two uses of one seed apart: the engine mixes it into the key of its
// counter-based streams, the sweep and calibrate packages pass it as the second word of a
// PCG seed. Two uses sharing a purpose would draw the same numbers, so every purpose lives
// here, where a test checks they differ. The table lives in internal/ rather than in model
// because most purposes are not the engine's: sweep and calibrate import it too, and none of
// it is part of msgsim's API.
//
// Changing a value changes every output that depends on its stream.
package streams

// Engine purposes (model): streams keyed by (seed, purpose, step, agent). The values are the
// first 64 bits of the fractional parts of the square roots of the first primes (SHA-512's
// initial hash values), chosen to be unrelated.
const (
	Decide    uint64 = 0x6a09e667f3bcc909 // exposure, churn and revision draws
	Event     uint64 = 0xbb67ae8584caa73b // which agents a seed or preinstall reaches
	Threshold uint64 = 0x3c6ef372fe94f82b // personal thresholds
	Graph     uint64 = 0xa54ff53a5f1d36f1 // generated contact graphs
	Order     uint64 = 0x510e527fade682d1 // random sequential update order
	Replicate uint64 = 0x9b05688c2b3e6c1f // seeds derived from a master seed
	Flow      uint64 = 0x1f83d9abfb41bd6b // which agents a preinstall flow reaches each step
	Segment   uint64 = 0x5be0cd19137e2179 // which agents a segment holds
	Layer     uint64 = 0xcbbb9d5dc1059ed8 // contact graphs of the layers after the first
	// Market orders the agents' entry into a growing market (random order); the first
	// SHA-512 round constant (cube root of 2), so that purposes added beside it in
	// parallel do not take the same next square root.
	Market uint64 = 0x428a2f98d728ae22
)

// Sweep purposes (sweep), with the sweep file's seed: its names in ASCII.
const (
	LatinHypercube  uint64 = 0x4c4853   // "LHS": latin hypercube designs
	RandomDesign    uint64 = 0x524e44   // "RND": random designs
	Morris          uint64 = 0x4d4f52   // "MOR": Morris trajectories
	SobolBootstrap  uint64 = 0x534f42   // "SOB": bootstrap of the Sobol indices
	MorrisBootstrap uint64 = 0x4d4f5242 // "MORB": bootstrap of the Morris measures
)

// Calibration purposes (calibrate), with the fit file's seed.
const (
	CMAES uint64 = 0x434d412d4553 // "CMA-ES": the optimiser's sampling
)
