// The results list: search as you type, options refilled in place, keyboard selection in
// the search box. Opening a result goes through nav (the router).
import { call } from './bridge.js';
import { setChip } from './review.js';
import { el } from './dom.js';
import { app, nav, q, results, view, $, setResultsStatus } from './state.js';

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

// Only an equivalent is shown as the one-line translation under a result (the core's
// closeness table says which, and how to introduce it); "only related" is an analogy, left
// to the entry's "See also / loosely related".
function translationMark(closeness) {
  return app.closeness.get(closeness)?.translation_mark ?? null;
}

function makeOption(index) {
  const parts = {
    term: el('span', { class: 'hit-term' }),
    badge: el('span', { class: 'badge' }),
    abbr: el('span', { class: 'hit-abbr' }),
    chip: el('span', { class: 'review-chip' }),
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
    el('div', { class: 'hit-head' }, parts.term, parts.badge, parts.abbr, parts.chip),
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
  setChip(p.chip, hit.review, hit.review_label);

  const direct = hit.mappings.filter((mapping) => translationMark(mapping.closeness));
  const loose = hit.mappings.length - direct.length;
  const m = direct[0];
  setIfChanged(p.arrow, m ? '' : (loose
    ? `No direct equivalent (${loose} loosely related: see the entry)`
    : 'No equivalent on the other side'));
  p.arrow.hidden = Boolean(m);
  if (m) {
    setIfChanged(p.target, m.term);
    setBadge(p.targetBadge, m.domain);
    setIfChanged(p.closeness, translationMark(m.closeness));
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

export function markCurrentResults() {
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
  nav.openEntry(hit.id, { focusView: true, search: q.value });
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
export async function runSearch(event) {
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
      hits = (await call('search', { query, domains: [...app.filters], reader: app.reader, limit: 30, statuses: [...app.statuses] })).hits;
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

export function setActive(index) {
  const options = results.querySelectorAll('[role="option"]');
  if (!options.length) return;
  app.active = Math.max(0, Math.min(index, options.length - 1));
  options.forEach((o, i) => o.setAttribute('aria-selected', String(i === app.active)));
  const option = options[app.active];
  q.setAttribute('aria-activedescendant', option.id);
  option.scrollIntoView({ block: 'nearest' });
}

export function clearSearch() {
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
    if (hit) nav.openEntry(hit.id, { focusView: true, search: q.value });
    // Nothing to open. Suggesting a term is a deliberate choice (the button below), never
    // what a reflexive Enter does.
    else if (q.value.trim()) setResultsStatus('Nothing to open: no entry matches. To add it, choose “Suggest this term”.');
  } else if (event.key === 'Escape') {
    event.preventDefault();
    clearSearch();
  }
});

