// Modal questions, with <dialog>: the safe choice is first (and focused), Esc cancels.
import { append } from './dom.js';

export function confirmDialog({ title, body, ok, cancel = 'Cancel', danger = true }) {
  const dialog = document.getElementById('confirm');
  document.getElementById('confirm-title').textContent = title;
  const bodyNode = document.getElementById('confirm-body');
  bodyNode.replaceChildren();
  append(bodyNode, [body]);
  const okButton = document.getElementById('confirm-ok');
  okButton.textContent = ok;
  okButton.className = danger ? 'danger' : 'primary';
  document.getElementById('confirm-cancel').textContent = cancel;
  dialog.returnValue = '';
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
    dialog.showModal();
  });
}

// Asks for the author's name once; `save(name)` stores it and may throw an AppError.
export function askAuthor(save) {
  const dialog = document.getElementById('author-dialog');
  const form = document.getElementById('author-form');
  const input = document.getElementById('author-name');
  const error = document.getElementById('author-error');
  error.hidden = true;
  input.value = '';
  return new Promise((resolve) => {
    const onSubmit = async (event) => {
      const choice = event.submitter ? event.submitter.value : 'ok';
      if (choice !== 'ok') return; // the dialog closes with "cancel"
      event.preventDefault();
      const name = input.value.trim();
      if (!name) {
        error.textContent = 'Enter your name, or cancel.';
        error.hidden = false;
        input.focus();
        return;
      }
      try {
        await save(name);
        dialog.close('ok');
      } catch (err) {
        error.textContent = err.message;
        error.hidden = false;
      }
    };
    form.addEventListener('submit', onSubmit);
    dialog.addEventListener('close', () => {
      form.removeEventListener('submit', onSubmit);
      resolve(dialog.returnValue === 'ok');
    }, { once: true });
    dialog.returnValue = '';
    dialog.showModal();
    input.focus();
  });
}
