// wsrv JavaScript client: request/reply matched by seqno, pushes, heartbeat, reconnect.
// An ES module with no runtime dependencies. Runs in browsers (global WebSocket) and in
// Node 20+ (pass the `ws` package's WebSocket class as `opts.WebSocket`, or rely on a
// global WebSocket where the runtime has one).
//
// Wire contract (see PROTOCOL.md of the wsrv project):
//   request  {"cmd": string, "seqno": string, "data": any}
//   reply    {"cmd", "seqno", "status", "msg", "data"}  (status 0 = success)
//   push     same shape as a reply, seqno chosen by the server
//   heartbeat: an empty data frame; the server closes sessions silent for 30 s.

const OPEN = 1;
const DEFAULT_TIMEOUT_MS = 10000;
const DEFAULT_HEARTBEAT_MS = 10000;
const DEFAULT_CONNECT_TIMEOUT_MS = 10000;
const LATE_REPLY_MEMORY = 1024;

/** A reply whose status is not 0. */
export class WsrvError extends Error {
  constructor(reply) {
    super(`wsrv: ${reply.cmd} failed with status ${reply.status}: ${reply.msg}`);
    this.name = 'WsrvError';
    this.status = reply.status;
    this.msg = reply.msg;
    this.data = reply.data;
    this.cmd = reply.cmd;
    this.seqno = reply.seqno;
  }
}

/** No reply arrived within the request's timeout. */
export class WsrvTimeoutError extends Error {
  constructor(cmd, seqno, timeoutMs) {
    super(`wsrv: no reply to ${cmd} (seqno ${seqno}) within ${timeoutMs} ms`);
    this.name = 'WsrvTimeoutError';
    this.code = 'WSRV_TIMEOUT';
    this.cmd = cmd;
    this.seqno = seqno;
    this.timeoutMs = timeoutMs;
  }
}

/** The connection is not open, or closed while the request was waiting for its reply. */
export class WsrvConnectionError extends Error {
  constructor(message, { cmd, seqno, closeCode, closeReason } = {}) {
    super(message);
    this.name = 'WsrvConnectionError';
    this.code = 'WSRV_DISCONNECTED';
    this.cmd = cmd;
    this.seqno = seqno;
    this.closeCode = closeCode;
    this.closeReason = closeReason;
  }
}

function randomId() {
  const bytes = new Uint8Array(6);
  if (globalThis.crypto && typeof globalThis.crypto.getRandomValues === 'function') {
    globalThis.crypto.getRandomValues(bytes);
  } else {
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  }
  return Array.from(bytes, (b) => b.toString(36).padStart(2, '0')).join('');
}

function normalizeReconnect(r) {
  if (!r) return null;
  const o = r === true ? {} : r;
  return {
    initialDelayMs: o.initialDelayMs ?? 500,
    maxDelayMs: o.maxDelayMs ?? 30000,
    factor: o.factor ?? 2,
    maxAttempts: o.maxAttempts ?? Infinity,
  };
}

let textDecoder = null;
function frameToText(data) {
  if (typeof data === 'string') return data;
  textDecoder ??= new TextDecoder('utf-8');
  if (data instanceof ArrayBuffer) return textDecoder.decode(new Uint8Array(data));
  if (ArrayBuffer.isView(data)) return textDecoder.decode(data); // Node Buffer, Uint8Array
  if (Array.isArray(data)) {
    // ws with binaryType 'fragments'
    return data.map((d) => frameToText(d)).join('');
  }
  throw new TypeError('wsrv: unsupported frame data type');
}

export class WsrvClient {
  /**
   * Opens a connection and resolves once it is open.
   * @param {string|URL|function(): (string|URL)} url the server's URL, or a function asked for it before every
   *   connection attempt (for a token in the query that expires)
   * @param {object} [opts]
   */
  static async connect(url, opts = {}) {
    const c = new WsrvClient(url, opts);
    await c.open();
    return c;
  }

