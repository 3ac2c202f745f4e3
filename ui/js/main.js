// Babelfish window: search as you type, read, follow mappings both ways, edit. This module
// only wires the page together; each concern has its own module:
//   bridge.js    the one door to Rust (invoke, events)
//   state.js     what the window holds, and the page's fixed elements
//   status.js    the app's status applied to the chrome (filters, problems, zoom)
//   results.js   search as you type and the results list
//   pane.js      what the main pane shows
//   edit-flow.js editing, saving, conflicts, deleting
//   router.js    routes, history, home, the glossary folder actions
//   sync.js      git sync: status line, Sync button, sync conflicts, History tab
// (entry.js, editor.js, translate.js, exchange.js, settings.js, help.js render one view each;
// review.js the status chips, an entry's sign-offs and the review queue.)
import { EVENTS, call, listen } from './bridge.js';
import { $, app, q, view, setResultsStatus } from './state.js';
import { refreshStatus, zoomStep, zoomTo } from './status.js';
import { runSearch } from './results.js';
import { leaveEditor, newEntry, suggest } from './edit-flow.js';
import { go, navigate, onGlossaryChanged, openEntry, setReader, showHome } from './router.js';
import { refreshSync } from './sync.js';
import { expectDroppedDocument } from './translate.js';

for (const radio of document.querySelectorAll('input[name="reader"]')) {
  radio.addEventListener('change', () => setReader(radio.value));
}

// ---------------------------------------------------------------- right-click

// WebKit's own menu offers Back, Forward and Reload, and Reload throws away an unsaved edit and
// the text pasted into Translate without asking. It is only kept where it helps: in text fields
// (cut, copy, paste) and on selected text (copy).
document.addEventListener('contextmenu', (event) => {
  const target = event.target instanceof Element ? event.target : null;
  if (target && target.closest('input, textarea, [contenteditable="true"]')) return;
  const selection = window.getSelection();
  if (selection && !selection.isCollapsed && String(selection).trim()) return;
  event.preventDefault();
});

// ---------------------------------------------------------------- global keys and start

document.addEventListener('keydown', (event) => {
  if (document.querySelector('dialog[open]')) return;
  const ctrl = (event.ctrlKey || event.metaKey) && !event.altKey;
  if (ctrl && (event.key === '+' || event.key === '=' || event.code === 'NumpadAdd')) {
    event.preventDefault();
    zoomStep(1);
  } else if (ctrl && (event.key === '-' || event.key === '_' || event.code === 'NumpadSubtract')) {
    event.preventDefault();
    zoomStep(-1);
  } else if (ctrl && (event.key === '0' || event.code === 'Numpad0')) {
    event.preventDefault();
    zoomTo(1);
  } else if (event.key === 'F1') {
    event.preventDefault();
    navigate({ kind: 'help' }, { focusView: true });
  } else if (ctrl && event.key.toLowerCase() === 'r') {
    event.preventDefault(); // no reload from the keyboard either (see the right-click menu)
  } else if (event.key === 'F5') {
    event.preventDefault();
  } else if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k') {
    event.preventDefault();
    q.focus();
    q.select();
  } else if (event.altKey && event.key === 'ArrowLeft') {
    event.preventDefault();
    go(-1);
  } else if (event.altKey && event.key === 'ArrowRight') {
    event.preventDefault();
    go(1);
  }
});

$('new-entry').addEventListener('click', () => newEntry(''));
$('suggest').addEventListener('click', suggest);
$('open-settings').addEventListener('click', () => navigate({ kind: 'settings' }, { focusView: true }));
$('open-journal').addEventListener('click', () => navigate({ kind: 'journal' }, { focusView: true }));
$('open-help').addEventListener('click', () => navigate({ kind: 'help' }, { focusView: true }));
$('open-translate').addEventListener('click', () => navigate({ kind: 'translate' }, { focusView: true }));
$('open-exchange').addEventListener('click', () => navigate({ kind: 'exchange' }, { focusView: true }));
$('open-review').addEventListener('click', () => navigate({ kind: 'review', side: app.status?.settings.review_side ?? null }, { focusView: true }));
$('status-filter').addEventListener('change', (event) => {
  app.statuses = new Set(event.target.value ? [event.target.value] : []);
  runSearch();
});

// Rust asks before closing the window with unsaved changes.
async function onCloseRequested() {
  if (await leaveEditor()) await call('close_window');
}

// A file dropped on the window opens in the Translate view.
function onDocumentDropped() {
  const open = view.querySelector('.translate');
  if (open) open.openDropped();
  else {
    expectDroppedDocument();
    navigate({ kind: 'translate' }, { focusView: true });
  }
}

// Opens the babelfish:// link waiting in the shell, if any: an entry, or a search.
async function openLink() {
  let link;
  try {
    link = await call('take_link');
  } catch (err) {
    setResultsStatus(err.message);
    return;
  }
  if (!link) return;
  if (link.kind === 'entry') {
    await openEntry(link.target, { focusView: true });
  } else {
    q.value = link.target;
    await runSearch();
    q.focus();
  }
}

async function start() {
  q.focus();
  // Listening and loading go together; the page is ready once both are.
  const listening = Promise.all([
    listen(EVENTS.glossaryChanged, onGlossaryChanged),
    listen(EVENTS.closeRequested, onCloseRequested),
    listen(EVENTS.documentDropped, onDocumentDropped),
    // The lookup window asks to open an entry here.
    listen(EVENTS.openEntry, (id) => openEntry(String(id), { focusView: true })),
    // A babelfish:// link was opened: ask for it.
    listen(EVENTS.linkOpened, openLink),
  ]);
  setResultsStatus('Loading the glossary…');
  try {
    await refreshStatus();
  } catch (err) {
    setResultsStatus(err.message);
    return;
  }
  setResultsStatus('');
  refreshSync({ remote: true }); // asks the remote: not awaited, the window is usable at once
  showHome();
  if (q.value) await runSearch();
  await listening;
  // A link that started the app waited for the page.
  await openLink();
  document.body.dataset.ready = 'true';
  document.body.dataset.readyAt = String(performance.timeOrigin + performance.now());
}

start();
