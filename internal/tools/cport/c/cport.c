// cport: a line-by-line C port of msgsim's synchronous step on the market `msgsim bench` times
// (model.BenchmarkConfig), to measure the Go engine against hand-written C on the same graph
// with the same draws (issue 15). Each function names the Go function it ports; the state
// layout, the counter-based streams, the decision, the push-or-recount rule and the partition
// of the agents among threads are the Go engine's. What the benchmark market never uses
// (segments, layers, events, a growing market, the bass rule, count benefits, independent
// contagion, a constant threshold) is left out; the Go side refuses to dump a market that needs it.
//
// Build: gcc -std=c11 -O2 -ffp-contract=off -fopenmp cport.c -o cport -lm
// (-ffp-contract=off: Go does not fuse a*b+c on amd64, so neither may C, or draws differ.)
// Run:   cport MARKET_FILE RULE THREADS WARMUP STEPS
// MARKET_FILE is written by `go run ./internal/tools/cport dump`; RULE is threshold or logit.
// Prints, per step: the step, the path of the push ("push" or "recount"), and per platform
// the new users, leavers, users, registered, multi-homers, then the adopters and the step's
// milliseconds; last, the median milliseconds and median share of agents moved over the
// STEPS steps after the WARMUP ones (the upper median, as msgsim bench).
#define _POSIX_C_SOURCE 199309L
#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum {
	MAX_PLATFORMS = 8,
	BLOCK_SIZE = 8192,    // model/engine.go blockSize
	RECOUNT_RATIO = 10,   // model/counts.go recountRatio
	LANE_CAPACITY = 255,  // model/counts.go laneCapacity
	CHOICE_EXP_SIZE = 4096, // model/fastexp.go choiceExpSize
};
#define CHOICE_EXP_MIN (-37.0) // model/fastexp.go choiceExpMin
#define GOLDEN 0x9e3779b97f4a7c15ULL

// PLATFORMS, when defined (gcc -DPLATFORMS=2), fixes the number of platforms at compile time,
// as issue 15's "C port with the platform count fixed at 2" did, so that the compiler can
// unroll the loops over platforms and fold the index arithmetic; the market file must then
// have as many. Undefined, the count is the file's, as in the Go engine.
#ifdef PLATFORMS
#define NP(x) PLATFORMS
#else
#define NP(x) ((x)->np)
#endif

#include "streams.h"
#include "state.h"

// ---- model/engine.go NewSimulation, assignThresholds, Distribution.draw (uniform) ----

static void init_sim(sim *s) {
	size_t n = (size_t)s->n, np = (size_t)s->np;
	s->active = alloc(n, 1);
	s->aware = alloc(n, 1);
	s->registered = alloc(n, 1);
	s->stale = s->rule == RULE_THRESHOLD ? alloc(n, 1) : NULL;
	s->investment = alloc(n * np, sizeof *s->investment);
	s->counts = alloc(n * np, sizeof *s->counts);
	s->theta = alloc(n, sizeof *s->theta);
	uint64_t key = step_key(s->seed, s->threshold_purpose, 0);
	for (int64_t i = 0; i < s->n; i++) {
		stream r = new_stream(key, i);
		s->theta[i] = (float)(s->threshold_min + (s->threshold_max - s->threshold_min) * stream_float(&r));
	}
	s->nblocks = (s->n + BLOCK_SIZE - 1) / BLOCK_SIZE;
	s->results = alloc((size_t)s->nblocks, sizeof *s->results);
	for (int64_t b = 0; b < s->nblocks; b++) {
		// An agent moves at most once a step: a block's changes never outgrow the block.
		s->results[b].changes = alloc(BLOCK_SIZE, sizeof(change));
	}
	s->prev_launched = 0xff; // no step before 0: step 0 marks everyone stale anyway
}

// ---- model/events.go beginStep (no events in this market) ----

