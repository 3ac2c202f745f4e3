// Translate view: paste a text (or open or drop a document), see its jargon highlighted and
// explained for the reader's side, list the terms found, save or print a crib sheet.
//
// Information governance: the text may hold patient details. It is kept only in this module's
// memory while the window is open (so Back returns to it): never in localStorage,
// sessionStorage, settings, the URL or a log. Rust answers with offsets, not text. Every piece
// of text enters the page as a text node or through textContent.
import { call } from './bridge.js';
import { el, fromTemplate, setText } from './dom.js';
import { badge } from './entry.js';
import { app } from './state.js';

const BUSY_AFTER_MS = 200;
const AUTO_DELAY_MS = 400;

// In memory only (see above).
const memory = { text: '', result: null, fileName: '' };
let seq = 0;
// A file was dropped while another view was showing: open it once this view is shown.
let dropWaiting = false;

export function expectDroppedDocument() {
  dropWaiting = true;
}

export function forgetTranslation() {
  memory.text = '';
  memory.result = null;
  memory.fileName = '';
}

// What the reader sees first, and its heading, as the core decided (Brief in
// src-tauri/src/services/translation.rs).
function readerText(entry) {
  return entry.shows_explanation ? entry.explanation : entry.definition;
}

// The highlighted copy of the text: plain text nodes between <mark>s, built from UTF-16
// offsets (Rust converted the core's UTF-8 byte offsets).
function highlighted(text, result) {
  const frag = document.createDocumentFragment();
  let pos = 0;
  result.highlights.forEach((h, index) => {
    if (h.start < pos || h.end > text.length) return;
    if (h.start > pos) frag.append(document.createTextNode(text.slice(pos, h.start)));
    const entry = result.entries[h.id];
    frag.append(el('mark', {
      class: `jargon side-${entry ? entry.side : 'informatics'}${h.alternatives.length ? ' ambiguous' : ''}`,
      tabindex: '0',
      role: 'button',
      'aria-haspopup': 'dialog',
      title: entry ? `${entry.term}${h.alternatives.length ? ' (more than one reading)' : ''}` : undefined,
      dataset: { id: h.id, index: String(index) },
      text: text.slice(h.start, h.end),
    }));
    pos = h.end;
  });
  if (pos < text.length) frag.append(document.createTextNode(text.slice(pos)));
  return frag;
}

