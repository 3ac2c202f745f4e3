// The edit flow: open the editor on an entry or a new draft, save it (asking for the author's
// name once), resolve a conflict, delete an entry, and never drop unsaved work silently.
// Navigation goes through nav (registered by router.js).
import { call } from './bridge.js';
import { el } from './dom.js';
import { Editor, blankEntry } from './editor.js';
import { confirmDialog, askAuthor } from './dialogs.js';
import { app, nav, q, setResultsStatus } from './state.js';
import { mount } from './pane.js';
import { applyStatus, refreshStatus } from './status.js';
import { runSearch } from './results.js';

export async function leaveEditor() {
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

const NOT_SAVED_WITHOUT_NAME = 'Not saved: Babelfish records who changed each entry, so it needs your name. Choose Save again and enter it; your changes are still here.';

export async function ensureAuthor() {
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
    if (route) nav.showRoute(route, { focusView: true });
    else nav.showHome();
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

export async function openEditor(id) {
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

export async function newEntry(term = '') {
  if (!app.status || app.status.glossary.error) return;
  if (!app.status.glossary.editable) {
    setResultsStatus('The built-in glossary is read-only: choose a glossary folder in Settings to add entries.');
    return;
  }
  if (!(await leaveEditor())) return;
  // The core picks the vocabulary: a reader usually suggests a term from the other side.
  const editor = new Editor({
    entry: blankEntry(term, app.status.new_entry_domain ?? undefined),
    base: null,
    domains: app.domains,
    onChange: (dirty) => call('set_unsaved', { unsaved: dirty }).catch(() => {}),
  });
  // An untouched draft (even one pre-filled from the search) is not unsaved work: leaving it
  // asks nothing. Only what the user types into it counts.
  mountEditor(editor);
}

export function suggest() {
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
    await nav.openEntry(saved.id, { focusView: true });
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
          await nav.openEntry(conflict.id, { focusView: true });
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

// A conflict git sync left: both sides changed the same field of an entry. The entry file
// holds the user's version (`conflict.theirs`, the base a save names), which goes in the form;
// the colleague's (`conflict.mine`) is shown beside it. Every choice is saved through the
// store, which resolves the conflict; the next sync sends it.
export async function openSyncConflict(conflict, fields) {
  if (!(await leaveEditor())) return;
  const ours = conflict.theirs;
  const colleague = conflict.mine;
  const base = { revision: ours.revision, hash: conflict.theirs_hash };
  const editor = new Editor({
    entry: ours,
    base,
    domains: app.domains,
    onChange: (dirty) => call('set_unsaved', { unsaved: dirty }).catch(() => {}),
  });
  mountEditor(editor);
  // The merge screen compares each side with the version the edit started from; git's common
  // ancestor is not at hand, so the fields both changed are marked as changed on both sides
  // (nothing is chosen for them) with a value that equals neither.
  const unknown = {};
  editor.original = { ...ours, ...Object.fromEntries(fields.map((f) => [f, unknown])) };
  editor.form.dataset.syncConflict = conflict.id;
  editor.showConflict({ ...conflict, mine: ours, theirs: colleague }, {
    onKeepMine: () => {
      editor.hideConflict();
      saveEditor();
    },
    onSaveMerged: () => {
      editor.hideConflict();
      saveEditor();
    },
    onTakeTheirs: async () => {
      try {
        const saved = await call('save_entry', { entry: colleague, base });
        editor.markClean();
        app.editor = null;
        await call('set_unsaved', { unsaved: false });
        await refreshStatus();
        await nav.openEntry(saved.id, { focusView: true });
      } catch (err) {
        editor.showError(err.message);
      }
    },
    onSaveAsNew: () => {},
  });
  const box = editor.form.querySelector('.conflict');
  box.querySelector('.conflict-title').textContent = 'You and a colleague both changed this entry (git sync)';
  box.querySelector('.conflict-text').textContent = `${colleague.updated_by || 'A colleague'} changed ${fields.join(', ') || 'it'} differently. `
    + 'Your version is in the folder and in the form below; nothing is sent to colleagues until you choose. What you save is sent at the next Sync.';
  box.querySelector('.keep-mine').textContent = 'Keep mine';
  box.querySelector('.take-theirs').textContent = `Take theirs (${colleague.updated_by || 'colleague'})`;
}

// The entry being edited was deleted by someone else: save the form's text as a new entry.
export function saveAsNew(editor) {
  if (app.editor !== editor) return;
  editor.hideConflict();
  editor.hideStale();
  editor.becomeNew();
  saveEditor();
}

export async function deleteEntry(data) {
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
  nav.showHome();
  setResultsStatus(`Deleted “${entry.term}”.`);
  runSearch();
  q.focus();
}

// The glossary changed on disk: is the entry being edited one of the files that changed?
export async function checkEditorStale() {
  if (!app.editor || app.editor.isNew || !app.editor.base) return;
  try {
    const stored = await call('read_entry', { id: app.editor.original.id });
    if (stored.hash !== app.editor.base.hash) app.editor.showStale(stored);
  } catch (err) {
    const editor = app.editor;
    if (err.code === 'not_found') editor.showStale(null, { onSaveAsNew: () => saveAsNew(editor) });
  }
}
