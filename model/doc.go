// Package model is msgsim's agent-based engine: agents on a contact graph choosing which
// messengers to use. It knows nothing of YAML, files or plots: callers build a Config (the
// scenarios package does it from YAML), call Run, and hand the Series to the output package.
//
// The entry points:
//
//   - Defaults and DefaultPlatform return a Config and a Platform with every documented
//     default; a caller sets the fields that differ. Config.Validate says what the engine
//     cannot run, and Run calls it.
//   - Run simulates a Config once under a seed and returns its Series: for every step and
//     platform, the users, registrations, arrivals, leavers and multi-homers.
//   - RunEnsemble runs replicates of one Config, replicate r under ReplicateSeed(seed, r).
//   - NewSimulation and Simulation.Advance run the same simulation a step at a time, for
//     callers that watch it as it goes.
//   - The contact graph is drawn from GraphSpec by the generators of package model/graph, or
//     given as a graph.CSR in GraphSpec.Given (for example one read by graph.ReadEdgeList).
//
// Randomness is the caller's seed: a run depends only on its Config and seed, never on the
// number of workers, so results are byte-identical on one core or sixteen.
package model
