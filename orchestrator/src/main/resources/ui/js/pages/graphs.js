// #/dags/{id}/graph: a DAG's tasks; #/lineage?table=&version=: tables and jobs with their edges,
// and which try produced a version of a table.
import { get } from '../api.js';
import { fill, h, link, route } from '../dom.js';
import { chart, layered } from '../charts.js';

const TABLES = ['bronze/ticks', 'silver/ticks', 'silver/quarantine', 'silver/dq_metrics',
  'gold/bars_1m', 'gold/bars_1d', 'gold/daily_metrics', 'gold/anomalies', 'gold/predictions'];

export async function graphPage(view, [dagId]) {
  const dag = await get('/dags/' + encodeURIComponent(dagId));
  const el = h('div', { class: 'chart small', id: 'dag-graph', dataset: { nodes: String(dag.tasks.length) } });
  fill(view, h('h1', {}, 'Graph of ', dagId), h('div', { class: 'toolbar' }, link('grid', 'dags', dagId, 'grid')), el,
    h('table', {}, h('tbody', {}, dag.tasks.map((t) => h('tr', {}, h('td', {}, t.taskId), h('td', { class: 'muted' }, t.pipeline),
      h('td', { class: 'muted' }, t.upstream.length ? 'after ' + t.upstream.join(', ') : ''), h('td', { class: 'muted' }, t.triggerRule))))));
  const ids = dag.tasks.map((t) => t.taskId);
  const edges = dag.tasks.flatMap((t) => t.upstream.map((u) => [u, t.taskId]));
  return drawGraph(el, ids, edges, (id) => id, () => {});
}

export async function lineagePage(view, params, query) {
  const table = query.get('table') || 'silver/ticks';
  const picker = h('select', { id: 'lineage-table-picker' }, TABLES.map((t) => h('option', { value: t }, t)));
  picker.value = table;
  picker.addEventListener('change', () => { location.hash = '#/lineage?table=' + encodeURIComponent(picker.value); });
  const version = h('input', { id: 'lineage-version', type: 'number', min: '0', placeholder: 'version', value: query.get('version') || '' });
  const producer = h('div', { id: 'producer' });
  const find = h('button', { type: 'button', onclick: () => showProducer(producer, picker.value, version.value) }, 'Which try wrote it?');
  const el = h('div', { class: 'chart small', id: 'lineage-graph' });
  const graphBox = h('div', {}, el);
  fill(view, h('h1', {}, 'Lineage'),
    h('div', { class: 'toolbar' }, h('label', {}, 'table ', picker), h('label', {}, 'version ', version), find),
    producer, graphBox);
  if (version.value) showProducer(producer, table, version.value);
  let graph;
  try {
    graph = await get('/lineage/graph?table=' + encodeURIComponent(table) + '&depth=4&direction=both');
  } catch (e) {
    fill(graphBox, h('p', { class: e.status === 404 ? 'muted' : 'error' }, e.message));
    return null;
  }
  el.dataset.nodes = String(graph.nodes.length);
  const label = new Map(graph.nodes.map((n) => [n.id, (n.type === 'job' ? 'job ' : '') + shortName(n.name)]));
  const onClick = (id) => {
    const node = graph.nodes.find((n) => n.id === id);
    const t = node && node.type !== 'job' && node.name.match(/(bronze|silver|gold)\/[a-z0-9_]+$/);
    if (t) location.hash = '#/lineage?table=' + encodeURIComponent(t[0]);
  };
  return drawGraph(el, graph.nodes.map((n) => n.id), graph.edges.map((e) => [e.from, e.to]), (id) => label.get(id), onClick);
}

const shortName = (name) => (name.match(/(bronze|silver|gold)\/[a-z0-9_]+$/) || [name])[0];

async function showProducer(box, table, version) {
  if (version === '') {
    fill(box, h('p', { class: 'error' }, 'Give a version number.'));
    return;
  }
  try {
    const p = await get('/lineage/producer?table=' + encodeURIComponent(table) + '&version=' + encodeURIComponent(version));
    fill(box, h('p', { class: 'panel' }, 'Version ' + p.version + ' of ' + table + ' was written by ',
      h('a', { id: 'producer-link', href: route('runs', p.runId) + '?task=' + encodeURIComponent(p.taskId) + '&try=' + p.tryNumber },
        p.dagId + '.' + p.taskId + ' try ' + p.tryNumber), ' of run ' + p.runId + ' (' + p.outcome + ').'));
  } catch (e) {
    fill(box, h('p', { class: 'error' }, e.message));
  }
}

async function drawGraph(el, ids, edges, label, onClick) {
  const pos = layered(ids, edges);
  const { chart: c, dispose } = await chart(el);
  c.setOption({
    animation: false,
    series: [{
      type: 'graph', layout: 'none', roam: true, symbolSize: 18, edgeSymbol: ['none', 'arrow'],
      label: { show: true, position: 'bottom', formatter: (p) => label(p.data.id) },
      data: ids.map((id) => ({ id, name: id, x: pos.get(id).x, y: pos.get(id).y })),
      links: edges.map(([source, target]) => ({ source, target })),
      lineStyle: { width: 1.5, opacity: 0.8 },
    }],
  });
  c.on('click', (p) => { if (p.dataType === 'node') onClick(p.data.id); });
  return dispose;
}
