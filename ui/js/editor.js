// The entry editor: a form over one entry. The core validates (messages land next to their
// field) and the store saves; this only collects values and tracks unsaved changes.
import { call } from './bridge.js';
import { el, fromTemplate, setText } from './dom.js';

const LIST_FIELDS = ['synonyms', 'related', 'false_friends'];
const FIELDS = ['term', 'domain', 'id', 'abbreviations', 'synonyms', 'definition', 'explanation',
  'example', 'mappings', 'related', 'false_friends', 'source', 'status', 'reviewed_by'];


// The fields a conflict can be merged on, with their labels.
const MERGE_FIELDS = [['term', 'Term'], ['abbreviations', 'Abbreviations'], ['synonyms', 'Other names'],
  ['definition', 'Definition'], ['explanation', 'Explanation'], ['example', 'Example'],
  ['related', 'Related entries'], ['false_friends', 'False friends'], ['source', 'Source'], ['status', 'Status']];

// The folder records who saved each entry, not who deleted one.
const DELETED_BY_SOMEONE = 'A colleague (or a change to the shared folder) deleted this entry while you were editing it.';

const lines = (text) => text.split('\n').map((s) => s.trim()).filter(Boolean);

export class Editor {
  // entry: the entry to edit (or a draft); base: {revision, hash} or null for a new entry.
  constructor({ entry, base, domains, onChange }) {
    this.isNew = !base;
    this.base = base;
    this.original = entry;
    this.onChange = onChange;
    this.form = fromTemplate('tpl-editor');
    this.form.dataset.mode = this.isNew ? 'create' : 'edit';
    setText(this.form, '#editor-title', this.isNew ? 'New entry' : `Edit “${entry.term}”`);

    const select = this.form.querySelector('#f-domain');
    for (const d of domains.values()) select.append(el('option', { value: d.id, text: d.name }));
    select.disabled = !this.isNew; // moving an entry to another vocabulary changes its id

    this.field('term').value = entry.term;
    select.value = entry.domain || (domains.size ? domains.keys().next().value : '');
    this.field('abbreviations').value = entry.abbreviations.join(', ');
    for (const name of LIST_FIELDS) this.field(name).value = entry[name].join('\n');
    for (const name of ['definition', 'explanation', 'example', 'source', 'status']) this.field(name).value = entry[name] ?? '';
    this.field('reviewed_by').value = entry.reviewed_by ?? '';
    for (const m of entry.mappings) this.addMappingRow(m);

    this.form.querySelector('.add-mapping').addEventListener('click', () => {
      const row = this.addMappingRow({ id: '', closeness: 'close', note: '' });
      row.querySelector('.m-id').focus();
      this.changed();
    });
    // Statuses the editor does not offer (set by sign-offs or kept from before) stay choosable
    // for the entry that has them; saving a change of text makes the store propose it again.
    const status = this.field('status');
    if (entry.status && ![...status.options].some((o) => o.value === entry.status)) {
      const names = { approved: 'Approved (by sign-offs)', reviewed: 'Reviewed (before sign-offs)', superseded: 'Superseded' };
      status.append(el('option', { value: entry.status, text: names[entry.status] ?? entry.status }));
    }
    status.value = entry.status || 'draft';
    this.initialContent = contentKey(this.collect());
    this.form.addEventListener('input', () => this.changed());
    this.form.addEventListener('change', () => this.changed());
    this.updateIdPreview();
    this.initial = JSON.stringify(this.collect());
    this.wasDirty = false;
  }

  field(name) {
    return this.form.querySelector(`#f-${name}`);
  }

  addMappingRow(mapping) {
    const row = fromTemplate('tpl-mapping-row');
    row.querySelector('.m-id').value = mapping.id;
    row.querySelector('.m-closeness').value = mapping.closeness;
    row.querySelector('.m-note').value = mapping.note ?? '';
    row.querySelector('.remove-mapping').addEventListener('click', () => {
      row.remove();
      this.changed();
    });
    this.form.querySelector('.mapping-rows').append(row);
    return row;
  }

