/*
 * Resumable uploads. A form marked `data-resumable` (its value: where tus uploads start) sends each
 * chosen file with the tus protocol, through tus-js-client (served by the app, loaded only where
 * such a form is), in chunks under 1 MB so a reverse proxy's default body limit never refuses one,
 * with a progress bar per file. An upload cut short goes on by itself when the connection returns;
 * after a reload, choosing the same file again continues where it stopped. Files may also be
 * dropped on the form. Without this script the same form posts the files in one plain request,
 * without resume.
 */
const script = document.currentScript;
const CHUNK_BYTES = 1000 * 1000;
let tusLoaded;

function loadTus() {
  tusLoaded ??= new Promise((resolve, reject) => {
    const tag = document.createElement('script');
    tag.src = script.dataset.tus;
    tag.nonce = script.nonce;
    tag.onload = () => resolve(window.tus);
    tag.onerror = reject;
    document.head.append(tag);
  });
  return tusLoaded;
}

function sizeWords(bytes) {
  if (bytes >= 1024 ** 3) return `${+(bytes / 1024 ** 3).toFixed(1)} GB`;
  if (bytes >= 1024 ** 2) return `${+(bytes / 1024 ** 2).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

/** One file's line: its name, a progress bar and what is happening, read out as it changes. */
function progressLine(list, file) {
  const item = document.createElement('li');
  const name = document.createElement('span');
  name.className = 'upload-name';
  name.textContent = file.name;
  const bar = document.createElement('progress');
  bar.max = file.size || 1;
  bar.value = 0;
  bar.setAttribute('aria-label', `Upload of ${file.name}`);
  const status = document.createElement('span');
  status.className = 'upload-status';
  item.append(name, bar, status);
  list.append(item);
  return {
    progress(sent) {
      bar.value = sent;
      status.textContent = `${sizeWords(sent)} of ${sizeWords(file.size)}`;
    },
    say(text, kind) {
      status.textContent = text;
      item.dataset.state = kind;
    },
  };
}

/** What the server made of a finished upload: a file, or the reason it was refused. */
async function outcome(url) {
  for (let tries = 0; tries < 30; tries++) {
    const response = await fetch(url, {
      headers: { Accept: 'application/json' },
      credentials: 'same-origin',
    });
    if (!response.ok) return { state: 'refused', message: 'The upload could not be checked.' };
    const result = await response.json();
    if (result.state === 'done' || result.state === 'refused') return result;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return { state: 'refused', message: 'The upload is still being stored; reload the page in a moment.' };
}

function sendOne(tus, form, file, line) {
  const sameName = form.querySelector('input[name="sameName"]:checked');
  const metadata = { filename: file.name, filetype: file.type };
  if (form.dataset.folder) metadata.folder = form.dataset.folder;
  if (sameName) metadata.sameName = sameName.value;
  return new Promise((resolve) => {
    const upload = new tus.Upload(file, {
      endpoint: form.dataset.resumable,
      chunkSize: CHUNK_BYTES,
      retryDelays: [0, 1000, 3000, 5000, 10000, 20000],
      metadata,
      removeFingerprintOnSuccess: true,
      // A full disk is not emptied by trying again within the minute: said at once (onError).
      onShouldRetry: (error, attempt, options) =>
        error.originalResponse?.getStatus?.() !== 507 &&
        tus.defaultOptions.onShouldRetry(error, attempt, options),
      onProgress: (sent) => line.progress(sent),
      async onSuccess() {
        line.say('Checking…', 'checking');
        const result = await outcome(upload.url);
        line.say(result.state === 'done' ? 'Uploaded' : result.message, result.state);
        resolve(result);
      },
      onError(error) {
        const refused = error.originalResponse?.getStatus?.();
        // Refused (4xx), or no room left on the server (507): said, and not tried again by itself.
        if (refused && ((refused >= 400 && refused < 500) || refused === 507)) {
          const message = error.originalResponse.getBody() || 'This file was refused.';
          line.say(message, 'refused');
          resolve({ state: 'refused', message });
          return;
        }
        // The connection is gone for now: go on when it returns.
        line.say('Paused: waiting for the connection to return…', 'paused');
        window.addEventListener('online', () => upload.start(), { once: true });
        setTimeout(() => upload.start(), 30000);
      },
    });
    upload.findPreviousUploads().then((previous) => {
      if (previous.length) {
        upload.resumeFromPreviousUpload(previous[0]);
        line.say('Continuing where it stopped…', 'resuming');
      }
      upload.start();
    });
  });
}

document.addEventListener('submit', async (event) => {
  const form = event.target.closest('form[data-resumable]');
  const input = form?.querySelector('input[type="file"]');
  if (!form || !input?.files?.length) return;
  event.preventDefault();
  let tus;
  try {
    tus = await loadTus();
  } catch {
    form.submit();
    return;
  }
  if (!tus?.isSupported) {
    form.submit();
    return;
  }
  const list = form.querySelector('.upload-progress');
  list.replaceChildren();
  const button = form.querySelector('button[type="submit"]');
  button.disabled = true;
  const files = [...input.files];
  const results = await Promise.all(files.map((file) => sendOne(tus, form, file, progressLine(list, file))));
  button.disabled = false;
  input.value = '';
  const added = results.filter((r) => r.state === 'done').map((r) => r.message);
  if (added.length === results.length) {
    // Said on the page the reload brings, where the plain form's answer would be.
    sessionStorage.setItem(UPLOADED, `Uploaded: ${added.join(', ')}.`);
    window.location.reload();
    return;
  }
  // Some were refused: each line says why; the page is reloaded when the person chooses.
  const show = document.createElement('a');
  show.href = window.location.href;
  show.className = 'upload-again';
  show.textContent = added.length ? 'Show the files that were uploaded' : 'Start again';
  list.after(show);
});

const UPLOADED = 'portico-uploaded';

/** After the reload: what was uploaded, as the plain form's page would say it. */
function sayUploaded() {
  const text = sessionStorage.getItem(UPLOADED);
  if (!text) return;
  sessionStorage.removeItem(UPLOADED);
  const flash = document.createElement('div');
  flash.className = 'flash flash-success';
  flash.setAttribute('role', 'status');
  flash.textContent = text;
  document.getElementById('main')?.prepend(flash);
}

sayUploaded();

/** After a reload: name the uploads cut short here, so the person knows to choose them again. */
async function mentionInterrupted(form) {
  const note = form.querySelector('.upload-interrupted');
  if (!note) return;
  const tus = await loadTus();
  // tus-js-client keys each upload by a fingerprint that ends with the endpoint it started at.
  const endpoint = form.dataset.resumable;
  const previous = (await tus.defaultOptions.urlStorage.findAllUploads()).filter((p) =>
    p.urlStorageKey.includes(`-${endpoint}::`),
  );
  const names = previous.map((p) => p.metadata?.filename).filter(Boolean);
  if (!names.length) return;
  note.textContent = `Not finished: ${[...new Set(names)].join(', ')}. Choose the same file again to continue where it stopped.`;
  note.hidden = false;
}

/**
 * Files dragged onto an upload form and dropped are sent as if chosen with its picker (and, should
 * tus not load, in the form's plain request). Listeners sit on the document, so they hold forms the
 * page swaps in.
 */
const uploadFormOf = (event) => event.target.closest?.('form[data-resumable]');

document.addEventListener('dragover', (event) => {
  const form = uploadFormOf(event);
  if (!form || ![...(event.dataTransfer?.types ?? [])].includes('Files')) return;
  event.preventDefault();
  event.dataTransfer.dropEffect = 'copy';
  form.classList.add('dropping');
});

document.addEventListener('dragleave', (event) => {
  const form = uploadFormOf(event);
  if (form && !form.contains(event.relatedTarget)) form.classList.remove('dropping');
});

document.addEventListener('drop', (event) => {
  const form = uploadFormOf(event);
  const input = form?.querySelector('input[type="file"]');
  if (!input) return;
  form.classList.remove('dropping');
  if (!event.dataTransfer?.files.length) return;
  event.preventDefault();
  input.files = event.dataTransfer.files;
  form.requestSubmit();
});

/** Each upload form on the page, once: its hint says files may be dropped (only here, where they may), and what a reload cut short. */
function prepareForms() {
  for (const form of document.querySelectorAll('form[data-resumable]:not([data-prepared])')) {
    form.dataset.prepared = '';
    const input = form.querySelector('input[type="file"]');
    const hint = document.getElementById(input?.getAttribute('aria-describedby')?.split(' ')[0] ?? '');
    // A phone or tablet has nothing to drag files from.
    if (window.matchMedia('(pointer: fine)').matches) hint?.append(' Or drag them here and drop them.');
    mentionInterrupted(form).catch(() => {});
  }
}

prepareForms();
document.addEventListener('htmx:after:process', prepareForms);
