// The console page: polls GET /api/dashboard once a second and renders each panel; a panel without data
// shows the reason the server gave ("not available: ..."). No framework and no build step on purpose.
'use strict';

const $ = (id) => document.getElementById(id);
const sparks = { orders: [], stream: [] };
const HISTORY = 120;
let loadRunning = false;
let formTouched = false;

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

function fmt(n, digits = 0) {
  if (n === null || n === undefined) return 'n/a';
  return Number(n).toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

// ISO-8601 durations as services serialise java.time.Duration ("PT31.755S", "PT1H2M") read as "31.8 s", "1 h 2 min".
const ISO_DURATION = /^(-)?P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;
function duration(text) {
  const m = ISO_DURATION.exec(text);
  if (!m || text === 'P' || text.endsWith('T')) return null;
  const seconds = (Number(m[2] || 0) * 86400) + (Number(m[3] || 0) * 3600) + (Number(m[4] || 0) * 60) + Number(m[5] || 0);
  return (m[1] ? '-' : '') + humanSeconds(seconds);
}
function humanSeconds(s) {
  if (s < 1) return `${fmt(s * 1000, 0)} ms`;
  if (s < 60) return `${fmt(s, 1)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
}

function panelState(name, panel) {
  const box = document.querySelector(`#panel-${name} .unavailable`);
  const source = document.querySelector(`#panel-${name} .source`);
  if (source && panel) source.textContent = 'source: ' + panel.source;
  if (!panel || panel.available) { box.textContent = ''; return true; }
  box.textContent = panel.reason || 'not available';
  return false;
}

function metricRows(table, metrics) {
  table.replaceChildren(...(metrics || []).map((m) => {
    const tr = el('tr');
    tr.append(el('td', m.label), el('td', m.value === null ? 'not available' : fmt(m.value, m.value % 1 ? 1 : 0), 'num'));
    tr.title = m.metric;
    return tr;
  }));
}

function spark(svg, values) {
  const max = Math.max(1, ...values);
  const points = values.map((v, i) => `${(i / Math.max(1, HISTORY - 1)) * 120},${24 - (v / max) * 22}`).join(' ');
  svg.innerHTML = `<polyline points="${points}"/>`;
}

function renderServices(panel) {
  const chips = Object.entries((panel && panel.data) || {}).map(([name, s]) => {
    const cls = s.status === 'UP' ? 'ok' : s.status === 'DOWN' ? 'warn' : 'off';
    const chip = el('span', `${name}: ${s.status}`, `chip ${cls}`);
    chip.title = s.reason || s.url;
    chip.dataset.testid = `service-${name}`;
    return chip;
  });
  $('services').replaceChildren(...chips);
}

function renderLoad(load) {
  loadRunning = load.running;
  $('load-orders-accepted').textContent = fmt(load.ordersAccepted);
  $('load-clicks-accepted').textContent = fmt(load.clicksAccepted);
  $('load-orders-rate').textContent = `${fmt(load.ordersAcceptedPerSecond, 1)}/s`;
  $('load-clicks-rate').textContent = `${fmt(load.clicksAcceptedPerSecond, 1)}/s`;
  $('load-poison').textContent = fmt(load.poisonInjected);
  $('load-problems').textContent = `${fmt(load.ordersRejected + load.clicksRejected)} / ${fmt(load.ordersFailed + load.clicksFailed)} / ${fmt(load.skipped)}`;
  $('load-last-problem').textContent = load.lastProblem ? 'last problem: ' + load.lastProblem : '';
  $('load-toggle').textContent = load.running ? 'Stop load' : 'Start load';
  $('load-toggle').dataset.running = load.running;
  if (!formTouched) {
    const form = $('load-form');
    form.ordersPerSecond.value = load.target.ordersPerSecond;
    form.clicksPerSecond.value = load.target.clicksPerSecond;
    form.poisonShare.value = load.target.poisonShare;
  }
  sparks.orders.push(load.ordersAcceptedPerSecond);
  if (sparks.orders.length > HISTORY) sparks.orders.shift();
  spark($('spark-orders'), sparks.orders);
}

function renderOrders(panel) {
  if (!panelState('orders', panel)) {
    $('orders-by-status').replaceChildren(); $('orders-outbox').replaceChildren(); $('orders-cancellations').replaceChildren(); return;
  }
  $('orders-by-status').replaceChildren(...Object.entries(panel.data.byStatus).map(([status, n]) => {
    const d = el('div');
    const b = el('b', fmt(n));
    b.dataset.testid = `orders-${status}`;
    d.append(b, el('span', status));
    return d;
  }), (() => { const d = el('div'); const b = el('b', fmt(panel.data.total)); b.dataset.testid = 'orders-total'; d.append(b, el('span', 'all orders')); return d; })());
  metricRows($('orders-outbox'), panel.data.outbox);
  metricRows($('orders-cancellations'), panel.data.cancellations);
}

function renderQueues(panel) {
  if (!panelState('queues', panel)) { $('queues').replaceChildren(); return; }
  const max = Math.max(10, ...panel.data.map((q) => q.visible + q.inFlight));
  $('queues').replaceChildren(...panel.data.map((q) => {
    const tr = el('tr');
    const cell = (text, id, cls) => { const td = el('td', text, cls); if (id) td.dataset.testid = id; return td; };
    const bar = el('td');
    const b = el('div', null, 'bar');
    b.style.width = `${Math.round(((q.visible + q.inFlight) / max) * 100)}%`;
    bar.append(b);
    tr.append(cell(q.name), cell(fmt(q.visible), `queue-${q.name}-visible`, 'num'), cell(fmt(q.inFlight), `queue-${q.name}-inflight`, 'num'),
      cell(fmt(q.delayed), `queue-${q.name}-delayed`, 'num'), bar,
      cell(q.deadLetterQueue), cell(fmt(q.deadLetterVisible), `queue-${q.name}-dlq`, q.deadLetterVisible > 0 ? 'num dlq-alert' : 'num'));
    return tr;
  }));
}

function renderShipping(panel) {
  if (!panelState('shipping', panel)) {
    ['shipping-workers', 'shipping-messages', 'shipping-decisions'].forEach((id) => $(id).replaceChildren());
    $('shipping-dlq').textContent = '';
    return;
  }
  metricRows($('shipping-workers'), panel.data.workers);
  metricRows($('shipping-messages'), panel.data.messages);
  const decisions = Object.entries(panel.data.decisions || {});
  $('shipping-decisions').replaceChildren(...(decisions.length ? decisions.map(([reason, n]) => {
    const tr = el('tr'); tr.append(el('td', reason), el('td', fmt(n), 'num')); return tr;
  }) : [el('tr', 'not available: no decisions metric yet')]));
  $('shipping-dlq').textContent = panel.data.deadLetters ? JSON.stringify(panel.data.deadLetters, null, 1) : (panel.data.deadLettersReason || '');
}

function renderStream(panel) {
  if (!panelState('stream', panel)) { $('shards').replaceChildren(); return; }
  const s = panel.data;
  const kafka = s.backend === 'kafka';
  $('stream-title').textContent = kafka ? 'Clickstream (Kafka)' : 'Clickstream (Kinesis)';
  $('stream-pattern').textContent = kafka
    ? 'Idempotent producer, key = session; a consumer group commits offsets after the effect.'
    : 'PutRecords batching, partition key = session; KCL leases and checkpoints in DynamoDB.';
  $('stream-unit').textContent = kafka ? 'partition' : 'shard';
  $('stream-owner').textContent = kafka ? 'group member' : 'lease owner';
  $('stream-rate').textContent = fmt(s.recordsPerSecond, 1);
  $('stream-seen').textContent = fmt(s.recordsSeen);
  sparks.stream.push(s.recordsPerSecond);
  if (sparks.stream.length > HISTORY) sparks.stream.shift();
  spark($('spark-stream'), sparks.stream);
  $('shards').replaceChildren(...s.shards.map((sh) => {
    const tr = el('tr');
    const lag = sh.lag === null ? (s.leaseTable ? 'unknown' : 'no KCL lease table yet') : fmt(sh.lag) + (sh.lagAtLeast ? '+' : '')
      + (kafka && sh.checkpoint !== null ? ` (committed ${fmt(Number(sh.checkpoint))})` : '');
    const name = sh.shardId + (sh.open ? '' : ' (closed)') + (sh.parentShardId ? ` ← ${sh.parentShardId}` : '');
    const lagCell = el('td', lag, 'num');
    lagCell.dataset.testid = `lag-${sh.shardId}`;
    const seenCell = el('td', fmt(sh.recordsSeen), 'num');
    seenCell.dataset.testid = `records-${sh.shardId}`;
    tr.append(el('td', name), el('td', fmt(sh.recordsPerSecond, 1), 'num'), seenCell, lagCell, el('td', sh.leaseOwner || '-'));
    return tr;
  }));
}

function renderJson(value) {
  if (value === null || typeof value !== 'object') return el('span', String(value));
  const table = el('table', null, 'metrics');
  for (const [k, v] of Object.entries(value)) {
    const tr = el('tr');
    const td = el('td');
    const text = typeof v === 'number' ? fmt(v, v % 1 ? 2 : 0) : typeof v === 'string' ? (duration(v) || v) : String(v);
    td.append(typeof v === 'object' && v !== null ? renderJson(v) : el('span', text));
    tr.append(el('th', k), td);
    table.append(tr);
  }
  return table;
}

function dollars(v, digits = 2) {
  return v === null || v === undefined ? 'n/a' : '$' + fmt(v, v !== 0 && Math.abs(v) < 0.01 ? 4 : digits);
}

function renderCost(panel) {
  if (!panelState('cost', panel)) { $('cost-calls').replaceChildren(); $('cost-savings').replaceChildren(); return; }
  const c = panel.data;
  $('cost-region').textContent = c.region;
  $('cost-orders').textContent = dollars(c.perMillionOrders.actual);
  $('cost-orders-unbatched').textContent = 'unbatched: ' + dollars(c.perMillionOrders.unbatched);
  $('cost-clicks').textContent = dollars(c.perMillionClicks.actual);
  $('cost-clicks-unbatched').textContent = 'unbatched: ' + dollars(c.perMillionClicks.unbatched);
  $('cost-counted').textContent = `${fmt(c.orders)} / ${fmt(c.clicks)}`;
  $('cost-since').textContent = 'since ' + new Date(c.since).toLocaleTimeString();
  $('cost-savings').replaceChildren(...(c.savings.length ? c.savings.map((s) => {
    const tr = el('tr');
    tr.append(el('td', s.technique), el('td', fmt(s.callsAvoided) + ' calls avoided', 'num'), el('td', dollars(s.dollarsSaved, 4) + ' saved', 'num'));
    return tr;
  }) : [el('tr', 'no batched or long-polled calls counted yet')]));
  $('cost-calls').replaceChildren(...c.calls.map((r) => {
    const tr = el('tr');
    tr.append(el('td', r.service), el('td', r.awsService), el('td', r.operation), el('td', fmt(r.requests), 'num'), el('td', fmt(r.unbatched), 'num'),
      el('td', dollars(r.dollarsPerMillion, 3) + (r.perItem ? ' per item' : ''), 'num'), el('td', dollars(r.dollars, 6), 'num'),
      el('td', dollars(r.dollarsUnbatched, 6), 'num'));
    return tr;
  }));
}

function renderAnalytics(panel) {
  if (!panelState('analytics', panel)) { $('analytics').replaceChildren(); return; }
  // What the clickstream consumer does or waits for, in analytics' own words: zero clicks while the KCL starts is no fault.
  const { 'clickstream consumer': consumer, ...views } = panel.data;
  const status = consumer && typeof consumer.status === 'string' ? [el('p', consumer.status, 'consumer-status')] : [];
  $('analytics').replaceChildren(...status, ...Object.entries(views).flatMap(([name, json]) => [el('h3', name), renderJson(json)]));
}

// Charts over the window the console keeps (GET api/history), redrawn every few seconds. uPlot takes columns on one
// time axis; a series' null is a gap. A chart is rebuilt only when its set of series changes (a shard split).
const charts = {};
const COLORS = ['#4cc2ff', '#d29922', '#3fb950', '#f85149', '#bc8cff', '#ff9bce', '#7ee787', '#ffa657'];

function chart(id, series, columns, scales, axes) {
  const box = $(id);
  const key = series.map((s) => s.label).join('|');
  box.dataset.points = String(columns[0].length);
  box.dataset.series = key;
  if (charts[id] && charts[id].key === key) {
    charts[id].plot.setData(columns);
    return;
  }
  if (charts[id]) charts[id].plot.destroy();
  const opts = {
    width: Math.max(300, box.clientWidth || 520), height: 200,
    scales: Object.assign({ x: { time: true } }, scales || {}),
    series: [{ value: (u, v) => (v === null ? '' : new Date(v * 1000).toLocaleTimeString()) }].concat(series),
    axes: axes || [{ stroke: '#8b98a5', grid: { stroke: '#222c36' } }, { stroke: '#8b98a5', grid: { stroke: '#222c36' } }],
    legend: { live: false },
  };
  charts[id] = { key, plot: new uPlot(opts, columns, box) };
}

function line(label, color, extra) {
  return Object.assign({ label, stroke: color, width: 1.5, spanGaps: false, value: (u, v) => (v === null ? 'n/a' : fmt(v, v % 1 ? 1 : 0)) }, extra || {});
}

function renderCharts(h) {
  $('charts-window').textContent = humanSeconds(h.windowSeconds).replace(' 0 s', '');
  chart('chart-queue', [line('visible', COLORS[0]), line('in flight', COLORS[1]),
    line('workers current', COLORS[2], { dash: [4, 3] }), line('workers desired', COLORS[4], { dash: [2, 2] })],
  [h.t, h.queueVisible, h.queueInFlight, h.workersCurrent, h.workersDesired]);
  const shardSeries = []; const shardColumns = [h.t];
  Object.entries(h.shards).forEach(([id, sh], i) => {
    const short = /^shardId-\d+$/.test(id) ? 'shard ' + Number(id.slice(8)) : id;
    shardSeries.push(line(`${short} in`, COLORS[(2 * i) % COLORS.length]), line(`${short} consumed`, COLORS[(2 * i + 1) % COLORS.length], { dash: [4, 3] }),
      line(`${short} lag`, COLORS[(2 * i) % COLORS.length], { scale: 'lag', width: 1, dash: [1, 3] }));
    shardColumns.push(sh.ingest, sh.consumed, sh.lag);
  });
  chart('chart-stream', shardSeries, shardColumns, { lag: { auto: true } }, [{ stroke: '#8b98a5', grid: { stroke: '#222c36' } },
    { stroke: '#8b98a5', grid: { stroke: '#222c36' } }, { scale: 'lag', side: 1, stroke: '#8b98a5', grid: { show: false } }]);
  chart('chart-outbox', [line('outbox backlog', COLORS[0])], [h.t, h.outboxBacklog]);
  chart('chart-dlq', [line('dead letters', COLORS[3])], [h.t, h.deadLetters]);
}

async function refreshCharts() {
  try {
    const response = await fetch('api/history', { cache: 'no-store' });
    if (response.ok && typeof uPlot !== 'undefined') renderCharts(await response.json());
  } catch (e) {
    // the dashboard's own refresh shows "offline"; the charts wait for the next round
  } finally {
    setTimeout(refreshCharts, 3000);
  }
}

// One order's path: GET api/orders/{id}/path joins what each service kept about the order.
async function showPath(id) {
  $('path-order-id').value = id;
  $('path-status').textContent = '';
  $('path-trace').textContent = '';
  try {
    const response = await fetch(`api/orders/${encodeURIComponent(id)}/path`, { cache: 'no-store' });
    const json = await response.json().catch(() => ({}));
    if (!response.ok) { $('path-status').textContent = json.detail || `failed: ${response.status}`; $('path-hops').replaceChildren(); return; }
    $('path-trace').textContent = (json.traceId ? `trace id ${json.traceId}` : 'no trace context on its messages')
      + (json.missing && json.missing.length ? ' · ' + json.missing.join('; ') : '');
    const start = json.hops.length ? Date.parse(json.hops[0].at) : 0;
    const head = el('tr'); head.append(el('th', 'service'), el('th', 'hop'), el('th', 'at'), el('th', 'after'), el('th', 'detail'));
    $('path-hops').replaceChildren(head, ...json.hops.map((hop) => {
      const tr = el('tr');
      tr.dataset.testid = 'path-hop';
      const t = new Date(hop.at);
      tr.append(el('td', hop.service), el('td', hop.hop), el('td', t.toLocaleTimeString('en-GB') + '.' + String(t.getMilliseconds()).padStart(3, '0')),
        el('td', '+' + humanSeconds((Date.parse(hop.at) - start) / 1000), 'num'), el('td', hop.detail || '', 'muted'));
      return tr;
    }));
  } catch (e) {
    $('path-status').textContent = 'failed: ' + e.message;
  }
}

async function refreshRecent() {
  try {
    const response = await fetch('api/orders/recent', { cache: 'no-store' });
    if (!response.ok) return;
    const ids = await response.json();
    $('path-recent').replaceChildren(el('span', ids.length ? 'recent:' : '', 'muted'), ...ids.map((id) => {
      const a = el('a', id.slice(0, 8));
      a.title = id; a.dataset.testid = 'recent-order'; a.dataset.orderId = id;
      a.addEventListener('click', () => showPath(id));
      return a;
    }));
  } catch (e) {
    // the list is a convenience; typing an id still works
  } finally {
    setTimeout(refreshRecent, 5000);
  }
}

// The process-level switches: their state next to the buttons, and what to watch while they are on.
function renderProcessFaults(panel) {
  const state = $('process-faults-state');
  const available = panel && panel.available;
  for (const id of ['fault-analytics-db', 'fault-analytics-db-end', 'fault-shipping-kill']) $(id).disabled = !available;
  if (!available) {
    state.textContent = panel ? panel.reason : '';
    return;
  }
  const f = panel.data;
  $('fault-analytics-db').disabled = !f.analyticsDatabaseAvailable;
  $('fault-analytics-db-end').disabled = f.analyticsDatabaseAvailable;
  $('fault-shipping-kill').disabled = !f.shippingUp;
  const database = f.analyticsDatabaseAvailable ? "analytics' database: up"
    : `analytics' database: DOWN for ${humanSeconds((Date.now() - Date.parse(f.analyticsDatabaseDownSince)) / 1000)}`
      + ' (its listeners retry: watch the clickstream lag and analytics-orders grow; nothing is lost)';
  const worker = `shipping-service: pid ${f.shippingPid} ${f.shippingUp ? 'up' : 'starting (replacement)'}`
    + (f.shippingKills ? `, ${f.shippingKills} killed (last pid ${f.lastKilledPid}): its in-flight messages reappear`
      + ' on shipping-orders after their visibility timeout and are shipped once' : '');
  state.textContent = `${database}; ${worker}`;
  state.className = f.analyticsDatabaseAvailable && f.shippingUp ? 'muted' : 'muted warn';
}

async function refresh() {
  try {
    const response = await fetch('api/dashboard', { cache: 'no-store' });
    if (!response.ok) throw new Error(response.status);
    const d = await response.json();
    $('connection').textContent = 'live';
    $('connection').className = 'chip ok';
    $('updated').textContent = 'updated ' + new Date(d.at).toLocaleTimeString();
    renderServices(d.services);
    renderLoad(d.load);
    renderOrders(d.orders);
    renderQueues(d.queues);
    renderShipping(d.shipping);
    renderStream(d.stream);
    renderAnalytics(d.analytics);
    renderCost(d.cost);
    renderProcessFaults(d.processFaults);
  } catch (e) {
    $('connection').textContent = 'offline';
    $('connection').className = 'chip off';
  } finally {
    setTimeout(refresh, 1000);
  }
}

let resultTimer;
function showResult(text) {
  $('action-result').textContent = text;
  clearTimeout(resultTimer);
  resultTimer = setTimeout(() => { $('action-result').textContent = ''; }, 8000);
}

// A console listening beyond loopback needs a token for its actions; it is opened as /#token=<token> (the token is
// in its start-up log). The token stays in this tab's session storage and leaves the address bar at once.
const tokenInHash = new URLSearchParams(location.hash.slice(1)).get('token');
if (tokenInHash) {
  sessionStorage.setItem('console-token', tokenInHash);
  history.replaceState(null, '', location.pathname + location.search);
}

function actionHeaders(body) {
  const headers = body ? { 'Content-Type': 'application/json' } : {};
  const token = sessionStorage.getItem('console-token');
  if (token) headers['Authorization'] = 'Bearer ' + token;
  return headers;
}

async function action(method, path, body) {
  try {
    const response = await fetch(path, {
      method,
      headers: actionHeaders(body),
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = await response.json().catch(() => ({}));
    showResult(response.ok ? (json.message || 'done') : `failed: ${json.detail || response.status}`);
  } catch (e) {
    showResult('failed: ' + e.message);
  }
}

function loadSettings(running) {
  const form = $('load-form');
  return { running, ordersPerSecond: Number(form.ordersPerSecond.value), clicksPerSecond: Number(form.clicksPerSecond.value),
    poisonShare: Number(form.poisonShare.value) };
}

$('burst').addEventListener('click', () => action('POST', 'api/actions/burst'));
$('inject-poison').addEventListener('click', () => action('POST', 'api/actions/poison'));
$('redrive').addEventListener('click', () => action('POST', 'api/actions/redrive'));
$('load-toggle').addEventListener('click', () => action('PUT', 'api/load', loadSettings(!loadRunning)));
$('load-form').addEventListener('input', () => { formTouched = true; });
$('load-form').addEventListener('submit', (e) => {
  e.preventDefault();
  formTouched = false;
  action('PUT', 'api/load', loadSettings(loadRunning));
});
$('fault-shard-split').addEventListener('click', () => action('POST', 'api/faults/shard-split'));
$('fault-shard-merge').addEventListener('click', () => action('POST', 'api/faults/shard-merge'));
$('carrier-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const form = $('carrier-form');
  action('PUT', 'api/faults/carrier', { latencyMillis: Number(form.latencyMillis.value), failureRate: Number(form.failureRate.value) });
});
$('fault-sns').addEventListener('click', () => action('PUT', 'api/faults/sns-outage'));
$('fault-sns-end').addEventListener('click', () => action('DELETE', 'api/faults/sns-outage'));
$('fault-analytics-db').addEventListener('click', () => action('PUT', 'api/faults/analytics-database-outage'));
$('fault-analytics-db-end').addEventListener('click', () => action('DELETE', 'api/faults/analytics-database-outage'));
$('fault-shipping-kill').addEventListener('click', () => action('POST', 'api/faults/shipping-kill'));
$('fault-carrier-reset').addEventListener('click', () => action('DELETE', 'api/faults/carrier'));
$('path-form').addEventListener('submit', (e) => { e.preventDefault(); showPath($('path-order-id').value.trim()); });
refresh();
refreshCharts();
refreshRecent();
