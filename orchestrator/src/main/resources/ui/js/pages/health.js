// #/health: the service's health checks (scheduler heartbeat, Kafka, database, lake), the freshness
// of the medallion tables and the build version.
import { get } from '../api.js';
import { duration, fill, h, time } from '../dom.js';

const TABLES = ['bronze/ticks', 'silver/ticks', 'gold/bars_1m', 'gold/bars_1d'];

export async function healthPage(view) {
  const health = await get('/health');
  const fresh = h('tbody');
  fill(view, h('h1', {}, 'Health ', h('span', { id: 'health-overall', class: health.healthy ? 'healthy' : 'unhealthy' }, health.healthy ? 'all healthy' : 'unhealthy')),
    h('p', { class: 'muted', id: 'version' }, health.name + ' ' + health.version),
    h('table', { id: 'health-checks' }, h('thead', {}, h('tr', {}, ['check', 'state', 'message'].map((x) => h('th', {}, x)))),
      h('tbody', {}, health.checks.map((c) => h('tr', { dataset: { check: c.name } }, h('td', {}, c.name),
        h('td', { class: c.healthy ? 'healthy' : 'unhealthy' }, c.healthy ? 'healthy' : 'unhealthy'), h('td', {}, c.message || ''))))),
    h('h2', {}, 'Freshness (last commit in 24 h)'),
    h('table', { id: 'freshness' }, h('thead', {}, h('tr', {}, ['table', 'version', 'committed', 'newest event', 'lag'].map((x) => h('th', {}, x)))), fresh));
  for (const table of TABLES) {
    try {
      const commits = await get('/pipeline/commits?table=' + encodeURIComponent(table));
      const last = commits[commits.length - 1];
      fresh.append(h('tr', {}, h('td', {}, table), ...(last
        ? [h('td', {}, String(last.version)), h('td', {}, time(last.time)), h('td', {}, time(last.newestEvent)), h('td', {}, duration(last.freshnessSeconds))]
        : [h('td', { colspan: 4, class: 'muted' }, 'no commit in the last 24 h')])));
    } catch (e) {
      fresh.append(h('tr', {}, h('td', {}, table), h('td', { colspan: 4, class: 'muted' }, e.message)));
    }
  }
  return null;
}
