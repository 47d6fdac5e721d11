// DOM helpers: every piece of data becomes a text node or an attribute, never parsed HTML.

/** Builds an element: h('a', {href: '#/x', class: 'y', onclick: f}, 'text', child). */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'value') el.value = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c == null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces an element's children. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A hash link to a UI route; path segments are encoded. */
export function link(text, ...segments) {
  return h('a', { href: route(...segments) }, text);
}

export function route(...segments) {
  return '#/' + segments.map((s) => encodeURIComponent(s)).join('/');
}

/** Seconds between two ISO times (end defaults to now), or null. */
export function seconds(start, end) {
  if (!start) return null;
  const e = end ? Date.parse(end) : Date.now();
  return Math.max(0, (e - Date.parse(start)) / 1000);
}

export function duration(s) {
  if (s == null) return '';
  if (s < 60) return s.toFixed(1) + ' s';
  if (s < 3600) return Math.floor(s / 60) + ' min ' + Math.round(s % 60) + ' s';
  return Math.floor(s / 3600) + ' h ' + Math.round((s % 3600) / 60) + ' min';
}

export function time(iso) {
  return iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '';
}

export function badge(state) {
  return h('span', { class: 'badge state-' + (state || 'none') }, state || 'none');
}
