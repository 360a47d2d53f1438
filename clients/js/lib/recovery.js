// The client's side of a resumable session (docs/protocol.md#resumable-sessions): it asks for one in the URL of
// every connection attempt, keeps the token and the number of the last push processed, reads the session message,
// drops a push it has already processed, and tells after a reconnect whether the session was recovered.

/** @typedef {import('../types.js').SessionInfo} SessionInfo */

/** The command of the server's session message. */
export const SESSION_CMD = 'wsrv.session';

/** How long after a reconnect the session message may take before the server counts as one that does not resume. */
export const SESSION_MESSAGE_WAIT = 2000;

/** A push seqno numbered for one session: a 10-character prefix, '-', the number in base 36. */
const SESSION_SEQNO = /^([0-9A-Za-z]{10})-([0-9a-z]+)$/;

/**
 * @typedef {object} Decision what a connection's session turned out to be
 * @property {Promise<boolean | null>} promise true: recovered; false: a new session; null: the connection ended first
 * @property {(value: boolean | null) => void} resolve
 * @property {boolean} settled
 */

/** @returns {Decision} */
function decision() {
  /** @type {(value: boolean | null) => void} */
  let resolve = () => {};
  const promise = new Promise((r) => { resolve = r; });
  /** @type {Decision} */
  const d = {
    promise,
    settled: false,
    resolve(v) {
      if (d.settled) return;
      d.settled = true;
      resolve(v);
    },
  };
  return d;
}

export class Recovery {
  /** @type {string | null} the token of the next resume; null before the first session message */
  #token = null;
  /** @type {string | null} the seqno prefix of the session's pushes, once one arrived */
  #prefix = null;
  /** the number of the last push processed, 0 for none */
  #last = 0;
  /** @type {Decision} the session of the current connection attempt */
  #decision = decision();
  /** @type {ReturnType<typeof setTimeout> | null} */
  #waitTimer = null;

  /** Forgets the session: the next connection asks for a new one. */
  reset() {
    this.#token = null;
    this.#prefix = null;
    this.#last = 0;
  }

  /** A connection attempt begins: its session message is still to come. */
  connecting() {
    this.#settle(null);
    this.#decision = decision();
  }

  /**
   * The URL of one connection attempt: the client's with `wsrv.resume` and, when a push was processed, `wsrv.last`.
   * @param {string} base
   * @returns {string}
   */
  url(base) {
    let q = `wsrv.resume=${this.#token === null ? 'new' : encodeURIComponent(this.#token)}`;
    if (this.#token !== null && this.#prefix !== null && this.#last > 0) {
      q += `&wsrv.last=${this.#prefix}-${this.#last.toString(36)}`;
    }
    const hash = base.indexOf('#');
    const head = hash < 0 ? base : base.slice(0, hash);
    return `${head}${head.includes('?') ? '&' : '?'}${q}`;
  }

  /**
   * Resolves, after a reconnect, once the session is known: true when recovered, false when it is a new one (the
   * session message said so, another message came first, or none came within SESSION_MESSAGE_WAIT), null when the
   * connection ended before.
   * @returns {Promise<boolean | null>}
   */
  recovered() {
    const d = this.#decision;
    if (!d.settled && this.#waitTimer === null) {
      this.#waitTimer = setTimeout(() => {
        this.#waitTimer = null;
        if (this.#decision === d) this.#settle(false);
      }, SESSION_MESSAGE_WAIT);
    }
    return d.promise;
  }

  /**
   * Tells whether a message is the session message.
   * @param {{cmd?: unknown, seqno?: unknown}} msg
   */
  static isSessionMessage(msg) {
    return msg.cmd === SESSION_CMD && (msg.seqno === undefined || msg.seqno === null || msg.seqno === '');
  }

  /**
   * Takes the session message: keeps the new token, and starts the numbering over for a new session.
   * @param {unknown} data its data
   * @returns {SessionInfo}
   */
  session(data) {
    const o = /** @type {Record<string, unknown>} */ (data !== null && typeof data === 'object' ? data : {});
    const recovered = o.recovered === true;
    this.#token = typeof o.token === 'string' ? o.token : null;
    if (!recovered) {
      this.#prefix = null;
      this.#last = 0;
    }
    this.#settle(recovered);
    return {
      sessionId: typeof o.id === 'string' ? o.id : '',
      recovered,
      reason: recovered || typeof o.reason !== 'string' ? '' : o.reason,
      replayed: typeof o.replayed === 'number' ? o.replayed : 0,
    };
  }

  /** The first message of a connection is not the session message: the server does not resume sessions. */
  otherMessage() {
    this.#settle(false);
  }

  /** The connection ended: a session not yet known will not be. */
  ended() {
    this.#settle(null);
  }

  /**
   * Notes a push and tells whether it is new: a numbered push of this session at or below the last one processed
   * was replayed after it had arrived once already.
   * @param {unknown} seqno the push's seqno
   * @returns {number} the number of pushes missing before it (0 when it follows the last one), or -1 for a
   *   duplicate to drop
   */
  push(seqno) {
    if (this.#token === null || typeof seqno !== 'string') return 0;
    const m = SESSION_SEQNO.exec(seqno);
    if (!m) return 0;
    const n = parseInt(m[2], 36);
    if (this.#prefix === null && n === 1) {
      this.#prefix = m[1];
    } else if (m[1] !== this.#prefix) {
      return 0; // numbered elsewhere (a plain broadcast's seqno): not this session's numbering
    }
    if (n <= this.#last) return -1;
    const missing = n - this.#last - 1;
    this.#last = n;
    return missing;
  }

  /** @param {boolean | null} value */
  #settle(value) {
    if (this.#waitTimer !== null) clearTimeout(this.#waitTimer);
    this.#waitTimer = null;
    this.#decision.resolve(value);
  }
}
