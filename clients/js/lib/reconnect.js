// Reconnecting after a close the client did not ask for: exponential backoff with jitter, a limit on attempts, no
// retry of a refusal that new attempts would only repeat, and the step that follows a successful reconnect.

import { WsrvConnectionError } from './errors.js';
import { backoffDelay } from './options.js';

/** @typedef {import('./options.js').Backoff} Backoff */
/** @typedef {import('../types.js').WsrvEventMap} WsrvEventMap */
/**
 * @typedef {object} ReconnectHost the client, as the reconnector uses it
 * @property {() => Promise<void>} connect opens a new connection; rejects when it cannot
 * @property {() => Promise<void>} reconnected runs after each successful reconnect
 * @property {<K extends keyof WsrvEventMap>(event: K, arg: WsrvEventMap[K]) => void} emit
 */

/**
 * A refusal that the same credentials would get again: HTTP 401 or 403.
 * @param {unknown} e
 */
function refusedCredentials(e) {
  return e instanceof WsrvConnectionError && (e.handshakeStatus === 401 || e.handshakeStatus === 403);
}

export class Reconnector {
  /** @type {Backoff} */
  #backoff;
  /** @type {ReconnectHost} */
  #host;
  /** @type {() => number} */
  #random;
  /** @type {ReturnType<typeof setTimeout> | null} */
  #timer = null;
  /** failed attempts since the last connection */
  #attempt = 0;
  /** bumped by cancel(): attempts of an older round end quietly */
  #round = 0;

  /**
   * @param {Backoff} backoff
   * @param {ReconnectHost} host
   * @param {() => number} [random] numbers in [0, 1) for the jitter
   */
  constructor(backoff, host, random = Math.random) {
    this.#backoff = backoff;
    this.#host = host;
    this.#random = random;
  }

  /** Starts reconnecting after a connection closed. */
  start() {
    this.cancel();
    this.#attempt = 0;
    this.#schedule(this.#round);
  }

  /** Stops reconnecting: no attempt starts and one under way ends quietly. */
  cancel() {
    this.#round++;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  /** @param {number} round */
  #schedule(round) {
    const b = this.#backoff;
    if (b.maxAttempts > 0 && this.#attempt >= b.maxAttempts) {
      this.#host.emit('error', new WsrvConnectionError(`wsrv: gave up reconnecting after ${this.#attempt} attempts`));
      return;
    }
    const delay = backoffDelay(b, this.#attempt, this.#random());
    this.#attempt++;
    this.#host.emit('reconnecting', { attempt: this.#attempt, delay });
    this.#timer = setTimeout(() => this.#try(round), delay);
  }

  /** @param {number} round */
  async #try(round) {
    this.#timer = null;
    if (round !== this.#round) return;
    try {
      await this.#host.connect();
    } catch (e) {
      if (round !== this.#round) return;
      this.#host.emit('error', e);
      if (!refusedCredentials(e)) this.#schedule(round);
      return;
    }
    if (round === this.#round) await this.#host.reconnected();
  }
}
