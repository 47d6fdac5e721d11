// ECharts from its webjar (/webjars/echarts/<version>/dist), loaded only by the pages that draw.
const ECHARTS = '/webjars/echarts/5.3.1/dist/echarts.esm.min.js';

let loading = null;

export function echarts() {
  loading = loading || import(ECHARTS);
  return loading;
}

export function dark() {
  return window.matchMedia('(prefers-color-scheme: dark)').matches;
}

/** A chart in el, disposed by the returned cleanup, resized with the window. */
export async function chart(el) {
  const lib = await echarts();
  const c = lib.init(el, dark() ? 'dark' : null, { renderer: 'canvas' });
  const resize = () => c.resize();
  window.addEventListener('resize', resize);
  return { chart: c, dispose: () => { window.removeEventListener('resize', resize); c.dispose(); } };
}

/** Tooltips drawn on the canvas, so no data ever becomes HTML. */
export const TOOLTIP = { trigger: 'axis', renderMode: 'richText', axisPointer: { type: 'cross' } };

/** Layers of a directed graph (longest path from a source) for a left-to-right layout. */
export function layered(ids, edges) {
  const depth = new Map(ids.map((id) => [id, 0]));
  for (let i = 0; i < ids.length; i++) {
    for (const [from, to] of edges) {
      if (depth.get(to) < depth.get(from) + 1) depth.set(to, depth.get(from) + 1);
    }
  }
  const perLayer = new Map();
  const position = new Map();
  for (const id of ids) {
    const d = depth.get(id);
    const row = perLayer.get(d) || 0;
    perLayer.set(d, row + 1);
    position.set(id, { x: d * 220, y: row * 90 });
  }
  return position;
}
