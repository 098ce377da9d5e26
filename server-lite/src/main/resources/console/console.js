// Castellan console: the little the pages need beyond HTML. Loaded as an ES module from the
// server itself ('self'), so the Content-Security-Policy allows no inline script at all.

// A revealed secret: a copy button, and the secret hides itself (and leaves the page) after a while.
for (const box of document.querySelectorAll('details.secret')) {
  const value = box.querySelector('.secret-value');
  const seconds = Number(box.dataset.hideAfter || '0');
  let timer = null;
  const hide = () => {
    box.open = false;
    value.textContent = '';
    box.querySelector('.phonetic')?.remove();
    box.querySelector('[data-copy]')?.remove();
    box.querySelector('summary').textContent = 'Hidden after ' + seconds + ' s; reveal again from the device page';
    box.classList.add('expired');
  };
  box.addEventListener('toggle', () => {
    if (box.open && seconds > 0 && timer === null && !box.classList.contains('expired')) {
      timer = setTimeout(hide, seconds * 1000);
    }
  });
  const copy = box.querySelector('[data-copy]');
  copy?.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(value.textContent);
      copy.textContent = 'Copied';
    } catch (e) {
      copy.textContent = 'Copy failed: select the text';
    }
  });
}

// Search as you type: submit the search a moment after the last key.
const search = document.querySelector('[data-search-as-you-type]');
if (search) {
  let pending = null;
  const end = search.value.length;
  search.setSelectionRange(end, end);
  search.addEventListener('input', () => {
    clearTimeout(pending);
    pending = setTimeout(() => search.form.requestSubmit(), 400);
  });
}

// A secret shown once (a new registration key): the history entry becomes the list it came
// from, so reloading the page shows the list instead of posting the form again.
const shownOnce = document.querySelector('[data-replace-url]');
if (shownOnce) {
  history.replaceState(null, '', shownOnce.dataset.replaceUrl);
}
for (const copy of document.querySelectorAll('[data-copy-text]')) {
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(document.getElementById(copy.dataset.copyText).textContent);
      copy.textContent = 'Copied';
    } catch (e) {
      copy.textContent = 'Copy failed: select the text';
    }
  });
}
