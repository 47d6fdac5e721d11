// #/market/{symbol}?interval=1m|1d&from=&to=: candlesticks and volume with SMA/EMA/Bollinger
// overlays, RSI and MACD panes, anomalies marked, predictions when the table has rows.
import { get } from '../api.js';
import { fill, h } from '../dom.js';
import { chart, TOOLTIP } from '../charts.js';

const DAY = 86400000;
const KEYS = new Set(['symbol', 'interval', 'barStart', 'modelId', 'tradingDate', 'createdAt', 'scoredAt']);

export async function marketPage(view, [symbolParam], query) {
  const symbols = await get('/market/symbols');
  if (!symbols.length) {
    fill(view, h('h1', {}, 'Market'), h('p', { class: 'muted', id: 'market-empty' }, 'No bars in Gold yet: run the medallion DAG first.'));
    return null;
  }
  const symbol = symbolParam || symbols[0];
  const interval = query.get('interval') === '1d' ? '1d' : '1m';
  const to = query.get('to') || new Date().toISOString();
  const from = query.get('from') || new Date(Date.parse(to) - (interval === '1d' ? 365 : 1) * DAY).toISOString();
  const picker = h('select', { id: 'symbol' }, symbols.map((s) => h('option', { value: s }, s)));
  picker.value = symbol;
  const intervalBox = h('select', { id: 'interval' }, h('option', { value: '1m' }, '1 minute'), h('option', { value: '1d' }, '1 day'));
  intervalBox.value = interval;
  const fromBox = h('input', { id: 'm-from', value: from, size: 24 });
  const toBox = h('input', { id: 'm-to', value: to, size: 24 });
  const go = (keepRange) => {
    const q = new URLSearchParams({ interval: intervalBox.value });
    if (keepRange) { q.set('from', fromBox.value); q.set('to', toBox.value); }
    location.hash = '#/market/' + encodeURIComponent(picker.value) + '?' + q;
  };
  picker.addEventListener('change', () => go(true));
  intervalBox.addEventListener('change', () => go(false));
  const el = h('div', { class: 'chart', id: 'market-chart' });
  const note = h('p', { class: 'muted', id: 'market-note' });
  fill(view, h('h1', {}, 'Market ', h('span', { id: 'market-symbol' }, symbol)),
    h('div', { class: 'toolbar' }, h('label', {}, 'symbol ', picker), h('label', {}, 'interval ', intervalBox),
      h('label', {}, 'from ', fromBox), h('label', {}, 'to ', toBox), h('button', { type: 'button', onclick: () => go(true) }, 'Show')),
    note, el);
  if (!symbols.includes(symbol)) {
    fill(el, h('p', { class: 'error' }, 'No bars for symbol ' + symbol + ' in Gold.'));
    return null;
  }
  const q = '?symbol=' + encodeURIComponent(symbol) + '&from=' + encodeURIComponent(from) + '&to=' + encodeURIComponent(to);
  const [bars, indicators, anomalies, predictions] = await Promise.all([
    get('/market/bars' + q + '&interval=' + interval),
    get('/market/indicators' + q + '&interval=' + interval),
    get('/market/anomalies' + q + '&interval=' + interval),
    interval === '1m' ? get('/market/predictions' + q) : Promise.resolve([]),
  ]);
  el.dataset.bars = String(bars.length);
  el.dataset.anomalies = String(anomalies.length);
  el.dataset.predictions = String(predictions.length);
  note.textContent = bars.length + ' bars, ' + anomalies.length + ' anomalies' + (predictions.length ? ', ' + predictions.length + ' predictions' : '');
  if (!bars.length) {
    fill(el, h('p', { class: 'muted' }, 'No ' + interval + ' bars for ' + symbol + ' between ' + from + ' and ' + to + '.'));
    return null;
  }
  const { chart: c, dispose } = await chart(el);
  c.setOption(options(bars, indicators, anomalies, predictions));
  window.__ticklakeMarketChart = c;
  el.dataset.drawn = 'true';
  return () => {
    delete window.__ticklakeMarketChart;
    dispose();
  };
}

function options(bars, indicators, anomalies, predictions) {
  const x = bars.map((b) => b.barStart);
  const byTime = new Map(indicators.map((r) => [r.barStart, r]));
  const ind = (col) => x.map((t) => (byTime.get(t) || {})[col] ?? null);
  const anomalyTimes = new Set(anomalies.map((a) => a.barStart));
  const predictionCol = predictions.length
    ? Object.keys(predictions[0]).find((k) => !KEYS.has(k) && typeof predictions[0][k] === 'number') : null;
  const predicted = new Map(predictions.map((p) => [p.barStart, p[predictionCol]]));
  const panes = [['8%', '44%'], ['55%', '10%'], ['68%', '12%'], ['83%', '12%']];
  const axis = (i, extra) => ({ type: 'category', data: x, gridIndex: i, boundaryGap: true, axisLabel: { show: i === 3 }, ...extra });
  const line = (name, data, yi, extra) => ({ name, type: 'line', data, xAxisIndex: yi, yAxisIndex: yi, showSymbol: false, lineStyle: { width: 1 }, ...extra });
  const series = [
    { name: 'price', type: 'candlestick', data: bars.map((b) => [b.open, b.close, b.low, b.high]),
      markPoint: { symbol: 'pin', symbolSize: 30, label: { show: false },
        data: bars.filter((b) => anomalyTimes.has(b.barStart)).map((b) => ({ name: 'anomaly', coord: [b.barStart, b.high], value: 'A' })) } },
    line('SMA 20', ind('sma20'), 0), line('SMA 50', ind('sma50'), 0), line('EMA 12', ind('ema12'), 0), line('EMA 26', ind('ema26'), 0),
    line('BB upper', ind('bbUpper'), 0, { lineStyle: { width: 1, type: 'dashed' } }),
    line('BB lower', ind('bbLower'), 0, { lineStyle: { width: 1, type: 'dashed' } }),
    { name: 'volume', type: 'bar', data: bars.map((b) => b.volume), xAxisIndex: 1, yAxisIndex: 1 },
    line('RSI 14', ind('rsi14'), 2),
    line('MACD', ind('macd'), 3), line('signal', ind('macdSignal'), 3),
    { name: 'histogram', type: 'bar', data: ind('macdHist'), xAxisIndex: 3, yAxisIndex: 3 },
  ];
  if (predictionCol) series.push(line('prediction (' + predictionCol + ')', x.map((t) => predicted.get(t) ?? null), 2, { yAxisIndex: 4, lineStyle: { width: 1, type: 'dotted' } }));
  return {
    animation: false,
    legend: { top: 0, type: 'scroll' },
    tooltip: TOOLTIP,
    axisPointer: { link: [{ xAxisIndex: 'all' }] },
    grid: panes.map(([top, height]) => ({ left: 60, right: 50, top, height })),
    xAxis: [0, 1, 2, 3].map((i) => axis(i)),
    yAxis: [
      { scale: true, gridIndex: 0 }, { gridIndex: 1, axisLabel: { show: false } },
      { gridIndex: 2, min: 0, max: 100, name: 'RSI' }, { gridIndex: 3, scale: true, name: 'MACD' },
      { gridIndex: 2, scale: true, position: 'right', show: !!predictionCol },
    ],
    dataZoom: [{ type: 'inside', xAxisIndex: [0, 1, 2, 3] }, { type: 'slider', xAxisIndex: [0, 1, 2, 3], bottom: 0, height: 16 }],
    series,
  };
}
