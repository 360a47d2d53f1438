// The client's failures: one common class and one class per kind, with the same names as the Java client's
// (Error for Exception).

/** @typedef {import('../types.js').WsrvEnvelope} WsrvEnvelope */

/** The common class of the client's failures. */
export class WsrvError extends Error {
  /**
   * @param {string} message
   * @param {string} code
   * @param {string} [cmd]
   * @param {string} [seqno]
   */
  constructor(message, code, cmd, seqno) {
    super(message);
    this.name = 'WsrvError';
    /** @readonly @type {string} */
    this.code = code;
    /** @readonly @type {string | undefined} */
    this.cmd = cmd;
    /** @readonly @type {string | undefined} */
    this.seqno = seqno;
  }
}

/** The longest text, msg and data, that a status error's message quotes from the reply; longer text is cut. */
const MAX_DETAIL = 500;

/**
 * A 422 reply's data: `[{path, message}, ...]`, the path optional.
 * @param {unknown} data
 * @returns {data is Array<{path?: string, message: string}>}
 */
function isProblemList(data) {
  return Array.isArray(data) && data.length > 0 && data.every((p) => p !== null && typeof p === 'object'
    && !Array.isArray(p) && typeof p.message === 'string' && (!('path' in p) || typeof p.path === 'string'));
}

/**
 * The reply's msg and, unless it is absent or {}, its data (a problem list as `path: message; ...`, anything else
 * as JSON); at most MAX_DETAIL characters. The Java client's WsrvStatusException says the same.
 * @param {string} msg
 * @param {unknown} data
 */
function summary(msg, data) {
  let text = msg;
  const empty = data === undefined || data === null
    || (typeof data === 'object' && !Array.isArray(data) && Object.keys(data).length === 0);
  if (!empty) {
    text += `: ${isProblemList(data)
      ? data.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; ')
      : JSON.stringify(data)}`;
  }
  if (text.length <= MAX_DETAIL) return text;
  const last = text.charCodeAt(MAX_DETAIL - 1);
  const end = last >= 0xd800 && last <= 0xdbff ? MAX_DETAIL - 1 : MAX_DETAIL;
  return `${text.slice(0, end)}... (${text.length - end} more characters)`;
}

/** A reply whose status is not 0. Its message includes the reply's data, cut at 500 characters. */
export class WsrvStatusError extends WsrvError {
  /** @param {WsrvEnvelope} reply */
  constructor(reply) {
    super(`wsrv: ${reply.cmd} (seqno ${reply.seqno}) failed with status ${reply.status}: ${summary(reply.msg ?? '', reply.data)}`,
      'WSRV_STATUS', reply.cmd, reply.seqno);
    this.name = 'WsrvStatusError';
    /** @readonly @type {'WSRV_STATUS'} */
    this.code = 'WSRV_STATUS';
    /** @readonly @type {string} */
    this.cmd = reply.cmd;
    /** @readonly @type {string} */
    this.seqno = reply.seqno;
    /** @readonly @type {number} */
    this.status = reply.status;
    /** @readonly @type {string} */
    this.msg = reply.msg;
    /** @readonly @type {any} */
    this.data = reply.data;
  }
}

/** No reply arrived within the request's timeout. */
export class WsrvTimeoutError extends WsrvError {
  /**
   * @param {string} cmd
   * @param {string} seqno
   * @param {number} timeout in milliseconds
   */
  constructor(cmd, seqno, timeout) {
    super(`wsrv: no reply to ${cmd} (seqno ${seqno}) within ${timeout} ms`, 'WSRV_TIMEOUT', cmd, seqno);
    this.name = 'WsrvTimeoutError';
    /** @readonly @type {'WSRV_TIMEOUT'} */
    this.code = 'WSRV_TIMEOUT';
    /** @readonly @type {string} */
    this.cmd = cmd;
    /** @readonly @type {string} */
    this.seqno = seqno;
    /** @readonly @type {number} */
    this.timeout = timeout;
  }
}

/** Not connected, could not connect, or the connection closed while the request was waiting for its reply. */
export class WsrvConnectionError extends WsrvError {
  /**
   * @param {string} message
   * @param {{cmd?: string, seqno?: string, closeCode?: number, closeReason?: string, handshakeStatus?: number}} [details]
   */
  constructor(message, { cmd, seqno, closeCode, closeReason, handshakeStatus } = {}) {
    super(message, 'WSRV_DISCONNECTED', cmd, seqno);
    this.name = 'WsrvConnectionError';
    /** @readonly @type {'WSRV_DISCONNECTED'} */
    this.code = 'WSRV_DISCONNECTED';
    /** @readonly @type {number | undefined} */
    this.closeCode = closeCode;
    /** @readonly @type {string | undefined} */
    this.closeReason = closeReason;
    /** @readonly @type {number | undefined} */
    this.handshakeStatus = handshakeStatus;
  }
}