static void begin_step(sim *s) {
	s->launched = 0;
	s->churning = 0;
	for (int j = 0; j < s->np; j++) {
		const platform *p = &s->platforms[j];
		s->now[j] = (platform_now){
			.launched = s->step >= p->launch, .appeal = p->appeal, .network_weight = p->network_weight,
			.p = p->p, .q = p->q, .churn = p->churn, .switching_cost = p->switching_cost,
			.investment_rate = (float)p->investment_rate,
		};
		if (s->now[j].launched) {
			s->launched |= (uint8_t)(1u << j);
		}
		if (s->now[j].churn > 0) {
			s->churning |= (uint8_t)(1u << j);
		}
	}
	// Without events the parameters in force change only when a platform launches.
	if (s->stale && (s->launched != s->prev_launched || s->step == 0)) {
		memset(s->stale, 1, (size_t)s->n);
	}
	s->prev_launched = s->launched;
}

// ---- model/decide.go ----

static inline int64_t degree(const int64_t *restrict offsets, int64_t i) {
	return offsets[i + 1] - offsets[i];
}

// exposed: Contagion fraction.
static inline int exposed(const view *restrict s, int64_t i, const platform_now *now, int j, double k, double u) {
	double a = (double)s->counts[i * NP(s) + j];
	double h = now->p;
	if (k > 0) {
		h += now->q * a / k;
	}
	if (u >= h) {
		return 0;
	}
	return u < 1 - exp_non_positive(-h);
}

// choose: Benefit fraction, one layer, no segments.
static uint8_t choose(const view *restrict s, int64_t i, uint8_t set, uint8_t aware, double k, stream *r) {
	double value[MAX_PLATFORMS], leave[MAX_PLATFORMS];
	double gains[2 * MAX_PLATFORMS + 1], weights[2 * MAX_PLATFORMS + 1];
	uint8_t sets[2 * MAX_PLATFORMS + 1];
	const platform_now *restrict nows = s->now;
	const int np = NP(s);
	double theta = (double)s->theta[i];
	double per_contact = 0;
	if (k > 0) {
		per_contact = 1 / k;
	}
	int divide = s->rule == RULE_THRESHOLD && k > 0;
	for (unsigned d = s->launched & (set | aware); d != 0; d &= d - 1) {
		int j = __builtin_ctz(d);
		const platform_now *now = &nows[j];
		double a = (double)s->counts[i * np + j];
		double benefit = now->network_weight * per_contact * a;
		if (divide) {
			benefit = now->network_weight * (a / k);
		}
		value[j] = now->appeal + benefit - theta;
		if (set & (1u << j)) {
			leave[j] = now->switching_cost * (double)s->investment[i * np + j];
		}
	}
	int used = __builtin_popcount(set);
	double stay = 0, leave_all = 0;
	for (unsigned d = set; d != 0; d &= d - 1) {
		int j = __builtin_ctz(d);
		stay += value[j];
		leave_all += leave[j];
	}
	const double mhc = s->multi_homing_cost;
	if (used > 1) {
		stay -= mhc * (double)(used - 1);
	}
	int n = 1;
	sets[0] = set;
	gains[0] = 0; // Go's scratch entry 0 is never written: always 0
	for (int j = 0; j < np; j++) {
		uint8_t bit = (uint8_t)(1u << j);
		if (!nows[j].launched) {
			continue;
		}
		if ((set & bit) == 0 && (aware & bit) != 0) {
			double gain = value[j];
			if (used > 0) {
				gain -= mhc;
			}
			sets[n] = set | bit, gains[n] = gain;
			n++;
			if (used > 0) {
				sets[n] = bit, gains[n] = value[j] - leave_all - stay;
				n++;
			}
		} else if (set & bit) {
			double gain = -value[j] - leave[j];
			if (used > 1) {
				gain += mhc;
			}
			sets[n] = set & (uint8_t)~bit, gains[n] = gain;
			n++;
		}
	}
	if (s->rule == RULE_THRESHOLD) {
		int best = 0, best_size = used;
		double best_gain = 0;
		for (int o = 1; o < n; o++) {
			double gain = gains[o];
			if (gain > best_gain || (gain == best_gain && __builtin_popcount(sets[o]) > best_size)) {
				best = o, best_gain = gain, best_size = __builtin_popcount(sets[o]);
			}
		}
		return sets[best];
	}
	int best = 0;
	double max_gain = 0;
	for (int o = 1; o < n; o++) {
		if (gains[o] > max_gain) {
			best = o, max_gain = gains[o];
		}
	}
	double inv_t = 1 / s->temperature;
	double sum = 0;
	for (int o = 0; o < n; o++) {
		double z = (gains[o] - max_gain) * inv_t;
		weights[o] = o == best ? 1 : choice_exp(s->choice_exp_table, z);
		sum += weights[o];
	}
	double u = stream_float(r) * sum;
	for (int o = 0; o < n; o++) {
		u -= weights[o];
		if (u < 0) {
			return sets[o];
		}
	}
	return sets[n - 1];
}

