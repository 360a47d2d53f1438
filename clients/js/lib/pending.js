// The table of requests waiting for their replies: seqnos, timeouts, and the memory of timed-out requests whose late
// replies must not be taken for pushes.

import { WsrvConnectionError, WsrvStatusError, WsrvTimeoutError } from './errors.js';

/** @typedef {import('../types.js').WsrvEnvelope} WsrvEnvelope */
/**
 * @typedef {object} Pending
 * @property {string} cmd
 * @property {boolean} raw resolve with the whole envelope
 * @property {(value: any) => void} resolve
 * @property {(error: Error) => void} reject
 * @property {ReturnType<typeof setTimeout> | null} timer
 */

const LATE_REPLY_MEMORY = 1024;

/** A random prefix of 12 base-36 characters, so that seqnos are unique across clients. */
function randomPrefix() {
  const bytes = new Uint8Array(6);
  if (globalThis.crypto && typeof globalThis.crypto.getRandomValues === 'function') {
    globalThis.crypto.getRandomValues(bytes);
  } else {
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  }
  return Array.from(bytes, (b) => b.toString(36).padStart(2, '0')).join('');
}

export class PendingRequests {
  #prefix = randomPrefix();
  #counter = 0;
  /** @type {Map<string, Pending>} */
  #pending = new Map();
  /** @type {Set<string>} seqnos of timed-out requests, oldest first */
  #expired = new Set();

  /** A seqno no other request of any client uses. */
  nextSeqno() {
    this.#counter++;
    return `${this.#prefix}-${this.#counter}`;
  }

  /**
   * Waits for the reply to a request; a timeout of 0 or Infinity waits without limit.
   * @param {string} seqno
   * @param {string} cmd
   * @param {number} timeout milliseconds
   * @param {boolean} raw
   * @returns {Promise<any>}
   */
  add(seqno, cmd, timeout, raw) {
    return new Promise((resolve, reject) => {
      /** @type {Pending} */
      const p = { cmd, raw, resolve, reject, timer: null };
      if (timeout > 0 && Number.isFinite(timeout)) {
        p.timer = setTimeout(() => {
          if (this.#pending.get(seqno) !== p) return;
          this.#pending.delete(seqno);
          this.#expired.add(seqno);
          if (this.#expired.size > LATE_REPLY_MEMORY) {
            this.#expired.delete(/** @type {string} */ (this.#expired.values().next().value));
          }
          reject(new WsrvTimeoutError(cmd, seqno, timeout));
        }, timeout);
      }
      this.#pending.set(seqno, p);
    });
  }

  /**
   * Fails one request (its frame could not be sent).
   * @param {string} seqno
   * @param {Error} error
   */
  fail(seqno, error) {
    const p = this.#pending.get(seqno);
    if (!p) return;
    this.#pending.delete(seqno);
    if (p.timer !== null) clearTimeout(p.timer);
    p.reject(error);
  }

  /**
   * Completes the request an inbound envelope answers.
   * @param {WsrvEnvelope} msg
   * @returns {boolean} true when it was a reply (to a waiting or a timed-out request), false for a push
   */
  settle(msg) {
    const seqno = msg.seqno;
    if (typeof seqno !== 'string') return false;
    const p = this.#pending.get(seqno);
    if (!p) return this.#expired.delete(seqno);
    this.#pending.delete(seqno);
    if (p.timer !== null) clearTimeout(p.timer);
    if (p.raw) p.resolve(msg);
    else if (msg.status === 0) p.resolve(msg.data);
    else p.reject(new WsrvStatusError(msg));
    return true;
  }

  /**
   * Fails every waiting request: their connection closed.
   * @param {number} code
   * @param {string} reason
   */
  failAll(code, reason) {
    const all = [...this.#pending.entries()];
    this.#pending.clear();
    for (const [seqno, p] of all) {
      if (p.timer !== null) clearTimeout(p.timer);
      p.reject(new WsrvConnectionError(
        `wsrv: connection closed (code ${code}${reason ? ', ' + reason : ''}) before the reply to ${p.cmd} (seqno ${seqno})`,
        { cmd: p.cmd, seqno, closeCode: code, closeReason: reason }));
    }
  }
}
