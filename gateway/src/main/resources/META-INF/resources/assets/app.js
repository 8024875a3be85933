// ShipGAN's page: samples per label, latent interpolation, the serving model and its versions, the training run.
// Everything comes from the gateway's own API; nothing is loaded from elsewhere.
import { ApiError, adminCall, getImage, getJson, keys, query } from './api.js';

const PER_ROW = 8;
const MAX_COUNT = 64;
const TILE_GAP = 2;
const TRAINING_EVERY_MS = 5000;
const MODELS_EVERY_MS = 10000;
const DEFAULT_LABELS = ['ship', 'no-ship'];
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

const $ = (id) => document.getElementById(id);

/** Builds an element; children that are strings become text, so nothing from the API is parsed as HTML. */
function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (name === 'className') {
      element.className = value;
    } else if (name.startsWith('on')) {
      element.addEventListener(name.slice(2), value);
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  element.append(...children.filter((child) => child !== null && child !== undefined));
  return element;
}

/** Blob URLs shown by one part of the page; replacing them frees the old ones. */
class BlobUrls {
  constructor() {
    this.urls = [];
  }

  replace(urls) {
    this.urls.forEach((url) => URL.revokeObjectURL(url));
    this.urls = urls;
  }
}

const format = {
  number(value, digits = 3) {
    return typeof value === 'number' && Number.isFinite(value) ? value.toFixed(digits) : '—';
  },
  rate(value) {
    return typeof value === 'number' && Number.isFinite(value) ? `${(value * 100).toFixed(1)} %` : '—';
  },
  duration(seconds) {
    if (typeof seconds !== 'number' || !Number.isFinite(seconds)) {
      return '—';
    }
    const s = Math.round(seconds);
    if (s < 90) {
      return `${s} s`;
    }
    const minutes = Math.round(s / 60);
    return minutes < 90 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  },
  time(iso) {
    if (!iso) {
      return '—';
    }
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? '—' : date.toLocaleString();
  },
};

// ---- messages ---------------------------------------------------------------------------------------------------

/** The sentence for a failed call: the problem's detail, and when to try again if the gateway said so. */
function describe(error) {
  if (!(error instanceof ApiError)) {
    return `Something went wrong: ${error.message}`;
  }
  const busy = error.status === 429 || error.status === 503;
  const wait = busy && error.retryAfterSeconds ? ` (try again in ${error.retryAfterSeconds} s)` : '';
  return `${error.detail}${wait}`;
}

function showStatus(element, text, kind = 'info') {
  element.textContent = text;
  element.dataset.kind = kind;
}

/** Shows a failed call in its section; a key problem also asks for a key at the top of the page. */
function showError(element, error) {
  // No model yet, or a backend restarting: worth waiting for, not a failure of the visitor's.
  showStatus(element, describe(error), error instanceof ApiError && error.status === 503 ? 'warn' : 'error');
  if (error instanceof ApiError && error.isKeyProblem) {
    notify(`${describe(error)} — check your API key.`, 'error', { label: 'Enter key', action: changeUserKey });
  }
}

function notify(text, kind = 'info', button = null) {
  const notice = $('notice');
  notice.dataset.kind = kind;
  $('notice-text').replaceChildren(text,
    button ? el('button', { type: 'button', className: 'link', onclick: button.action }, button.label) : '');
  notice.hidden = false;
}

// ---- keys -------------------------------------------------------------------------------------------------------

/** Asks for the user key in a dialog; resolves to whether a key was saved. */
function askUserKey() {
  const dialog = $('key-dialog');
  $('api-key').value = keys.user() ?? '';
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      const saved = dialog.returnValue === 'save';
      if (saved) {
        keys.setUser($('api-key').value);
        $('notice').hidden = true;
      } else if (!keys.asked()) {
        keys.setUser('');
      }
      updateKeyButton();
      resolve(saved);
    }, { once: true });
    dialog.showModal();
  });
}

function updateKeyButton() {
  $('key-button').textContent = keys.user() ? 'Change API key' : 'Set API key';
  $('admin-forget').hidden = !keys.admin();
}

/** Asks for a new user key and, when one is saved, loads everything again with it. */
async function changeUserKey() {
  if (await askUserKey()) {
    await loadAll();
  }
}

/**
 * Asks to confirm an admin operation, with the admin key unless this tab holds one already; resolves to
 * { key, reason } or null when cancelled.
 */