  // A new entry's id comes from the core (the same slug rules as the save), asked as the
  // user types; an answer to an older keystroke is dropped.
  updateIdPreview() {
    const target = this.form.querySelector('#f-id');
    if (this.revivedId || !this.isNew) {
      this.idSeq = (this.idSeq ?? 0) + 1;
      target.textContent = this.revivedId ?? this.original.id;
      return;
    }
    const domain = this.field('domain').value;
    const term = this.field('term').value;
    const seq = (this.idSeq = (this.idSeq ?? 0) + 1);
    call('new_entry_id', { domain, term }).then((id) => {
      if (seq !== this.idSeq) return;
      target.textContent = id.endsWith('/') ? `${id}…` : id;
    }, () => {});
  }

  collect() {
    const value = (name) => this.field(name).value;
    const reviewedBy = value('reviewed_by').trim();
    return {
      id: this.isNew ? (this.revivedId ?? '') : this.original.id,
      term: value('term').trim(),
      domain: value('domain'),
      abbreviations: value('abbreviations').split(',').map((s) => s.trim()).filter(Boolean),
      synonyms: lines(value('synonyms')),
      definition: value('definition').trim(),
      explanation: value('explanation').trim(),
      example: value('example').trim(),
      mappings: [...this.form.querySelectorAll('.mapping-row')].map((row) => ({
        id: row.querySelector('.m-id').value.trim(),
        closeness: row.querySelector('.m-closeness').value,
        note: row.querySelector('.m-note').value.trim(),
      })).filter((m) => m.id || m.note),
      related: lines(value('related')),
      false_friends: lines(value('false_friends')),
      source: value('source').trim(),
      status: value('status'),
      deprecated_names: this.original.deprecated_names ?? [],
      superseded_by: this.original.superseded_by ?? null,
      reviewed_by: reviewedBy || null,
      revision: this.original.revision ?? 0,
      updated_at: this.original.updated_at ?? '',
      updated_by: this.original.updated_by ?? '',
    };
  }

  isDirty() {
    return JSON.stringify(this.collect()) !== this.initial;
  }

  changed() {
    this.updateIdPreview();
    const signedOff = (this.original.reviews ?? []).length > 0;
    if (!this.isNew && (signedOff || ['approved', 'reviewed'].includes(this.original.status))) {
      const edited = contentKey(this.collect()) !== this.initialContent;
      const note = this.form.querySelector('.status-note');
      note.textContent = edited
        ? 'Saving this change makes a new revision: the entry is proposed again and both sides sign off what it says now. Earlier sign-offs stay in its history, marked stale.'
        : '';
      note.hidden = !edited;
    }
    const dirty = this.isDirty();
    this.form.querySelector('.dirty-note').textContent = dirty ? 'Unsaved changes' : '';
    if (dirty !== this.wasDirty) {
      this.wasDirty = dirty;
      this.onChange(dirty);
    }
  }

  markClean() {
    this.initial = JSON.stringify(this.collect());
    this.changed();
  }

  clearProblems() {
    for (const node of this.form.querySelectorAll('.field-error')) {
      node.hidden = true;
      node.textContent = '';
      node.classList.remove('warning');
    }
    for (const node of this.form.querySelectorAll('.has-error')) node.classList.remove('has-error');
    this.form.querySelector('.form-error').hidden = true;
    delete this.form.dataset.problems;
  }

  // problems: [{field, message, severity}] from the core's validate_entry.
  // quiet: re-validation while typing (no focus move, no scrolling).
  showProblems(problems, { quiet = false } = {}) {
    this.clearProblems();
    const other = [];
    let firstError = null;
    for (const p of problems) {
      const name = FIELDS.includes(p.field) ? p.field : null;
      const target = name && this.form.querySelector(`#err-${name}`);
      if (!target) {
        other.push(`${p.field}: ${p.message}`);
        continue;
      }
      target.textContent = target.textContent ? `${target.textContent} ${p.message}` : p.message;
      target.hidden = false;
      if (p.severity === 'warning' && !target.closest('.has-error')) target.classList.add('warning');
      if (p.severity === 'error') {
        target.classList.remove('warning');
        target.closest('.field').classList.add('has-error');
        firstError ??= name;
      }
      const input = this.field(name);
      if (input) input.setAttribute('aria-invalid', p.severity === 'error' ? 'true' : 'false');
    }
    const rest = this.form.querySelector('.other-errors');
    rest.textContent = other.join(' ');
    rest.hidden = other.length === 0;
    const errors = problems.filter((p) => p.severity === 'error').length;
    this.form.dataset.problems = String(errors);
    if (errors) this.showError(`Not saved: ${errors === 1 ? 'one field needs' : `${errors} fields need`} attention (marked below).`);
    if (firstError && !quiet) {
      const container = this.form.querySelector(`[data-field="${firstError}"]`);
      const focusTarget = this.field(firstError) ?? container?.querySelector('input, textarea, select, button');
      focusTarget?.focus({ preventScroll: true });
      container?.scrollIntoView({ block: 'center' });
    }
    return errors;
  }

