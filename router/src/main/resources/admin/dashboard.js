// Switchboard dashboard: plain DOM, no build step. Every value is written with textContent, never
// as HTML, so names from Consul or the API cannot inject markup.
'use strict';

const API = '/api/v1';
const REFRESH_MS = 2000;
const state = { backends: [], filter: '' };

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

function num(v, digits) {
  return typeof v === 'number' ? v.toFixed(digits) : '';
}

function row(cells) {
  const tr = document.createElement('tr');
  for (const c of cells) {
    if (c instanceof Node) { const td = document.createElement('td'); td.appendChild(c); tr.appendChild(td); }
    else if (c && typeof c === 'object') { tr.appendChild(el('td', c.text, c.cls)); }
    else tr.appendChild(el('td', c));
  }
  return tr;
}

function fill(tableId, rows) {
  const tbody = document.querySelector('#' + tableId + ' tbody');
  const frag = document.createDocumentFragment();
  rows.forEach(r => frag.appendChild(r));
  tbody.replaceChildren(frag);
}

async function getJson(path) {
  const r = await fetch(API + path, { cache: 'no-store' });
  if (!r.ok) throw new Error(path + ': HTTP ' + r.status);
  return r.json();
}

function renderDiscovery(d) {
  const dl = document.getElementById('discovery');
  const frag = document.createDocumentFragment();
  const items = [['source', d.source], ['ready', d.ready], ['stale', d.stale], ['services', d.services],
    ['instances', d.instances], ['last sync', d.last_success || '-'], ['errors', d.error_count],
    ['last error', d.last_error || '-'], ['API backends', d.api_backends]];
  for (const [k, v] of items) { frag.appendChild(el('dt', k)); frag.appendChild(el('dd', v)); }
  dl.replaceChildren(frag);
}

function renderRoutes(r) {
  document.getElementById('route-count').textContent = '(' + r.routes.length + ', v' + r.version + ')';
  fill('routes', r.routes.map(x => row([x.name, x.host, x.path, x.targets.map(t => t.service).join(', '), x.source,
    { text: x.in_flight, cls: 'num' }, { text: num(x.traffic.rate_per_sec, 1), cls: 'num' },
    { text: num(x.traffic.p99_millis, 1), cls: 'num' }])));
}

function renderServices(list) {
  document.getElementById('service-count').textContent = '(' + list.length + ')';
  fill('services', list.map(s => row([s.name, s.strategy, { text: s.backends, cls: 'num' },
    { text: s.healthy, cls: 'num' }, { text: s.ejected, cls: 'num' },
    { text: s.panic ? 'PANIC' : 'no', cls: s.panic ? 'bad' : '' }, { text: s.retry_budget_exhausted, cls: 'num' }])));
}

function actionButton(b) {
  const action = b.draining ? 'undrain' : 'drain';
  const btn = el('button', action);
  btn.dataset.action = action;
  btn.dataset.service = b.service;
  btn.dataset.backend = b.id;
  btn.addEventListener('click', () => mutate(action, b.service, b.id));
  return btn;
}

function renderBackends() {
  const f = state.filter.toLowerCase();
  const shown = f ? state.backends.filter(b => (b.service + ' ' + b.id + ' ' + b.address).toLowerCase().includes(f)) : state.backends;
  document.getElementById('backend-count').textContent = '(' + shown.length + ' of ' + state.backends.length + ')';
  fill('backends', shown.map(b => {
    const health = b.draining ? { text: 'draining', cls: 'warn' }
      : b.healthy ? { text: 'healthy', cls: 'ok' } : { text: 'unhealthy', cls: 'bad' };
    const tr = row([b.service, b.id, b.source, health,
      { text: b.circuit, cls: b.circuit === 'open' ? 'bad' : b.circuit === 'half_open' ? 'warn' : '' },
      { text: b.in_flight, cls: 'num' }, { text: b.effective_weight + (b.weight_overridden ? '*' : ''), cls: 'num' },
      { text: num(b.ewma_millis, 2), cls: 'num' }, { text: num(b.traffic.rate_per_sec, 1), cls: 'num' },
      { text: num(b.traffic.p99_millis, 1), cls: 'num' }, actionButton(b)]);
    tr.dataset.backend = b.id;
    tr.dataset.service = b.service;
    return tr;
  }));
}

async function refresh() {
  try {
    const [routes, services, backends, discovery] = await Promise.all([
      getJson('/routes'), getJson('/services'), getJson('/backends'), getJson('/discovery')]);
    renderDiscovery(discovery);
    renderRoutes(routes);
    renderServices(services);
    state.backends = backends;
    renderBackends();
    const s = document.getElementById('status');
    s.textContent = 'updated ' + new Date().toLocaleTimeString();
    s.className = 'muted';
    document.body.dataset.rendered = String((Number(document.body.dataset.rendered) || 0) + 1);
  } catch (e) {
    const s = document.getElementById('status');
    s.textContent = 'refresh failed: ' + e.message;
    s.className = 'bad';
  }
}

function token() {
  let t = sessionStorage.getItem('switchboard-token');
  if (!t) {
    t = window.prompt('Admin token (admin.token or SWITCHBOARD_ADMIN_TOKEN):');
    if (t) sessionStorage.setItem('switchboard-token', t);
  }
  return t;
}

async function mutate(action, service, backend) {
  const out = document.getElementById('action');
  const t = token();
  if (!t) { out.textContent = action + ' cancelled: no token'; return; }
  try {
    const r = await fetch(API + '/backends/' + action, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Authorization': 'Bearer ' + t },
      body: JSON.stringify({ service: service, backend: backend })
    });
    const body = await r.json().catch(() => ({}));
    if (r.status === 401) sessionStorage.removeItem('switchboard-token');
    out.textContent = r.ok ? action + ' ' + backend + ': done' : action + ' ' + backend + ': ' + (body.error || ('HTTP ' + r.status));
    out.className = r.ok ? 'ok' : 'bad';
    document.body.dataset.lastAction = (r.ok ? 'ok ' : 'failed ') + action + ' ' + backend;
  } catch (e) {
    out.textContent = action + ' failed: ' + e.message;
    out.className = 'bad';
  }
  await refresh();
}

// Automation hook for tests and scripts: #token=…&click=drain:<backend id> stores the token and
// clicks that backend's button once the first render is done (the button's own handler runs).
async function automate() {
  const params = new URLSearchParams(location.hash.slice(1));
  if (params.get('token')) sessionStorage.setItem('switchboard-token', params.get('token'));
  const click = params.get('click');
  if (!click) return;
  const i = click.indexOf(':');
  const action = click.slice(0, i), backend = click.slice(i + 1);
  const btn = Array.from(document.querySelectorAll('#backends button'))
    .find(b => b.dataset.action === action && b.dataset.backend === backend);
  if (btn) btn.click(); else document.body.dataset.lastAction = 'no ' + action + ' button for ' + backend;
}

document.addEventListener('DOMContentLoaded', async () => {
  document.getElementById('filter').addEventListener('input', e => { state.filter = e.target.value; renderBackends(); });
  await refresh();
  await automate();
  setInterval(refresh, REFRESH_MS);
});
