// #/runs/{runId}?task=&try=: the run's task tries with Gantt bars, one try's log (follow mode
// while it runs), its lineage, and clear/re-run.
import { act, get, send } from '../api.js';
import { badge, duration, fill, h, link, route, seconds, time } from '../dom.js';
import { showInfo } from '../messages.js';

const FOLLOW_MS = 1500;
const FINISHED = new Set(['success', 'failed', 'upstream_failed', 'skipped', 'canceled']);

export async function runPage(view, [runId], query) {
  const enc = encodeURIComponent(runId);
  const run = await get('/runs/' + enc);
  let tasks = await get('/runs/' + enc + '/tasks');
  const chosen = query.get('task') || (tasks.find((t) => t.state === 'failed') || tasks[0] || {}).taskId;
  const tasksBox = h('div', { id: 'run-tasks' });
  const tryBox = h('div', { id: 'try' });
  const title = h('h1', {}, 'Run ', h('span', { id: 'run-id' }, runId), ' ', h('span', { id: 'run-state' }, badge(run.state)));
  fill(view, title,
    h('div', { class: 'toolbar' }, 'DAG ', link(run.dagId, 'dags', run.dagId, 'grid'),
      h('span', { class: 'muted' }, run.runType + ' · logical ' + time(run.logicalTime)),
      h('button', { type: 'button', id: 'clear-run', onclick: (e) => clear(e.target, run, {}) }, 'Clear whole run'),
      h('button', { type: 'button', id: 'clear-failed', onclick: (e) => clear(e.target, run, { onlyFailed: true }) }, 'Clear failed tasks'),
      h('button', { type: 'button', id: 'cancel-run', onclick: (e) => cancel(e.target, '/runs/' + enc + '/cancel') }, 'Cancel run')),
    h('p', { class: 'muted' }, 'Mark failed/success: not offered, the API has no such call (clear re-runs tasks).'),
    tasksBox, tryBox);
  drawTasks(tasksBox, run, tasks);
  const stopLog = chosen ? await showTry(tryBox, run, tasks.find((t) => t.taskId === chosen), query.get('try')) : null;
  if (!chosen) fill(tryBox, h('p', { class: 'muted' }, 'This run has no task instances yet.'));
  const timer = setInterval(async () => {
    try {
      tasks = await get('/runs/' + enc + '/tasks');
      const r = await get('/runs/' + enc);
      fill(title.querySelector('#run-state'), badge(r.state));
      drawTasks(tasksBox, r, tasks);
    } catch (e) {
      // the next tick tries again; the page keeps its last good state
    }
  }, 3000);
  return () => {
    clearInterval(timer);
    if (stopLog) stopLog();
  };
}

function drawTasks(box, run, tasks) {
  const starts = tasks.map((t) => t.startedAt).filter(Boolean).map(Date.parse);
  const t0 = starts.length ? Math.min(...starts) : Date.now();
  const ends = tasks.map((t) => (t.endedAt ? Date.parse(t.endedAt) : t.startedAt ? Date.now() : t0));
  const span = Math.max(1, Math.max(t0 + 1, ...ends) - t0);
  fill(box, h('table', { id: 'tasks' },
    h('thead', {}, h('tr', {}, ['task', 'state', 'try', 'started', 'ended', 'duration', 'timeline', ''].map((x) => h('th', {}, x)))),
    h('tbody', {}, tasks.map((t) => {
      const left = t.startedAt ? ((Date.parse(t.startedAt) - t0) / span) * 100 : 0;
      const right = t.startedAt ? ((t.endedAt ? Date.parse(t.endedAt) : Date.now()) - t0) / span * 100 : 0;
      return h('tr', { dataset: { task: t.taskId, state: t.state } },
        h('td', {}, h('a', { href: route('runs', run.runId) + '?task=' + encodeURIComponent(t.taskId) }, t.taskId)),
        h('td', {}, badge(t.state), t.stateReason ? h('div', { class: 'muted reason' }, t.stateReason) : null),
        h('td', {}, t.tryNumber + ' / ' + t.maxTries),
        h('td', { class: 'hide-narrow' }, time(t.startedAt)),
        h('td', { class: 'hide-narrow' }, time(t.endedAt)),
        h('td', {}, duration(seconds(t.startedAt, t.endedAt))),
        h('td', {}, h('div', { class: 'gantt', title: duration(seconds(t.startedAt, t.endedAt)) },
          h('span', { class: 'state-' + t.state, style: 'left:' + left.toFixed(2) + '%;width:' + Math.max(0.5, right - left).toFixed(2) + '%' }))),
        h('td', {}, h('button', { type: 'button', class: 'clear-task',
          onclick: (e) => clear(e.target, run, { taskIds: [t.taskId], includeDownstream: true }) }, 'Clear (+downstream)'),
          FINISHED.has(t.state) ? null : h('button', { type: 'button', class: 'cancel-task',
            onclick: (e) => cancel(e.target, '/runs/' + encodeURIComponent(run.runId) + '/tasks/' + encodeURIComponent(t.taskId) + '/cancel') }, 'Cancel')));
    }))));
}

