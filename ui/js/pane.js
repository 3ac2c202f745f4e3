// The main pane (#view): what is mounted in it, and which result it shows.
import { view } from './state.js';
import { markCurrentResults } from './results.js';

export function mount(node, kind) {
  view.replaceChildren(node);
  view.dataset.view = kind;
  view.scrollTop = 0;
  markCurrentResults();
}
