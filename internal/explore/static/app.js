// msgsim explore: the page. It asks the server for the scenario's fields (POST /api/scenario),
// draws a control per field, starts runs (POST /api/runs) and draws their steps as they come
// (Server-Sent Events), then the mean and 5-95% band as replicates finish. Charts are SVG
// drawn here, with colours set on the elements so that a downloaded chart looks the same.
'use strict';

const SVG = 'http://www.w3.org/2000/svg';
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf'];
const CHARTS = {
  active: {title: 'active users', people: true},
  registered: {title: 'registered users', people: true},
  share: {title: 'market share', people: false},
};
const W = 640, H = 280, M = {left: 70, right: 14, top: 26, bottom: 40};

const page = Array.from(crypto.getRandomValues(new Uint8Array(12)), b => b.toString(16).padStart(2, '0')).join('');
const sets = new Map(); // path -> value as typed, in the order set
let desc = null;        // the scenario with the settings, as the server describes it
let current = null;     // the run on screen
let baseline = null;    // the pinned run
let stream = null;
let drawPending = false;

const $ = id => document.getElementById(id);

// api posts body to path and returns the JSON answer; a refusal throws its message and field.
async function api(path, body) {
  const r = await fetch(path, {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body)});
  const text = await r.text();
  const data = text ? JSON.parse(text) : null;
  if (!r.ok) {
    const e = new Error(data && data.error ? data.error : r.status + ' ' + r.statusText);
    e.path = data && data.path;
    throw e;
  }
  return data;
}

function setList() { return Array.from(sets, ([p, v]) => p + '=' + v); }

function status(text, bad) {
  $('status').textContent = text;
  $('status').classList.toggle('bad', !!bad);
}

// refresh validates the settings and redraws the controls; a refused setting shows the
// command line's message beside its control.
async function refresh() {
  document.querySelectorAll('.err').forEach(e => { e.textContent = ''; });
  try {
    desc = await api('/api/scenario', {sets: setList()});
    $('title').textContent = 'msgsim explore: ' + desc.name;
    renderControls();
    renderSets();
    scheduleDraw();
    return true;
  } catch (e) {
    renderSets();
    showFieldError(e);
    return false;
  }
}

function showFieldError(e) {
  const box = e.path && document.querySelector(`.field[data-path="${CSS.escape(e.path)}"] .err`);
  (box || $('set-err')).textContent = e.message;
  status('Settings refused: ' + e.message, true);
}

function change(path, value) {
  sets.delete(path); // the latest setting goes last, as --set flags would
  sets.set(path, String(value));
  refresh();
}

function renderSets() {
  const ul = $('sets');
  ul.replaceChildren();
  for (const [p, v] of sets) {
    const li = document.createElement('li');
    const text = document.createElement('span');
    text.textContent = p + '=' + v;
    const rm = document.createElement('button');
    rm.type = 'button';
    rm.textContent = '×';
    rm.title = 'remove this setting';
    rm.onclick = () => { sets.delete(p); refresh(); };
    li.append(text, rm);
    ul.append(li);
  }
}

// renderControls draws one control per field the scenario uses, grouped as the server says.
function renderControls() {
  const open = new Set(Array.from(document.querySelectorAll('#fields details[open]'), d => d.dataset.group));
  const box = $('fields');
  box.replaceChildren();
  const groups = new Map();
  for (const f of desc.fields) {
    if (!f.used) continue;
    if (!groups.has(f.group)) {
      const d = document.createElement('details');
      d.dataset.group = f.group;
      d.open = open.size === 0 ? f.group.startsWith('platform') : open.has(f.group);
      const s = document.createElement('summary');
      s.textContent = f.group;
      d.append(s);
      box.append(d);
      groups.set(f.group, d);
    }
    groups.get(f.group).append(control(f));
  }
}

