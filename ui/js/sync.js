// Git sync in the window (src-tauri/src/commands/sync.rs): the status line with the Sync and
// Check buttons, shown only when the glossary folder is in a git work tree; the conflicts a
// sync left, each opening the conflict screen; the automatic-sync switch in Settings; and the
// entry's History tab (from git, or from the entry's own fields outside git).
// Markers for tests on #sync: data-checked, data-behind, data-ahead, data-conflicts,
// data-reason, data-state, data-syncs.
import { EVENTS, call, listen } from './bridge.js';
import { el, setText, formatDate } from './dom.js';
import { app, $, nav } from './state.js';
import { applyStatus, onStatusRefreshed } from './status.js';
import { openSyncConflict } from './edit-flow.js';

const box = $('sync');
const syncButton = $('sync-now');
const checkButton = $('sync-check');
let busy = false;
let syncs = 0;

// How often the window asks the remote what is new (a fetch: nothing changes in the folder).
const CHECK_EVERY_MS = 60_000;

const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

function statusLine(status) {
  const parts = [`ahead ${status.ahead}`, `behind ${status.behind}`];
  if (status.uncommitted) parts.push(`${plural(status.uncommitted, 'change', 'changes')} not synced yet`);
  parts.push(status.last_synced ? `last synced ${formatDate(status.last_synced)}` : 'not synced from this app yet');
  if (status.conflicts.length) parts.push(plural(status.conflicts.length, 'conflict to decide', 'conflicts to decide'));
  return `Git (${status.upstream ?? status.branch ?? 'no branch'}): ${parts.join(' · ')}`;
}

// Shows what sync_status (or sync_now) answered.
function showInfo(info) {
  box.hidden = !info.available;
  box.dataset.checked = 'true';
  if (!info.available) return;
  const status = info.status;
  box.dataset.ahead = String(status?.ahead ?? 0);
  box.dataset.behind = String(status?.behind ?? 0);
  box.dataset.conflicts = String(status?.conflicts.length ?? 0);
  setText(box, '#sync-status', status ? statusLine(status) : 'Git');
  const refusal = $('sync-refusal');
  refusal.textContent = info.refusal ? info.refusal.message : '';
  refusal.hidden = !info.refusal;
  box.dataset.reason = info.refusal?.details?.reason ?? '';
  const list = $('sync-conflicts');
  list.replaceChildren(...(status?.conflicts ?? []).map((c) => el('li', {},
    el('button', {
      type: 'button',
      class: 'sync-decide',
      dataset: { id: c.id },
      text: `Decide: ${c.ours?.term ?? c.theirs?.term ?? c.id}`,
      onclick: () => decide(c.id),
    }))));
  list.hidden = list.children.length === 0;
}

export async function refreshSync({ remote = false } = {}) {
  try {
    showInfo(await call('sync_status', { remote }));
  } catch (err) {
    setText(box, '#sync-refusal', err.message).hidden = false;
  }
}

function setMessage(text) {
  setText(box, '#sync-message', text);
}

async function syncNow() {
  if (busy) return;
  busy = true;
  syncButton.disabled = true;
  box.dataset.state = 'syncing';
  setMessage('Syncing…');
  try {
    const outcome = await call('sync_now');
    showInfo(outcome.info);
    setMessage(outcome.summary);
    box.dataset.state = 'done';
    const first = outcome.report.conflicts[0];
    if (first && !app.editor) await decide(first.id);
  } catch (err) {
    setMessage(err.message);
    box.dataset.state = 'refused';
    box.dataset.reason = err.details?.reason ?? err.code;
    await refreshSync();
  } finally {
    busy = false;
    syncButton.disabled = false;
    box.dataset.syncs = String(++syncs);
  }
}