// decide: no segments, market or commitments (so no per-agent parameters), never bass.
static inline uint8_t decide(const view *restrict s, int64_t i, uint64_t key) {
	uint8_t set = s->active[i];
	uint8_t aware = s->aware[i];
	if (s->stale && s->stale[i] == 0 && (((s->launched | set) & ~aware) | (set & s->churning)) == 0) {
		return set;
	}
	stream r = new_stream(key, i);
	double k = (double)degree(s->offsets, i);
	uint8_t candidates = s->launched & (uint8_t)~set & (uint8_t)~aware;
	for (unsigned d = candidates; d != 0; d &= d - 1) {
		int j = __builtin_ctz(d);
		if (exposed(s, i, &s->now[j], j, k, stream_float(&r))) {
			aware |= (uint8_t)(1u << j);
		}
	}
	uint8_t knew = s->aware[i];
	aware |= set;
	s->aware[i] = aware;
	int churned = 0;
	for (unsigned d = set; d != 0; d &= d - 1) {
		int j = __builtin_ctz(d);
		double c = s->now[j].churn;
		if (c > 0 && stream_float(&r) < c) {
			set &= (uint8_t)~(1u << j);
			churned = 1;
		}
	}
	if (s->stale) {
		if (churned || aware != knew) {
			s->stale[i] = 1;
		} else if (s->stale[i] == 0) {
			return set;
		}
	}
	if (churned || aware == 0) {
		return set;
	}
	if (s->revision_rate < 1 && stream_float(&r) >= s->revision_rate) {
		return set;
	}
	uint8_t chosen = choose(s, i, set, aware, k, &r);
	if (s->stale) {
		s->stale[i] = 0;
		if (chosen != set) {
			s->stale[i] = 1;
		}
	}
	return chosen;
}

// ---- model/counts.go levels.add, addLevels; model/step.go countMoves, accrue ----

static inline void levels_add(levels *restrict l, uint8_t set, uint8_t registered, int64_t sign) {
	for (unsigned d = registered; d != 0; d &= d - 1) {
		l->registered[__builtin_ctz(d)] += sign;
	}
	if (set == 0) {
		return;
	}
	l->adopters += sign;
	int many = (set & (set - 1)) != 0;
	for (unsigned d = set; d != 0; d &= d - 1) {
		int j = __builtin_ctz(d);
		l->users[j] += sign;
		if (many) {
			l->multi_homers[j] += sign;
		}
	}
}

static void add_levels(levels *restrict l, const levels *restrict o) {
	for (int j = 0; j < MAX_PLATFORMS; j++) {
		l->users[j] += o->users[j];
		l->registered[j] += o->registered[j];
		l->multi_homers[j] += o->multi_homers[j];
	}
	l->adopters += o->adopters;
}