function control(f) {
  const div = document.createElement('div');
  div.className = 'field' + (sets.has(f.path) ? ' changed' : '');
  div.dataset.path = f.path;
  const label = document.createElement('label');
  label.textContent = f.path;
  const row = document.createElement('div');
  row.className = 'row';
  const err = document.createElement('div');
  err.className = 'err';
  div.append(label, row, err);
  const value = sets.has(f.path) ? sets.get(f.path) : f.value;
  if (f.words) {
    const sel = document.createElement('select');
    for (const w of f.words) sel.append(new Option(w, w, false, String(value) === w));
    sel.onchange = () => change(f.path, sel.value);
    row.append(sel);
  } else if ((f.kind === 'number' || f.kind === 'integer') && typeof f.value === 'number') {
    const [lo, hi, step] = sliderSpan(f);
    const range = document.createElement('input');
    range.type = 'range';
    Object.assign(range, {min: lo, max: hi, step: step});
    range.value = value;
    const num = document.createElement('input');
    num.type = 'number';
    num.step = 'any';
    num.value = value;
    range.oninput = () => { num.value = tidy(range.value, f); };
    range.onchange = () => change(f.path, tidy(range.value, f));
    num.onchange = () => change(f.path, num.value);
    row.append(range, num);
  } else {
    const input = document.createElement('input');
    input.type = 'text';
    input.value = typeof value === 'string' ? value : JSON.stringify(value);
    input.onchange = () => change(f.path, input.value);
    row.append(input);
  }
  return div;
}

// sliderSpan is a slider's range: the validated range where it is narrow, else a span around
// the value (the number box takes any value, and validation has the last word).
function sliderSpan(f) {
  const v = Number(f.value);
  if (f.step) return [0, f.path.endsWith('until') ? desc.steps + 1 : desc.steps, 1];
  if (f.kind === 'integer') {
    const lo = f.min !== null ? f.min : 0;
    return [lo, Math.max(lo + 10, 4 * Math.abs(v)), 1];
  }
  const r = Math.max(1, 2 * Math.abs(v));
  const lo = f.min !== null && f.min > -r ? f.min : -r;
  const hi = f.max !== null && f.max < r ? f.max : r;
  return [lo, hi, (hi - lo) / 1000];
}

// tidy rounds a slider's value to what a person would type.
function tidy(x, f) {
  const n = Number(x);
  return f.kind === 'integer' || f.step ? String(Math.round(n)) : String(Number(n.toPrecision(4)));
}

// A run: start it, then read its stream.
async function startRun() {
  const began = performance.now();
  if (!(await refresh())) return;
  let started;
  try {
    started = await api('/api/runs', {page: page, sets: setList()});
  } catch (e) {
    showFieldError(e);
    return;
  }
  const np = desc.platforms.length;
  current = {
    id: started.id, steps: started.steps, replicates: started.replicates, platforms: desc.platforms.slice(),
    desc: desc, np: np, rows: new Array(started.replicates).fill(0),
    users: Array.from({length: started.replicates}, () => new Float64Array((started.steps + 1) * np)),
    registered: Array.from({length: started.replicates}, () => new Float64Array((started.steps + 1) * np)),
    bands: null, result: null, over: false, began: began,
  };
  setRunning(true);
  delete document.body.dataset.firstCurveMs;
  downloads(null);
  const run = current;
  stream = new EventSource(`/api/runs/${run.id}/events`);
  stream.addEventListener('steps', ev => {
    const m = JSON.parse(ev.data);
    run.users[m.rep].set(m.users, m.from * np);
    run.registered[m.rep].set(m.registered, m.from * np);
    run.rows[m.rep] = m.from + m.users.length / np;
    if (!document.body.dataset.firstCurveMs) document.body.dataset.firstCurveMs = Math.round(performance.now() - run.began);
    progress(run);
    scheduleDraw();
  });
  stream.addEventListener('bands', ev => {
    run.bands = JSON.parse(ev.data);
    progress(run);
    scheduleDraw();
  });
  stream.addEventListener('done', ev => {
    run.result = JSON.parse(ev.data);
    finish(run, `Done: ${run.replicates} replicate${run.replicates > 1 ? 's' : ''} of ${run.steps} ${desc.time_unit}s in ${((performance.now() - run.began) / 1000).toFixed(1)} s.`);
    downloads(run);
    $('pin').disabled = false;
    renderDiff();
    scheduleDraw();
  });
  stream.addEventListener('stopped', () => finish(run, 'Stopped.'));
  stream.addEventListener('failure', ev => finish(run, 'Run failed: ' + JSON.parse(ev.data).error, true));
  stream.onerror = () => { if (!run.over) finish(run, 'Lost the connection to msgsim explore.', true); };
}

function progress(run) {
  const steps = run.rows.reduce((a, n) => a + Math.max(0, n - 1), 0);
  const finished = run.bands ? run.bands.finished : 0;
  status(`Running: ${steps} of ${run.steps * run.replicates} steps, ${finished} of ${run.replicates} replicates finished.`);
}

function finish(run, text, bad) {
  run.over = true;
  if (stream) stream.close();
  stream = null;
  setRunning(false);
  status(text, bad);
  document.body.dataset.run = run.id;
  document.body.dataset.state = run.result ? 'done' : 'over';
}

