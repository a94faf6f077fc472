// Package meanfield solves the deterministic mean-field equations of a model.Config: the
// limit of the agent-based model on a complete graph as the number of agents grows, where
// every agent sees the population's shares instead of its own contacts. It reads the same
// Config as model.Run and returns the expected share of agents using and registered on each
// platform at every step, in milliseconds, so that a run can be drawn beside its twin and
// the difference read as what the network (clustering, hubs, finite size) does.
//
// # State
//
// An agent's state is its platform set S, the platforms it knows of A (S ⊆ A), the platforms
// it has ever had R, whether an intervention committed it, its investment in each platform and
// its threshold θ. The twin tracks the population as masses m(θ, S, A, R, c) that sum to 1
// within each threshold stratum: it is exact in every coordinate but two.
//
//   - Thresholds. A constant θ is one stratum, and so is any distribution under the bass
//     rule, which never weighs θ. Otherwise the distribution is cut into K strata of equal
//     probability, each at its quantile midpoint θ_k = F⁻¹((k+½)/K) (F the distribution's
//     CDF, truncated to [Min, Max] when Min < Max), so the twin integrates the decision rule
//     over the threshold distribution by the midpoint rule. Under the logit rule the choice
//     is smooth in θ and the error O(1/K²) (K = LogitStrata = 64); under the threshold rule a
//     stratum moves as one block, so a share responding to a threshold crossing is off by at
//     most 1/K (0.5 percentage points with K = Strata = 200) at any step.
//   - Investment. An agent's investment in j grows by rate_j(1 − inv) per step of use and
//     depends on its whole history; the twin keeps, per state, the mass-weighted mean
//     investment, and prices leaving j at switching_cost_j × that mean. The choice is not
//     linear in the cost (logistic under the logit rule, a step under the threshold rule),
//     so pricing the mean instead of averaging the prices errs, by Jensen's inequality, in
//     proportion to the spread of investment within a state and the curvature of the choice
//     there; under the threshold rule a state's agents leave together instead of one cohort
//     at a time. The error vanishes without switching costs, when every agent of a state
//     joined at the same step, and as investment saturates (inv → 1). In the package's
//     tests (switching cost 0.3, investment rate 0.05, with churn and interventions mixing
//     cohorts) the twin stays within 0.7 percentage points of 100,000 agents under each rule.
//
// # One step
//
// Every agent decides on the start-of-step shares u_j = U_j/N (synchronous update), exactly as
// model's decide does in expectation. On the complete graph an agent with o_j = 1 if it uses
// j sees a_j = N u_j − o_j contacts on j out of k = N − 1.
//
//  1. Exposure (Bass 1969; Goldenberg, Libai & Muller 2001). Each launched platform j it
//     neither uses nor (unless the rule is bass) knows of is heard of with probability
//     h_j = 1 − exp(−(p_j + q_j a_j/k)) (fraction contagion) or 1 − (1−p_j)(1−q_j)^{a_j}
//     (independent contagion), independently across platforms; under the bass rule hearing
//     is adopting. The twin sums over every subset of the platforms heard of.
//  2. Churn: each platform in use is dropped with probability churn_j, independently.
//  3. Revision: an agent that neither churned nor uses the bass rule, and knows of some
//     platform, revises with probability revision_rate. It weighs staying against each single
//     move M (add, switch to, drop a platform) by the utility gain
//     ΔU_M = U(M) − U(S), U(S) = Σ_{j∈S}(appeal_j + w_j x_j − θ) − m·max(0, |S|−1) − Σ_{j left} c_j inv_j,
//     with x_j = a_j/k (fraction benefit) or a_j (count benefit). The logit rule moves with
//     probability e^{ΔU_M/T} / Σ_M' e^{ΔU_M'/T} (staying has ΔU = 0): the mean-field limit of
//     logit dynamics (Blume 1993; Kreindler & Young 2013, 2014), whose N → ∞ limit on the
//     complete graph is this deterministic map of the shares. The threshold rule takes the
//     best move, ties going to more platforms, then to staying.
//  4. Registration and investment: R ← R ∪ S', and inv_j ← inv_j + rate_j(1 − inv_j) for each
//     j in the new set S'.
//
// Interventions apply at the start of the step, before the decisions, in the scenario's
// order, as model does: marketing sets p_j and a ban changes appeal_j and w_j over their
// windows; launches make platforms exist; a seed or active preinstall moves a fraction of the
// eligible mass (agents not using j) to S ∪ {j}, a sleeping preinstall a fraction of the
// agents never registered on j to A ∪ {j}, R ∪ {j}; a share reaches that share of the
// eligible mass, a count (of random agents, among all agents; top_degree or a flow, among the
// eligible) count/N of the population. On the complete graph every agent has the same degree
// and thresholds are drawn independently of identity, so top_degree and listed nodes reach the
// strata in proportion, as a random target does. Committed agents keep their set for good.
//
// Bass's model is the special case of one platform, the bass rule, fraction contagion and no
// churn: F_{t+1} = F_t + (1 − F_t)(1 − e^{−(p + q F_t N/(N−1))}), whose limit for small p and q
// per step is the closed form F(t) = (1 − e^{−(p+q)t}) / (1 + (q/p) e^{−(p+q)t}).
//
// # What the twin refuses
//
// Solve returns an error for what it does not model rather than an answer that would be
// silently wrong: random-sequential updating (agents see moves made earlier in the step), an
// active window, interventions targeted at a community, segments, contact layers, a growing
// market, and any Config field added after it was written that is set to a non-zero value. The contact graph itself is ignored: the twin
// is the complete-graph limit of any scenario, which is the point of comparing them.
package meanfield
