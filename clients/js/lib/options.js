// The client's options: defaults and checks, in one place. The names match the Java client's builder; every time
// is in milliseconds.

/** @typedef {import('../types.js').WsrvClientOptions} WsrvClientOptions */
/** @typedef {import('../types.js').ReconnectOptions} ReconnectOptions */
/** @typedef {import('../types.js').ResolvedOptions} ResolvedOptions */
/** @typedef {Readonly<Required<ReconnectOptions>>} Backoff */

export const DEFAULTS = Object.freeze({
  requestTimeout: 10000,
  connectTimeout: 10000,
  heartbeatInterval: 10000,
  silenceTimeout: 0,
  maxMessageSize: 16 * 1024 * 1024,
});

/** @type {Backoff} */
export const RECONNECT_DEFAULTS = Object.freeze({
  initialDelay: 500,
  maxDelay: 30000,
  factor: 2,
  jitter: 0.5,
  maxAttempts: 0,
});

/**
 * A number option: its default when absent, else a number at least `min` (Infinity allowed where `infinite`).
 * @param {string} name
 * @param {unknown} value
 * @param {number} fallback
 * @param {{min?: number, max?: number, infinite?: boolean}} [bounds]
 * @returns {number}
 */
function number(name, value, fallback, { min = 0, max = Infinity, infinite = false } = {}) {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value) || value < min || value > max
    || (!infinite && !Number.isFinite(value))) {
    throw new RangeError(`wsrv: ${name} must be a number from ${min} to ${max}: ${String(value)}`);
  }
  return value;
}

/**
 * The backoff of the `reconnect` option, or null when off.
 * @param {boolean | ReconnectOptions | undefined} r
 * @returns {Backoff | null}
 */
export function resolveReconnect(r) {
  if (!r) return null;
  const o = r === true ? {} : r;
  const d = RECONNECT_DEFAULTS;
  const initialDelay = number('reconnect.initialDelay', o.initialDelay, d.initialDelay);
  const maxDelay = number('reconnect.maxDelay', o.maxDelay, Math.max(d.maxDelay, initialDelay), { min: initialDelay });
  return Object.freeze({
    initialDelay,
    maxDelay,
    factor: number('reconnect.factor', o.factor, d.factor, { min: 1 }),
    jitter: number('reconnect.jitter', o.jitter, d.jitter, { max: 1 }),
    maxAttempts: number('reconnect.maxAttempts', o.maxAttempts, d.maxAttempts, { infinite: true }),
  });
}

/**
 * Whether the client asks for a resumable session: as given, else when it reconnects.
 * @param {unknown} resume
 * @param {boolean | ReconnectOptions | undefined} reconnect
 * @returns {boolean}
 */
function resolveResume(resume, reconnect) {
  if (resume === undefined || resume === null) return !!reconnect;
  if (typeof resume !== 'boolean') throw new TypeError(`wsrv: resume must be true or false: ${String(resume)}`);
  return resume;
}

/**
 * The options in effect.
 * @param {WsrvClientOptions} opts
 * @returns {ResolvedOptions}
 */
export function resolveOptions(opts) {
  return Object.freeze({
    requestTimeout: number('requestTimeout', opts.requestTimeout, DEFAULTS.requestTimeout, { infinite: true }),
    connectTimeout: number('connectTimeout', opts.connectTimeout, DEFAULTS.connectTimeout, { min: 1 }),
    heartbeatInterval: number('heartbeatInterval', opts.heartbeatInterval, DEFAULTS.heartbeatInterval),
    silenceTimeout: number('silenceTimeout', opts.silenceTimeout, DEFAULTS.silenceTimeout),
    maxMessageSize: number('maxMessageSize', opts.maxMessageSize, DEFAULTS.maxMessageSize, { min: 1 }),
    reconnect: resolveReconnect(opts.reconnect),
    resume: resolveResume(opts.resume, opts.reconnect),
  });
}

/**
 * The delay before reconnect attempt `attempt` (0 for the first after a close): it grows by `factor` from
 * `initialDelay` up to `maxDelay`, and a random part of up to `jitter` of it is taken off, so that clients that lost
 * their server at the same moment come back spread out, never later than `maxDelay`.
 * @param {Backoff} b
 * @param {number} attempt
 * @param {number} random a number in [0, 1)
 * @returns {number} milliseconds
 */
export function backoffDelay(b, attempt, random) {
  const base = Math.min(b.maxDelay, b.initialDelay * Math.pow(b.factor, attempt));
  return Math.round(base * (1 - b.jitter * random));
}
