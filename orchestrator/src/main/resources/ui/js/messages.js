// Visible messages: every failure the UI meets ends up here, never only in the console.
import { h } from './dom.js';

const box = () => document.getElementById('messages');

export function showError(text) {
  show('error', text);
}

export function showInfo(text) {
  show('info', text);
}

function show(kind, text) {
  const msg = h('div', { class: 'msg ' + kind, role: kind === 'error' ? 'alert' : 'status' },
    h('span', { class: 'text' }, text),
    h('button', { type: 'button', 'aria-label': 'dismiss', onclick: () => msg.remove() }, '×'));
  box().append(msg);
  if (kind === 'info') setTimeout(() => msg.remove(), 6000);
}

export function clearMessages() {
  box().replaceChildren();
}
