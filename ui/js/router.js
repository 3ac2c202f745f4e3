// Where the window is: the history of routes (entry, settings, translate, help, exchange),
// what each route mounts in the pane, the home page, and the glossary folder actions.
import { call } from './bridge.js';
import { el, fromTemplate, setText } from './dom.js';
import { renderEntry } from './entry.js';
import { renderSettings } from './settings.js';
import { renderTranslate } from './translate.js';
import { renderExchange } from './exchange.js';
import { renderHelp } from './help.js';
import { renderQueue } from './review.js';
import { recordOpened, renderJournal, starButton } from './journal.js';
import { app, nav, q, view, setResultsStatus } from './state.js';
import { mount } from './pane.js';
import { applyStatus, refreshStatus } from './status.js';
import { runSearch } from './results.js';
import { refreshSync } from './sync.js';
import { leaveEditor, ensureAuthor, openEditor, deleteEntry, checkEditorStale } from './edit-flow.js';

export async function setReader(reader) {
  app.reader = reader;
  try {
    applyStatus(await call('save_settings', { reader }));
  } catch (err) {
    setResultsStatus(err.message);
  }
  runSearch();
  const route = app.history[app.pos];
  if (route && route.kind === 'entry' && !app.editor) showRoute(route);
  if (route && route.kind === 'translate') view.querySelector('.translate')?.retranslate?.();
}

export async function showRoute(route, { focusView = false } = {}) {
  if (route.kind === 'entry') {
    let data;
    try {
      data = await call('get_entry', { id: route.id, reader: app.reader });
    } catch (err) {
      mount(el('p', { class: 'form-error', role: 'alert', text: err.message }), 'error');
      return;
    }
    // An editor opened meanwhile (a sync conflict while the page refreshed): it stays.
    if (app.editor) return;
    view.dataset.entryId = data.entry.id;
    mount(renderEntry(data, {
      domains: app.domains,
      canBack: app.pos > 0,
      canForward: app.pos < app.history.length - 1,
      onBack: () => go(-1),
      onForward: () => go(1),
      onOpen: (id) => openEntry(id, { focusView: true }),
      onEdit: (id) => openEditor(id),
      onDelete: (entryView) => deleteEntry(entryView),
      review: {
        settings: app.status?.settings ?? {},
        onSigned: async () => {
          await refreshStatus();
          await showRoute(route);
          runSearch();
        },
      },
    }), 'entry');
    view.querySelector('.entry-head')?.append(starButton(data.entry.id), copyLinkButton(data.entry.id));
    view.dataset.entryId = data.entry.id;
    document.title = `${data.entry.term} — Babelfish`;
  } else if (route.kind === 'settings') {
    mount(renderSettings(app.status, settingsActions), 'settings');
    document.title = 'Settings — Babelfish';
  } else if (route.kind === 'translate') {
    mount(renderTranslate({
      domains: app.domains,
      getReader: () => app.reader,
      onOpen: (id) => openEntry(id, { focusView: true }),
      scroller: view,
    }), 'translate');
    document.title = 'Translate — Babelfish';
    if (focusView) {
      view.querySelector('#t-text').focus();
      return;
    }
  } else if (route.kind === 'review') {
    mount(renderQueue({
      side: route.side ?? null,
      onOpen: (id) => openEntry(id, { focusView: true }),
      // Focus the queue again: the pressed side button is replaced with the new list.
      onSide: (side) => navigate({ kind: 'review', side }, { focusView: true }),
    }), 'review');
    document.title = 'Review queue — Babelfish';
  } else if (route.kind === 'journal') {
    mount(el('div', { class: 'journal-page' }, renderJournal(journalActions)), 'journal');
    document.title = 'Favourites and history — Babelfish';
  } else if (route.kind === 'help') {
    mount(renderHelp(app.status), 'help');
    document.title = 'Help — Babelfish';
  } else if (route.kind === 'exchange') {
    mount(renderExchange({
      editable: Boolean(app.status?.glossary.editable),
      ensureAuthor,
      onImported: async () => {
        await refreshStatus();
        runSearch();
      },
    }), 'exchange');
    document.title = 'Import and export — Babelfish';
  } else {
    showHome();
  }
  if (focusView) view.focus();
}

// "Copy link": puts the entry's babelfish:// link on the clipboard (through the shell); the
// button then says so.
function copyLinkButton(id) {
  const button = el('button', { type: 'button', class: 'copy-link', text: 'Copy link' });
  button.addEventListener('click', async () => {
    try {
      const link = await call('copy_entry_link', { id });
      button.textContent = 'Link copied';
      button.dataset.link = link;
    } catch (err) {
      button.textContent = 'Copy link';
      button.title = err.message;
    }
  });
  return button;
}

// What the Favourites and Recent look-ups lists do (ui/js/journal.js).
const journalActions = {
  onOpen: (id) => openEntry(id, { focusView: true }),
  onSearch: (text) => {
    q.value = text;
    runSearch();
    q.focus();
  },
  getReader: () => app.reader,
};

