// wsrv JavaScript client: request/reply matched by seqno, pushes, heartbeat, reconnect with backoff and jitter.
// An ES module with no runtime dependencies. Runs in browsers (global WebSocket) and in Node 20+ (pass the `ws`
// package's WebSocket class as `opts.WebSocket`, or rely on a global WebSocket where the runtime has one).
// Types: types.d.ts. The wire contract: docs/protocol.md of the wsrv project.
//
// The parts: lib/connection.js (one socket, frames, heartbeat), lib/reconnect.js (backoff with jitter),
// lib/pending.js (requests waiting for replies), lib/listeners.js (event and push dispatch), lib/recovery.js
// (resumable sessions), lib/options.js (defaults and checks) and lib/errors.js. This class puts them together.

import { Connection } from './lib/connection.js';
import { WsrvConnectionError, WsrvError, WsrvStatusError, WsrvTimeoutError } from './lib/errors.js';
import { Listeners } from './lib/listeners.js';
import { resolveOptions } from './lib/options.js';
import { PendingRequests } from './lib/pending.js';
import { Reconnector } from './lib/reconnect.js';
import { Recovery } from './lib/recovery.js';

export { WsrvConnectionError, WsrvError, WsrvStatusError, WsrvTimeoutError };

/** @typedef {import('./types.js').WsrvClientOptions} WsrvClientOptions */
/** @typedef {import('./types.js').ResolvedOptions} ResolvedOptions */
/** @typedef {import('./types.js').RequestOptions} RequestOptions */
/**
 * @template [T=unknown]
 * @typedef {import('./types.js').WsrvEnvelope<T>} WsrvEnvelope
 */
/** @typedef {import('./types.js').WsrvEventMap} WsrvEventMap */
/** @typedef {import('./types.js').WebSocketConstructor} WebSocketConstructor */
/**
 * @template [T=any]
 * @typedef {import('./types.js').PushListener<T>} PushListener
 */
/** @typedef {string | URL | (() => string | URL)} UrlSource */
/** @typedef {import('./types.js').WsrvClient} Client the client as types.d.ts declares it */

/** @type {ReadonlyArray<[keyof WsrvEventMap, keyof WsrvClientOptions]>} */
const EVENT_OPTIONS = [['open', 'onOpen'], ['close', 'onClose'], ['error', 'onError'], ['reconnect', 'onReconnected'],
  ['message', 'onMessage'], ['send', 'onSend'], ['session', 'onSession']];

/** The close code of a session resumed on another connection: reconnecting would only take it away again. */
const RESUMED_ELSEWHERE = 4001;

export class WsrvClient {
  /**
   * Opens a connection and resolves once it is open.
   * @param {UrlSource} url the server's URL, or a function asked for it before every connection attempt (for a
   *   token in the query that expires)
   * @param {WsrvClientOptions} [opts]
   * @returns {Promise<Client>}
   */
  static async connect(url, opts = {}) {
    const c = new WsrvClient(url, opts);
    await c.open();
    return c;
  }

  /** @type {(() => string | URL) | null} */
  #urlSource;
  #url;
  /** @type {WebSocketConstructor} */
  #WebSocket;
  /** @type {string | string[] | undefined} */
  #protocols;
  /** @type {unknown} */
  #wsOptions;
  /** @type {ResolvedOptions} */
  #options;
  /** @type {WsrvClientOptions['onReconnect'] | null} */
  #onReconnect;
  #listeners = new Listeners();
  #pending = new PendingRequests();
  /** @type {Reconnector | null} */
  #reconnector;
  /** @type {Recovery | null} null when the client does not ask for a resumable session */
  #recovery;
  /** @type {Connection | null} the open connection, or the one being opened */
  #conn = null;
  #closedByUser = false;
  #everOpened = false;

