// What the window holds: the app's status from Rust, the search and the navigation history,
// and the page's fixed elements. Bottom layer: imports nothing.

export const $ = (id) => document.getElementById(id);
export const q = $('q');
export const results = $('results');
export const view = $('view');

export const app = {
  status: null,
  domains: new Map(), // id -> {id, name, side, description}
  closeness: new Map(), // 'close' -> {id, label, translation_mark, equivalent}, from the core
  reader: null,
  filters: new Set(),
  statuses: new Set(), // search only entries with these statuses (all when empty)
  hits: [],
  active: -1,
  seq: 0,
  history: [], // routes: {kind: 'entry', id} | {kind: 'review', side} | {kind: 'settings'} | {kind: 'translate'} | {kind: 'exchange'}
  pos: -1,
  editor: null,
  zoom: 1,
};

// Navigation, registered by router.js: the edit flow opens entries and goes home through
// these, so it need not import the router (which imports it).
export const nav = {
  openEntry: async () => {},
  showRoute: async () => {},
  showHome: () => {},
};

export function setResultsStatus(text) {
  $('results-status').textContent = text;
}