function confirmAdmin(description, { withReason = false } = {}) {
  const dialog = $('admin-dialog');
  const stored = keys.admin();
  $('admin-dialog-action').textContent = description;
  $('admin-key').value = '';
  $('admin-key').required = !stored;
  $('admin-key').closest('form').querySelector('label[for="admin-key"]').hidden = Boolean(stored);
  $('admin-key').hidden = Boolean(stored);
  $('reason-field').hidden = !withReason;
  $('rollback-reason').value = '';
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      if (dialog.returnValue !== 'confirm') {
        resolve(null);
        return;
      }
      resolve({ key: stored ?? $('admin-key').value.trim(), reason: $('rollback-reason').value.trim() });
    }, { once: true });
    dialog.returnValue = '';
    dialog.showModal();
  });
}

/** Runs an admin operation after confirmation; the models or training view it answers is shown at once. */
async function adminOperation(description, path, method, render, options = {}) {
  const answer = await confirmAdmin(description, options);
  if (!answer) {
    return;
  }
  const body = options.withReason && answer.reason ? { reason: answer.reason } : undefined;
  try {
    const view = await adminCall(path, method, answer.key, body);
    keys.setAdmin(answer.key);
    notify(`${description}: done.`, 'ok');
    render(view);
  } catch (error) {
    if (error instanceof ApiError && error.isKeyProblem) {
      keys.setAdmin(null);
    }
    notify(`${description} failed: ${describe(error)}`, 'error');
  }
  updateKeyButton();
}

// ---- gallery ----------------------------------------------------------------------------------------------------

const gallery = { labels: DEFAULT_LABELS, count: PER_ROW, seed: '1', render: 0, urls: new BlobUrls(), retry: null };

/** The seed typed in a field, as a decimal string, or null when it is not a 64-bit integer. */
function readSeed(input) {
  const text = input.value.trim();
  if (!/^-?[0-9]{1,19}$/.test(text)) {
    return null;
  }
  const value = BigInt(text);
  return value < INT64_MIN || value > INT64_MAX ? null : value.toString();
}

/** Cuts a grid PNG (⌈√n⌉ columns, 2 px gaps, as the API documents) into one PNG blob per sample. */
async function cutTiles(blob, count) {
  const bitmap = await createImageBitmap(blob, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  const columns = Math.ceil(Math.sqrt(count));
  const tile = (bitmap.width - (columns - 1) * TILE_GAP) / columns;
  const canvas = el('canvas', { width: tile, height: tile });
  const context = canvas.getContext('2d');
  const tiles = [];
  for (let i = 0; i < count; i++) {
    const x = (i % columns) * (tile + TILE_GAP);
    const y = Math.floor(i / columns) * (tile + TILE_GAP);
    context.clearRect(0, 0, tile, tile);
    context.drawImage(bitmap, x, y, tile, tile, 0, 0, tile, tile);
    tiles.push(await new Promise((resolve) => canvas.toBlob(resolve, 'image/png')));
  }
  bitmap.close();
  return tiles;
}

async function drawGallery() {
  const render = ++gallery.render;
  clearTimeout(gallery.retry);
  const { seed, count, labels } = gallery;
  showStatus($('gallery-status'), `Drawing ${count} samples per label with seed ${seed}…`);
  $('gallery').setAttribute('aria-busy', 'true');
  try {
    const rows = await Promise.all(labels.map(async (label) => {
      const { blob, headers } = await getImage(`/api/v1/images?${query({ count, seed, label })}`);
      return { label, version: headers.get('X-Model-Version'), tiles: await cutTiles(blob, count) };
    }));
    if (render !== gallery.render) {
      return;
    }
    const urls = [];
    $('gallery').replaceChildren(...rows.map(({ label, version, tiles }) => el('figure', {
      className: 'label-row', 'data-label': label,
    }, el('figcaption', {}, el('span', { className: 'label-name' }, label || 'samples'),
      el('span', { className: 'meta' }, `model v${version}`)),
    el('ul', { className: 'tiles' }, ...tiles.map((tile, index) => {
      const url = URL.createObjectURL(tile);
      urls.push(url);
      return el('li', {}, el('img', {
        src: url, width: 80, height: 80, 'data-index': index, 'data-seed': seed, 'data-version': version,
        alt: `Generated ${label || 'unconditional'} sample ${index + 1} of seed ${seed}, model version ${version}`,
      }));
    })))));
    gallery.urls.replace(urls);
    const versions = [...new Set(rows.map((row) => row.version))];
    $('gallery-meta').textContent = `seed ${seed} · model v${versions.join(', v')}`;
    showStatus($('gallery-status'), '');
    $('more').disabled = count >= MAX_COUNT;
  } catch (error) {
    if (render !== gallery.render) {
      return;
    }
    showError($('gallery-status'), error);
    if (error instanceof ApiError && (error.status === 503 || error.status === 429)) {
      gallery.retry = setTimeout(drawGallery, 1000 * (error.retryAfterSeconds ?? 5));
    }
  } finally {
    if (render === gallery.render) {
      $('gallery').removeAttribute('aria-busy');
    }
  }
}

function setUpGallery() {
  $('seed-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const seed = readSeed($('seed'));
    if (seed === null) {
      showStatus($('gallery-status'), 'The seed must be a whole number from -2^63 to 2^63 - 1.', 'error');
      $('seed').focus();
      return;
    }
    gallery.seed = seed;
    gallery.count = PER_ROW;
    drawGallery();
  });
  $('new-seed').addEventListener('click', () => {
    $('seed').value = String(crypto.getRandomValues(new Uint32Array(1))[0]);
    $('seed-form').requestSubmit();
  });
  $('more').addEventListener('click', () => {
    gallery.count = Math.min(MAX_COUNT, gallery.count + PER_ROW);
    drawGallery();
  });
}

