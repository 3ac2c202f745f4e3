// The lookup window: the best hit explained for the reader's side, its counterpart and any
// false-friend warning, the next few hits. Enter or a click opens the entry in the main window,
// Esc hides the window, typing refines. Rust says "a lookup is waiting" (lookup-requested) and
// the page asks for it; the query never travels in an event.
import { EVENTS, call, listen } from './bridge.js';
import { el } from './dom.js';

const input = document.getElementById('lq');
const result = document.getElementById('lookup-result');
const more = document.getElementById('lookup-more');
let shown = null; // the LookupView on screen
let latest = 0; // answers to older requests are dropped

function domainLine(view) {
  return el('span', { class: 'lookup-domain', text: view.domain_name });
}

function renderBest(view) {
  const entry = view.entry;
  const first = view.explanation_first && entry.explanation
    ? { heading: view.explanation_heading, text: entry.explanation }
    : { heading: 'Definition', text: entry.definition };
  const counterpart = view.counterparts[0];
  const names = [...entry.abbreviations, ...entry.synonyms];
  return el('article', {
    class: 'lookup-best',
    tabindex: '0',
    dataset: { entryId: entry.id },
    onclick: () => open(entry.id),
  },
  el('h2', { text: entry.term }),
  domainLine(view),
  names.length ? el('p', { class: 'lookup-names', text: names.join(' · ') }) : null,
  view.false_friends.length
    ? el('p', {
      class: 'lookup-warning',
      role: 'note',
      text: `⚠ False friend: “${entry.term}” also means ${view.false_friends
        .map((f) => `${f.term} (${f.domain_name})`).join(', ')}`,
    })
    : null,
  el('h3', { text: first.heading }),
  el('p', { class: 'lookup-text', text: first.text }),
  counterpart
    ? el('p', { class: 'lookup-counterpart' },
      `${counterpart.closeness_label ?? 'Counterpart'}: `,
      el('strong', { text: counterpart.term }),
      ` (${counterpart.domain_name})`)
    : el('p', { class: 'lookup-counterpart', text: 'No counterpart on the other side yet.' }));
}

function render(view) {
  shown = view;
  result.replaceChildren();
  more.replaceChildren();
  if (view.best) result.append(renderBest(view.best));
  else if (view.query) result.append(el('p', { class: 'lookup-empty', text: `Nothing found for “${view.query}”.` }));
  for (const hit of view.more) {
    more.append(el('li', {
      role: 'option',
      dataset: { id: hit.id },
      onclick: () => open(hit.id),
    }, hit.term, el('span', { class: 'lookup-domain', text: hit.domain })));
  }
  document.title = view.query ? `Babelfish lookup — ${view.query}` : 'Babelfish lookup';
  // The tests and the latency measurement wait on this marker.
  document.body.dataset.renderedQuery = view.query;
  document.body.dataset.renderedAt = String(performance.timeOrigin + performance.now());
}

async function ask(query) {
  const ticket = ++latest;
  try {
    const view = await call('lookup', query === null ? {} : { query });
    if (ticket !== latest) return;
    if (query === null) input.value = view.query;
    render(view);
  } catch (err) {
    if (ticket !== latest) return;
    result.replaceChildren(el('p', { class: 'form-error', role: 'alert', text: err.message }));
  }
}

async function open(id) {
  try {
    await call('open_in_main', { id });
  } catch (err) {
    result.replaceChildren(el('p', { class: 'form-error', role: 'alert', text: err.message }));
  }
}

input.addEventListener('input', () => ask(input.value));
document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape') {
    event.preventDefault();
    call('hide_lookup');
  } else if (event.key === 'Enter') {
    const focused = document.activeElement?.closest?.('[data-id], [data-entry-id]');
    const id = focused?.dataset.id ?? focused?.dataset.entryId ?? shown?.best?.entry.id;
    if (id) {
      event.preventDefault();
      open(id);
    }
  }
});

async function start() {
  await listen(EVENTS.lookupRequested, () => {
    ask(null);
    input.focus();
  });
  await ask(null);
  input.focus();
  input.select();
  document.body.dataset.ready = 'true';
}

start();
