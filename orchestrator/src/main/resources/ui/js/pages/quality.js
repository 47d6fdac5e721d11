// #/quality?table=&from=&to=&q=: expectations' passed/failed/dropped per batch, and the quarantine
// rows with their reasons, filtered by a search box.
import { get } from '../api.js';
import { fill, h, route, time } from '../dom.js';

const TABLES = ['silver/ticks', 'bronze/ticks', 'gold/bars_1m', 'gold/bars_1d'];

export async function qualityPage(view, params, query) {
  const table = query.get('table') || 'silver/ticks';
  const to = query.get('to') || new Date().toISOString();
  const from = query.get('from') || new Date(Date.parse(to) - 86400000).toISOString();
  const picker = h('select', { id: 'dq-table' }, TABLES.map((t) => h('option', { value: t }, t)));
  picker.value = table;
  const fromBox = h('input', { id: 'q-from', value: from, size: 24 });
  const toBox = h('input', { id: 'q-to', value: to, size: 24 });
  const search = h('input', { id: 'q-search', type: 'search', placeholder: 'search quarantine', value: query.get('q') || '' });
  const apply = () => {
    location.hash = '#/quality?' + new URLSearchParams({ table: picker.value, from: fromBox.value, to: toBox.value, q: search.value });
  };
  picker.addEventListener('change', apply);
  const batches = h('div', { id: 'dq-batches' }, 'loading…');
  const quarantine = h('div', { id: 'quarantine' }, 'loading…');
  fill(view, h('h1', {}, 'Data quality'),
    h('div', { class: 'toolbar' }, h('label', {}, 'table ', picker), h('label', {}, 'from ', fromBox), h('label', {}, 'to ', toBox),
      h('button', { type: 'button', onclick: apply }, 'Show')),
    h('h2', {}, 'Expectations per batch'), batches,
    h('h2', {}, 'Quarantine'), h('div', { class: 'toolbar' }, search), quarantine);
  await Promise.all([
    loadBatches(batches, table, from, to).catch((e) => fill(batches, h('p', { class: 'error' }, e.message))),
    loadQuarantine(quarantine, search, from, to).catch((e) => fill(quarantine, h('p', { class: 'error' }, e.message))),
  ]);
  return null;
}

async function loadBatches(box, table, from, to) {
  const dq = await get('/data-quality?table=' + encodeURIComponent(table) + '&limit=50');
  if (!dq.batches.length) {
    fill(box, h('p', { class: 'muted' }, 'No data-quality metrics for ' + table + ' yet.'));
    return;
  }
  fill(box, h('table', { id: 'dq-table-rows' },
    h('thead', {}, h('tr', {}, ['batch', 'run', 'recorded', 'expectation', 'action', 'passed', 'failed', 'dropped'].map((x) => h('th', {}, x)))),
    h('tbody', {}, dq.batches.flatMap((b) => b.expectations.map((e, i) => h('tr', { class: e.failed || e.dropped ? 'has-failures' : '' },
      h('td', {}, i === 0 ? b.batchId : ''),
      h('td', {}, i === 0 && b.runId ? h('a', { href: route('runs', b.runId) }, b.runId) : ''),
      h('td', {}, i === 0 ? time(b.recordedAt) : ''),
      h('td', {}, e.expectation), h('td', {}, e.action),
      h('td', {}, String(e.passed)), h('td', { class: e.failed ? 'unhealthy' : '' }, String(e.failed)),
      h('td', { class: e.dropped ? 'unhealthy' : '' }, String(e.dropped))))))));
}

async function loadQuarantine(box, search, from, to) {
  const rows = await get('/pipeline/quarantine?from=' + encodeURIComponent(from) + '&to=' + encodeURIComponent(to));
  const columns = rows.length ? Object.keys(rows[0]) : [];
  const body = h('tbody');
  const count = h('p', { class: 'muted', id: 'quarantine-count' });
  const draw = () => {
    const needle = search.value.trim().toLowerCase();
    const shown = rows.filter((r) => !needle || columns.some((c) => String(r[c] ?? '').toLowerCase().includes(needle)));
    fill(body, shown.map((r) => h('tr', {}, columns.map((c) => h('td', { class: c === 'payload' ? 'payload' : '' }, r[c] == null ? '' : String(r[c]))))));
    count.textContent = shown.length + ' of ' + rows.length + ' quarantined rows';
  };
  search.addEventListener('input', draw);
  fill(box, count, rows.length
    ? h('table', { id: 'quarantine-rows' }, h('thead', {}, h('tr', {}, columns.map((c) => h('th', {}, c)))), body)
    : h('p', { class: 'muted' }, 'No quarantined rows between ' + from + ' and ' + to + '.'));
  draw();
}