static inline void count_moves(block_result *restrict res, uint8_t old, uint8_t set) {
	for (unsigned d = set & (uint8_t)~old; d != 0; d &= d - 1) {
		int j = __builtin_ctz(d);
		res->new_users[j]++;
		res->moved[j]++;
	}
	for (unsigned d = old & (uint8_t)~set; d != 0; d &= d - 1) {
		int j = __builtin_ctz(d);
		res->leavers[j]++;
		res->moved[j]--;
	}
}

static inline void accrue(const view *restrict s, int64_t i, uint8_t set) {
	for (unsigned d = set; d != 0; d &= d - 1) {
		int j = __builtin_ctz(d);
		float rate = s->now[j].investment_rate;
		float *inv = &s->investment[i * NP(s) + j];
		*inv += rate * (1 - *inv);
	}
}

// ---- model/counts.go propagate, recountLayer, spread, pushLayer ----

static void propagate(int32_t *restrict counts, uint8_t *restrict stale, int np, const int32_t *restrict neighbors,
                      int64_t len, uint8_t old, uint8_t set) {
	int platforms[MAX_PLATFORMS];
	int32_t deltas[MAX_PLATFORMS];
	int n = 0;
	for (unsigned d = old ^ set; d != 0; d &= d - 1) {
		int j = __builtin_ctz(d);
		platforms[n] = j, deltas[n] = 1;
		if ((set & (1u << j)) == 0) {
			deltas[n] = -1;
		}
		n++;
	}
	if (n == 1) {
		int j = platforms[0];
		int32_t delta = deltas[0];
		for (int64_t e = 0; e < len; e++) {
			counts[(int64_t)neighbors[e] * np + j] += delta;
		}
	} else {
		for (int64_t e = 0; e < len; e++) {
			int32_t *row = counts + (int64_t)neighbors[e] * np;
			for (int k = 0; k < n; k++) {
				row[platforms[k]] += deltas[k];
			}
		}
	}
	if (stale) {
		for (int64_t e = 0; e < len; e++) {
			stale[neighbors[e]] = 1;
		}
	}
}

static uint64_t spread[256];

static void init_spread(void) {
	for (int set = 0; set < 256; set++) {
		for (int j = 0; j < MAX_PLATFORMS; j++) {
			spread[set] |= (uint64_t)(set >> j & 1) << (8 * j);
		}
	}
}

static inline uint64_t spread_sum(const uint8_t *restrict active, const int32_t *restrict contacts, int64_t len) {
	uint64_t sum = 0;
	for (int64_t e = 0; e < len; e++) {
		sum += spread[active[contacts[e]]];
	}
	return sum;
}

// recount keeps one loop per agent, as msgsim's recountRows had when issue 15 measured it:
// msgsim now sums runs of agents by prefix sums (no branch on a degree), which this port, the
// issue's baseline, does not follow.
static void recount(sim *s) {
	const int np = NP(s), threads = s->threads;
	const uint8_t *restrict active = s->active;
	uint8_t *restrict stale = s->stale;
	int32_t *restrict counts = s->counts;
	const int64_t *restrict offsets = s->offsets;
	const int32_t *restrict neighbors = s->neighbors;
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads) if (threads > 1)
	for (int64_t b = 0; b < s->nblocks; b++) {
		int64_t lo = b * BLOCK_SIZE, hi = lo + BLOCK_SIZE < s->n ? lo + BLOCK_SIZE : s->n;
		for (int64_t i = lo; i < hi; i++) {
			int32_t *row = counts + i * np;
			const int32_t *contacts = neighbors + offsets[i];
			int64_t len = offsets[i + 1] - offsets[i];
			int64_t first = len < LANE_CAPACITY ? len : LANE_CAPACITY;
			uint64_t sum = spread_sum(active, contacts, first);
			if (np == 2) {
				row[0] = (int32_t)(sum & 0xff), row[1] = (int32_t)(sum >> 8 & 0xff);
			} else {
				for (int j = 0; j < np; j++) {
					row[j] = (int32_t)(sum >> (8 * j) & 0xff);
				}
			}
			for (int64_t at = first; at < len;) {
				int64_t chunk = len - at < LANE_CAPACITY ? len - at : LANE_CAPACITY;
				uint64_t part = spread_sum(active, contacts + at, chunk);
				at += chunk;
				for (int j = 0; j < np; j++) {
					row[j] += (int32_t)(part >> (8 * j) & 0xff);
				}
			}
		}
		if (stale) {
			memset(stale + lo, 1, (size_t)(hi - lo));
		}
	}
}