// ---- interpolation ----------------------------------------------------------------------------------------------

const strip = { urls: new BlobUrls(), render: 0 };

async function drawStrip() {
  const from = readSeed($('from-seed'));
  const to = readSeed($('to-seed'));
  if (from === null || to === null) {
    showStatus($('interpolation-status'), 'Both seeds must be whole numbers (64-bit).', 'error');
    return;
  }
  const steps = $('steps').value;
  const label = $('interpolation-label').value;
  const mode = $('mode').value;
  const render = ++strip.render;
  showStatus($('interpolation-status'), 'Interpolating…');
  try {
    const { blob, headers } = await getImage(`/api/v1/images/interpolation?${query({ from, to, steps, mode, label })}`);
    if (render !== strip.render) {
      return;
    }
    const url = URL.createObjectURL(blob);
    strip.urls.replace([url]);
    const image = $('strip');
    image.src = url;
    image.alt = `${steps} generated ${label || ''} images along the ${mode} path from the latent of seed ${from} `
      + `to that of seed ${to}, model version ${headers.get('X-Model-Version')}`;
    image.hidden = false;
    $('interpolation-meta').textContent = `model v${headers.get('X-Model-Version')}`;
    showStatus($('interpolation-status'), '');
  } catch (error) {
    if (render === strip.render) {
      showError($('interpolation-status'), error);
    }
  }
}

function setUpInterpolation() {
  $('interpolation-form').addEventListener('submit', (event) => {
    event.preventDefault();
    drawStrip();
  });
}

function showLabels(labels) {
  const shown = labels.length ? labels : [];
  const select = $('interpolation-label');
  const chosen = select.value;
  const same = select.options.length === Math.max(1, shown.length)
    && [...select.options].every((option, i) => option.value === (shown[i] ?? ''));
  if (!same) {
    select.replaceChildren(...(shown.length ? shown : ['']).map((label) => el('option', { value: label },
      label || '(unconditional)')));
    if (shown.includes(chosen)) {
      select.value = chosen;
    }
  }
}

// ---- serving model ----------------------------------------------------------------------------------------------

const STATUS_NOTES = {
  active: 'serving', canary: 'on trial', candidate: 'being validated', cached: 'ready to pin', retired: 'retired',
};

/** One term of a fact list, grouped so that the grid keeps term and value together. */
function fact(term, value) {
  return el('div', { className: 'fact' }, el('dt', {}, term), el('dd', {}, value));
}

