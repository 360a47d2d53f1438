// TypeScript declarations for wsrv.js

/** A reply or push envelope as sent by the server. */
export interface WsrvEnvelope<T = unknown> {
  cmd: string;
  seqno: string;
  status: number;
  msg: string;
  data: T;
}

/** Any class with the standard WebSocket constructor shape (browser WebSocket, `ws`). */
export interface WebSocketLike {
  readonly readyState: number;
  binaryType: string;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: string, listener: (ev: any) => void): void;
}
export type WebSocketConstructor = new (url: string, protocols?: string | string[], options?: unknown) => WebSocketLike;

export interface ReconnectOptions {
  /** Delay before the first reconnect attempt (default 500 ms). */
  initialDelayMs?: number;
  /** Upper bound of the exponential backoff (default 30000 ms). */
  maxDelayMs?: number;
  /** Backoff multiplier (default 2). */
  factor?: number;
  /** Give up after this many failed attempts in a row (default Infinity). */
  maxAttempts?: number;
}

export interface CloseInfo {
  code: number;
  reason: string;
  wasClean: boolean;
  /** True when close() of this client caused it. */
  byClient: boolean;
  /** True when a reconnect attempt has been scheduled. */
  willReconnect: boolean;
}

export interface WsrvClientOptions {
  /** WebSocket implementation; defaults to globalThis.WebSocket. In Node 20 pass `WebSocket` from `ws`. */
  WebSocket?: WebSocketConstructor;
  protocols?: string | string[];
  /** Third constructor argument (only the `ws` package uses it, e.g. headers). */
  wsOptions?: unknown;
  /** Default request timeout (default 10000 ms; 0 or Infinity disables). */
  timeoutMs?: number;
  /** Interval of the empty-frame heartbeat (default 10000 ms; 0 disables). */
  heartbeatMs?: number;
  /** How long connecting may take (default 10000 ms). */
  connectTimeoutMs?: number;
  /** Reconnect automatically after an unexpected close (default off). */
  reconnect?: boolean | ReconnectOptions;
  /** Awaited after every successful reconnect, before the 'reconnect' event; re-register here. */
  onReconnect?: (client: WsrvClient) => void | Promise<void>;
  onOpen?: (info: { url: string }) => void;
  onClose?: (info: CloseInfo) => void;
  onError?: (error: unknown) => void;
  onReconnected?: (info: { url: string }) => void;
  onMessage?: (envelope: WsrvEnvelope) => void;
  onSend?: (request: { cmd: string; seqno: string; data?: unknown }) => void;
}

export interface RequestOptions {
  /** Overrides the client's default timeout for this request. */
  timeoutMs?: number;
  /** Resolve with the whole reply envelope, whatever its status. */
  raw?: boolean;
}

export type PushListener<T = any> = (data: T, envelope: WsrvEnvelope<T>) => void;

export interface WsrvEventMap {
  open: { url: string };
  close: CloseInfo;
  reconnect: { url: string };
  error: unknown;
  message: WsrvEnvelope;
  send: { cmd: string; seqno: string; data?: unknown };
  heartbeat: {};
}

/** A reply whose status is not 0. */
export class WsrvError extends Error {
  readonly status: number;
  readonly msg: string;
  readonly data: any;
  readonly cmd: string;
  readonly seqno: string;
  constructor(reply: WsrvEnvelope);
}

/** No reply within the request's timeout. */
export class WsrvTimeoutError extends Error {
  readonly code: 'WSRV_TIMEOUT';
  readonly cmd: string;
  readonly seqno: string;
  readonly timeoutMs: number;
}

/** Not connected, or the connection closed before the reply arrived. */
export class WsrvConnectionError extends Error {
  readonly code: 'WSRV_DISCONNECTED';
  readonly cmd?: string;
  readonly seqno?: string;
  readonly closeCode?: number;
  readonly closeReason?: string;
}

export class WsrvClient {
  /** `url` may be a function, asked for the URL before every connection attempt (a fresh token in the query). */
  static connect(url: string | URL | (() => string | URL), opts?: WsrvClientOptions): Promise<WsrvClient>;
  constructor(url: string | URL | (() => string | URL), opts?: WsrvClientOptions);
  readonly url: string;
  readonly connected: boolean;
  /** Opens the first connection; connect() does this for you. */
  open(): Promise<WsrvClient>;
  request<T = any>(cmd: string, data?: unknown, opts?: RequestOptions & { raw?: false }): Promise<T>;
  request<T = any>(cmd: string, data: unknown, opts: RequestOptions & { raw: true }): Promise<WsrvEnvelope<T>>;
  /** Listens to pushes of `cmd`, or of all commands with '*'. Returns an unsubscribe function. */
  onPush<T = any>(cmd: string, listener: PushListener<T>): () => void;
  on<K extends keyof WsrvEventMap>(event: K, listener: (arg: WsrvEventMap[K]) => void): () => void;
  /** Changes the heartbeat interval (0 disables); takes effect at once when connected. */
  setHeartbeatMs(ms: number): void;
  /** Sends an empty heartbeat frame now; false when not connected. */
  heartbeat(): boolean;
  /** Closes for good (no reconnect); pending requests fail. */
  close(code?: number, reason?: string): Promise<{ code: number; reason: string }>;
}

export function connect(url: string | URL | (() => string | URL), opts?: WsrvClientOptions): Promise<WsrvClient>;
export default WsrvClient;