// lower_bound is slices.BinarySearch's index: the first entry of the sorted row >= x.
static inline int64_t lower_bound(const int32_t *row, int64_t len, int32_t x) {
	int64_t lo = 0, hi = len;
	while (lo < hi) {
		int64_t mid = (int64_t)((uint64_t)(lo + hi) >> 1);
		if (row[mid] < x) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return lo;
}

static const char *push_changes(sim *s) {
	for (int64_t b = 0; b < s->nblocks; b++) {
		for (int j = 0; j < s->np; j++) {
			s->totals[j] += s->results[b].moved[j];
		}
	}
	int64_t moved_edges = 0;
	for (int64_t b = 0; b < s->nblocks; b++) {
		const block_result *res = &s->results[b];
		for (int64_t c = 0; c < res->nchanges; c++) {
			moved_edges += degree(s->offsets, res->changes[c].agent);
		}
	}
	if (moved_edges > s->edges / RECOUNT_RATIO) {
		recount(s);
		return "recount";
	}
	int64_t parts = s->threads < s->nblocks ? s->threads : s->nblocks;
	const int64_t *restrict offsets = s->offsets;
	const int32_t *restrict neighbors = s->neighbors;
	if (parts <= 1) {
		for (int64_t b = 0; b < s->nblocks; b++) {
			const block_result *res = &s->results[b];
			for (int64_t c = 0; c < res->nchanges; c++) {
				const change *ch = &res->changes[c];
				int64_t at = offsets[ch->agent];
				propagate(s->counts, s->stale, NP(s), neighbors + at, offsets[ch->agent + 1] - at, ch->old, ch->set);
			}
		}
		return "push";
	}
	// Worker w owns the counts of agents in [n w/parts, n (w+1)/parts) and applies only the
	// part of each mover's sorted row in that range: no atomics.
#pragma omp parallel num_threads((int)parts)
	for (int64_t w = omp_get_thread_num(); w < parts; w += omp_get_num_threads()) {
		int32_t lo = (int32_t)(s->n * w / parts), hi = (int32_t)(s->n * (w + 1) / parts);
		for (int64_t b = 0; b < s->nblocks; b++) {
			const block_result *res = &s->results[b];
			for (int64_t c = 0; c < res->nchanges; c++) {
				const change *ch = &res->changes[c];
				const int32_t *row = neighbors + offsets[ch->agent];
				int64_t len = offsets[ch->agent + 1] - offsets[ch->agent];
				int64_t from = lower_bound(row, len, lo);
				int64_t to = lower_bound(row + from, len - from, hi);
				propagate(s->counts, s->stale, NP(s), row + from, to, ch->old, ch->set);
			}
		}
	}
	return "push";
}

// ---- model/step.go advanceSynchronous, Advance ----

// noinline: one call a step, and a symbol profilers can count a step by (callgrind --toggle-collect=advance).
__attribute__((noinline)) static const char *advance(sim *s) {
	s->step++;
	begin_step(s);
	uint64_t key = step_key(s->seed, s->decide_purpose, s->step);
	const int threads = s->threads;
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads) if (threads > 1)
	for (int64_t b = 0; b < s->nblocks; b++) {
		block_result *restrict res = &s->results[b];
		int64_t lo = b * BLOCK_SIZE, hi = lo + BLOCK_SIZE < s->n ? lo + BLOCK_SIZE : s->n;
		const view v = view_of(s);
		// Without events nothing installs before the decisions: every block starts at zero.
		memset(res->new_users, 0, sizeof res->new_users);
		memset(res->leavers, 0, sizeof res->leavers);
		memset(res->moved, 0, sizeof res->moved);
		memset(&res->lv, 0, sizeof res->lv);
		res->nchanges = 0;
		for (int64_t i = lo; i < hi; i++) {
			uint8_t old = v.active[i];
			uint8_t set = decide(&v, i, key);
			if (set != old) {
				uint8_t registered = v.registered[i];
				v.active[i] = set;
				v.registered[i] = registered | set;
				res->changes[res->nchanges++] = (change){.agent = (int32_t)i, .old = old, .set = set};
				count_moves(res, old, set);
				levels_add(&res->lv, old, registered, -1);
				levels_add(&res->lv, set, registered | set, 1);
			}
			accrue(&v, i, set);
		}
	}
	for (int64_t b = 0; b < s->nblocks; b++) {
		add_levels(&s->lv, &s->results[b].lv);
	}
	return push_changes(s);
}