export function showHome() {
  if (app.status && app.status.glossary.error) {
    const node = fromTemplate('tpl-no-glossary');
    const g = app.status.glossary;
    setText(node, '.reason', g.error.message);
    node.querySelector('.choose-folder').addEventListener('click', settingsActions.chooseFolder);
    node.querySelector('.use-default').addEventListener('click', settingsActions.useDefault);
    mount(node, 'no-glossary');
  } else {
    const node = fromTemplate('tpl-welcome');
    if (app.status) {
      const g = app.status.glossary;
      setText(node, '.glossary-line', `${g.entries} entries from ${g.folder ?? 'the glossary built into Babelfish'}.`);
      // First run: ask once which side the reader is on (skippable).
      const settings = app.status.settings;
      const ask = node.querySelector('.side-ask');
      ask.hidden = Boolean(settings.reader || settings.side_asked);
      for (const button of ask.querySelectorAll('[data-reader]')) {
        button.addEventListener('click', async () => {
          await setReader(button.dataset.reader);
          if (view.dataset.view === 'welcome') showHome();
          q.focus();
        });
      }
      ask.querySelector('.side-skip').addEventListener('click', async () => {
        try {
          applyStatus(await call('save_settings', { sideAsked: true }));
        } catch (err) {
          setResultsStatus(err.message);
        }
        if (view.dataset.view === 'welcome') showHome();
        q.focus();
      });
    }
    node.append(renderJournal(journalActions));
    mount(node, 'welcome');
  }
  delete view.dataset.entryId;
  document.title = 'Babelfish';
}

export async function navigate(route, options = {}) {
  if (!(await leaveEditor())) return;
  app.history = app.history.slice(0, app.pos + 1);
  const current = app.history[app.pos];
  if (!current || JSON.stringify(current) !== JSON.stringify(route)) {
    app.history.push(route);
    app.pos = app.history.length - 1;
  }
  await showRoute(route, options);
}

// Opens entry `id`; `options.search` is the query whose results it was opened from (recorded
// in history with it).
export function openEntry(id, options = {}) {
  recordOpened(id, options.search);
  return navigate({ kind: 'entry', id }, options);
}

export async function go(step) {
  const target = app.pos + step;
  if (target < 0 || target >= app.history.length) return;
  if (!(await leaveEditor())) return;
  app.pos = target;
  await showRoute(app.history[app.pos], { focusView: true });
}

const settingsActions = {
  async save({ author, reader, reviewSide, keepInTray }) {
    applyStatus(await call('save_settings', { author, reader, keepInTray }));
    applyStatus(await call('set_review_side', { side: reviewSide ?? null }));
    runSearch();
  },
  // Resolves to the new status (its lookup_shortcut says what is in force).
  async saveShortcut(lookupShortcut) {
    const status = await call('save_settings', { lookupShortcut });
    applyStatus(status);
    return status;
  },
  async saveKeepInTray(keepInTray) {
    applyStatus(await call('save_settings', { keepInTray }));
  },
  async chooseFolder() {
    if (!(await leaveEditor())) return;
    const choice = await call('choose_glossary_folder');
    if (choice.status) glossaryChanged(choice.status);
    else if (choice.empty_folder) offerToStartGlossary(choice.empty_folder);
  },
  async useDefault() {
    if (!(await leaveEditor())) return;
    glossaryChanged(await call('use_default_glossary'));
  },
  async reload() {
    glossaryChanged(await call('reload_glossary'));
  },
};

// An empty folder was chosen: offer to start a shared glossary there (the core writes the
// bundled vocabularies, with or without the bundled entries), and say how colleagues share it.
function offerToStartGlossary(folder) {
  const node = fromTemplate('tpl-start-glossary');
  setText(node, '.start-folder', folder);
  const start = async (withEntries) => {
    for (const button of node.querySelectorAll('button')) button.disabled = true;
    try {
      const status = await call('start_glossary', { withEntries });
      glossaryChanged(status);
      setResultsStatus(`Started a shared glossary in ${status.glossary.folder} with ${status.glossary.entries} entries.`);
    } catch (err) {
      setText(node, '.start-error', err.message);
      node.querySelector('.start-error').hidden = false;
      for (const button of node.querySelectorAll('button')) button.disabled = false;
    }
  };
  node.querySelector('.start-with-entries').addEventListener('click', () => start(true));
  node.querySelector('.start-empty').addEventListener('click', () => start(false));
  node.querySelector('.start-cancel').addEventListener('click', () => {
    const route = app.history[app.pos];
    if (route) showRoute(route, { focusView: true });
    else showHome();
  });
  mount(node, 'start-glossary');
  document.title = 'Start a shared glossary — Babelfish';
  node.querySelector('.start-with-entries').focus();
}

function glossaryChanged(status) {
  applyStatus(status);
  refreshSync({ remote: true });
  app.history = [];
  app.pos = -1;
  if (view.dataset.view === 'settings') showRoute({ kind: 'settings' });
  else showHome();
  runSearch();
}

// The glossary folder changed on disk (a colleague's edit, a git pull): Rust's
// glossary-changed event.
let glossaryVersion = 0;
export async function onGlossaryChanged() {
  await refreshStatus();
  await runSearch();
  const route = app.history[app.pos];
  await checkEditorStale();
  if (!app.editor) {
    if (route && route.kind === 'exchange') {
      // Keep an import in progress (its own reload lands here too).
    } else if (route && route.kind === 'translate') {
      view.querySelector('.translate')?.retranslate?.();
    } else if (route) await showRoute(route);
    else showHome();
  }
  document.body.dataset.glossaryVersion = String(++glossaryVersion);
}

nav.openEntry = openEntry;
nav.showRoute = showRoute;
nav.showHome = showHome;