function renderModels(view) {
  const active = view.active;
  const pinned = view.policy?.mode === 'pinned' ? view.policy.pinnedVersion : null;
  const scores = active?.metadata?.scores ?? {};
  $('model-pill').textContent = active ? `model v${active.version} · ${active.device}` : 'no model yet';
  $('model-meta').textContent = view.replica ? `replica ${view.replica}` : '';
  $('active-facts').replaceChildren(...(active ? [
    fact('Active version', `v${active.version}`),
    fact('Policy', pinned === null ? 'follows the latest good version' : `pinned to v${pinned}`),
    fact('Trained steps', String(active.metadata?.step ?? '—')),
    fact('Device', active.device),
    fact('Ship rate', format.rate(scores.ship_rate)),
    fact('No-ship rate', format.rate(scores.no_ship_rate)),
    fact('FD ship', `${format.number(scores.fd_ship, 1)} (floor ${format.number(scores.fd_floor_ship, 1)})`),
    fact('FD no-ship',
      `${format.number(scores.fd_no_ship, 1)} (floor ${format.number(scores.fd_floor_no_ship, 1)})`),
    fact('Active since', format.time(active.activatedAt)),
  ] : [fact('Active version', 'none yet: the first checkpoint has not arrived')]));
  $('unpin').disabled = pinned === null;
  $('rollback').disabled = !active || pinned !== null;

  $('versions').tBodies[0].replaceChildren(...(view.versions ?? []).map((version) => {
    const pinnable = version.onDisk && (version.status === 'active' || version.status === 'cached');
    const note = version.status === 'rejected' ? version.reason ?? 'rejected' : STATUS_NOTES[version.status] ?? '';
    return el('tr', { 'data-version': version.version, 'data-status': version.status },
      el('th', { scope: 'row' }, `v${version.version}`,
        pinned === version.version ? el('span', { className: 'badge pinned' }, 'pinned') : null),
      el('td', {}, el('span', { className: `badge ${version.status}` }, version.status)),
      el('td', {}, String(version.step ?? '—')),
      el('td', {}, format.rate(version.scores?.ship_rate)),
      el('td', {}, format.number(version.scores?.fd_ship, 1)),
      el('td', { className: 'note' }, note),
      el('td', {}, pinnable && pinned !== version.version ? el('button', {
        type: 'button', className: 'small secondary', 'aria-label': `Pin version ${version.version}`,
        onclick: () => adminOperation(`Pin version ${version.version}`,
          `/api/v1/models/${version.version}/pin`, 'POST', renderModels),
      }, 'Pin') : ''));
  }));

  const labels = active ? active.labels ?? [] : DEFAULT_LABELS;
  showLabels(labels);
  return labels;
}

async function refreshModels() {
  try {
    const labels = renderModels(await getJson('/api/v1/models'));
    showStatus($('model-status'), '');
    return labels;
  } catch (error) {
    showError($('model-status'), error);
    return null;
  }
}

function setUpModels() {
  $('unpin').addEventListener('click', () => adminOperation('Lift the pin', '/api/v1/models/pin', 'DELETE',
    renderModels));
  $('rollback').addEventListener('click', () => adminOperation(
    'Roll back: withdraw the active version and serve the previous good one', '/api/v1/models/rollback', 'POST',
    renderModels, { withReason: true }));
}

// ---- training ---------------------------------------------------------------------------------------------------

const training = {
  status: null, loaded: false, latestVersion: null, checkpoints: [], followLatest: true,
  curves: new BlobUrls(), grids: new Map(),
};

function renderTraining(status) {
  const state = status.state ?? 'UNKNOWN';
  const badge = $('training-state');
  badge.textContent = state.toLowerCase();
  badge.className = `badge ${state.toLowerCase()}`;
  const running = state === 'TRAINING' || state === 'LOADING';
  $('training-start').disabled = running;
  $('training-stop').disabled = !running;

  const progress = $('training-progress');
  if (status.maxSteps) {
    progress.max = status.maxSteps;
    progress.value = Math.min(status.step, status.maxSteps);
    $('training-progress-text').textContent = `step ${status.step} of ${status.maxSteps}`
      + (running ? ` · ETA ${format.duration(status.etaSeconds)}` : '');
  } else {
    progress.removeAttribute('value');
    $('training-progress-text').textContent = `step ${status.step}, no step limit`;
  }

  renderTrainingFacts(status);

  // Curves and grids change only with a new checkpoint; a resumed run has them before it publishes again.
  const latest = status.latestVersion ?? null;
  if (!training.loaded || latest !== training.latestVersion) {
    training.loaded = true;
    training.latestVersion = latest;
    refreshTimeline();
  }
}

function checkpointName(version) {
  return version ? `v${version}` : 'none yet';
}

function renderTrainingFacts(status) {
  training.status = status;
  // A resumed run has no scores until its next checkpoint: the last one in its history stands in.
  const scores = Object.keys(status.scores ?? {}).length ? status.scores : training.checkpoints.at(-1)?.scores ?? {};
  $('training-facts').replaceChildren(
    fact('Epoch', String(status.epoch ?? '—')),
    fact('Speed', `${format.number(status.imagesPerSecond, 1)} images/s`),
    fact('Loss G / D', `${format.number(status.losses?.generator)} / ${format.number(status.losses?.discriminator)}`),
    fact('Latest checkpoint', checkpointName(status.latestVersion ?? training.checkpoints.at(-1)?.version)),
    fact('Ship rate', format.rate(scores.ship_rate)),
    fact('No-ship rate', format.rate(scores.no_ship_rate)),
    fact('FD ship', `${format.number(scores.fd_ship, 1)} (floor ${format.number(scores.fd_floor_ship, 1)})`),
    fact('Classifier accuracy', format.rate(status.classifierAccuracy)),
    fact('Started', format.time(status.startedAt)),
    ...(status.error ? [fact('Error', status.error)] : []),
  );
}