static double now_ms(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

static int compare_doubles(const void *a, const void *b) {
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv) {
	if (argc != 6) {
		fprintf(stderr, "usage: cport MARKET_FILE RULE THREADS WARMUP STEPS\n");
		return 2;
	}
	const uint16_t probe = 1;
	if (*(const uint8_t *)&probe != 1) {
		die("the market file is little-endian; this host is not");
	}
	sim *s = alloc(1, sizeof *s);
	if (strcmp(argv[2], "threshold") == 0) {
		s->rule = RULE_THRESHOLD;
	} else if (strcmp(argv[2], "logit") == 0) {
		s->rule = RULE_LOGIT;
	} else {
		die("RULE must be threshold or logit");
	}
	s->threads = atoi(argv[3]);
	int warmup = atoi(argv[4]), steps = atoi(argv[5]);
	if (s->threads < 1 || warmup < 0 || steps < 1) {
		die("THREADS and STEPS must be >= 1, WARMUP >= 0");
	}
	omp_set_dynamic(0);
	init_spread();
	read_market(s, argv[1]);
	init_sim(s);
	begin_step(s); // step 0: nothing installs, so every level starts at 0
	double *timed = alloc((size_t)steps, sizeof *timed);
	double *moved = alloc((size_t)steps, sizeof *moved);
	for (int t = 1; t <= warmup + steps; t++) {
		double t0 = now_ms();
		const char *path = advance(s);
		double ms = now_ms() - t0;
		int64_t moves = 0;
		printf("%d %s", t, path);
		for (int j = 0; j < s->np; j++) {
			int64_t nu = 0, lv = 0;
			for (int64_t b = 0; b < s->nblocks; b++) {
				nu += s->results[b].new_users[j];
				lv += s->results[b].leavers[j];
			}
			moves += nu + lv;
			printf(" %lld %lld %lld %lld %lld", (long long)nu, (long long)lv, (long long)s->lv.users[j],
			       (long long)s->lv.registered[j], (long long)s->lv.multi_homers[j]);
		}
		printf(" %lld %.3f\n", (long long)s->lv.adopters, ms);
		if (t > warmup) {
			timed[t - warmup - 1] = ms;
			moved[t - warmup - 1] = (double)moves / (double)s->n;
		}
	}
	qsort(timed, (size_t)steps, sizeof *timed, compare_doubles);
	qsort(moved, (size_t)steps, sizeof *moved, compare_doubles);
	printf("median_ms %.3f changed_share_median %.17g\n", timed[steps / 2], moved[steps / 2]);
	return 0;
}