function setRunning(on) {
  $('run').disabled = on;
  $('stop').disabled = !on;
  if (on) {
    $('pin').disabled = true;
    document.body.dataset.state = 'running';
  }
}

async function stopRun() {
  if (!current || current.over) return;
  await fetch(`/api/runs/${current.id}/stop`, {method: 'POST'});
}

function downloads(run) {
  for (const [id, name] of [['get-yaml', 'scenario.yaml'], ['get-csv', 'series.csv']]) {
    const a = $(id);
    a.classList.toggle('disabled', !run);
    if (run) {
      a.href = `/api/runs/${run.id}/${name}`;
      a.download = '';
    } else {
      a.removeAttribute('href');
    }
  }
  $('get-svg').classList.toggle('disabled', !run);
}

// Drawing.

function scheduleDraw() {
  if (drawPending) return;
  drawPending = true;
  requestAnimationFrame(() => { drawPending = false; drawAll(); });
}

function drawAll() {
  if (!desc) return;
  const legend = $('legend');
  legend.replaceChildren();
  const names = current ? current.platforms : desc.platforms;
  names.forEach((n, j) => {
    const s = document.createElement('span');
    s.textContent = n;
    s.style.setProperty('--c', COLORS[j % COLORS.length]);
    legend.append(s);
  });
  if (baseline) {
    const s = document.createElement('span');
    s.textContent = 'baseline (dashed): run ' + baseline.id;
    s.style.setProperty('--c', '#888');
    legend.append(s);
  }
  for (const measure of Object.keys(CHARTS)) draw($('chart-' + measure), measure);
}

// value is a replicate's measure at step t for platform j, in the chart's unit; NaN for a
// share while nobody uses anything.
function value(run, measure, rep, t, j) {
  const np = run.np, at = t * np;
  if (measure === 'share') {
    let total = 0;
    for (let k = 0; k < np; k++) total += run.users[rep][at + k];
    return total === 0 ? NaN : run.users[rep][at + j] / total;
  }
  const counts = measure === 'active' ? run.users : run.registered;
  return counts[rep][at + j] * run.desc.unit.factor;
}

function draw(svg, measure) {
  const spec = CHARTS[measure];
  const steps = (current || desc).steps;
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.setAttribute('xmlns', SVG);
  svg.replaceChildren();
  // The y range covers everything drawn.
  let ymax = 0;
  const runs = [current, baseline].filter(Boolean);
  for (const run of runs) {
    for (let r = 0; r < run.replicates && measure !== 'share'; r++) {
      for (let t = 0; t < run.rows[r]; t++) for (let j = 0; j < run.np; j++) ymax = Math.max(ymax, value(run, measure, r, t, j));
    }
    if (run.bands) for (const b of run.bands[measure]) for (const x of (b.high || b.mean)) if (x !== null) ymax = Math.max(ymax, x);
  }
  for (const p of desc.record) if (p.measure === measure) ymax = Math.max(ymax, p.value);
  const y1 = spec.people ? niceMax(ymax) : 1;
  const x1 = Math.max(1, steps);
  const px = t => M.left + t / x1 * (W - M.left - M.right);
  const py = v => H - M.bottom - v / y1 * (H - M.top - M.bottom);
  Object.assign(svg.dataset, {x0: 0, x1: x1, y0: 0, y1: y1, left: M.left, right: W - M.right, top: M.top, bottom: H - M.bottom});
  el(svg, 'rect', {x: 0, y: 0, width: W, height: H, fill: '#fff'});
  el(svg, 'text', {x: W / 2, y: 16, 'text-anchor': 'middle', 'font-size': 14, 'font-weight': 600, fill: '#222'}, desc.name + ': ' + spec.title);
  axes(svg, px, py, x1, y1, spec.people ? `${spec.title} (${desc.unit.name})` : 'share of platform users');
  desc.marks.forEach((m, i) => {
    if (m.until) el(svg, 'rect', {x: px(m.step), y: M.top, width: Math.max(1, px(Math.min(m.until, steps)) - px(m.step)), height: H - M.top - M.bottom, fill: '#000', 'fill-opacity': 0.05, class: 'mark'});
    el(svg, 'line', {x1: px(m.step), x2: px(m.step), y1: M.top, y2: H - M.bottom, stroke: '#777', 'stroke-dasharray': '4 3', class: 'mark'});
    // Labels of nearby dates are staggered so that they stay readable.
    // and those on the right half end at their line, inside the chart.
    const right = px(m.step) > (M.left + W - M.right) / 2;
    el(svg, 'text', {x: px(m.step) + (right ? -3 : 3), y: M.top + 10 + 11 * (i % 4), 'text-anchor': right ? 'end' : 'start', 'font-size': 10, fill: '#555', class: 'mark'}, m.label);
  });
  if (baseline && baseline.bands) {
    baseline.bands[measure].forEach((b, j) => line(svg, b.mean, px, py, {stroke: COLORS[j % COLORS.length], 'stroke-width': 2, 'stroke-dasharray': '6 4', 'stroke-opacity': 0.7, class: 'baseline', 'data-platform': b.name}));
  }
  if (current) {
    const run = current;
    const banded = run.bands && run.bands.finished > 0;
    for (let r = 0; r < run.replicates; r++) {
      for (let j = 0; j < run.np; j++) {
        const ys = [];
        for (let t = 0; t < run.rows[r]; t++) ys.push(value(run, measure, r, t, j));
        line(svg, ys, px, py, {stroke: COLORS[j % COLORS.length], 'stroke-width': 1, 'stroke-opacity': banded ? 0.25 : 0.6, class: 'rep', 'data-rep': r, 'data-platform': run.platforms[j]});
      }
    }
    if (banded) {
      run.bands[measure].forEach((b, j) => {
        if (b.low && run.bands.finished > 1) band(svg, b.low, b.high, px, py, COLORS[j % COLORS.length], b.name);
        line(svg, b.mean, px, py, {stroke: COLORS[j % COLORS.length], 'stroke-width': 2.5, class: 'mean', 'data-platform': b.name});
      });
    }
  }
  desc.record.filter(p => p.measure === measure).forEach(p => {
    const j = Math.max(0, desc.platforms.indexOf(p.platform));
    el(svg, 'circle', {cx: px(p.step), cy: py(p.value), r: 4, fill: '#fff', stroke: COLORS[j % COLORS.length], 'stroke-width': 2, class: 'record'}, p.label || `${p.platform}: ${p.value}`);
  });
}

