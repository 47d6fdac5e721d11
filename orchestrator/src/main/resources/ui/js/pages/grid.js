// #/dags/{id}/grid: runs as columns (newest right) × tasks as rows, polled while the page is open.
import { get } from '../api.js';
import { duration, fill, h, link, route, seconds } from '../dom.js';

const POLL_MS = 2000;

export async function gridPage(view, [dagId], query) {
  const limit = query.get('runs') || '25';
  const path = '/dags/' + encodeURIComponent(dagId) + '/grid?limit=' + encodeURIComponent(limit);
  const holder = h('div', { id: 'grid-holder' });
  const status = h('span', { class: 'muted', id: 'grid-status' });
  const grid = await get(path);
  fill(view, h('h1', {}, 'Grid of ', h('span', { id: 'dag-id' }, dagId)),
    h('div', { class: 'toolbar' }, link('graph', 'dags', dagId, 'graph'), link('all DAGs', 'dags'),
      h('span', { class: 'muted' }, 'runs: '),
      ...['25', '100', '500'].map((n) => h('a', { href: route('dags', dagId, 'grid') + '?runs=' + n }, n)), status),
    holder);
  render(holder, grid, true);
  let stopped = false;
  const poll = async () => {
    if (stopped) return;
    try {
      render(holder, await get(path), false);
      status.textContent = 'updated ' + new Date().toLocaleTimeString();
    } catch (e) {
      status.textContent = 'update failed: ' + e.message;
    }
    if (!stopped) timer = setTimeout(poll, POLL_MS);
  };
  let timer = setTimeout(poll, POLL_MS);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/** Draws the table; the first draw after the API answered is measured ("grid-render"). */
function render(holder, grid, measure) {
  if (measure) performance.mark('grid-api');
  const header = h('tr', {}, h('th', { class: 'task' }, ''),
    grid.runs.map((c) => h('th', { class: 'run', title: c.run.runId + ' · ' + c.run.state },
      h('a', { href: route('runs', c.run.runId), class: 'dot state-' + c.run.state }))));
  const body = grid.taskIds.map((taskId) => h('tr', { dataset: { task: taskId } },
    h('th', { class: 'task' }, taskId),
    grid.runs.map((c) => cell(c, taskId))));
  const table = h('table', { class: 'grid', id: 'grid', dataset: { runs: String(grid.runs.length) } },
    h('thead', {}, header), h('tbody', {}, body));
  fill(holder, grid.runs.length ? table : h('p', { class: 'muted', id: 'grid' }, 'No runs yet.'));
  if (measure) {
    void holder.offsetHeight; // layout included in the measure
    performance.measure('grid-render', 'grid-api');
    // and until the frame after it is painted
    requestAnimationFrame(() => setTimeout(() => {
      performance.measure('grid-paint', 'grid-api');
      holder.dataset.rendered = 'true';
    }, 0));
  }
}

function cell(column, taskId) {
  const t = column.tasks[taskId];
  const state = t ? t.state : 'none';
  const took = t ? duration(seconds(t.startedAt, t.endedAt)) : '';
  const title = taskId + ' · ' + state + (took ? ' · ' + took : '') + ' · ' + column.run.runId;
  return h('td', { class: 'cell state-' + state, title, dataset: { run: column.run.runId, state } },
    h('a', { href: route('runs', column.run.runId) + '?task=' + encodeURIComponent(taskId), 'aria-label': title }));
}
