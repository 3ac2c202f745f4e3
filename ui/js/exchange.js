// Import and export: pick a CSV (native dialog, from Rust), map its columns, preview every row
// with its problems, and only then import; export the glossary as CSV, SKOS, Markdown or HTML.
import { call } from './bridge.js';
import { el, fromTemplate, setText } from './dom.js';

export function renderExchange(ctx) {
  const { ensureAuthor, onImported, editable } = ctx;
  const root = fromTemplate('tpl-exchange');
  const pickButton = root.querySelector('.i-pick');
  const mapping = root.querySelector('.i-mapping');
  const mapRows = root.querySelector('.i-map-rows');
  const preview = root.querySelector('.i-preview');
  const summary = root.querySelector('.i-summary');
  const tableBody = root.querySelector('.i-rows');
  const importButton = root.querySelector('.i-apply');
  const message = root.querySelector('.i-message');
  const exportNote = root.querySelector('.e-message');
  let picked = null;
  let seq = 0;

  if (!editable) {
    pickButton.disabled = true;
    message.textContent = 'The built-in glossary is read-only: choose a glossary folder in Settings to import into it.';
  }

  const currentMapping = () => [...mapRows.querySelectorAll('select')].map((s) => s.value);

  function renderMapping() {
    const required = new Set(picked.required); // the core's list
    mapRows.replaceChildren(...picked.headers.map((header, i) => {
      const id = `i-map-${i}`;
      const select = el('select', { id, dataset: { header } },
        el('option', { value: '', text: '(ignore this column)' }),
        picked.fields.map((f) => el('option', { value: f, text: required.has(f) ? `${f} (required)` : f })));
      select.value = picked.suggested[i] ?? '';
      select.addEventListener('change', runPreview);
      return el('div', { class: 'i-map-item' },
        el('label', { for: id, text: header || `(column ${i + 1}, no header)` }),
        select);
    }));
    setText(root, '.i-file', picked.name);
    mapping.hidden = false;
  }

  function problemText(row) {
    if (row.exists) return `Already in the glossary (${row.id}): skipped, not overwritten.`;
    if (row.ok) return 'Ready';
    return row.problems.map((p) => `${p.field}: ${p.message}`).join('; ');
  }

  async function runPreview() {
    const mySeq = ++seq;
    const map = currentMapping();
    const chosen = map.filter(Boolean);
    const duplicate = chosen.find((f, i) => chosen.indexOf(f) !== i);
    importButton.disabled = true;
    message.textContent = '';
    let result;
    try {
      result = await call('preview_import', { mapping: map });
    } catch (err) {
      if (mySeq !== seq) return;
      preview.hidden = true;
      message.textContent = err.message;
      root.dataset.state = 'error';
      return;
    }
    if (mySeq !== seq) return;
    preview.hidden = false;
    if (result.missing.length) {
      summary.textContent = `Choose the column that holds the ${result.missing.join(', ')} to see the preview.`;
      tableBody.replaceChildren();
      root.dataset.state = 'mapping';
      return;
    }
    tableBody.replaceChildren(...result.rows.map((row) => el('tr', {
      class: row.ok ? 'ok' : row.exists ? 'exists' : 'bad',
      dataset: { line: String(row.line), id: row.id },
    },
    el('td', { text: String(row.line) }),
    el('td', { class: 'mono', text: row.id }),
    el('td', { text: row.term }),
    el('td', { text: row.domain }),
    el('td', { class: 'i-problems', text: problemText(row) }))));
    const parts = [`${result.rows.length} row${result.rows.length === 1 ? '' : 's'}: ${result.ready} ready`];
    if (result.with_errors) parts.push(`${result.with_errors} with errors`);
    if (result.existing) parts.push(`${result.existing} already in the glossary`);
    summary.textContent = `${parts.join(', ')}. Nothing has been written yet.${duplicate ? ` Two columns are mapped to “${duplicate}”: only the last one is used.` : ''}`;
    if (result.with_errors) {
      message.textContent = 'Fix the rows with errors in the file (or change the mapping), then choose the file again: nothing is imported while any row has an error.';
    }
    importButton.disabled = !editable || result.with_errors > 0 || result.ready === 0;
    importButton.textContent = result.with_errors
      ? 'Import (fix the rows with errors first)'
      : `Import ${result.ready} entr${result.ready === 1 ? 'y' : 'ies'}`;
    root.dataset.state = result.with_errors ? 'errors' : 'ready';
    root.dataset.ready = String(result.ready);
  }

  pickButton.addEventListener('click', async () => {
    message.textContent = '';
    try {
      const answer = await call('pick_import_csv');
      if (!answer) return;
      picked = answer;
      renderMapping();
      await runPreview();
    } catch (err) {
      message.textContent = err.message;
      root.dataset.state = 'error';
    }
  });

  importButton.addEventListener('click', async () => {
    if (!(await ensureAuthor())) return;
    importButton.disabled = true;
    try {
      const done = await call('apply_import', { mapping: currentMapping() });
      picked = null;
      mapping.hidden = true;
      preview.hidden = true;
      message.textContent = `Imported ${done.ids.length} entr${done.ids.length === 1 ? 'y' : 'ies'}${done.skipped ? ` (${done.skipped} already in the glossary, skipped)` : ''}. The glossary has been reloaded.`;
      root.dataset.state = 'imported';
      root.dataset.imported = done.ids.join(' ');
      await onImported(done);
    } catch (err) {
      message.textContent = err.message;
      root.dataset.state = 'error';
      importButton.disabled = false;
    }
  });

  for (const button of root.querySelectorAll('.e-formats button')) {
    button.addEventListener('click', async () => {
      exportNote.textContent = '';
      try {
        const path = await call('export_glossary', { format: button.dataset.format });
        if (path) exportNote.textContent = `Exported to ${path}.`;
      } catch (err) {
        exportNote.textContent = err.message;
      }
    });
  }
  return root;
}