async function cancel(button, path) {
  await act(button, async () => {
    await send('POST', path);
    showInfo('Canceled: running tries are being stopped');
  });
}

async function clear(button, run, body) {
  await act(button, async () => {
    const result = await send('POST', '/dags/' + encodeURIComponent(run.dagId) + '/runs/' + encodeURIComponent(run.runId) + '/clear', body);
    showInfo('Cleared ' + result.cleared.join(', ') + '; the run is ' + result.run.state);
  });
}

/** Shows one try: its number picker, log (followed while the task is unfinished), lineage. */
async function showTry(box, run, task, tryText) {
  if (!task) {
    fill(box, h('p', { class: 'error' }, 'No task of that name in this run.'));
    return null;
  }
  const tryNumber = Number(tryText) || task.tryNumber;
  const log = h('pre', { class: 'log', id: 'log' }, 'loading…');
  const follow = h('input', { type: 'checkbox', id: 'follow' });
  follow.checked = !FINISHED.has(task.state);
  const lineage = h('div', { id: 'try-lineage' });
  const tries = [];
  for (let n = 1; n <= Math.max(1, task.tryNumber); n++) {
    tries.push(h('a', { href: route('runs', run.runId) + '?task=' + encodeURIComponent(task.taskId) + '&try=' + n },
      h('button', { type: 'button', class: n === tryNumber ? 'current' : '' }, 'try ' + n)));
  }
  fill(box, h('h2', {}, 'Task ', h('span', { id: 'try-task' }, task.taskId), ', try ' + tryNumber),
    h('div', { class: 'tries' }, tries),
    h('div', { class: 'toolbar' }, h('label', {}, follow, ' follow')),
    log, h('h2', {}, 'Lineage of this try'), lineage);
  const logPath = '/runs/' + encodeURIComponent(run.runId) + '/tasks/' + encodeURIComponent(task.taskId) + '/logs/' + tryNumber;
  const loadLog = async () => {
    try {
      const text = await get(logPath);
      const atEnd = log.scrollTop + log.clientHeight >= log.scrollHeight - 4;
      log.textContent = text || '(empty log)';
      if (follow.checked && atEnd) log.scrollTop = log.scrollHeight;
      log.dataset.loaded = 'true';
    } catch (e) {
      log.textContent = '';
      log.append(h('span', { class: 'error' }, e.status === 404 ? 'No log for this try yet.' : e.message));
      log.dataset.loaded = 'true';
    }
  };
  await loadLog();
  loadLineage(lineage, run, task, tryNumber);
  const timer = setInterval(() => { if (follow.checked) loadLog(); }, FOLLOW_MS);
  return () => clearInterval(timer);
}

async function loadLineage(box, run, task, tryNumber) {
  // Lineage is recorded when a try ends after running: not yet for the current try of a task that
  // is still unfinished, never for a canceled one (so no request that can only answer 404).
  const ran = tryNumber < task.tryNumber || task.state === 'success' || task.state === 'failed';
  if (!ran) {
    fill(box, h('p', { class: 'muted' }, 'No lineage recorded for try ' + tryNumber + ' (yet).'));
    return;
  }
  try {
    const tries = await get('/lineage/runs/' + encodeURIComponent(run.runId) + '?taskId=' + encodeURIComponent(task.taskId));
    const t = tries.find((x) => x.tryNumber === tryNumber);
    if (!t) {
      fill(box, h('p', { class: 'muted' }, 'No lineage recorded for try ' + tryNumber + '.'));
      return;
    }
    const rows = (label, refs) => refs.map((r) => h('tr', {}, h('td', {}, label), h('td', {}, r.name),
      h('td', {}, isTable(r.name)
        ? h('a', { href: '#/lineage?table=' + encodeURIComponent(tableId(r.name)) + '&version=' + encodeURIComponent(r.version) }, r.version)
        : r.version),
      h('td', { class: 'muted hide-narrow' }, r.namespace)));
    fill(box, h('p', { class: 'muted' }, 'outcome ' + (t.outcome || '') + ', recorded ' + time(t.recordedAt)),
      h('table', { id: 'lineage-table' }, h('thead', {}, h('tr', {}, ['', 'dataset', 'version / offsets', 'namespace'].map((x) => h('th', {}, x)))),
        h('tbody', {}, rows('read', t.inputs), rows('wrote', t.outputs))));
  } catch (e) {
    fill(box, h('p', { class: 'muted' }, e.status === 404 ? 'No lineage recorded for this task.' : e.message));
  }
}

const isTable = (name) => /(bronze|silver|gold)\/[a-z0-9_]+$/.test(name);
const tableId = (name) => name.match(/(bronze|silver|gold)\/[a-z0-9_]+$/)[0];