  showError(message) {
    const box = this.form.querySelector('.form-error');
    box.textContent = message;
    box.hidden = false;
    box.scrollIntoView({ block: 'nearest' });
  }

  // conflict: {id, base_revision, mine, theirs, theirs_hash} from the store.
  // onSaveAsNew: the entry was deleted meanwhile; save this text again as a new entry.
  showConflict(conflict, { onKeepMine, onTakeTheirs, onSaveMerged, onSaveAsNew }) {
    const box = this.form.querySelector('.conflict');
    const theirs = conflict.theirs;
    this.hideStale(); // the panel says all the notice said, and more
    setText(box, '.conflict-title', theirs
      ? 'Someone else saved this entry while you were editing'
      : 'This entry was deleted while you were editing it');
    setText(box, '.conflict-text', theirs
      ? `You started from revision ${conflict.base_revision}; ${theirs.updated_by} saved revision ${theirs.revision}. Nothing was overwritten. Compare, then choose.`
      : `${DELETED_BY_SOMEONE} Nothing was overwritten: your text is still in the form below, and you can save it again as a new entry.`);
    const describe = (list, entry) => {
      list.replaceChildren();
      if (!entry) {
        list.append(el('dt', { text: 'Deleted' }), el('dd', { text: 'The file is no longer in the folder.' }));
        return;
      }
      for (const [label, value] of [['Term', entry.term], ['Definition', entry.definition], ['Explanation', entry.explanation], ['Example', entry.example]]) {
        list.append(el('dt', { text: label }), el('dd', { text: value || '—' }));
      }
    };
    describe(box.querySelector('.theirs'), theirs);
    describe(box.querySelector('.mine'), conflict.mine);
    const keep = box.querySelector('.keep-mine');
    keep.textContent = theirs ? 'Save mine over theirs' : 'Save it again as a new entry';
    keep.onclick = theirs ? onKeepMine : onSaveAsNew;
    const take = box.querySelector('.take-theirs');
    take.hidden = !theirs;
    take.onclick = onTakeTheirs;
    const mergeButton = box.querySelector('.merge-fields');
    const merge = box.querySelector('.merge');
    merge.hidden = true;
    mergeButton.hidden = !theirs;
    mergeButton.onclick = () => {
      const rows = merge.querySelector('.merge-rows');
      const problem = merge.querySelector('.merge-error');
      problem.hidden = true;
      rows.replaceChildren();
      // The version this edit started from: whoever changed a field since then gets it by
      // default; a field both changed (differently) is a clash, and nothing is chosen for it.
      const base = this.original;
      const same = (a, b) => JSON.stringify(a ?? '') === JSON.stringify(b ?? '');
      const differing = MERGE_FIELDS.filter(([name]) => !same(conflict.mine[name], theirs[name]));
      if (!differing.length) rows.append(el('p', { text: 'The texts are the same; only who saved and when differ.' }));
      for (const [name, label] of differing) {
        const show = (v) => (Array.isArray(v) ? v.join('; ') : v) || '—';
        const mineChanged = !same(conflict.mine[name], base[name]);
        const theirsChanged = !same(theirs[name], base[name]);
        const clash = mineChanged && theirsChanged;
        const preferred = clash ? null : (theirsChanged ? 'theirs' : 'mine');
        const group = el('fieldset', { class: `merge-field${clash ? ' clash' : ''}`, 'data-field': name, 'data-default': preferred ?? 'none' });
        group.append(el('legend', { text: clash ? `${label}: you both changed this; choose one` : label }));
        const who = theirs.updated_by || 'They';
        for (const [side, value] of [['theirs', theirs[name]], ['mine', conflict.mine[name]]]) {
          const id = `merge-${name}-${side}`;
          const input = el('input', { type: 'radio', name: `merge-${name}`, value: side, id });
          input.checked = side === preferred;
          const changedIt = side === 'mine' ? mineChanged : theirsChanged;
          const whose = side === 'mine' ? 'Mine' : `Theirs (${who})`;
          const note = changedIt ? 'changed' : 'unchanged';
          group.append(el('div', {}, [input, el('label', { for: id, text: `${whose}, ${note}: ${show(value)}` })]));
        }
        group.addEventListener('change', () => {
          group.classList.remove('unchosen');
          if (!rows.querySelector('.merge-field.unchosen')) problem.hidden = true;
        });
        rows.append(group);
      }
      merge.hidden = false;
      merge.querySelector('.save-merged').onclick = () => {
        const unchosen = [...rows.querySelectorAll('.merge-field')].filter((g) => !g.querySelector('input:checked'));
        for (const group of unchosen) group.classList.add('unchosen');
        if (unchosen.length) {
          const names = unchosen.map((g) => MERGE_FIELDS.find(([n]) => n === g.dataset.field)[1]);
          problem.textContent = `Not saved: you and ${theirs.updated_by || 'they'} both changed ${names.join(', ')}. Choose which version to keep.`;
          problem.hidden = false;
          unchosen[0].querySelector('input').focus();
          return;
        }
        const merged = {};
        for (const group of rows.querySelectorAll('.merge-field')) {
          if (group.querySelector('input[value="theirs"]').checked) merged[group.dataset.field] = theirs[group.dataset.field];
        }
        this.applyFields(merged);
        onSaveMerged();
      };
      (merge.querySelector('.merge-field.clash input') ?? merge.querySelector('input'))?.focus();
    };
    box.hidden = false;
    keep.focus();
  }

