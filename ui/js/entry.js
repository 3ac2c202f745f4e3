// The entry view: everything about one term, written for the reader's side first.
import { el, fromTemplate, setText, formatDate } from './dom.js';
import { addHistoryTab } from './sync.js';
import { renderEntryReview } from './review.js';

export function badge(domainId, domains) {
  const domain = domains.get(domainId);
  return el('span', {
    class: `badge side-${domain ? domain.side : 'informatics'}`,
    text: domain ? domain.name : domainId,
  });
}

function entryLink(link, domains, onOpen) {
  return el('button', {
    type: 'button',
    class: 'link',
    dataset: { id: link.id },
    text: link.term,
    onclick: () => onOpen(link.id),
  }, );
}

export function renderEntry(data, ctx) {
  const { domains, onOpen } = ctx;
  const entry = data.entry;
  const root = fromTemplate('tpl-entry');
  root.dataset.entryId = entry.id;

  const back = root.querySelector('.back');
  const forward = root.querySelector('.forward');
  back.disabled = !ctx.canBack;
  forward.disabled = !ctx.canForward;
  back.addEventListener('click', ctx.onBack);
  forward.addEventListener('click', ctx.onForward);

  setText(root, '.term', entry.term);
  root.querySelector('.domain').replaceWith(badge(entry.domain, domains));

  const abbrs = root.querySelector('.abbrs');
  if (entry.abbreviations.length) abbrs.querySelector('dd').textContent = entry.abbreviations.join(', ');
  else abbrs.remove();
  const synonyms = root.querySelector('.synonyms');
  if (entry.synonyms.length) synonyms.querySelector('dd').textContent = entry.synonyms.join('; ');
  else synonyms.remove();
  if (!entry.abbreviations.length && !entry.synonyms.length) root.querySelector('.names').remove();

  // The explanation is written for the other side; show it first to a reader from there.
  const body = root.querySelector('.body');
  const explanation = body.querySelector('.explanation');
  const definition = body.querySelector('.definition');
  setText(explanation, 'h3', data.explanation_heading);
  setText(explanation, '.prose', entry.explanation);
  setText(definition, '.prose', entry.definition);
  if (!data.explanation_first) body.insertBefore(definition, explanation);
  body.classList.add(data.explanation_first ? 'explanation-first' : 'definition-first');
  if (!entry.explanation) explanation.remove();

  // False friends, after the sense this entry means: the other senses only (this entry's
  // definition is right above), each vocabulary named once.
  const ff = root.querySelector('.false-friend');
  if (data.false_friends.length) {
    const names = [...new Set(data.false_friends.map((f) => f.domain_name))];
    const others = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names[0];
    setText(ff, 'h3', `⚠ False friend: “${entry.term}” also means something else in ${others}`);
    const senses = ff.querySelector('.senses');
    for (const f of data.false_friends) {
      senses.append(el('section', { class: 'sense other', 'aria-label': `Other sense: ${f.term}, ${f.domain_name}` },
        el('h4', {}, entryLink(f, domains, onOpen), badge(f.domain, domains)),
        el('p', { text: f.definition })));
    }
  } else {
    ff.remove();
  }

  const example = root.querySelector('.example');
  if (entry.example) setText(example, '.prose', entry.example);
  else example.remove();

  // Counterparts that are an equivalent (the core says which) are "on the other side"; a
  // loose analogy ("only related") goes under "See also / loosely related".
  const counterpart = (c) => el('li', { dataset: { counterpart: c.id } },
    entryLink(c, domains, onOpen), ' ', badge(c.domain, domains), ' ',
    el('span', { class: `closeness ${c.closeness}`, title: `How close ${c.term} is to ${entry.term}`, text: c.closeness_label }),
    c.note ? el('span', { class: 'note', text: c.note }) : null);
  const direct = data.counterparts.filter((c) => c.equivalent);
  const loose = data.counterparts.filter((c) => !c.equivalent);
  const mappings = root.querySelector('.mappings');
  const mappingList = mappings.querySelector('.links');
  if (direct.length) {
    mappings.querySelector('.none').remove();
    for (const c of direct) mappingList.append(counterpart(c));
  } else {
    mappingList.remove();
    if (loose.length) setText(mappings, '.none', 'No direct equivalent on the other side (loose analogies are under “See also”).');
  }

  const related = root.querySelector('.related');
  if (data.related.length || loose.length) {
    const list = related.querySelector('.links');
    for (const c of loose) list.append(counterpart(c));
    for (const r of data.related) list.append(el('li', {}, entryLink(r, domains, onOpen), ' ', badge(r.domain, domains)));
  } else {
    related.remove();
  }

  const source = root.querySelector('.source');
  if (entry.source) setText(source, '.value', entry.source);
  else source.remove();
  renderEntryReview(root, data, ctx.review);
  setText(root, '.changed', `Last changed by ${entry.updated_by} on ${formatDate(entry.updated_at)} (revision ${entry.revision}).`);

  const edit = root.querySelector('.edit');
  const del = root.querySelector('.delete');
  if (data.editable) {
    edit.addEventListener('click', () => ctx.onEdit(entry.id));
    del.addEventListener('click', () => ctx.onDelete(data));
  } else {
    root.querySelector('.actions').remove();
  }
  addHistoryTab(root, entry.id);
  return root;
}
