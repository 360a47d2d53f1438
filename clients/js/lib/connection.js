// One WebSocket connection: opening it within the connect timeout, turning frames into text within the size limit,
// sending, the heartbeat, the silence check, and closing. It reports to its owner only after it has opened; a failed
// open rejects `opened` instead.

import { WsrvConnectionError } from './errors.js';

/** @typedef {import('../types.js').WebSocketLike} WebSocketLike */
/** @typedef {import('../types.js').WebSocketConstructor} WebSocketConstructor */
/**
 * @typedef {object} ConnectionSettings
 * @property {string} name the URL to name in messages (without the resume token, a secret)
 * @property {string | string[] | undefined} protocols
 * @property {unknown} wsOptions
 * @property {number} connectTimeout
 * @property {number} heartbeatInterval
 * @property {number} silenceTimeout 0 for no silence check
 * @property {number} maxMessageSize
 */
/**
 * @typedef {object} ConnectionEvents what an open connection tells its owner
 * @property {(text: string) => void} message a non-empty inbound message
 * @property {(code: number, reason: string, wasClean: boolean) => void} close once, when an open connection closes
 * @property {(error: unknown) => void} error
 * @property {() => void} heartbeat a heartbeat frame went out
 */

const CLOSED = 3;

/** How much longer than two heartbeat intervals a resumable session's echo may take, in milliseconds. */
export const ECHO_GRACE = 5000;

/** @type {TextDecoder | null} */
let textDecoder = null;

/**
 * The text of an inbound frame: a string, or UTF-8 bytes.
 * @param {unknown} data
 * @returns {string}
 */
function frameText(data) {
  if (typeof data === 'string') return data;
  textDecoder ??= new TextDecoder('utf-8');
  if (data instanceof ArrayBuffer) return textDecoder.decode(new Uint8Array(data));
  if (ArrayBuffer.isView(data)) return textDecoder.decode(data); // Node Buffer, Uint8Array
  if (Array.isArray(data)) return data.map((d) => frameText(d)).join(''); // ws with binaryType 'fragments'
  throw new TypeError('wsrv: unsupported frame data type');
}

/**
 * The size of an inbound frame: characters of a string, bytes of binary data.
 * @param {unknown} data
 * @returns {number}
 */
function frameSize(data) {
  if (typeof data === 'string') return data.length;
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return data.byteLength;
  if (Array.isArray(data)) return data.reduce((n, d) => n + frameSize(d), 0);
  return -1; // not a frame type: frameText says so
}

/**
 * The HTTP status of a refused upgrade, where the WebSocket implementation tells it: the `ws` package reports
 * "Unexpected server response: 401"; browsers say nothing.
 * @param {any} event
 * @returns {number | undefined}
 */
function handshakeStatusOf(event) {
  const text = `${event?.message ?? ''} ${event?.error?.message ?? ''}`;
  const m = /Unexpected server response: (\d{3})/.exec(text);
  return m ? Number(m[1]) : undefined;
}

export class Connection {
  /** @type {WebSocketLike} */
  #ws;
  /** @type {ConnectionEvents} */
  #events;
  #maxMessageSize;
  #heartbeatInterval;
  /** @type {ReturnType<typeof setInterval> | null} */
  #heartbeatTimer = null;
  #silenceTimeout;
  /** @type {ReturnType<typeof setInterval> | null} */
  #silenceTimer = null;
  /** The server echoes heartbeats: silence is watched even without a silence timeout. */
  #echoes = false;
  /** Date.now() of the last inbound frame, or of the start of the silence check. */
  #lastInbound = 0;
  /** @type {'connecting' | 'open' | 'closing' | 'closed' | 'failed'} */
  #state = 'connecting';
  /** @type {(error: Error) => void} */
  #failOpen = () => {};