  constructor(url, opts = {}) {
    // a function is asked for the URL before every connection attempt: fresh credentials in the query
    this._urlSource = typeof url === 'function' ? url : null;
    this.url = this._urlSource ? '' : String(url);
    this._WebSocket = opts.WebSocket ?? globalThis.WebSocket;
    if (typeof this._WebSocket !== 'function') {
      throw new TypeError(
        'wsrv: no WebSocket implementation; pass opts.WebSocket (e.g. the `ws` package\'s WebSocket class)');
    }
    this.protocols = opts.protocols;
    this.wsOptions = opts.wsOptions; // third constructor argument, used by the `ws` package only
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.heartbeatMs = opts.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
    this.connectTimeoutMs = opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    this.reconnect = normalizeReconnect(opts.reconnect);
    this.onReconnect = opts.onReconnect ?? null;

    this._ws = null;
    this._pending = new Map(); // seqno -> {resolve, reject, timer, cmd, raw}
    this._expired = new Set(); // seqnos whose request timed out: late replies are dropped
    this._pushListeners = new Map(); // cmd or '*' -> Set<listener>
    this._listeners = new Map(); // event -> Set<listener>
    this._prefix = randomId();
    this._counter = 0;
    this._heartbeatTimer = null;
    this._reconnectTimer = null;
    this._attempt = 0;
    this._closedByUser = false;
    this._everOpened = false;

    for (const [ev, key] of [['open', 'onOpen'], ['close', 'onClose'], ['error', 'onError'],
      ['reconnect', 'onReconnected'], ['message', 'onMessage'], ['send', 'onSend']]) {
      if (typeof opts[key] === 'function') this.on(ev, opts[key]);
    }
  }

  /** True while the underlying socket is open. */
  get connected() {
    return !!this._ws && this._ws.readyState === OPEN;
  }

  /** Opens the socket (first connection). Resolves when open, rejects on failure. */
  open() {
    this._closedByUser = false;
    return this._openSocket();
  }

  _openSocket() {
    return new Promise((resolve, reject) => {
      let ws;
      try {
        if (this._urlSource) this.url = String(this._urlSource());
        ws = this.wsOptions !== undefined
          ? new this._WebSocket(this.url, this.protocols, this.wsOptions)
          : (this.protocols !== undefined ? new this._WebSocket(this.url, this.protocols)
            : new this._WebSocket(this.url));
      } catch (e) {
        reject(e);
        return;
      }
      ws.binaryType = 'arraybuffer';
      this._ws = ws;
      let settled = false;
      const connectTimer = setTimeout(() => {
        if (settled) return;
        settled = true;
        this._ws = null;
        try { ws.close(); } catch { /* ignore */ }
        reject(new WsrvConnectionError(`wsrv: could not connect to ${this.url} within ${this.connectTimeoutMs} ms`));
      }, this.connectTimeoutMs);

      ws.addEventListener('open', () => {
        if (settled) return;
        settled = true;
        clearTimeout(connectTimer);
        if (this._ws !== ws || this._closedByUser) {
          try { ws.close(1000); } catch { /* ignore */ }
          reject(new WsrvConnectionError('wsrv: client closed while connecting'));
          return;
        }
        this._everOpened = true;
        this._attempt = 0;
        this._startHeartbeat();
        this._emit('open', { url: this.url });
        resolve(this);
      });
      ws.addEventListener('message', (ev) => {
        if (this._ws === ws) this._onMessage(ev.data);
      });
      ws.addEventListener('error', (ev) => {
        // while connecting, the failure is reported by the rejected promise instead
        if (settled && this._ws === ws) this._emit('error', ev && ev.error ? ev.error : new Error('wsrv: WebSocket error'));
      });
      ws.addEventListener('close', (ev) => {
        const code = ev.code;
        const reason = ev.reason ?? '';
        if (!settled) {
          settled = true;
          clearTimeout(connectTimer);
          if (this._ws === ws) this._ws = null;
          reject(new WsrvConnectionError(`wsrv: could not connect to ${this.url} (close code ${code})`,
            { closeCode: code, closeReason: reason }));
          return;
        }
        if (this._ws === ws) this._onClose(code, reason, ev.wasClean);
      });
    });
  }