// Opens the conflict screen on a conflict sync left; a delete against an edit has no second
// version: the entry was kept, so it is shown, to be deleted again or kept.
async function decide(id) {
  let view;
  try {
    view = await call('sync_conflict', { id });
  } catch (err) {
    setMessage(err.message);
    return;
  }
  if (!view) {
    setMessage(`${id} was deleted on one side and edited on the other; it was kept. Delete it again if it should go, or save it to keep it.`);
    await nav.openEntry(id, { focusView: true });
    return;
  }
  await openSyncConflict(view.conflict, view.fields);
}

syncButton.addEventListener('click', syncNow);
checkButton.addEventListener('click', () => refreshSync({ remote: true }));
// The glossary changed (a save, a colleague, a sync): the uncommitted count and conflicts too.
onStatusRefreshed(() => {
  if (!box.hidden) refreshSync();
});
listen(EVENTS.syncChanged, () => refreshSync());
setInterval(() => {
  if (!box.hidden && !busy) refreshSync({ remote: true });
}, CHECK_EVERY_MS);

// ---------------------------------------------------------------- settings

// The automatic-sync switch, for the Settings page (only when the folder is in git).
export function syncSettings(status) {
  if (box.hidden) return null;
  const input = el('input', { type: 'checkbox', id: 's-auto-sync' });
  input.checked = Boolean(status.settings.auto_sync);
  const note = el('span', { class: 'hint', role: 'status' });
  input.addEventListener('change', async () => {
    try {
      applyStatus(await call('set_auto_sync', { on: input.checked }));
      note.textContent = input.checked ? 'On: Babelfish syncs every 5 minutes while it is open.' : 'Off.';
    } catch (err) {
      note.textContent = err.message;
      input.checked = !input.checked;
    }
  });
  return el('section', { class: 'sync-settings' },
    el('h3', { text: 'Sync with git' }),
    el('label', { for: 's-auto-sync' }, input, ' Sync automatically every 5 minutes'),
    ' ', note);
}

// ---------------------------------------------------------------- history tab

function historyItem(item) {
  return el('li', { dataset: item.commit ? { commit: item.commit } : {} },
    el('span', { class: 'h-date', text: formatDate(item.date) }), ' ',
    el('span', { class: 'h-author', text: item.author }), ': ',
    el('span', { class: 'h-summary', text: item.summary }));
}

// Adds the Entry / History tabs to an entry view; History is read when first opened.
export function addHistoryTab(root, entryId) {
  const tabs = el('div', { class: 'entry-tabs', role: 'tablist', 'aria-label': 'Entry or its history' });
  const entryTab = el('button', { type: 'button', role: 'tab', class: 'tab-entry', 'aria-selected': 'true', text: 'Entry' });
  const historyTab = el('button', { type: 'button', role: 'tab', class: 'tab-history', 'aria-selected': 'false', text: 'History' });
  const panel = el('section', { class: 'history-panel', role: 'tabpanel', 'aria-label': 'History', hidden: true });
  tabs.append(entryTab, historyTab);
  let loaded = false;
  const select = async (history) => {
    entryTab.setAttribute('aria-selected', String(!history));
    historyTab.setAttribute('aria-selected', String(history));
    root.classList.toggle('showing-history', history);
    panel.hidden = !history;
    if (!history || loaded) return;
    loaded = true;
    try {
      const found = await call('entry_history', { id: entryId });
      panel.replaceChildren(
        el('p', { class: 'hint', text: found.from_git ? 'Every change to this entry, from git (newest first).' : 'This folder is not in git: the entry records only its last change.' }),
        el('ol', { class: 'history-list' }, found.items.map(historyItem)));
      panel.dataset.source = found.from_git ? 'git' : 'entry';
    } catch (err) {
      loaded = false;
      panel.replaceChildren(el('p', { class: 'form-error', role: 'alert', text: err.message }));
    }
  };
  entryTab.addEventListener('click', () => select(false));
  historyTab.addEventListener('click', () => select(true));
  root.querySelector('.entry-head').after(tabs, panel);
}