export function renderTranslate(ctx) {
  const { domains, getReader, onOpen } = ctx;
  const root = fromTemplate('tpl-translate');
  const textarea = root.querySelector('#t-text');
  const output = root.querySelector('.t-output');
  const resultBox = root.querySelector('.t-result');
  const busy = root.querySelector('.t-busy');
  const status = root.querySelector('.t-status');
  const terms = root.querySelector('.t-terms');
  const pop = root.querySelector('.t-pop');
  const crib = root.querySelector('.crib-print');
  const hideOwn = root.querySelector('.t-hide-own');
  const hiddenNote = root.querySelector('.t-hidden-note');
  let pinned = false;
  let hoverTimer = null;

  const setState = (state) => { root.dataset.state = state; };

  function hidePop() {
    pop.hidden = true;
    pinned = false;
    delete pop.dataset.id;
  }

  function showPop(mark, { pin = false } = {}) {
    const result = memory.result;
    if (!result) return;
    const h = result.highlights[Number(mark.dataset.index)];
    const entry = h && result.entries[h.id];
    if (!entry) return;
    pinned = pinned || pin;
    pop.dataset.id = entry.id;
    pop.dataset.index = mark.dataset.index;
    setText(pop, '.t-pop-term', entry.term);
    pop.querySelector('.t-pop-badge').replaceChildren(badge(entry.domain, domains));
    setText(pop, '.t-pop-abbr', entry.abbreviations.join(', '));
    const ambiguous = pop.querySelector('.t-pop-ambiguous');
    ambiguous.hidden = !h.alternatives.length;
    ambiguous.textContent = h.alternatives.length
      ? `⚠ “${mark.textContent}” has ${h.alternatives.length + 1} readings. The likeliest here, given the text around it and your side:`
      : '';
    setText(pop, '.t-pop-label', entry.heading);
    setText(pop, '.t-pop-text', readerText(entry));
    const counterpart = pop.querySelector('.t-pop-counterpart');
    counterpart.replaceChildren();
    if (entry.counterpart) {
      // A loose analogy is not a translation: say so.
      const loose = !entry.counterpart.equivalent;
      counterpart.append(loose ? 'No direct equivalent; loosely related: ' : 'On the other side: ',
        el('button', { type: 'button', class: 'link', dataset: { id: entry.counterpart.id }, text: entry.counterpart.term, onclick: () => onOpen(entry.counterpart.id) }),
        loose ? '' : ` (${entry.counterpart.closeness_label})`);
    }
    counterpart.hidden = !entry.counterpart;
    const others = pop.querySelector('.t-pop-others');
    const list = others.querySelector('ul');
    list.replaceChildren(...h.alternatives.map((id) => result.entries[id]).filter(Boolean).map((alt) => el('li', { dataset: { id: alt.id } },
      el('div', { class: 'alt-head' },
        el('button', { type: 'button', class: 'link', dataset: { id: alt.id }, text: alt.term, onclick: () => onOpen(alt.id) }), ' ',
        badge(alt.domain, domains)),
      el('p', { text: alt.short }))));
    others.hidden = !h.alternatives.length;
    pop.querySelector('.t-pop-open').onclick = () => onOpen(entry.id);
    pop.hidden = false;
    place(mark);
  }

  // Under the highlight (above it near the bottom), kept inside the window. CSSOM only: the
  // CSP allows no style attributes.
  function place(mark) {
    pop.style.maxHeight = '';
    const rect = mark.getBoundingClientRect();
    const width = Math.min(pop.offsetWidth || 400, window.innerWidth - 16);
    const left = Math.max(8, Math.min(rect.left, window.innerWidth - width - 8));
    // Within the pane (not over the search bar), below the word if it fits, else above it,
    // else on the roomier side with a scroll bar.
    const pane = (ctx.scroller ?? document.documentElement).getBoundingClientRect();
    const below = Math.min(window.innerHeight, pane.bottom) - rect.bottom - 12;
    const above = rect.top - Math.max(0, pane.top) - 12;
    const height = pop.offsetHeight;
    let top;
    if (height <= below || (height > above && below >= above)) {
      top = rect.bottom + 6;
      if (height > below) pop.style.maxHeight = `${Math.max(120, below)}px`;
    } else {
      top = rect.top - Math.min(height, above) - 6;
      if (height > above) pop.style.maxHeight = `${above}px`;
    }
    pop.style.left = `${left}px`;
    pop.style.top = `${top}px`;
  }

  output.addEventListener('mouseover', (event) => {
    const mark = event.target.closest('mark.jargon');
    if (!mark || pinned) return;
    clearTimeout(hoverTimer);
    hoverTimer = setTimeout(() => showPop(mark), 120);
  });
  output.addEventListener('mouseout', (event) => {
    const mark = event.target.closest('mark.jargon');
    if (!mark || pinned) return;
    clearTimeout(hoverTimer);
    hoverTimer = setTimeout(() => {
      if (!pinned && !pop.matches(':hover')) hidePop();
    }, 300);
  });
  pop.addEventListener('mouseleave', () => {
    if (!pinned) hidePop();
  });
  output.addEventListener('click', (event) => {
    const mark = event.target.closest('mark.jargon');
    if (!mark) return;
    clearTimeout(hoverTimer);
    pinned = false;
    showPop(mark, { pin: true });
  });
  output.addEventListener('keydown', (event) => {
    const mark = event.target.closest('mark.jargon');
    if (mark && (event.key === 'Enter' || event.key === ' ')) {
      event.preventDefault();
      pinned = false;
      showPop(mark, { pin: true });
      pop.querySelector('.t-pop-open').focus();
    }
  });
  output.addEventListener('focusin', (event) => {
    const mark = event.target.closest('mark.jargon');
    if (mark && !pinned) showPop(mark);
  });
  root.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !pop.hidden) {
      event.preventDefault();
      const index = pop.dataset.index;
      hidePop();
      output.querySelector(`mark[data-index="${index}"]`)?.focus();
    }
  });
  pop.querySelector('.t-pop-close').addEventListener('click', hidePop);
  // Scrolling: a pinned explanation follows its highlight; a hover one goes away.
  ctx.scroller?.addEventListener('scroll', () => {
    if (pop.hidden) return;
    const mark = output.querySelector(`mark[data-index="${pop.dataset.index}"]`);
    const rect = mark?.getBoundingClientRect();
    if (!pinned || !rect || rect.bottom < 0 || rect.top > window.innerHeight) hidePop();
    else place(mark);
  }, { passive: true });

  function renderTerms(result) {
    terms.replaceChildren(...result.terms.map((t) => {
      const entry = result.entries[t.id];
      return el('li', { dataset: { id: t.id } },
        el('button', { type: 'button', class: 'link', dataset: { id: t.id }, text: entry.term, onclick: () => onOpen(t.id) }), ' ',
        badge(entry.domain, domains),
        entry.abbreviations.length ? el('span', { class: 'hit-abbr', text: ` ${entry.abbreviations.join(', ')}` }) : null,
        el('span', { class: 'count', title: 'Times it appears', text: ` ×${t.count}` }));
    }));
    // The printable crib sheet (shown only by the print stylesheet).
    setText(crib, '.crib-note', `${result.terms.length} term${result.terms.length === 1 ? '' : 's'} found. Generated by Babelfish; the text itself is not included.`);
    crib.querySelector('dl').replaceChildren(...result.terms.flatMap((t) => {
      const entry = result.entries[t.id];
      const domain = domains.get(entry.domain)?.name ?? entry.domain;
      return [
        el('dt', {}, entry.term, entry.abbreviations.length ? ` (${entry.abbreviations.join(', ')})` : '', el('span', { class: 'd', text: ` — ${domain}` })),
        el('dd', { text: entry.short }),
      ];
    }));
  }

  // Says what hiding the reader's own side left out (Rust did the hiding), with a way to show it.
  function renderHidden(result) {
    const hidden = result.own_side_hidden;
    const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
    let note = '';
    if (hidden.terms > 0) {
      note = `${plural(hidden.terms, 'term')} from your own side hidden (${plural(hidden.highlights, 'highlight')}).`;
    } else if (hideOwn.checked && !getReader()) {
      note = 'Choose your side at the top of the window to hide the terms you already know.';
    }
    hiddenNote.querySelector('.t-hidden-text').textContent = note;
    hiddenNote.querySelector('.t-show-own').hidden = hidden.terms === 0;
    hiddenNote.hidden = !note;
    root.dataset.hiddenTerms = String(hidden.terms);
  }

  function show(result) {
    hidePop();
    output.replaceChildren(highlighted(memory.text, result));
    renderTerms(result);
    renderHidden(result);
    resultBox.hidden = false;
    const n = result.terms.length;
    status.textContent = n
      ? `${result.highlights.length} highlight${result.highlights.length === 1 ? '' : 's'}, ${n} term${n === 1 ? '' : 's'} (${result.elapsed_ms} ms). Hover or click a highlight for its meaning.`
      : `No glossary terms${result.own_side_hidden.terms ? ' from the other side' : ''} found in this text.`;
    root.querySelectorAll('.t-crib button').forEach((b) => { b.disabled = n === 0; });
    output.dataset.count = String(result.highlights.length);
    setState('done');
  }

  async function translate() {
    const mySeq = ++seq;
    const text = textarea.value;
    memory.text = text;
    if (!text.trim()) {
      memory.result = null;
      resultBox.hidden = true;
      output.replaceChildren();
      status.textContent = '';
      hidePop();
      setState('idle');
      return;
    }
    setState('busy');
    const busyTimer = setTimeout(() => { if (mySeq === seq) busy.hidden = false; }, BUSY_AFTER_MS);
    try {
      const asked = performance.now();
      const result = await call('translate', { text, reader: getReader(), allSides: !hideOwn.checked });
      if (mySeq !== seq || !root.isConnected) return;
      if (result.length !== text.length) return; // not this text (cannot happen)
      const answered = performance.now();
      memory.result = result;
      show(result);
      // Read by the tests: the call (IPC + annotation) and laying out the highlighted copy.
      root.dataset.ipcMs = String(Math.round(answered - asked));
      root.dataset.renderMs = String(Math.round(performance.now() - answered));
    } catch (err) {
      if (mySeq !== seq) return;
      memory.result = null;
      resultBox.hidden = true;
      status.textContent = err.message;
      setState('error');
    } finally {
      clearTimeout(busyTimer);
      if (mySeq === seq) busy.hidden = true;
    }
  }

  // Remembered in settings; the crib sheet follows what is shown.
  hideOwn.checked = !app.status?.settings?.show_own_side;
  hideOwn.addEventListener('change', async () => {
    const showOwnSide = !hideOwn.checked;
    clearTimeout(auto);
    translate();
    try {
      app.status = await call('save_settings', { showOwnSide });
    } catch (err) {
      status.textContent = err.message;
    }
  });
  root.querySelector('.t-show-own').addEventListener('click', () => {
    hideOwn.checked = false;
    hideOwn.dispatchEvent(new Event('change'));
    hideOwn.focus();
  });

  let auto = null;
  textarea.addEventListener('input', () => {
    clearTimeout(auto);
    auto = setTimeout(translate, AUTO_DELAY_MS);
  });
  root.querySelector('.t-run').addEventListener('click', () => {
    clearTimeout(auto);
    translate();
  });
  root.querySelector('.t-clear').addEventListener('click', () => {
    clearTimeout(auto);
    textarea.value = '';
    forgetTranslation();
    setText(root, '.t-file', '');
    translate();
    textarea.focus();
  });
  // From the open dialog, or the file dropped on the window (`dropped`): the same read path.
  async function openFile(dropped) {
    try {
      const opened = await call('open_text_file', { dropped });
      if (!opened) return;
      textarea.value = opened.text;
      memory.fileName = opened.name;
      setText(root, '.t-file', `From ${opened.name}`);
      clearTimeout(auto);
      translate();
    } catch (err) {
      status.textContent = err.message;
      setState('error');
    }
  }
  root.querySelector('.t-open').addEventListener('click', () => openFile(false));
  root.openDropped = () => openFile(true);
  const save = (format) => async () => {
    if (!memory.result) return;
    try {
      const path = await call('save_crib_sheet', { format, ids: memory.result.terms.map((t) => t.id), reader: getReader() });
      if (path) status.textContent = `Crib sheet saved to ${path}.`;
    } catch (err) {
      status.textContent = err.message;
    }
  };
  root.querySelector('.t-save-md').addEventListener('click', save('md'));
  root.querySelector('.t-save-html').addEventListener('click', save('html'));
  root.querySelector('.t-print').addEventListener('click', () => {
    hidePop();
    window.print();
  });

  // Back to this view: the text and its translation are still in memory.
  textarea.value = memory.text;
  if (memory.fileName) setText(root, '.t-file', `From ${memory.fileName}`);
  setState('idle');
  root.retranslate = () => (textarea.value.trim() ? translate() : undefined);
  if (dropWaiting) {
    dropWaiting = false;
    queueMicrotask(root.openDropped);
  } else if (memory.text.trim()) {
    // Re-run rather than reuse: the reader or the glossary may have changed meanwhile.
    queueMicrotask(translate);
  }
  return root;
}