async function refreshTraining() {
  try {
    renderTraining(await getJson('/api/v1/training'));
    showStatus($('training-status'), '');
  } catch (error) {
    showError($('training-status'), error);
  }
}

async function refreshCurves() {
  try {
    const { blob } = await getImage('/api/v1/training/curves.png');
    const url = URL.createObjectURL(blob);
    training.curves.replace([url]);
    $('curves').src = url;
    $('curves').hidden = false;
    showStatus($('curves-status'), '');
  } catch (error) {
    showError($('curves-status'), error);
  }
}

async function refreshTimeline() {
  try {
    const history = await getJson('/api/v1/training/history');
    training.checkpoints = history.filter((point) => point.version).sort((a, b) => a.version - b.version);
    const slider = $('timeline');
    slider.max = Math.max(0, training.checkpoints.length - 1);
    slider.disabled = training.checkpoints.length < 2;
    if (training.followLatest) {
      slider.value = slider.max;
    }
    await showCheckpoint(Number(slider.value));
    if (training.checkpoints.length) {
      renderTrainingFacts(training.status);
      await refreshCurves();
    }
  } catch (error) {
    showError($('timeline-status'), error);
  }
}

async function showCheckpoint(index) {
  const point = training.checkpoints[index];
  if (!point) {
    showStatus($('timeline-status'), 'No checkpoint yet.');
    return;
  }
  const scores = point.scores ?? {};
  $('timeline-meta').textContent = `v${point.version} · step ${point.step}`
    + ` · ship rate ${format.rate(scores.ship_rate)} · FD ship ${format.number(scores.fd_ship, 1)}`;
  $('timeline').setAttribute('aria-valuetext', `checkpoint v${point.version}, step ${point.step}`);
  try {
    // A checkpoint's grid never changes: each is fetched once.
    if (!training.grids.has(point.version)) {
      const { blob } = await getImage(`/api/v1/training/checkpoints/${point.version}/samples.png`);
      training.grids.set(point.version, URL.createObjectURL(blob));
    }
    const image = $('timeline-grid');
    image.src = training.grids.get(point.version);
    image.alt = `Sample grid of checkpoint v${point.version} at step ${point.step}: the same eight latents, `
      + 'top row ship, bottom row no-ship';
    image.hidden = false;
    showStatus($('timeline-status'), '');
  } catch (error) {
    showError($('timeline-status'), error);
  }
}

function setUpTraining() {
  $('training-start').addEventListener('click', () => adminOperation('Start training', '/api/v1/training/start',
    'POST', renderTraining));
  $('training-stop').addEventListener('click', () => adminOperation('Stop training after the current step',
    '/api/v1/training/stop', 'POST', renderTraining));
  $('timeline').addEventListener('input', (event) => {
    const index = Number(event.target.value);
    training.followLatest = index === training.checkpoints.length - 1;
    showCheckpoint(index);
  });
  $('timeline-latest').addEventListener('click', () => {
    training.followLatest = true;
    $('timeline').value = $('timeline').max;
    showCheckpoint(Number($('timeline').max));
  });
}

// ---- start ------------------------------------------------------------------------------------------------------

/** Loads every part of the page: the models first, since they name the labels the gallery draws. */
async function loadAll() {
  const labels = await refreshModels();
  if (labels !== null) {
    gallery.labels = labels.length ? labels : [''];
  }
  gallery.seed = readSeed($('seed')) ?? gallery.seed;
  await Promise.all([drawGallery(), drawStrip(), refreshTraining()]);
}

/** Calls `refresh` every `ms` while the page is visible, never two at once. */
function every(ms, refresh) {
  const tick = async () => {
    if (!document.hidden) {
      await refresh();
    }
    setTimeout(tick, ms);
  };
  setTimeout(tick, ms);
}

async function start() {
  $('notice-close').addEventListener('click', () => {
    $('notice').hidden = true;
  });
  $('key-button').addEventListener('click', changeUserKey);
  $('admin-forget').addEventListener('click', () => {
    keys.setAdmin(null);
    updateKeyButton();
    notify('The admin key is forgotten.', 'ok');
  });
  setUpGallery();
  setUpInterpolation();
  setUpModels();
  setUpTraining();
  updateKeyButton();
  showLabels(DEFAULT_LABELS);

  if (!keys.asked()) {
    await askUserKey();
  }
  await loadAll();
  every(TRAINING_EVERY_MS, refreshTraining);
  every(MODELS_EVERY_MS, refreshModels);
  document.body.dataset.ready = 'true';
}

start();
