// The one door to the Rust side: every command goes through `call`, every notification from
// Rust through `listen`. Every failure arrives as {code, message, details?}
// (src-tauri/src/error.rs pins that shape) and is rethrown as an AppError.

export class AppError extends Error {
  constructor(code, message, details) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details ?? null;
  }
}

export async function call(command, args = {}) {
  try {
    return await window.__TAURI__.core.invoke(command, args);
  } catch (err) {
    if (err && typeof err === 'object' && typeof err.code === 'string') {
      throw new AppError(err.code, String(err.message ?? err.code), err.details);
    }
    throw new AppError('internal', String(err));
  }
}

// The events Rust sends (src-tauri/src/events.rs, services/lookup.rs); they carry no text,
// only "look again" (open-entry carries an entry id).
export const EVENTS = {
  glossaryChanged: 'glossary-changed',
  closeRequested: 'close-requested',
  syncChanged: 'sync-changed',
  documentDropped: 'document-dropped',
  lookupRequested: 'lookup-requested',
  openEntry: 'open-entry',
  linkOpened: 'link-opened',
};

// Runs `handler` on every `event` from Rust, with its payload. Resolves once listening (so
// nothing sent after that is missed).
export function listen(event, handler) {
  return window.__TAURI__.event.listen(event, (e) => handler(e.payload));
}
