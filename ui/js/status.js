// The app's status from Rust applied to the chrome: vocabularies, filter chips, the reader's
// side, problems in the glossary files, and the zoom.
import { call } from './bridge.js';
import { el } from './dom.js';
import { app, $, setResultsStatus } from './state.js';
import { runSearch } from './results.js';

export function applyStatus(status) {
  app.status = status;
  app.domains = new Map(status.domains.map((d) => [d.id, d]));
  app.closeness = new Map(status.closeness.map((c) => [c.id, c]));
  app.reader = status.settings.reader ?? null;
  applyZoom(status.settings.zoom ?? 1);
  for (const radio of document.querySelectorAll('input[name="reader"]')) radio.checked = radio.value === app.reader;
  $('reader').classList.toggle('unset', !app.reader);
  for (const id of [...app.filters]) if (!app.domains.has(id)) app.filters.delete(id);
  renderFilters();
  renderProblems(status.problems);
  // A network folder is polled: colleagues' edits arrive within the interval, not at once.
  $('watch-mode').textContent = status.watching ?? '';
  $('watch-mode').hidden = !status.watching;
  $('folder-warning').textContent = status.folder_warning ? `Warning: ${status.folder_warning}` : '';
  $('folder-warning').hidden = !status.folder_warning;
}

// Called after every refresh of the status (a save, a delete, an import, a change on disk).
const refreshed = [];
export function onStatusRefreshed(handler) {
  refreshed.push(handler);
}

export async function refreshStatus() {
  applyStatus(await call('app_status'));
  for (const handler of refreshed) handler();
}

function renderFilters() {
  const bar = $('filters');
  bar.replaceChildren(...app.status.domains.map((d) => el('button', {
    type: 'button',
    class: 'chip',
    'aria-pressed': String(app.filters.has(d.id)),
    dataset: { domain: d.id },
    title: d.description,
    text: d.name,
    onclick: (event) => {
      if (app.filters.has(d.id)) app.filters.delete(d.id);
      else app.filters.add(d.id);
      event.currentTarget.setAttribute('aria-pressed', String(app.filters.has(d.id)));
      runSearch();
    },
  })));
  bar.hidden = app.status.domains.length === 0;
}

function renderProblems(problems) {
  const box = $('problems');
  const errors = problems.filter((p) => p.severity === 'error');
  const warnings = problems.length - errors.length;
  box.dataset.count = String(errors.length);
  if (!errors.length) {
    box.hidden = true;
    return;
  }
  const files = new Set(errors.map((p) => p.path)).size;
  $('problems-title').textContent = `${files} glossary file${files === 1 ? '' : 's'} with problems (${errors.length} error${errors.length === 1 ? '' : 's'}${warnings ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}); the rest of the glossary loaded`;
  $('problems-list').replaceChildren(...errors.map((p) => el('li', { dataset: { path: p.path } },
    el('span', { class: 'path', text: `${p.path}:${p.line}:${p.column}` }), ' ',
    el('span', { class: 'sev', text: p.severity }), ' ',
    el('span', { class: 'message', text: p.message }))));
  box.hidden = false;
}

$('problems-toggle').addEventListener('click', (event) => {
  const list = $('problems-list');
  list.hidden = !list.hidden;
  event.currentTarget.setAttribute('aria-expanded', String(!list.hidden));
  event.currentTarget.textContent = list.hidden ? 'Show details' : 'Hide details';
});

// ---------------------------------------------------------------- zoom

// Every size in the stylesheet is in rem, so the root font size zooms the whole window (set
// through the CSSOM, which the CSP allows; there is no inline style in the markup).
const ZOOM_STEPS = [0.67, 0.75, 0.8, 0.9, 1, 1.1, 1.25, 1.5, 1.75, 2, 2.5, 3];

function applyZoom(zoom) {
  app.zoom = zoom;
  document.documentElement.style.fontSize = zoom === 1 ? '' : `${Math.round(zoom * 100)}%`;
  document.documentElement.dataset.zoom = String(zoom);
}

let zoomNoteTimer = null;
export async function zoomTo(zoom) {
  applyZoom(zoom);
  setResultsStatus(`Zoom ${Math.round(zoom * 100)}%${zoom === 1 ? '' : ' (Ctrl+0 resets)'}`);
  clearTimeout(zoomNoteTimer);
  zoomNoteTimer = setTimeout(() => {
    if ($('results-status').textContent.startsWith('Zoom ')) setResultsStatus('');
  }, 2500);
  try {
    applyStatus(await call('save_settings', { zoom }));
  } catch (err) {
    setResultsStatus(err.message);
  }
}

export function zoomStep(direction) {
  const current = app.zoom ?? 1;
  const next = direction > 0
    ? ZOOM_STEPS.find((z) => z > current + 0.001) ?? ZOOM_STEPS.at(-1)
    : [...ZOOM_STEPS].reverse().find((z) => z < current - 0.001) ?? ZOOM_STEPS[0];
  zoomTo(next);
}