  _onClose(code, reason, wasClean) {
    this._ws = null;
    this._stopHeartbeat();
    this._failPending(code, reason);
    const willReconnect = !this._closedByUser && !!this.reconnect && this._everOpened;
    this._emit('close', { code, reason, wasClean: !!wasClean, byClient: this._closedByUser, willReconnect });
    if (willReconnect) this._scheduleReconnect();
  }

  _failPending(code, reason) {
    const pending = [...this._pending.entries()];
    this._pending.clear();
    for (const [seqno, p] of pending) {
      clearTimeout(p.timer);
      p.reject(new WsrvConnectionError(
        `wsrv: connection closed (code ${code}${reason ? ', ' + reason : ''}) before the reply to ${p.cmd} (seqno ${seqno})`,
        { cmd: p.cmd, seqno, closeCode: code, closeReason: reason }));
    }
  }

  _scheduleReconnect() {
    const r = this.reconnect;
    if (this._attempt >= r.maxAttempts) {
      this._emit('error', new WsrvConnectionError(`wsrv: gave up reconnecting after ${this._attempt} attempts`));
      return;
    }
    const delay = Math.min(r.maxDelayMs, r.initialDelayMs * Math.pow(r.factor, this._attempt));
    this._attempt++;
    this._reconnectTimer = setTimeout(async () => {
      this._reconnectTimer = null;
      if (this._closedByUser) return;
      try {
        await this._openSocket();
      } catch (e) {
        if (this._closedByUser) return;
        this._emit('error', e);
        this._scheduleReconnect();
        return;
      }
      if (this.onReconnect) {
        try {
          await this.onReconnect(this);
        } catch (e) {
          this._emit('error', e);
        }
      }
      this._emit('reconnect', { url: this.url });
    }, delay);
  }

  _startHeartbeat() {
    this._stopHeartbeat();
    if (!(this.heartbeatMs > 0)) return;
    // Note: browsers throttle timers in background tabs (Chrome: at most once per second,
    // and after 5 minutes hidden possibly once per minute). A heartbeat that is late
    // beyond the server's idle timeout lets the server close the session; enable
    // `reconnect` with an `onReconnect` hook to recover, or run the client in a worker.
    this._heartbeatTimer = setInterval(() => this.heartbeat(), this.heartbeatMs);
  }

  _stopHeartbeat() {
    if (this._heartbeatTimer !== null) clearInterval(this._heartbeatTimer);
    this._heartbeatTimer = null;
  }

  /** Changes the heartbeat interval (0 disables); takes effect at once when connected. */
  setHeartbeatMs(ms) {
    this.heartbeatMs = ms;
    if (this.connected) this._startHeartbeat();
    else this._stopHeartbeat();
  }

  /** Sends one heartbeat (an empty text frame) now. Returns false when not connected. */
  heartbeat() {
    if (!this.connected) return false;
    try {
      this._ws.send('');
    } catch (e) {
      this._emit('error', e);
      return false;
    }
    this._emit('heartbeat', {});
    return true;
  }

  _onMessage(raw) {
    if (raw === '' || (raw && raw.byteLength === 0)) return; // empty frame: ignore
    let msg;
    try {
      msg = JSON.parse(frameToText(raw));
    } catch (e) {
      this._emit('error', new Error(`wsrv: inbound frame is not JSON: ${e.message}`));
      return;
    }
    if (msg === null || typeof msg !== 'object' || Array.isArray(msg)) {
      this._emit('error', new Error('wsrv: inbound frame is not a JSON object'));
      return;
    }
    this._emit('message', msg);
    const seqno = msg.seqno;
    const p = typeof seqno === 'string' ? this._pending.get(seqno) : undefined;
    if (p) {
      this._pending.delete(seqno);
      clearTimeout(p.timer);
      if (p.raw) p.resolve(msg);
      else if (msg.status === 0) p.resolve(msg.data);
      else p.reject(new WsrvError(msg));
      return;
    }
    if (typeof seqno === 'string' && this._expired.delete(seqno)) return; // late reply
    this._dispatchPush(msg);
  }

  _dispatchPush(msg) {
    const call = (set) => {
      if (!set) return;
      for (const fn of [...set]) {
        try {
          fn(msg.data, msg);
        } catch (e) {
          this._emit('error', e);
        }
      }
    };
    call(this._pushListeners.get(msg.cmd));
    call(this._pushListeners.get('*'));
  }