function el(parent, name, attrs, title) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (title !== undefined) {
    if (name === 'text' || name === 'title') e.textContent = title;
    else el(e, 'title', {}, title);
  }
  parent.append(e);
  return e;
}

function fmt(x) { return String(Math.round(x * 100) / 100); }

// line draws ys (one per step from 0) as a path; a missing value (NaN, null) breaks it.
function line(svg, ys, px, py, attrs) {
  let d = '', pen = false;
  ys.forEach((y, t) => {
    if (y === null || Number.isNaN(y)) { pen = false; return; }
    d += (pen ? ' L' : ' M') + fmt(px(t)) + ' ' + fmt(py(y));
    pen = true;
  });
  if (d) el(svg, 'path', Object.assign({d: d.trim(), fill: 'none'}, attrs));
}

function band(svg, low, high, px, py, color, name) {
  const top = [], bottom = [];
  high.forEach((y, t) => { if (y !== null && low[t] !== null) { top.push(fmt(px(t)) + ',' + fmt(py(y))); bottom.unshift(fmt(px(t)) + ',' + fmt(py(low[t]))); } });
  if (top.length) el(svg, 'polygon', {points: top.concat(bottom).join(' '), fill: color, 'fill-opacity': 0.18, stroke: 'none', class: 'band', 'data-platform': name});
}

function niceMax(x) {
  if (!(x > 0)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(x)));
  for (const m of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * p >= x * 1.02) return m * p;
  return 10 * p;
}

