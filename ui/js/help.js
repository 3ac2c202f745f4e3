// Help and about: the version, where the glossary lives, the keyboard shortcuts and how to
// report a problem. Paths and names from the status go in as text.
import { fromTemplate, setText } from './dom.js';

export function renderHelp(status) {
  const root = fromTemplate('tpl-help');
  setText(root, '.h-version', status ? `Babelfish ${status.version}` : 'Babelfish');
  const g = status?.glossary;
  setText(root, '.h-folder', g ? (g.folder ?? 'The glossary built into Babelfish (read-only)') : '');
  setText(root, '.h-entries', g ? (g.error ? g.error.message : `${g.entries} entries loaded.`) : '');
  setText(root, '.h-settings', status ? status.settings_file : '');
  const details = [
    `Babelfish ${status?.version ?? ''}`,
    `Glossary: ${g?.folder ?? 'built in'} (${g?.entries ?? 0} entries)`,
    `Problems in the glossary files: ${status?.problems.filter((p) => p.severity === 'error').length ?? 0}`,
    `Settings: ${status?.settings_file ?? ''}`,
    `System: ${navigator.userAgent}`,
  ].join('\n');
  setText(root, '.h-details', details);
  return root;
}
