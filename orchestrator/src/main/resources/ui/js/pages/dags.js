// #/dags: every DAG with its schedule, paused toggle, last runs, next run, trigger and backfill.
import { act, get, send } from '../api.js';
import { fill, h, link, route, time } from '../dom.js';
import { showInfo } from '../messages.js';

export async function dagsPage(view) {
  const dags = await get('/dags');
  const rows = h('tbody');
  const table = h('table', { id: 'dags' },
    h('thead', {}, h('tr', {}, ['DAG', 'schedule', 'paused', 'last runs', 'next run', ''].map((t) => h('th', {}, t)))),
    rows);
  const forms = h('div', { id: 'dag-forms' });
  fill(view, h('h1', {}, 'DAGs'), dags.length ? table : h('p', { class: 'muted' }, 'No DAGs loaded.'), forms);
  for (const dag of dags) rows.append(dagRow(dag, forms));
  await Promise.all(dags.map((d) => loadRecent(d.dagId, rows)));
  const timer = setInterval(() => dags.forEach((d) => loadRecent(d.dagId, rows).catch(() => {})), 5000);
  return () => clearInterval(timer);
}

function dagRow(dag, forms) {
  const pausedBox = h('input', { type: 'checkbox', class: 'paused', 'aria-label': 'paused' });
  pausedBox.checked = dag.paused;
  pausedBox.addEventListener('change', () => act(pausedBox, async () => {
    const wanted = pausedBox.checked;
    pausedBox.checked = !wanted; // shows the server's state until it answers
    const updated = await send('PATCH', '/dags/' + encodeURIComponent(dag.dagId), { paused: wanted });
    pausedBox.checked = updated.paused;
    row.dataset.paused = String(updated.paused);
    showInfo(dag.dagId + (updated.paused ? ' paused' : ' unpaused'));
  }));
  const row = h('tr', { dataset: { dag: dag.dagId, paused: String(dag.paused) } },
    h('td', {}, h('a', { class: 'dag-link', href: route('dags', dag.dagId, 'grid') }, dag.dagId),
      dag.description ? h('div', { class: 'muted description' }, dag.description) : null),
    h('td', {}, dag.schedule || ''),
    h('td', {}, pausedBox),
    h('td', {}, h('span', { class: 'dots' })),
    h('td', { class: 'next-run' }, ''),
    h('td', {},
      h('button', { type: 'button', class: 'trigger', onclick: () => triggerForm(dag, forms) }, 'Trigger'), ' ',
      h('button', { type: 'button', class: 'backfill', onclick: () => backfillForm(dag, forms) }, 'Backfill'), ' ',
      link('graph', 'dags', dag.dagId, 'graph')));
  return row;
}

async function loadRecent(dagId, rows) {
  const grid = await get('/dags/' + encodeURIComponent(dagId) + '/grid?limit=8');
  const row = [...rows.children].find((r) => r.dataset.dag === dagId);
  if (!row) return;
  fill(row.querySelector('.dots'), grid.runs.map((c) =>
    h('a', { href: route('runs', c.run.runId), title: c.run.runId + ' · ' + c.run.state, class: 'dot state-' + c.run.state })));
  row.querySelector('.next-run').textContent = grid.nextRunAt ? time(grid.nextRunAt) : '—';
}

function triggerForm(dag, forms) {
  const conf = h('textarea', { id: 'conf', 'aria-label': 'conf (JSON object)', spellcheck: 'false' }, '{}');
  const error = h('p', { class: 'error', id: 'conf-error', hidden: true });
  const run = h('button', { type: 'button', class: 'primary', id: 'trigger-run' }, 'Trigger run');
  run.addEventListener('click', () => {
    const parsed = parseConf(conf.value);
    error.hidden = parsed.ok;
    if (!parsed.ok) {
      error.textContent = parsed.message;
      return;
    }
    act(run, async () => {
      const created = await send('POST', '/dags/' + encodeURIComponent(dag.dagId) + '/runs', { conf: parsed.value });
      showInfo('Triggered ' + created.runId);
      location.hash = route('dags', dag.dagId, 'grid');
    });
  });
  fill(forms, h('div', { class: 'panel', id: 'trigger-form' },
    h('h2', {}, 'Trigger ', dag.dagId), h('label', {}, 'conf (a JSON object)', conf), error,
    h('div', { class: 'buttons' }, run, h('button', { type: 'button', onclick: () => forms.replaceChildren() }, 'Close'))));
  conf.focus();
}

/** The conf must be a JSON object (or empty): checked here so a typo never reaches the API. */
export function parseConf(text) {
  if (!text.trim()) return { ok: true, value: {} };
  try {
    const value = JSON.parse(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return { ok: false, message: 'conf must be a JSON object, e.g. {"symbols": ["AAPL"]}' };
    }
    return { ok: true, value };
  } catch (e) {
    return { ok: false, message: 'conf is not valid JSON: ' + e.message };
  }
}

function backfillForm(dag, forms) {
  const from = h('input', { type: 'datetime-local', id: 'backfill-from', required: true });
  const to = h('input', { type: 'datetime-local', id: 'backfill-to', required: true });
  const error = h('p', { class: 'error', hidden: true });
  const start = h('button', { type: 'button', class: 'primary' }, 'Start backfill');
  start.addEventListener('click', () => {
    error.hidden = !!(from.value && to.value && from.value < to.value);
    if (!error.hidden) {
      error.textContent = 'Give a start before the end.';
      return;
    }
    act(start, async () => {
      const b = await send('POST', '/backfills', {
        dagId: dag.dagId, from: from.value + ':00Z', to: to.value + ':00Z',
      });
      showInfo('Backfill ' + b.id + ' planned: ' + b.plannedRuns + ' runs');
    });
  });
  fill(forms, h('div', { class: 'panel', id: 'backfill-form' },
    h('h2', {}, 'Backfill ', dag.dagId, h('span', { class: 'muted' }, ' (times in UTC)')),
    h('label', {}, 'from ', from), h('label', {}, 'to ', to), error,
    h('div', { class: 'buttons' }, start, h('button', { type: 'button', onclick: () => forms.replaceChildren() }, 'Close'))));
}