  /**
   * @param {UrlSource} url
   * @param {WsrvClientOptions} [opts]
   */
  constructor(url, opts = {}) {
    this.#urlSource = typeof url === 'function' ? url : null;
    this.#url = this.#urlSource ? '' : String(url);
    const WebSocketClass = opts.WebSocket ?? globalThis.WebSocket;
    if (typeof WebSocketClass !== 'function') {
      throw new TypeError(
        'wsrv: no WebSocket implementation; pass opts.WebSocket (e.g. the `ws` package\'s WebSocket class)');
    }
    this.#WebSocket = /** @type {WebSocketConstructor} */ (WebSocketClass);
    this.#protocols = opts.protocols;
    this.#wsOptions = opts.wsOptions; // the third constructor argument, used by the `ws` package only
    this.#options = resolveOptions(opts);
    this.#onReconnect = opts.onReconnect ?? null;
    this.#recovery = this.#options.resume ? new Recovery() : null;
    const backoff = this.#options.reconnect;
    this.#reconnector = backoff && new Reconnector(backoff, {
      connect: () => this.#connect(),
      reconnected: () => this.#reconnected(),
      emit: (event, arg) => this.#listeners.emit(event, arg),
    });
    for (const [event, key] of EVENT_OPTIONS) {
      const listener = opts[key];
      if (typeof listener === 'function') this.on(event, /** @type {(arg: any) => void} */ (listener));
    }
  }

  /** The URL of the current or last connection attempt. */
  get url() {
    return this.#url;
  }

  /** True while the connection is open. */
  get connected() {
    return this.#conn !== null && this.#conn.isOpen;
  }

  /** The options in effect, defaults filled in. */
  get options() {
    return this.#options;
  }

  /**
   * Opens the first connection; resolves when open, rejects with a WsrvConnectionError on failure.
   * @returns {Promise<Client>}
   */
  async open() {
    this.#closedByUser = false;
    this.#recovery?.reset();
    await this.#connect();
    return this;
  }

  /**
   * Sends a request and resolves with the reply's data (status 0), or rejects with a WsrvStatusError (status not
   * 0), a WsrvTimeoutError or a WsrvConnectionError. With `{raw: true}` it resolves with the whole reply envelope
   * whatever its status.
   * @template [T=any]
   * @overload
   * @param {string} cmd
   * @param {unknown} [data]
   * @param {RequestOptions & {raw?: false}} [opts]
   * @returns {Promise<T>}
   */
  /**
   * @template [T=any]
   * @overload
   * @param {string} cmd
   * @param {unknown} data
   * @param {RequestOptions & {raw: true}} opts
   * @returns {Promise<WsrvEnvelope<T>>}
   */
  /**
   * @param {string} cmd
   * @param {unknown} [data]
   * @param {RequestOptions} [opts]
   * @returns {Promise<any>}
   */
  request(cmd, data, opts = {}) {
    if (typeof cmd !== 'string' || cmd === '') {
      return Promise.reject(new TypeError('wsrv: cmd must be a non-empty string'));
    }
    const timeout = opts.timeout ?? this.#options.requestTimeout;
    if (typeof timeout !== 'number' || Number.isNaN(timeout) || timeout < 0) {
      return Promise.reject(new RangeError(`wsrv: timeout must be a number from 0: ${String(timeout)}`));
    }
    const seqno = this.#pending.nextSeqno();
    const conn = this.#conn;
    if (!conn || !conn.isOpen) {
      return Promise.reject(new WsrvConnectionError(`wsrv: not connected, cannot send ${cmd}`, { cmd, seqno }));
    }
    const envelope = data === undefined ? { cmd, seqno } : { cmd, seqno, data };
    let text;
    try {
      text = JSON.stringify(envelope);
    } catch (e) {
      return Promise.reject(e);
    }
    const reply = this.#pending.add(seqno, cmd, timeout, !!opts.raw);
    try {
      conn.send(text);
    } catch (e) {
      this.#pending.fail(seqno, /** @type {Error} */ (e));
      return reply;
    }
    this.#listeners.emit('send', envelope);
    return reply;
  }

  /**
   * Sends a request and resolves with the reply's data: the form of request() for code that awaits each reply, as
   * the Java client's blocking call(). It rejects with the failure itself (WsrvStatusError, WsrvTimeoutError,
   * WsrvConnectionError), whose stack is the caller's.
   * @template [T=any]
   * @param {string} cmd
   * @param {unknown} [data]
   * @param {Pick<RequestOptions, 'timeout'>} [opts]
   * @returns {Promise<T>}
   */
  async call(cmd, data, opts = {}) {
    const site = new Error();
    try {
      return await this.request(cmd, data, { timeout: opts.timeout });
    } catch (e) {
      throw withStackOf(e, site);
    }
  }

  /**
   * Listens to pushes of one command, or of every command with '*'. Returns an unsubscribe function.
   * @template [T=any]
   * @param {string} cmd
   * @param {PushListener<T>} listener
   * @returns {() => void}
   */
  onPush(cmd, listener) {
    return this.#listeners.onPush(cmd, listener);
  }

  /**
   * Listens to client events: 'open', 'close' ({code, reason, wasClean, byClient, willReconnect}), 'reconnecting'
   * ({attempt, delay}), 'reconnect', 'error', 'message' (every inbound envelope), 'send' (every request sent),
   * 'heartbeat', 'session' ({sessionId, recovered, reason, replayed}: the session of each connection when the client
   * asks to resume, before the pushes replayed). Returns an unsubscribe function.
   * @template {keyof WsrvEventMap} K
   * @param {K} event
   * @param {(arg: WsrvEventMap[K]) => void} listener
   * @returns {() => void}
   */
  on(event, listener) {
    return this.#listeners.on(event, listener);
  }

  /**
   * Changes the heartbeat interval (0 turns it off); takes effect at once when connected.
   * @param {number} ms
   */
  setHeartbeatInterval(ms) {
    this.#options = resolveOptions({ ...this.#options, reconnect: this.#options.reconnect ?? false,
      heartbeatInterval: ms });
    this.#conn?.setHeartbeatInterval(ms);
  }

  /** Sends one heartbeat (an empty text frame) now. Returns false when not connected. */
  heartbeat() {
    return this.#conn !== null && this.#conn.heartbeat();
  }

  /**
   * Closes the connection for good (no reconnect); pending requests fail. Resolves with the close event's
   * {code, reason} once the socket is closed.
   * @param {number} [code]
   * @param {string} [reason]
   * @returns {Promise<{code: number, reason: string}>}
   */
  close(code = 1000, reason = '') {
    this.#closedByUser = true;
    this.#reconnector?.cancel();
    const conn = this.#conn;
    if (!conn) {
      this.#pending.failAll(code, reason);
      return Promise.resolve({ code, reason });
    }
    return conn.close(code, reason);
  }

  /** Opens a new connection, the first or a reconnect: every connection attempt starts here. */
  async #connect() {
    if (this.#urlSource) this.#url = String(this.#urlSource());
    const o = this.#options;
    const recovery = this.#recovery;
    recovery?.connecting();
    // the resume token stays out of `url`, events and messages: it is a secret
    const conn = new Connection(this.#WebSocket, recovery ? recovery.url(this.#url) : this.#url, {
      name: this.#url,
      protocols: this.#protocols,
      wsOptions: this.#wsOptions,
      connectTimeout: o.connectTimeout,
      heartbeatInterval: o.heartbeatInterval,
      silenceTimeout: o.silenceTimeout,
      maxMessageSize: o.maxMessageSize,
    }, {
      message: (text) => this.#onMessage(conn, text),
      close: (code, reason, wasClean) => this.#onClose(conn, code, reason, wasClean),
      error: (e) => this.#listeners.emit('error', e),
      heartbeat: () => this.#listeners.emit('heartbeat', {}),
    });
    this.#conn = conn;
    try {
      await conn.opened;
    } catch (e) {
      if (this.#conn === conn) this.#conn = null;
      throw e;
    }
    if (this.#conn !== conn || this.#closedByUser) {
      conn.close(1000, '');
      throw new WsrvConnectionError('wsrv: client closed while connecting');
    }
    this.#everOpened = true;
    this.#listeners.emit('open', { url: this.#url });
  }

  /**
   * Every inbound message passes here: a reply completes its request, anything else is a push.
   * @param {Connection} conn the connection it came on
   * @param {string} text
   */
  #onMessage(conn, text) {
    let msg;
    try {
      msg = JSON.parse(text);
    } catch (e) {
      this.#listeners.emit('error', new Error(`wsrv: inbound frame is not JSON: ${/** @type {Error} */ (e).message}`));
      return;
    }
    if (msg === null || typeof msg !== 'object' || Array.isArray(msg)) {
      this.#listeners.emit('error', new Error('wsrv: inbound frame is not a JSON object'));
      return;
    }
    const envelope = /** @type {WsrvEnvelope} */ (msg);
    this.#listeners.emit('message', envelope);
    const recovery = this.#recovery;
    if (recovery && Recovery.isSessionMessage(envelope)) {
      conn.watchEchoes();
      this.#listeners.emit('session', recovery.session(envelope.data));
      return;
    }
    recovery?.otherMessage();
    if (this.#pending.settle(envelope)) return;
    const missing = recovery ? recovery.push(envelope.seqno) : 0;
    if (missing < 0) return; // replayed after it had arrived once
    if (missing > 0) {
      this.#listeners.emit('error', new WsrvConnectionError(`wsrv: ${missing} pushes missing before ${envelope.seqno}`,
        { cmd: envelope.cmd, seqno: envelope.seqno }));
    }
    this.#listeners.push(envelope);
  }

  /**
   * @param {Connection} conn
   * @param {number} code
   * @param {string} reason
   * @param {boolean} wasClean
   */
  #onClose(conn, code, reason, wasClean) {
    if (this.#conn === conn) {
      this.#conn = null;
      this.#recovery?.ended();
    }
    this.#pending.failAll(code, reason);
    const willReconnect = !this.#closedByUser && this.#reconnector !== null && this.#everOpened
      && code !== RESUMED_ELSEWHERE;
    this.#listeners.emit('close', { code, reason, wasClean, byClient: this.#closedByUser, willReconnect });
    if (willReconnect) this.#reconnector?.start();
  }

  /**
   * After a successful reconnect: once the session is known, the hook registers a new one again; a recovered session
   * needs nothing.
   */
  async #reconnected() {
    const recovered = this.#recovery ? await this.#recovery.recovered() : false;
    if (recovered === null) return; // the connection ended first; the next reconnect does this
    if (!recovered && this.#onReconnect) {
      try {
        await this.#onReconnect(this);
      } catch (e) {
        this.#listeners.emit('error', e);
      }
    }
    this.#listeners.emit('reconnect', { url: this.#url });
  }
}

/**
 * Gives a failure made for one request, on a socket event, the stack of the code that made the request.
 * @param {unknown} error
 * @param {Error} site an error made where the request was made
 * @returns {unknown}
 */
function withStackOf(error, site) {
  if (error instanceof Error && typeof site.stack === 'string') {
    const frames = site.stack.split('\n');
    if (/^Error\b/.test(frames[0])) frames.shift(); // V8 begins with the message line; other engines do not
    error.stack = `${error.name}: ${error.message}\n${frames.join('\n')}`;
  }
  return error;
}

/**
 * Same as WsrvClient.connect(url, opts).
 * @param {UrlSource} url
 * @param {WsrvClientOptions} [opts]
 * @returns {Promise<Client>}
 */
export function connect(url, opts) {
  return WsrvClient.connect(url, opts);
}

export default WsrvClient;
