// Listener dispatch: client events by name, pushes by command ('*' for all). A listener that throws is reported as
// an 'error' event and does not stop the others.

/** @typedef {import('../types.js').WsrvEnvelope} WsrvEnvelope */
/** @typedef {import('../types.js').WsrvEventMap} WsrvEventMap */
/** @typedef {(arg: any) => void} Listener */
/** @typedef {(data: any, envelope: WsrvEnvelope) => void} PushListener */

export class Listeners {
  /** @type {Map<string, Set<Listener>>} */
  #events = new Map();
  /** @type {Map<string, Set<PushListener>>} */
  #pushes = new Map();

  /**
   * @param {string} event
   * @param {Listener} listener
   * @returns {() => void} unsubscribes
   */
  on(event, listener) {
    return add(this.#events, event, listener);
  }

  /**
   * @param {string} cmd a command, or '*' for all
   * @param {PushListener} listener
   * @returns {() => void} unsubscribes
   */
  onPush(cmd, listener) {
    return add(this.#pushes, cmd, listener);
  }

  /**
   * Calls the listeners of an event with its argument.
   * @template {keyof WsrvEventMap} K
   * @param {K} event
   * @param {WsrvEventMap[K]} arg
   */
  emit(event, arg) {
    for (const fn of [...(this.#events.get(event) ?? [])]) {
      try {
        fn(arg);
      } catch (e) {
        if (event !== 'error') this.emit('error', e);
      }
    }
  }

  /**
   * Calls the listeners of the push's command, then the '*' listeners.
   * @param {WsrvEnvelope} push
   */
  push(push) {
    for (const key of push.cmd === '*' ? ['*'] : [push.cmd, '*']) {
      for (const fn of [...(this.#pushes.get(key) ?? [])]) {
        try {
          fn(push.data, push);
        } catch (e) {
          this.emit('error', e);
        }
      }
    }
  }
}

/**
 * @template F
 * @param {Map<string, Set<F>>} map
 * @param {string} key
 * @param {F} listener
 * @returns {() => void}
 */
function add(map, key, listener) {
  if (typeof listener !== 'function') throw new TypeError('wsrv: listener must be a function');
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  const s = set;
  s.add(listener);
  return () => {
    s.delete(listener);
  };
}
