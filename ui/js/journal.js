// History and favourites: the home page's lists (with the history switch, Clear and the
// favourites crib sheet), the entry view's star, and recording what the user looked up. The
// shell keeps them on this computer only; text pasted into Translate is never sent here.
import { call } from './bridge.js';
import { el } from './dom.js';

let current = null; // the last JournalView from the shell

async function refresh(command = 'journal', args = {}) {
  current = await call(command, args);
  return current;
}

function isFavourite(id) {
  return Boolean(current?.favourites.some((f) => f.id === id));
}

// Records that entry `id` was opened (after searching for `search`, if given). History is a
// convenience: a failure to record never stops the entry opening.
export async function recordOpened(id, search) {
  try {
    if (search && search.trim()) await refresh('record_search', { query: search });
    await refresh('record_entry', { id });
  } catch {
    // Nothing to tell the user: the entry still opens.
  }
}

// The star in the entry view: adds the entry to Favourites or takes it out.
export function starButton(id) {
  const button = el('button', { type: 'button', class: 'star' });
  const paint = () => {
    const on = isFavourite(id);
    button.setAttribute('aria-pressed', String(on));
    button.textContent = on ? '★ In favourites' : '☆ Add to favourites';
  };
  paint();
  if (!current) refresh().then(paint, () => {});
  button.addEventListener('click', async () => {
    try {
      await refresh('set_favourite', { id, on: !isFavourite(id) });
      paint();
    } catch (err) {
      button.title = err.message;
    }
  });
  return button;
}

function favouritesSection(journal, ctx, note) {
  const list = el('ul', { class: 'favourites-list' });
  for (const f of journal.favourites) {
    list.append(el('li', {},
      el('button', { type: 'button', class: 'link', dataset: { id: f.id }, text: f.term, onclick: () => ctx.onOpen(f.id) }),
      el('span', { class: 'journal-domain', text: ` ${f.domain_name}` })));
  }
  const save = (format) => async () => {
    note.textContent = '';
    try {
      const path = await call('save_crib_sheet', { format, ids: journal.favourites.map((f) => f.id), reader: ctx.getReader() });
      if (path) note.textContent = `Crib sheet saved to ${path}.`;
    } catch (err) {
      note.textContent = err.message;
    }
  };
  const empty = journal.favourites.length === 0;
  return el('section', { class: 'favourites', 'aria-labelledby': 'favourites-title' },
    el('h2', { id: 'favourites-title', text: 'Favourites' }),
    empty ? el('p', { class: 'journal-empty', text: 'Star an entry (☆ beside its term) to keep it here.' }) : list,
    empty ? null : el('div', { class: 'actions' },
      el('button', { type: 'button', class: 'export-favourites-md', text: 'Save as a crib sheet (Markdown)…', onclick: save('md') }),
      el('button', { type: 'button', class: 'export-favourites-html', text: 'Save as a crib sheet (web page)…', onclick: save('html') })));
}

function historySection(journal, ctx, redraw) {
  const list = el('ul', { class: 'history-list' });
  for (const item of journal.history) {
    const open = item.kind === 'entry' ? () => ctx.onOpen(item.id) : () => ctx.onSearch(item.text);
    list.append(el('li', { dataset: { kind: item.kind } },
      el('button', { type: 'button', class: 'link', dataset: item.id ? { id: item.id } : {}, text: item.text, onclick: open }),
      item.kind === 'search' ? el('span', { class: 'journal-domain', text: ' (searched)' }) : null));
  }
  const toggle = el('input', { id: 'history-on', type: 'checkbox' });
  toggle.checked = journal.history_on;
  toggle.addEventListener('change', () => redraw('set_history_on', { on: toggle.checked }));
  return el('section', { class: 'recent', 'aria-labelledby': 'recent-title' },
    el('h2', { id: 'recent-title', text: 'Recent look-ups' }),
    journal.history.length ? list : el('p', { class: 'journal-empty', text: journal.history_on ? 'Terms you search for and entries you open appear here.' : 'History is switched off.' }),
    el('div', { class: 'actions' },
      el('label', {}, toggle, ' Keep a history of my look-ups on this computer'),
      el('button', { type: 'button', class: 'clear-history', text: 'Clear history', disabled: journal.history.length === 0, onclick: () => redraw('clear_history') })));
}

// The home page's Favourites and Recent look-ups. ctx: onOpen(id), onSearch(text), getReader().
export function renderJournal(ctx) {
  const root = el('div', { class: 'journal' });
  const note = el('p', { class: 'journal-note', role: 'status' });
  const draw = (journal) => {
    root.replaceChildren(favouritesSection(journal, ctx, note), note, historySection(journal, ctx, redraw));
    root.dataset.ready = 'true';
  };
  async function redraw(command = 'journal', args = {}) {
    try {
      draw(await refresh(command, args));
    } catch (err) {
      note.textContent = err.message;
      root.replaceChildren(note);
    }
  }
  redraw();
  return root;
}
