// Two-sided sign-off in the window: the status chip (on results and entries), the entry's
// review section (state, who still has to sign off, the sign-off history, "Sign off" and
// "Request changes"), and the review queue per side. The rules and every label come from the
// core (the entry view's `review`, the hit's `review_label`, the queue's items); this module
// only shows them. Glossary text and names go in through textContent.
import { call } from './bridge.js';
import { el, formatDate } from './dom.js';

const SIDE_NAME = { clinical: 'clinical', informatics: 'informatics' };

// A status chip: the state's words, with the state as a class for its colour.
export function reviewChip(state, label, tag = 'span') {
  return el(tag, { class: `review-chip state-${state}`, dataset: { state }, text: label });
}

// Sets an existing chip node to a state (results reuse their nodes while typing).
export function setChip(node, state, label) {
  const className = `review-chip state-${state}`;
  if (node.className !== className) node.className = className;
  if (node.dataset.state !== state) node.dataset.state = state;
  if (node.textContent !== label) node.textContent = label;
}

function sides(list) {
  return list.map((s) => SIDE_NAME[s] ?? s).join(' and ');
}

function signOffItem(s) {
  const verb = s.decision === 'approve' ? 'approved' : 'requested changes to';
  return el('li', { class: `sign-off${s.stale ? ' stale' : ''}`, dataset: { by: s.by, side: s.side, stale: String(s.stale) } },
    el('span', { class: 'who', text: `${s.by} (${s.side})` }), ' ',
    `${verb} revision ${s.revision} on ${formatDate(s.at)}`,
    s.stale ? el('span', { class: 'stale-mark', text: ' — stale: the entry has changed since' }) : null,
    s.note ? el('q', { class: 'note', text: s.note }) : null);
}

// The review section of an entry view, placed before its footer. `settings` is the app's
// settings (the reviewer's name and side); `onSigned` reloads the entry after a sign-off.
export function renderEntryReview(root, data, { settings, onSigned }) {
  const review = data.review;
  const entry = data.entry;
  const pill = root.querySelector('.status-pill');
  const chip = reviewChip(review.state, review.label);
  pill.replaceWith(chip);
  // Said at the top, not only in the review section lower down: the bundled entries all await
  // sign-off, and a reader should not have to scroll to learn that.
  if (review.awaiting.length) {
    chip.after(el('span', { class: 'review-awaiting', text: `awaiting sign-off (${sides(review.awaiting)})` }));
  }

  const section = el('section', { class: 'review-panel', 'aria-labelledby': 'review-title' },
    el('h3', { id: 'review-title', text: 'Review' }));
  const summary = [];
  if (review.state === 'approved') summary.push('Signed off by a clinician and an informatics colleague for this revision.');
  else if (review.open) {
    summary.push(review.awaiting.length ? `Awaiting sign-off from the ${sides(review.awaiting)} side${review.awaiting.length > 1 ? 's' : ''}.` : 'Awaiting sign-off.');
    if (!review.sign_offs.length) summary.push('No one has signed this entry off yet.');
  } else if (review.state === 'draft') summary.push('A draft: its author has not proposed it for review yet.');
  if (entry.reviewed_by) summary.push(`Editorial check (not a sign-off): ${entry.reviewed_by}.`);
  section.append(el('p', { class: 'review-summary', text: summary.join(' ') }));

  if (review.sign_offs.length) {
    section.append(el('h4', { text: 'Sign-off history' }),
      el('ol', { class: 'sign-off-history' }, review.sign_offs.map(signOffItem)));
  }

  if (data.editable && review.open) section.append(signOffActions(entry, review, settings, onSigned));
  const meta = root.querySelector('.meta');
  meta.parentNode.insertBefore(section, meta);
  root.querySelector('.review')?.remove();
}