function ticks(hi, n) {
  const raw = hi / n, p = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map(m => m * p).find(s => s >= raw);
  const out = [];
  for (let v = 0; v <= hi + step / 1e6; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

function axes(svg, px, py, x1, y1, ylabel) {
  const g = el(svg, 'g', {'font-size': 11, fill: '#444'});
  for (const v of ticks(y1, 5)) {
    el(g, 'line', {x1: M.left, x2: W - M.right, y1: py(v), y2: py(v), stroke: '#eee'});
    el(g, 'text', {x: M.left - 6, y: py(v) + 4, 'text-anchor': 'end'}, Number(v.toPrecision(6)).toLocaleString('en'));
  }
  for (const t of ticks(x1, 8)) {
    if (t > x1) continue;
    const label = desc.dates ? desc.dates[Math.round(t)].slice(0, 7) : String(t);
    el(g, 'line', {x1: px(t), x2: px(t), y1: H - M.bottom, y2: H - M.bottom + 4, stroke: '#444'});
    el(g, 'text', {x: px(t), y: H - M.bottom + 16, 'text-anchor': px(t) > W - M.right - 20 ? 'end' : 'middle'}, label);
  }
  el(g, 'line', {x1: M.left, x2: M.left, y1: M.top, y2: H - M.bottom, stroke: '#444'});
  el(g, 'line', {x1: M.left, x2: W - M.right, y1: H - M.bottom, y2: H - M.bottom, stroke: '#444'});
  el(g, 'text', {x: (M.left + W - M.right) / 2, y: H - 6, 'text-anchor': 'middle'}, desc.dates ? 'date' : desc.time_unit);
  el(g, 'text', {x: 14, y: (M.top + H - M.bottom) / 2, 'text-anchor': 'middle', transform: `rotate(-90 14 ${(M.top + H - M.bottom) / 2})`}, ylabel);
}

// The results table: this run's final users, share and P(win), and with a baseline pinned,
// the baseline's and the differences.
function renderDiff() {
  const t = $('diff');
  if (!current || !current.result) { t.hidden = true; return; }
  t.hidden = false;
  t.replaceChildren();
  const b = baseline && baseline.result;
  const head = ['platform', `final users (${desc.unit.name})`, 'final share', 'P(win)'];
  const hr = t.insertRow();
  for (const h of head) { const th = document.createElement('th'); th.textContent = h; hr.append(th); }
  for (const p of current.result.platforms) {
    const row = t.insertRow();
    row.dataset.platform = p.name;
    row.insertCell().textContent = p.name;
    const q = b && b.platforms.find(x => x.name === p.name);
    for (const [key, digits, scale, unit] of [['final_users', 3, 1, ''], ['final_share', 3, 1, ''], ['p_win', 2, 100, '%']]) {
      const cell = row.insertCell();
      cell.dataset.key = key;
      cell.textContent = show(p[key] * scale, digits) + unit;
      if (q) {
        const d = (p[key] - q[key]) * scale;
        const span = document.createElement('span');
        span.className = d > 0 ? 'up' : d < 0 ? 'down' : '';
        span.dataset.diff = String(p[key] - q[key]);
        span.textContent = ` (${d >= 0 ? '+' : ''}${show(d, digits)}${unit} vs baseline ${show(q[key] * scale, digits)}${unit})`;
        cell.append(span);
      }
    }
  }
}

function show(x, digits) {
  return Math.abs(x) >= 1000 ? Math.round(x).toLocaleString('en') : String(Number(x.toPrecision(digits)));
}

function pin() {
  if (!current || !current.result) return;
  baseline = current;
  $('unpin').hidden = false;
  $('pin').disabled = true;
  renderDiff();
  scheduleDraw();
}

function unpin() {
  baseline = null;
  $('unpin').hidden = true;
  $('pin').disabled = !(current && current.result);
  renderDiff();
  scheduleDraw();
}

// downloadSVG saves the three charts as one SVG file.
function downloadSVG(ev) {
  ev.preventDefault();
  if (!current || !current.result) return;
  const out = document.createElementNS(SVG, 'svg');
  out.setAttribute('xmlns', SVG);
  out.setAttribute('width', W);
  out.setAttribute('height', 3 * H);
  out.setAttribute('viewBox', `0 0 ${W} ${3 * H}`);
  Object.keys(CHARTS).forEach((m, i) => {
    const g = document.createElementNS(SVG, 'g');
    g.setAttribute('transform', `translate(0 ${i * H})`);
    for (const c of $('chart-' + m).childNodes) g.append(c.cloneNode(true));
    out.append(g);
  });
  const blob = new Blob([new XMLSerializer().serializeToString(out)], {type: 'image/svg+xml'});
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = `${current.id}-charts.svg`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

$('run').onclick = startRun;
$('stop').onclick = stopRun;
$('pin').onclick = pin;
$('unpin').onclick = unpin;
$('get-svg').onclick = downloadSVG;
$('reset').onclick = () => { sets.clear(); refresh(); };
$('setbox').onsubmit = ev => {
  ev.preventDefault();
  const text = $('set').value.trim();
  const eq = text.indexOf('=');
  if (eq <= 0) { $('set-err').textContent = 'type path=value, e.g. platforms.laiwang.appeal=0.4'; return; }
  $('set').value = '';
  change(text.slice(0, eq).trim(), text.slice(eq + 1).trim());
};
refresh().then(ok => { if (ok) status('Ready: move a control, then Run.'); });