  /**
   * Starts opening a connection; `opened` tells how it went.
   * @param {WebSocketConstructor} WebSocketClass
   * @param {string} url
   * @param {ConnectionSettings} settings
   * @param {ConnectionEvents} events
   */
  constructor(WebSocketClass, url, settings, events) {
    this.#events = events;
    this.#maxMessageSize = settings.maxMessageSize;
    this.#heartbeatInterval = settings.heartbeatInterval;
    this.#silenceTimeout = settings.silenceTimeout;
    const { protocols, wsOptions } = settings;
    const ws = wsOptions !== undefined ? new WebSocketClass(url, protocols, wsOptions)
      : (protocols !== undefined ? new WebSocketClass(url, protocols) : new WebSocketClass(url));
    ws.binaryType = 'arraybuffer';
    this.#ws = ws;
    /** Resolves when the connection is open; rejects with a WsrvConnectionError when it cannot be opened. */
    this.opened = new Promise((resolve, reject) => {
      /** @type {number | undefined} */
      let handshakeStatus;
      const timer = setTimeout(() => {
        this.#failOpen(new WsrvConnectionError(`wsrv: could not connect to ${settings.name} within ${settings.connectTimeout} ms`));
        try { ws.close(); } catch { /* it is failing anyway */ }
      }, settings.connectTimeout);
      this.#failOpen = (error) => {
        if (this.#state !== 'connecting') return;
        this.#state = 'failed';
        clearTimeout(timer);
        reject(error);
      };
      ws.addEventListener('open', () => {
        if (this.#state !== 'connecting') return;
        clearTimeout(timer);
        this.#state = 'open';
        this.#startHeartbeat();
        this.#startSilenceCheck();
        resolve(undefined);
      });
      ws.addEventListener('message', (/** @type {{data: unknown}} */ ev) => {
        this.#lastInbound = Date.now();
        if (this.#state === 'open') this.#onFrame(ev.data);
      });
      ws.addEventListener('error', (/** @type {any} */ ev) => {
        // while connecting, the failure is reported by `opened` (with the close that follows)
        if (this.#state === 'connecting') handshakeStatus ??= handshakeStatusOf(ev);
        else if (this.#state === 'open') this.#events.error(ev && ev.error ? ev.error : new Error('wsrv: WebSocket error'));
      });
      ws.addEventListener('close', (/** @type {{code: number, reason?: string, wasClean?: boolean}} */ ev) => {
        const reason = ev.reason ?? '';
        if (this.#state === 'connecting') {
          this.#failOpen(new WsrvConnectionError(handshakeStatus !== undefined
            ? `wsrv: could not connect to ${settings.name}: the server refused the handshake with HTTP ${handshakeStatus}`
            : `wsrv: could not connect to ${settings.name} (close code ${ev.code})`,
          { closeCode: ev.code, closeReason: reason, handshakeStatus }));
          return;
        }
        if (this.#state === 'open' || this.#state === 'closing') {
          this.#state = 'closed';
          this.#stopTimers();
          // 1006 is no close frame at all: the connection was lost, as the Java client says too
          this.#events.close(ev.code, reason === '' && ev.code === 1006 ? 'connection lost' : reason, !!ev.wasClean);
        }
      });
    });
  }

  /** True while the connection is open. */
  get isOpen() {
    return this.#state === 'open';
  }

  /**
   * Sends a text frame; throws when the socket refuses it.
   * @param {string} text
   */
  send(text) {
    this.#ws.send(text);
  }

  /** Sends an empty text frame now; false when not open. */
  heartbeat() {
    if (!this.isOpen) return false;
    try {
      this.#ws.send('');
    } catch (e) {
      this.#events.error(e);
      return false;
    }
    this.#events.heartbeat();
    return true;
  }

  /** @param {number} ms the new interval; 0 turns the heartbeat off */
  setHeartbeatInterval(ms) {
    this.#heartbeatInterval = ms;
    if (this.isOpen) {
      this.#startHeartbeat();
      if (this.#echoes) this.#startSilenceCheck();
    }
  }

  /**
   * The session is resumable, so the server echoes every heartbeat (docs/protocol.md#heartbeat-echo): a connection
   * that has received no frame for two heartbeat intervals and ECHO_GRACE is lost, which finds a network that drops
   * everything without the optional silence timeout.
   */
  watchEchoes() {
    this.#echoes = true;
    if (this.isOpen) this.#startSilenceCheck();
  }

  /**
   * Closes the connection, or gives up opening it; resolves with the close the socket reports.
   * @param {number} code
   * @param {string} reason
   * @returns {Promise<{code: number, reason: string}>}
   */
  close(code, reason) {
    const ws = this.#ws;
    this.#stopTimers();
    if (ws.readyState === CLOSED) return Promise.resolve({ code, reason });
    return new Promise((resolve) => {
      ws.addEventListener('close', (/** @type {{code: number, reason?: string}} */ ev) => {
        resolve({ code: ev.code, reason: ev.reason ?? '' });
      });
      this.#failOpen(new WsrvConnectionError('wsrv: client closed while connecting'));
      if (this.#state === 'open') this.#state = 'closing';
      try {
        ws.close(code, reason);
      } catch (e) {
        this.#events.error(e);
        resolve({ code, reason });
      }
    });
  }

  /** @param {unknown} data */
  #onFrame(data) {
    const size = frameSize(data);
    if (size === 0) return; // a heartbeat
    if (size > this.#maxMessageSize) {
      this.#events.error(new Error(`wsrv: inbound message larger than ${this.#maxMessageSize}; closing with 1009`));
      this.#state = 'closing';
      this.#stopTimers();
      try {
        this.#ws.close(1009, 'message too big');
      } catch {
        this.#ws.close(1000, 'message too big'); // browsers let a script send 1000 and 3000-4999 only
      }
      return;
    }
    let text;
    try {
      text = frameText(data);
    } catch (e) {
      this.#events.error(e);
      return;
    }
    this.#events.message(text);
  }

  #startHeartbeat() {
    this.#stopHeartbeat();
    if (!(this.#heartbeatInterval > 0)) return;
    // Browsers throttle timers in background tabs (Chrome: at most once a second, and after 5 minutes hidden
    // possibly once a minute). A heartbeat late past the server's idle timeout lets the server close the session:
    // `reconnect` with an `onReconnect` hook recovers, or run the client in a worker.
    this.#heartbeatTimer = setInterval(() => this.heartbeat(), this.#heartbeatInterval);
  }

  #stopHeartbeat() {
    if (this.#heartbeatTimer !== null) clearInterval(this.#heartbeatTimer);
    this.#heartbeatTimer = null;
  }

  // A network that drops everything keeps the socket open without a sign until TCP gives up, which takes minutes.
  // Only a server that sends something regularly lets silence mean a lost connection: one that echoes heartbeats, or
  // one the application knows to (the silence timeout, off by default).
  #startSilenceCheck() {
    this.#stopSilenceCheck();
    const limit = this.#silenceTimeout > 0 ? this.#silenceTimeout
      : (this.#echoes && this.#heartbeatInterval > 0 ? 2 * this.#heartbeatInterval + ECHO_GRACE : 0);
    if (limit === 0) return;
    this.#lastInbound = Date.now();
    this.#silenceTimer = setInterval(() => {
      if (Date.now() - this.#lastInbound > limit) {
        this.#lost(`connection lost: no frame from the server for ${limit} ms`);
      }
    }, Math.max(10, limit / 4));
  }

  #stopSilenceCheck() {
    if (this.#silenceTimer !== null) clearInterval(this.#silenceTimer);
    this.#silenceTimer = null;
  }

  #stopTimers() {
    this.#stopHeartbeat();
    this.#stopSilenceCheck();
  }

  /**
   * Ends an open connection that does not work any more: closed here at once with 1006, the socket dropped (the `ws`
   * package's terminate(); a browser's close, whose own close event then comes late or never and is ignored).
   * @param {string} reason
   */
  #lost(reason) {
    if (this.#state !== 'open') return;
    this.#state = 'closed';
    this.#stopTimers();
    const ws = /** @type {any} */ (this.#ws);
    try {
      if (typeof ws.terminate === 'function') ws.terminate();
      else ws.close();
    } catch { /* it is gone either way */ }
    this.#events.close(1006, reason, false);
  }
}
