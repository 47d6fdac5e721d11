// Router and shell: hash routes (#/dags, #/dags/{id}/grid, #/runs/{runId}, ...), the session box
// and the login dialog. Each page is a function(view, params, query) that may return a cleanup.
import { ApiError, credential, login, logout, onSessionChange, report, setLoginHandler } from './api.js';
import { h, fill } from './dom.js';
import { clearMessages, showError } from './messages.js';
import { dagsPage } from './pages/dags.js';
import { gridPage } from './pages/grid.js';
import { runPage } from './pages/run.js';
import { graphPage, lineagePage } from './pages/graphs.js';
import { qualityPage } from './pages/quality.js';
import { marketPage } from './pages/market.js';
import { healthPage } from './pages/health.js';

// Uncaught errors become visible messages (and are counted for the browser tests).
window.__ticklakeErrors = [];
window.addEventListener('error', (e) => {
  window.__ticklakeErrors.push(String(e.message));
  showError('Unexpected error: ' + e.message);
});
window.addEventListener('unhandledrejection', (e) => {
  e.preventDefault();
  window.__ticklakeErrors.push(String(e.reason && e.reason.message));
  report(e.reason);
});

const routes = [
  [/^dags$/, dagsPage],
  [/^dags\/([^/]+)\/grid$/, gridPage],
  [/^dags\/([^/]+)\/graph$/, graphPage],
  [/^runs\/([^/]+)$/, runPage],
  [/^lineage$/, lineagePage],
  [/^quality$/, qualityPage],
  [/^market(?:\/([^/]+))?$/, marketPage],
  [/^health$/, healthPage],
];

let cleanup = null;

async function navigate() {
  if (cleanup) cleanup();
  cleanup = null;
  clearMessages();
  const hash = location.hash.replace(/^#\/?/, '') || 'dags';
  const [path, queryText] = hash.split('?');
  const query = new URLSearchParams(queryText || '');
  const view = document.getElementById('view');
  fill(view, h('p', { class: 'muted' }, 'Loading…'));
  document.querySelectorAll('#nav a').forEach((a) =>
    a.classList.toggle('active', hash.startsWith(a.getAttribute('href').slice(2))));
  const match = routes.map(([re, page]) => [path.match(re), page]).find(([m]) => m);
  if (!match) {
    fill(view, h('p', { class: 'error' }, 'No page at #/' + path + '.'), h('p', {}, h('a', { href: '#/dags' }, 'DAGs')));
    return;
  }
  const [m, page] = match;
  const params = m.slice(1).map((p) => (p === undefined ? undefined : decodeURIComponent(p)));
  try {
    view.dataset.page = page.name;
    cleanup = (await page(view, params, query)) || null;
  } catch (e) {
    report(e, view);
  }
}

function renderSession() {
  const c = credential();
  const box = document.getElementById('session');
  if (c) {
    fill(box, h('span', { id: 'session-actor' }, c.actor),
      h('button', { id: 'logout', type: 'button', onclick: logout }, 'Log out'));
  } else {
    fill(box, h('button', { id: 'login-open', type: 'button', onclick: () => askLogin('').catch(() => {}) }, 'Log in'));
  }
}

/** Opens the login dialog; resolves once logged in, rejects when cancelled. */
function askLogin(reason) {
  const dialog = document.getElementById('login');
  const error = document.getElementById('login-error');
  document.getElementById('login-reason').textContent = reason;
  error.hidden = true;
  return new Promise((resolve, reject) => {
    const form = document.getElementById('login-form');
    const submit = async (e) => {
      e.preventDefault();
      const user = document.getElementById('login-user').value;
      const password = document.getElementById('login-password').value;
      const token = document.getElementById('login-token').value.trim();
      try {
        await login(user, password, token);
        done();
        dialog.close();
        resolve();
      } catch (err) {
        error.hidden = false;
        error.textContent = err instanceof ApiError && err.status === 401
          ? 'Wrong user name, password or token.'
          : 'Could not log in: ' + err.message;
      }
    };
    const cancel = () => {
      done();
      dialog.close();
      reject(new ApiError(401, 'Logging in was cancelled: nothing was changed.'));
    };
    const done = () => {
      form.removeEventListener('submit', submit);
      document.getElementById('login-cancel').removeEventListener('click', cancel);
      dialog.removeEventListener('cancel', cancel);
      document.getElementById('login-password').value = '';
      document.getElementById('login-token').value = '';
    };
    form.addEventListener('submit', submit);
    document.getElementById('login-cancel').addEventListener('click', cancel);
    dialog.addEventListener('cancel', cancel);
    dialog.showModal();
  });
}

setLoginHandler(askLogin);
onSessionChange(renderSession);
renderSession();
window.addEventListener('hashchange', navigate);
navigate();
