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
// Enter in the field saves (the form's only submit button is "Save my name"); an empty name is
// answered in the dialog, which stays open; only Cancel or Esc cancel.
export function askAuthor(save) {
  const dialog = document.getElementById('author-dialog');
  const form = document.getElementById('author-form');
  const input = document.getElementById('author-name');
  const error = document.getElementById('author-error');
  const cancel = document.getElementById('author-cancel');
  error.hidden = true;
  error.textContent = '';
  input.removeAttribute('aria-invalid');
  input.value = '';
  const showError = (message) => {
    error.textContent = message;
    error.hidden = false;
    input.setAttribute('aria-invalid', 'true');
    input.focus();
  };
  return new Promise((resolve) => {
    const onSubmit = async (event) => {
      event.preventDefault();
      const name = input.value.trim();
      if (!name) {
        showError('Enter your name to save (it is recorded with your change), or choose Cancel.');
        return;
      }
      try {
        await save(name);
        dialog.close('ok');
      } catch (err) {
        showError(err.message);
      }
    };
    const onCancel = () => dialog.close('cancel');
    form.addEventListener('submit', onSubmit);
    cancel.addEventListener('click', onCancel);
    dialog.addEventListener('close', () => {
      form.removeEventListener('submit', onSubmit);
      cancel.removeEventListener('click', onCancel);
      resolve(dialog.returnValue === 'ok');
    }, { once: true });
    dialog.returnValue = '';
    dialog.showModal();
    input.focus();
  });
}