// "Sign off" and "Request changes". Without a name and side in Settings the buttons stay, and
// pressing one says how to set them (a reviewer must never think a press did something).
function signOffActions(entry, review, settings, onSigned) {
  const box = el('div', { class: 'review-actions' });
  const name = (settings.author ?? '').trim();
  const side = settings.review_side;
  const ready = Boolean(name && side);
  const message = el('p', { class: 'review-message', role: 'status' });
  const howToSetUp = 'To sign entries off, give your name and the side you sign for in Settings.';
  const send = async (decision) => {
    message.textContent = '';
    if (!ready) {
      message.textContent = howToSetUp;
      return;
    }
    let note = '';
    if (decision === 'request-changes') {
      note = await askForNote(entry.term);
      if (note === null) return;
    }
    try {
      await call('sign_off', { id: entry.id, revision: entry.revision, decision, note });
      await onSigned();
    } catch (err) {
      message.textContent = err.message;
    }
  };
  box.append(
    el('p', { class: 'hint', text: ready ? `You sign off as ${name} for the ${side} side (revision ${entry.revision}).` : howToSetUp }),
    el('button', { type: 'button', class: 'sign-off-approve primary', text: 'Sign off', onclick: () => send('approve') }),
    el('button', { type: 'button', class: 'sign-off-request', text: 'Request changes…', onclick: () => send('request-changes') }),
    message);
  return box;
}

// Asks what should change: resolves to the note, or null when cancelled (Esc or Cancel). Enter
// sends (Shift+Enter starts a new line); an empty note is answered in the dialog, which stays.
function askForNote(term) {
  const input = el('textarea', { id: 'review-note', rows: '3', 'aria-describedby': 'review-note-hint review-note-error' });
  const error = el('p', { id: 'review-note-error', class: 'field-error', role: 'alert', hidden: true });
  const form = el('form', { method: 'dialog', novalidate: true },
    el('h2', { id: 'review-note-title', text: `Request changes to ${term}` }),
    el('label', { for: 'review-note', text: 'What should change?' }),
    input,
    el('p', { id: 'review-note-hint', class: 'hint', text: 'Enter sends it; Shift+Enter starts a new line; Esc cancels.' }),
    error,
    el('div', { class: 'dialog-actions' },
      el('button', { type: 'button', class: 'review-note-cancel', text: 'Cancel', onclick: () => dialog.close('cancel') }),
      el('button', { type: 'submit', class: 'review-note-send primary', text: 'Request changes' })));
  const dialog = el('dialog', { class: 'dialog review-note-dialog', 'aria-labelledby': 'review-note-title' }, form);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!input.value.trim()) {
      error.textContent = 'Say what should change first (or press Esc to cancel).';
      error.hidden = false;
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      return;
    }
    dialog.close('ok');
  });
  input.addEventListener('input', () => {
    error.hidden = true;
    input.removeAttribute('aria-invalid');
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  document.body.append(dialog);
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      const note = dialog.returnValue === 'ok' ? input.value.trim() : null;
      dialog.remove();
      resolve(note);
    }, { once: true });
    dialog.returnValue = '';
    dialog.showModal();
    input.focus();
  });
}

// The review queue: what awaits sign-off, for one side or both.
export function renderQueue({ side, onOpen, onSide }) {
  const root = el('section', { class: 'review-queue', 'aria-labelledby': 'queue-title' },
    el('h2', { id: 'queue-title', text: 'Review queue' }));
  const picker = el('div', { class: 'queue-sides', role: 'group', 'aria-label': 'Awaiting which side' });
  for (const [value, label] of [['', 'Both sides'], ['clinical', 'Clinical'], ['informatics', 'Informatics']]) {
    picker.append(el('button', {
      type: 'button', class: 'chip', 'aria-pressed': String((side ?? '') === value), dataset: { side: value },
      text: label, onclick: () => onSide(value || null),
    }));
  }
  const list = el('ul', { class: 'queue-items' });
  const status = el('p', { class: 'queue-status', role: 'status' });
  root.append(picker, status, list);
  call('review_queue', { side: side ?? null }).then((items) => {
    status.textContent = items.length
      ? `${items.length} ${items.length === 1 ? 'entry awaits' : 'entries await'} sign-off${side ? ` from the ${side} side` : ''}.`
      : 'Nothing awaits sign-off.';
    for (const item of items) {
      list.append(el('li', { dataset: { id: item.id } },
        el('button', { type: 'button', class: 'link', text: item.term, onclick: () => onOpen(item.id) }), ' ',
        reviewChip(item.state, item.label), ' ',
        el('span', { class: 'awaiting', text: `awaiting ${sides(item.awaiting)} · revision ${item.revision} by ${item.updated_by}` })));
    }
    root.dataset.loaded = side ?? 'both'; // tests wait on this
  }, (err) => {
    status.textContent = err.message;
    root.dataset.loaded = 'error';
  });
  return root;
}
