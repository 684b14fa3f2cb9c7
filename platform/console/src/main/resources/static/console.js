// The console page: polls GET /api/dashboard once a second and renders each panel; a panel without data
// shows the reason the server gave ("not available: ..."). No framework and no build step on purpose.
'use strict';

const $ = (id) => document.getElementById(id);
const history = { orders: [], stream: [] };
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
  history.orders.push(load.ordersAcceptedPerSecond);
  if (history.orders.length > HISTORY) history.orders.shift();
  spark($('spark-orders'), history.orders);
}

function renderOrders(panel) {
  if (!panelState('orders', panel)) {
    $('orders-by-status').replaceChildren(); $('orders-outbox').replaceChildren(); $('orders-cancellations').replaceChildren(); return;
  }
  $('orders-by-status').replaceChildren(...Object.entries(panel.data.byStatus).map(([status, c]) => {
    const d = el('div');
    const b = el('b', fmt(c.value) + (c.atLeast ? '+' : ''));
    b.dataset.testid = `orders-${status}`;
    d.append(b, el('span', status));
    return d;
  }));
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
  history.stream.push(s.recordsPerSecond);
  if (history.stream.length > HISTORY) history.stream.shift();
  spark($('spark-stream'), history.stream);
  $('shards').replaceChildren(...s.shards.map((sh) => {
    const tr = el('tr');
    const lag = sh.lag === null ? (s.leaseTable ? 'unknown' : 'no KCL lease table yet') : fmt(sh.lag) + (sh.lagAtLeast ? '+' : '')
      + (kafka && sh.checkpoint !== null ? ` (committed ${fmt(Number(sh.checkpoint))})` : '');
    const name = sh.shardId + (sh.open ? '' : ' (closed)') + (sh.parentShardId ? ` ← ${sh.parentShardId}` : '');
    const lagCell = el('td', lag, 'num');
    lagCell.dataset.testid = `lag-${sh.shardId}`;
    tr.append(el('td', name), el('td', fmt(sh.recordsPerSecond, 1), 'num'), el('td', fmt(sh.recordsSeen), 'num'), lagCell, el('td', sh.leaseOwner || '-'));
    return tr;
  }));
}

function renderJson(value) {
  if (value === null || typeof value !== 'object') return el('span', String(value));
  const table = el('table', null, 'metrics');
  for (const [k, v] of Object.entries(value)) {
    const tr = el('tr');
    const td = el('td');
    td.append(typeof v === 'object' && v !== null ? renderJson(v) : el('span', typeof v === 'number' ? fmt(v, v % 1 ? 2 : 0) : String(v)));
    tr.append(el('th', k), td);
    table.append(tr);
  }
  return table;
}

function renderAnalytics(panel) {
  if (!panelState('analytics', panel)) { $('analytics').replaceChildren(); return; }
  $('analytics').replaceChildren(...Object.entries(panel.data).flatMap(([name, json]) => [el('h3', name), renderJson(json)]));
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
refresh();
