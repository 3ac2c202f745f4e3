// Settings: the glossary folder, the author's name, the side preference, the lookup shortcut
// and whether closing the window keeps Babelfish in the tray.
import { setText, fromTemplate } from './dom.js';
import { syncSettings } from './sync.js';

const ORIGIN = {
  env: 'Set by the BABELFISH_GLOSSARY environment variable for this session.',
  chosen: 'A folder you chose.',
  default: 'Your own copy of the glossary built into Babelfish, made on first run.',
  bundled: 'The read-only glossary built into Babelfish (no copy could be written to your data folder).',
};

export function renderSettings(status, actions) {
  const form = fromTemplate('tpl-settings');
  const g = status.glossary;
  setText(form, '.folder', g.folder ?? '(built in)');
  setText(form, '.origin', `${ORIGIN[g.origin] ?? ''} ${g.error ? g.error.message : `${g.entries} entries loaded (${g.timings.from_cache ? `unchanged since the last start: opened from the start-up cache in ${g.timings.load_ms} ms` : `read in ${g.timings.load_ms} ms, indexed in ${g.timings.index_ms} ms`}).`}`);
  setText(form, '.settings-file', `Settings are kept in ${status.settings_file}.${status.settings_note ? ` ${status.settings_note}` : ''}`);
  setText(form, '.zoom-line', `Zoom: ${Math.round((status.settings.zoom ?? 1) * 100)}% (Ctrl+plus and Ctrl+minus change it, Ctrl+0 resets it; it is remembered).`);
  const sync = syncSettings(status);
  if (sync) form.querySelector('section').after(sync);
  const author = form.querySelector('#s-author');
  author.value = status.settings.author ?? '';
  for (const radio of form.querySelectorAll('input[name="s-reader"]')) radio.checked = radio.value === status.settings.reader;
  for (const radio of form.querySelectorAll('input[name="s-review-side"]')) radio.checked = radio.value === (status.settings.review_side ?? '');
  const note = form.querySelector('.saved-note');
  const guard = (fn) => async () => {
    note.textContent = '';
    try {
      await fn();
    } catch (err) {
      note.textContent = err.message;
    }
  };
  form.querySelector('.choose-folder').addEventListener('click', guard(actions.chooseFolder));
  form.querySelector('.use-default').addEventListener('click', guard(actions.useDefault));
  form.querySelector('.reload').addEventListener('click', guard(actions.reload));
  const shortcutOn = form.querySelector('#s-shortcut-on');
  const shortcut = form.querySelector('#s-shortcut');
  shortcutOn.checked = Boolean(status.lookup_shortcut);
  shortcut.value = status.lookup_shortcut ?? status.settings.lookup_shortcut ?? '';
  shortcut.disabled = !shortcutOn.checked;
  shortcutOn.addEventListener('change', () => {
    shortcut.disabled = !shortcutOn.checked;
  });
  const shortcutNote = form.querySelector('.shortcut-note');
  form.querySelector('.save-shortcut').addEventListener('click', async () => {
    shortcutNote.textContent = '';
    try {
      // An empty shortcut switches it off (the shell keeps the text for next time otherwise).
      const saved = await actions.saveShortcut(shortcutOn.checked ? shortcut.value : '');
      shortcutNote.textContent = saved.lookup_shortcut ? `Saved: ${saved.lookup_shortcut} looks the selection up.` : 'Saved: no shortcut.';
    } catch (err) {
      shortcutNote.textContent = err.message;
    }
  });
  const keepInTray = form.querySelector('#s-keep-in-tray');
  const trayNote = form.querySelector('.tray-note');
  keepInTray.checked = Boolean(status.settings.keep_in_tray);
  keepInTray.addEventListener('change', async () => {
    trayNote.textContent = '';
    try {
      await actions.saveKeepInTray(keepInTray.checked);
      trayNote.textContent = keepInTray.checked ? 'Saved: closing the window keeps Babelfish in the tray.' : 'Saved: closing the window quits Babelfish.';
    } catch (err) {
      trayNote.textContent = err.message;
    }
  });
  // Enter saves the settings here as it does in the name field (a checkbox alone would not).
  keepInTray.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    form.requestSubmit();
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const reader = form.querySelector('input[name="s-reader"]:checked')?.value ?? null;
    const reviewSide = form.querySelector('input[name="s-review-side"]:checked')?.value || null;
    try {
      await actions.save({ author: author.value, reader, reviewSide, keepInTray: keepInTray.checked });
      note.textContent = 'Saved.';
    } catch (err) {
      note.textContent = err.message;
    }
  });
  return form;
}
