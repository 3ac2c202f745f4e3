// Babelfish window: search as you type, read, follow mappings both ways, edit.
import { call } from './ipc.js';
import { el, fromTemplate, setText } from './dom.js';
import { renderEntry } from './entry.js';
import { Editor, blankEntry } from './editor.js';
import { renderSettings } from './settings.js';
import { confirmDialog, askAuthor } from './dialogs.js';
import { renderTranslate } from './translate.js';
import { renderExchange } from './exchange.js';
import { renderHelp } from './help.js';

const $ = (id) => document.getElementById(id);
const q = $('q');
const results = $('results');
const view = $('view');

const app = {
  status: null,
  domains: new Map(), // id -> {id, name, side, description}
  reader: null,
  filters: new Set(),
  hits: [],
  active: -1,
  seq: 0,
  history: [], // routes: {kind: 'entry', id} | {kind: 'settings'} | {kind: 'translate'} | {kind: 'exchange'}
  pos: -1,
  editor: null,
};

// ---------------------------------------------------------------- status and chrome

function applyStatus(status) {
  app.status = status;
  app.domains = new Map(status.domains.map((d) => [d.id, d]));
  app.reader = status.settings.reader ?? null;
  applyZoom(status.settings.zoom ?? 1);
  for (const radio of document.querySelectorAll('input[name="reader"]')) radio.checked = radio.value === app.reader;
  $('reader').classList.toggle('unset', !app.reader);
  for (const id of [...app.filters]) if (!app.domains.has(id)) app.filters.delete(id);
  renderFilters();
  renderProblems(status.problems);
}