  _nextSeqno() {
    this._counter++;
    return `${this._prefix}-${this._counter}`;
  }

  /**
   * Sends a request and resolves with the reply's data (status 0), or rejects with a
   * WsrvError (status != 0), a WsrvTimeoutError or a WsrvConnectionError.
   * With `{raw: true}` it resolves with the whole reply envelope whatever its status.
   */
  request(cmd, data, opts = {}) {
    if (typeof cmd !== 'string' || cmd === '') {
      return Promise.reject(new TypeError('wsrv: cmd must be a non-empty string'));
    }
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
    const seqno = this._nextSeqno();
    if (!this.connected) {
      return Promise.reject(new WsrvConnectionError(`wsrv: not connected, cannot send ${cmd}`, { cmd, seqno }));
    }
    const envelope = data === undefined ? { cmd, seqno } : { cmd, seqno, data };
    let text;
    try {
      text = JSON.stringify(envelope);
    } catch (e) {
      return Promise.reject(e);
    }
    return new Promise((resolve, reject) => {
      const p = { resolve, reject, cmd, raw: !!opts.raw, timer: null };
      if (timeoutMs > 0 && Number.isFinite(timeoutMs)) {
        p.timer = setTimeout(() => {
          if (this._pending.get(seqno) !== p) return;
          this._pending.delete(seqno);
          this._expired.add(seqno);
          if (this._expired.size > LATE_REPLY_MEMORY) {
            this._expired.delete(this._expired.values().next().value);
          }
          reject(new WsrvTimeoutError(cmd, seqno, timeoutMs));
        }, timeoutMs);
      }
      this._pending.set(seqno, p);
      try {
        this._ws.send(text);
      } catch (e) {
        this._pending.delete(seqno);
        clearTimeout(p.timer);
        reject(e);
        return;
      }
      this._emit('send', envelope);
    });
  }

  /** Listens to pushes of one cmd, or of every cmd with '*'. Returns an unsubscribe function. */
  onPush(cmd, listener) {
    return this._add(this._pushListeners, cmd, listener);
  }

  /**
   * Listens to client events: 'open', 'close' ({code, reason, wasClean, byClient, willReconnect}),
   * 'reconnect', 'error', 'message' (every inbound envelope), 'send' (every request sent),
   * 'heartbeat'. Returns an unsubscribe function.
   */
  on(event, listener) {
    return this._add(this._listeners, event, listener);
  }

  _add(map, key, listener) {
    if (typeof listener !== 'function') throw new TypeError('wsrv: listener must be a function');
    let set = map.get(key);
    if (!set) map.set(key, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  _emit(event, arg) {
    const set = this._listeners.get(event);
    if (!set) return;
    for (const fn of [...set]) {
      try {
        fn(arg);
      } catch (e) {
        if (event !== 'error') this._emit('error', e);
      }
    }
  }

  /**
   * Closes the connection for good (no reconnect); pending requests fail.
   * Resolves with the close event's {code, reason} once the socket is closed.
   */
  close(code = 1000, reason = '') {
    this._closedByUser = true;
    if (this._reconnectTimer !== null) {
      clearTimeout(this._reconnectTimer);
      this._reconnectTimer = null;
    }
    this._stopHeartbeat();
    const ws = this._ws;
    if (!ws) {
      this._failPending(code, reason);
      return Promise.resolve({ code, reason });
    }
    return new Promise((resolve) => {
      if (ws.readyState === 3) {
        resolve({ code, reason });
        return;
      }
      ws.addEventListener('close', (ev) => resolve({ code: ev.code, reason: ev.reason ?? '' }));
      if (ws.readyState === 0) {
        // still connecting: the open handler sees _closedByUser and closes it
        this._ws = null;
        try { ws.close(code, reason); } catch { /* ignore */ }
        return;
      }
      try {
        ws.close(code, reason);
      } catch (e) {
        this._emit('error', e);
        resolve({ code, reason });
      }
    });
  }
}

/** Same as WsrvClient.connect(url, opts). */
export function connect(url, opts) {
  return WsrvClient.connect(url, opts);
}

export default WsrvClient;