  // Puts chosen values into the form (used by the field-by-field merge).
  applyFields(values) {
    for (const [name, value] of Object.entries(values)) {
      if (name === 'abbreviations') this.field(name).value = value.join(', ');
      else if (LIST_FIELDS.includes(name)) this.field(name).value = value.join('\n');
      else this.field(name).value = value ?? '';
    }
    this.changed();
  }

  // The file changed on disk while this form is open: say so now, before the user saves
  // (saving will then show both versions side by side). stored is null when the entry was
  // deleted: then offer to save the text again as a new entry.
  showStale(stored, { onSaveAsNew } = {}) {
    const note = this.form.querySelector('.stale-notice');
    const button = note.querySelector('.save-as-new');
    if (stored) {
      setText(note, '.stale-text', `${stored.entry.updated_by || 'Someone'} saved revision ${stored.entry.revision} of this entry while you were editing. `
        + 'Your changes are still here; when you save, you will see both versions and choose.');
      button.hidden = true;
    } else {
      setText(note, '.stale-text', `${DELETED_BY_SOMEONE} Your text is still here, and nothing is lost until you leave this form.`);
      button.hidden = !onSaveAsNew;
      button.onclick = onSaveAsNew;
    }
    note.hidden = false;
  }

  hideStale() {
    this.form.querySelector('.stale-notice').hidden = true;
  }

  // Turns this form into a new entry with the same text (the one it edited was deleted).
  becomeNew() {
    this.isNew = true;
    this.base = null;
    this.revivedId = this.original.id; // the same id, so links to it work again
    this.form.dataset.mode = 'create';
    setText(this.form, '#editor-title', `New entry (was “${this.original.term}”)`);
    this.changed();
  }

  hideConflict() {
    this.form.querySelector('.conflict').hidden = true;
  }
}

// What the entry says, without who saved it, when, or its review state.
function contentKey(entry) {
  const { term, abbreviations, synonyms, deprecated_names: deprecated, definition, explanation, example, mappings, related, false_friends: falseFriends, source } = entry;
  return JSON.stringify([term, abbreviations, synonyms, deprecated ?? [], definition, explanation, example,
    mappings.map((m) => [m.id, m.closeness, m.note ?? '']), related, falseFriends, source]);
}

export function blankEntry(term, domain) {
  return {
    id: '', term: term ?? '', domain: domain ?? '', abbreviations: [], synonyms: [],
    definition: '', explanation: '', example: '', mappings: [], related: [], false_friends: [],
    source: '', status: 'draft', reviewed_by: null, revision: 0, updated_at: '', updated_by: '',
  };
}