async function refreshStatus() {
  applyStatus(await call('app_status'));
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

// ---------------------------------------------------------------- search

function setResultsStatus(text) {
  $('results-status').textContent = text;
}

// Result options are kept and refilled rather than rebuilt: typing usually refines a query,
// so most options keep their text and the browser has little to restyle and lay out. Each
// option's parts are made once; a part is written only when its text changes.
const optionPool = [];

function setIfChanged(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

function setBadge(node, domainId) {
  const domain = app.domains.get(domainId);
  setIfChanged(node, domain ? domain.name : domainId);
  const className = `badge side-${domain ? domain.side : 'informatics'}`;
  if (node.className !== className) node.className = className;
}

// Only these closenesses are shown as the one-line translation under a result; "related" is
// an analogy, not an equivalent, and is left to the entry's "See also / loosely related".
const TRANSLATION_MARK = { exact: '= same thing:', close: '≈ close:', broader: 'broader term:', narrower: 'narrower term:' };

function makeOption(index) {
  const parts = {
    term: el('span', { class: 'hit-term' }),
    badge: el('span', { class: 'badge' }),
    abbr: el('span', { class: 'hit-abbr' }),
    arrow: el('span', { class: 'arrow' }),
    target: el('span', { class: 'hit-target' }),
    targetBadge: el('span', { class: 'badge' }),
    closeness: el('span', { class: 'closeness' }),
    more: el('span', { class: 'arrow' }),
    falseFriend: el('span', { class: 'ff-marker' }),
    snippet: el('p', { class: 'hit-snippet' }),
    snippetKey: null,
  };
  parts.mapped = [parts.closeness, ' ', parts.target, ' ', parts.targetBadge, parts.more]
    .map((n) => (typeof n === 'string' ? document.createTextNode(n) : n));
  parts.translation = el('div', { class: 'hit-translation' }, parts.arrow, ...parts.mapped);
  const li = el('li', { role: 'option', id: `opt-${index}`, 'aria-selected': 'false' },
    el('div', { class: 'hit-head' }, parts.term, parts.badge, parts.abbr),
    parts.translation, parts.falseFriend, parts.snippet);
  li.parts = parts;
  return li;
}

// "Clinical (NHS hospital)" once, however many senses it holds.
function vocabularyNames(refs) {
  const names = [...new Set(refs.map((f) => app.domains.get(f.domain)?.name ?? f.domain))];
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names[0] ?? '';
}

function fillOption(li, hit) {
  const p = li.parts;
  if (li.dataset.id !== hit.id) li.dataset.id = hit.id;
  if (li.getAttribute('aria-selected') !== 'false') li.setAttribute('aria-selected', 'false');
  markCurrent(li);
  setIfChanged(p.term, hit.term);
  setBadge(p.badge, hit.domain);
  setIfChanged(p.abbr, hit.abbreviations.join(', '));
  p.abbr.hidden = !hit.abbreviations.length;

  const direct = hit.mappings.filter((mapping) => TRANSLATION_MARK[mapping.closeness]);
  const loose = hit.mappings.length - direct.length;
  const m = direct[0];
  setIfChanged(p.arrow, m ? '' : (loose
    ? `No direct equivalent (${loose} loosely related: see the entry)`
    : 'No equivalent on the other side'));
  p.arrow.hidden = Boolean(m);
  if (m) {
    setIfChanged(p.target, m.term);
    setBadge(p.targetBadge, m.domain);
    setIfChanged(p.closeness, TRANSLATION_MARK[m.closeness]);
    const closeness = `closeness ${m.closeness}`;
    if (p.closeness.className !== closeness) p.closeness.className = closeness;
    setIfChanged(p.more, direct.length > 1 ? ` +${direct.length - 1} more` : '');
    p.more.hidden = direct.length < 2;
  }
  // Without a counterpart the line is the arrow's text alone: detach the other parts.
  if (Boolean(m) !== p.translation.contains(p.mapped[0])) {
    if (m) p.translation.append(...p.mapped);
    else p.mapped.forEach((n) => n.remove());
  }

  setIfChanged(p.falseFriend, hit.false_friends.length
    ? `False friend: also means something else in ${vocabularyNames(hit.false_friends)}`
    : '');
  p.falseFriend.hidden = !hit.false_friends.length;

  const snippetKey = JSON.stringify(hit.snippet);
  if (p.snippetKey !== snippetKey) {
    p.snippetKey = snippetKey;
    p.snippet.replaceChildren(...hit.snippet.map((f) => (f.highlight ? el('mark', { text: f.text }) : f.text)));
  }
}

// The result whose entry is open is marked (aria-current), so the list says where you are.
function markCurrent(li) {
  const current = view.dataset.view === 'entry' && view.dataset.entryId === li.dataset.id;
  if (current) {
    if (li.getAttribute('aria-current') !== 'true') li.setAttribute('aria-current', 'true');
  } else if (li.hasAttribute('aria-current')) {
    li.removeAttribute('aria-current');
  }
}

function markCurrentResults() {
  for (const li of results.children) markCurrent(li);
}

function optionIndex(event) {
  const li = event.target.closest('[role="option"]');
  return li && li.parentNode === results ? Array.prototype.indexOf.call(results.children, li) : -1;
}

results.addEventListener('mousedown', (event) => {
  if (optionIndex(event) >= 0) event.preventDefault(); // keep focus in the box
});
results.addEventListener('click', (event) => {
  const index = optionIndex(event);
  const hit = app.hits[index];
  if (!hit) return;
  setActive(index);
  openEntry(hit.id, { focusView: true });
});

function renderHits(query, hits) {
  app.hits = hits;
  while (optionPool.length < hits.length) optionPool.push(makeOption(optionPool.length));
  hits.forEach((hit, i) => fillOption(optionPool[i], hit));
  const shown = results.children.length;
  if (shown > hits.length) {
    for (let i = shown - 1; i >= hits.length; i--) results.lastElementChild.remove();
  } else if (shown < hits.length) {
    results.append(...optionPool.slice(shown, hits.length));
  }
  app.active = -1;
  q.removeAttribute('aria-activedescendant');
  q.setAttribute('aria-expanded', String(hits.length > 0));
  const trimmed = query.trim();
  const empty = $('empty');
  if (trimmed && !hits.length) {
    $('empty-text').textContent = `No entry matches “${trimmed}”.`;
    empty.hidden = false;
  } else {
    empty.hidden = true;
  }
  const status = trimmed ? `${hits.length} result${hits.length === 1 ? '' : 's'}` : '';
  if ($('results-status').textContent !== status) setResultsStatus(status);
  results.dataset.count = String(hits.length);
  results.dataset.renderedQuery = query; // tests wait on this
}

let measures = 0;
async function runSearch(event) {
  const seq = ++app.seq;
  const query = q.value;
  const start = `bf-key-${seq}`;
  try {
    performance.mark(start, event && event.timeStamp ? { startTime: event.timeStamp } : undefined);
  } catch {
    performance.mark(start);
  }
  let hits = [];
  if (query.trim()) {
    try {
      hits = (await call('search', { query, domains: [...app.filters], reader: app.reader, limit: 30 })).hits;
    } catch (err) {
      if (seq === app.seq) setResultsStatus(err.message);
      return;
    }
  }
  if (seq !== app.seq) return; // a newer keystroke's results are on their way
  if (query.trim()) performance.measure('bf-keystroke-to-answer', start);
  renderHits(query, hits);
  if (!query.trim()) {
    performance.clearMarks(start);
    return;
  }
  // Read by the benchmark (src-tauri/tests/bench.rs) over WebDriver.
  performance.measure('bf-keystroke-to-results', start);
  requestAnimationFrame(() => {
    performance.measure('bf-keystroke-to-frame', start);
    performance.clearMarks(start);
  });
  if (++measures > 5000) {
    performance.clearMeasures();
    measures = 0;
  }
}

function setActive(index) {
  const options = results.querySelectorAll('[role="option"]');
  if (!options.length) return;
  app.active = Math.max(0, Math.min(index, options.length - 1));
  options.forEach((o, i) => o.setAttribute('aria-selected', String(i === app.active)));
  const option = options[app.active];
  q.setAttribute('aria-activedescendant', option.id);
  option.scrollIntoView({ block: 'nearest' });
}

function clearSearch() {
  q.value = '';
  runSearch();
}

q.addEventListener('input', runSearch);
q.addEventListener('keydown', (event) => {
  if (event.key === 'ArrowDown') {
    event.preventDefault();
    setActive(app.active + 1);
  } else if (event.key === 'ArrowUp') {
    event.preventDefault();
    setActive(app.active <= 0 ? 0 : app.active - 1);
  } else if (event.key === 'Home' && app.active >= 0) {
    event.preventDefault();
    setActive(0);
  } else if (event.key === 'End' && app.active >= 0) {
    event.preventDefault();
    setActive(app.hits.length - 1);
  } else if (event.key === 'Enter') {
    event.preventDefault();
    const hit = app.hits[app.active >= 0 ? app.active : 0];
    if (hit) openEntry(hit.id, { focusView: true });
    // Nothing to open. Suggesting a term is a deliberate choice (the button below), never
    // what a reflexive Enter does.
    else if (q.value.trim()) setResultsStatus('Nothing to open: no entry matches. To add it, choose “Suggest this term”.');
  } else if (event.key === 'Escape') {
    event.preventDefault();
    clearSearch();
  }
});

for (const radio of document.querySelectorAll('input[name="reader"]')) {
  radio.addEventListener('change', () => setReader(radio.value));
}

async function setReader(reader) {
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

// ---------------------------------------------------------------- navigation

async function leaveEditor() {
  if (!app.editor) return true;
  if (app.editor.isDirty()) {
    const term = app.editor.collect().term || 'this new entry';
    const discard = await confirmDialog({
      title: 'Discard unsaved changes?',
      body: `Your changes to “${term}” are not saved. If you leave now they are lost.`,
      ok: 'Discard changes',
      cancel: 'Keep editing',
    });
    if (!discard) return false;
  }
  app.editor = null;
  call('set_unsaved', { unsaved: false }).catch(() => {});
  return true;
}

function mount(node, kind) {
  view.replaceChildren(node);
  view.dataset.view = kind;
  view.scrollTop = 0;
  markCurrentResults();
}

async function showRoute(route, { focusView = false } = {}) {
  if (route.kind === 'entry') {
    let data;
    try {
      data = await call('get_entry', { id: route.id, reader: app.reader });
    } catch (err) {
      mount(el('p', { class: 'form-error', role: 'alert', text: err.message }), 'error');
      return;
    }
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
    }), 'entry');
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

function showHome() {
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
    mount(node, 'welcome');
  }
  delete view.dataset.entryId;
  document.title = 'Babelfish';
}

async function navigate(route, options = {}) {
  if (!(await leaveEditor())) return;
  app.history = app.history.slice(0, app.pos + 1);
  const current = app.history[app.pos];
  if (!current || JSON.stringify(current) !== JSON.stringify(route)) {
    app.history.push(route);
    app.pos = app.history.length - 1;
  }
  await showRoute(route, options);
}

function openEntry(id, options) {
  return navigate({ kind: 'entry', id }, options);
}

async function go(step) {
  const target = app.pos + step;
  if (target < 0 || target >= app.history.length) return;
  if (!(await leaveEditor())) return;
  app.pos = target;
  await showRoute(app.history[app.pos], { focusView: true });
}

// ---------------------------------------------------------------- editing

const NOT_SAVED_WITHOUT_NAME = 'Not saved: Babelfish records who changed each entry, so it needs your name. Choose Save again and enter it; your changes are still here.';

async function ensureAuthor() {
  if (app.status.settings.author) return true;
  return askAuthor(async (author) => applyStatus(await call('save_settings', { author })));
}

function mountEditor(editor) {
  app.editor = editor;
  editor.form.addEventListener('submit', (event) => {
    event.preventDefault();
    saveEditor();
  });
  editor.form.querySelector('.cancel').addEventListener('click', async () => {
    if (!(await leaveEditor())) return;
    const route = app.history[app.pos];
    if (route) showRoute(route, { focusView: true });
    else showHome();
  });
  // Once a save has shown problems, check again as the user types so messages clear.
  let pending = null;
  editor.form.addEventListener('input', () => {
    if (editor.form.dataset.problems === undefined) return;
    clearTimeout(pending);
    pending = setTimeout(async () => {
      try {
        const problems = await call('validate_entry', { entry: editor.collect() });
        if (app.editor === editor) editor.showProblems(problems, { quiet: true });
      } catch {
        // Saving will report it.
      }
    }, 250);
  });
  mount(editor.form, 'editor');
  document.title = `${editor.isNew ? 'New entry' : 'Edit'} — Babelfish`;
  editor.field('term').focus();
}

async function openEditor(id) {
  if (!(await leaveEditor())) return;
  let stored;
  try {
    stored = await call('read_entry', { id });
  } catch (err) {
    mount(el('p', { class: 'form-error', role: 'alert', text: err.message }), 'error');
    return;
  }
  mountEditor(new Editor({
    entry: stored.entry,
    base: { revision: stored.entry.revision, hash: stored.hash },
    domains: app.domains,
    onChange: (dirty) => call('set_unsaved', { unsaved: dirty }).catch(() => {}),
  }));
}

async function newEntry(term = '') {
  if (!app.status || app.status.glossary.error) return;
  if (!app.status.glossary.editable) {
    setResultsStatus('The built-in glossary is read-only: choose a glossary folder in Settings to add entries.');
    return;
  }
  if (!(await leaveEditor())) return;
  // A clinician usually suggests a term from the other side, and the other way round.
  const preferred = app.status.domains.find((d) => app.reader && d.side !== (app.reader === 'clinician' ? 'clinical' : 'informatics'));
  const editor = new Editor({
    entry: blankEntry(term, preferred?.id ?? app.status.domains[0]?.id),
    base: null,
    domains: app.domains,
    onChange: (dirty) => call('set_unsaved', { unsaved: dirty }).catch(() => {}),
  });
  // An untouched draft (even one pre-filled from the search) is not unsaved work: leaving it
  // asks nothing. Only what the user types into it counts.
  mountEditor(editor);
}

function suggest() {
  return newEntry(q.value.trim());
}

async function saveEditor({ overrideBase = null } = {}) {
  const editor = app.editor;
  if (!editor) return;
  if (!(await ensureAuthor())) {
    editor.showError(NOT_SAVED_WITHOUT_NAME);
    return;
  }
  const entry = editor.collect();
  editor.clearProblems();
  const saveButton = editor.form.querySelector('.save');
  saveButton.disabled = true;
  try {
    let saved;
    if (editor.isNew) {
      saved = await call('create_entry', { entry });
    } else {
      saved = await call('save_entry', { entry, base: overrideBase ?? editor.base });
    }
    editor.markClean();
    app.editor = null;
    await call('set_unsaved', { unsaved: false });
    await refreshStatus();
    await openEntry(saved.id, { focusView: true });
    runSearch();
  } catch (err) {
    if (err.code === 'invalid') {
      editor.showProblems(err.details?.problems ?? []);
    } else if (err.code === 'conflict') {
      const conflict = err.details;
      editor.showConflict(conflict, {
        onKeepMine: () => {
          editor.hideConflict();
          if (conflict.theirs) {
            editor.base = { revision: conflict.theirs.revision, hash: conflict.theirs_hash };
          } else {
            editor.isNew = true;
          }
          saveEditor();
        },
        onSaveMerged: () => {
          editor.hideConflict();
          editor.base = { revision: conflict.theirs.revision, hash: conflict.theirs_hash };
          saveEditor();
        },
        onSaveAsNew: () => saveAsNew(editor),
        onTakeTheirs: async () => {
          editor.markClean();
          app.editor = null;
          await call('set_unsaved', { unsaved: false });
          await refreshStatus();
          await openEntry(conflict.id, { focusView: true });
        },
      });
    } else if (err.code === 'author_required') {
      app.status.settings.author = '';
      if (await ensureAuthor()) saveEditor();
      else editor.showError(NOT_SAVED_WITHOUT_NAME);
    } else {
      editor.showError(err.message);
    }
  } finally {
    saveButton.disabled = false;
  }
}

// The entry being edited was deleted by someone else: save the form's text as a new entry.
function saveAsNew(editor) {
  if (app.editor !== editor) return;
  editor.hideConflict();
  editor.hideStale();
  editor.becomeNew();
  saveEditor();
}

async function deleteEntry(data) {
  const entry = data.entry;
  const links = data.linked_from;
  const body = [el('p', { text: `“${entry.term}” (${data.domain_name}) will be removed from the glossary folder.` })];
  if (links.length) {
    body.push(el('p', { text: `${links.length} entr${links.length === 1 ? 'y links' : 'ies link'} to it; ${links.length === 1 ? 'that link' : 'those links'} would be left dangling until someone edits ${links.length === 1 ? 'it' : 'them'}:` }));
    body.push(el('ul', { class: 'dangling' }, links.map((l) => el('li', { text: `${l.term} (${l.domain_name}, ${l.id})` }))));
  } else {
    body.push(el('p', { text: 'No other entry links to it.' }));
  }
  const ok = await confirmDialog({ title: `Delete “${entry.term}”?`, body, ok: 'Delete entry', cancel: 'Keep it' });
  if (!ok) return;
  try {
    await call('delete_entry', { id: entry.id, base: { revision: entry.revision, hash: null } });
  } catch (err) {
    mount(el('p', { class: 'form-error', role: 'alert', text: err.message }), 'error');
    return;
  }
  app.history = app.history.filter((r) => !(r.kind === 'entry' && r.id === entry.id));
  app.pos = app.history.length - 1;
  await refreshStatus();
  showHome();
  setResultsStatus(`Deleted “${entry.term}”.`);
  runSearch();
  q.focus();
}

// ---------------------------------------------------------------- settings

const settingsActions = {
  async save({ author, reader }) {
    applyStatus(await call('save_settings', { author, reader }));
    runSearch();
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
  app.history = [];
  app.pos = -1;
  if (view.dataset.view === 'settings') showRoute({ kind: 'settings' });
  else showHome();
  runSearch();
}

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
async function zoomTo(zoom) {
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

function zoomStep(direction) {
  const current = app.zoom ?? 1;
  const next = direction > 0
    ? ZOOM_STEPS.find((z) => z > current + 0.001) ?? ZOOM_STEPS.at(-1)
    : [...ZOOM_STEPS].reverse().find((z) => z < current - 0.001) ?? ZOOM_STEPS[0];
  zoomTo(next);
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
$('open-help').addEventListener('click', () => navigate({ kind: 'help' }, { focusView: true }));
$('open-translate').addEventListener('click', () => navigate({ kind: 'translate' }, { focusView: true }));
$('open-exchange').addEventListener('click', () => navigate({ kind: 'exchange' }, { focusView: true }));

// Called from Rust when the window is closed with unsaved changes.
window.babelfishCloseRequested = async () => {
  if (await leaveEditor()) await call('close_window');
};

// Called from Rust when the glossary folder changed on disk (a colleague's edit, a git pull).
let glossaryVersion = 0;
window.babelfishGlossaryChanged = async () => {
  await refreshStatus();
  await runSearch();
  const route = app.history[app.pos];
  if (app.editor && !app.editor.isNew && app.editor.base) {
    // Is the entry being edited one of the files that changed?
    try {
      const stored = await call('read_entry', { id: app.editor.original.id });
      if (stored.hash !== app.editor.base.hash) app.editor.showStale(stored);
    } catch (err) {
      const editor = app.editor;
      if (err.code === 'not_found') editor.showStale(null, { onSaveAsNew: () => saveAsNew(editor) });
    }
  }
  if (!app.editor) {
    if (route && route.kind === 'exchange') {
      // Keep an import in progress (its own reload lands here too).
    } else if (route && route.kind === 'translate') {
      view.querySelector('.translate')?.retranslate?.();
    } else if (route) await showRoute(route);
    else showHome();
  }
  document.body.dataset.glossaryVersion = String(++glossaryVersion);
};

async function start() {
  q.focus();
  setResultsStatus('Loading the glossary…');
  try {
    await refreshStatus();
  } catch (err) {
    setResultsStatus(err.message);
    return;
  }
  setResultsStatus('');
  showHome();
  if (q.value) await runSearch();
  document.body.dataset.ready = 'true';
  document.body.dataset.readyAt = String(performance.timeOrigin + performance.now());
}

start();
